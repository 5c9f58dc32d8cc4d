"""The journal's date and time text: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (local time)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from hpgjournal.domain.errors import ValidationError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$")


def normalise_timestamp(text: str, field: str = "date") -> str:
    """Return the canonical form of a date or date-time, or raise ValidationError."""
    value = (text or "").strip()
    if _DATE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, f"{value!r} is not a real calendar date") from None
        return value
    match = _DATETIME.match(value)
    if match:
        day, hour, minute = match.groups()
        try:
            datetime.fromisoformat(f"{day}T{hour}:{minute}")
        except ValueError:
            raise ValidationError(field, f"{value!r} is not a real date and time") from None
        return f"{day}T{hour}:{minute}"
    raise ValidationError(field, f"{value!r} is not a date: write it as YYYY-MM-DD or YYYY-MM-DD HH:MM")


def normalise_date(text: str, field: str = "date") -> str:
    """Like normalise_timestamp, but only a calendar day is accepted and returned."""
    return normalise_timestamp(text, field)[:10]


def to_datetime(stamp: str) -> datetime:
    """The timestamp as a datetime; a bare date is taken at midnight."""
    return datetime.fromisoformat(stamp if "T" in stamp else f"{stamp}T00:00")


def days_between(earlier: str, later: str) -> float:
    return (to_datetime(later) - to_datetime(earlier)).total_seconds() / 86400.0


def day_before(stamp: str) -> str:
    """The calendar day before the day of ``stamp`` (a regimen ends the day before its change)."""
    return (date.fromisoformat(stamp[:10]) - timedelta(days=1)).isoformat()
