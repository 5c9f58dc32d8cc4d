"""The journal's profile: who the records are about, for the report's header (no Qt).

Stored as text in the journal's ``profile`` table: ``name``, ``birth_date`` (ISO),
``clinician`` and ``goal`` (a key of :data:`GOALS`). Everything is optional; what is given is
checked, and a wrong value is refused with the field it belongs to.
"""

from __future__ import annotations

from datetime import date

from hpgjournal.domain.errors import ValidationError

__all__ = ["FIELDS", "GOALS", "age_on", "check_profile", "goal_words"]

FIELDS = ("name", "birth_date", "clinician", "goal")
GOALS = {
    "": "not stated",
    "stay_on_trt": "stay on TRT",
    "restore_fertility": "restore fertility",
    "restore_own_testosterone": "restore his own testosterone production",
}
_MAX_TEXT = 120


def goal_words(key: str) -> str:
    return GOALS.get(key, key)


def age_on(birth_date: str, day: date) -> int | None:
    """Age in whole years on ``day``, or None when the date of birth is missing or unreadable."""
    try:
        born = date.fromisoformat(birth_date)
    except (TypeError, ValueError):
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_profile(values: dict[str, str], today: date | None = None) -> dict[str, str]:
    """The profile values cleaned up, or ValidationError naming the field that is wrong."""
    today = today or date.today()
    out: dict[str, str] = {}
    for key, raw in values.items():
        if key not in FIELDS:
            raise ValidationError(key, f"{key!r} is not part of the profile "
                                       f"({', '.join(FIELDS)})")
        value = " ".join(str(raw).split())
        if key in ("name", "clinician") and len(value) > _MAX_TEXT:
            raise ValidationError(key, f"the {key} is longer than {_MAX_TEXT} characters: "
                                       "shorten it")
        if key == "birth_date" and value:
            try:
                born = date.fromisoformat(value)
            except ValueError:
                raise ValidationError(key, f"{value!r} is not a date: write the date of birth "
                                           "as YYYY-MM-DD, e.g. 1985-03-14") from None
            age = age_on(value, today)
            if born > today or age is None or age < 12 or age > 110:
                raise ValidationError(key, f"a date of birth of {value} gives an age of {age} "
                                           "years: check the year")
            value = born.isoformat()
        if key == "goal" and value not in GOALS:
            raise ValidationError(key, f"{value!r} is not a goal: choose one of "
                                       f"{', '.join(k for k in GOALS if k)}")
        out[key] = value
    return out
