"""Dates as lab exports and spreadsheets print them, and the day/month order of a file.

ISO dates (``2024-03-01``, ``2024-03-01T08:30``, ``2024-03-01 10:30:00 -0500``), compact ones
(``20240301``), month names (``1 Mar 2024``, ``March 1, 2024``) and numeric ones with slashes,
dots or dashes (``03/01/2024``, ``1.3.2024``, ``7/2/26``), each with or without a time
(``8:30``, ``8:30 AM``, ``08:30:00``). A time zone is dropped: the journal keeps the clock time
the lab printed.

The order of day and month in numeric dates is decided once per file, from the evidence in
the file: a first number above 12 can only be a day, a second number above 12 only a day
too. When no date decides, the order is *ambiguous* and the user is asked (dotted dates are
day-first by convention, so they decide on their own). ISO ``ymd`` is never ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DATE_ORDERS",
    "DateError",
    "DateOrder",
    "DateShape",
    "decide_order",
    "parse_shape",
    "read_typed",
    "to_stamp",
]

DATE_ORDERS = ("mdy", "dmy", "ymd")

_TIME = (r"(?:(?:\s*[T ,]\s*|\s+at\s+)(?P<hh>\d{1,2})[:h.](?P<mi>\d{2})(?::(?P<ss>\d{2})(?:[.,]\d+)?)?"
         r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?)?"
         r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?")
_ISO_RE = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME + r"$")
_COMPACT_RE = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})"
                         r"(?:(?P<hh>\d{2})(?P<mi>\d{2})(?P<ss>\d{2})?(?:\.\d+)?)?"
                         r"(?P<ampm>)(?:[+-]\d{4}|Z)?$")
_NUMERIC_RE = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{4}|\d{2})\.?"
                         + _TIME + r"$")
_MONTHS = {
    "jan": 1, "january": 1, "janv": 1, "januar": 1, "feb": 2, "february": 2, "febr": 2,
    "fevr": 2, "februar": 2, "mar": 3, "march": 3, "mars": 3, "marz": 3, "maerz": 3, "apr": 4,
    "april": 4, "avr": 4, "avril": 4, "may": 5, "mai": 5, "jun": 6, "june": 6, "juni": 6,
    "juin": 6, "jul": 7, "july": 7, "juli": 7, "juil": 7, "aug": 8, "august": 8, "aout": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "okt": 10, "oktober": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12, "dez": 12, "dezember": 12,
}
_WORD = r"(?P<mon>[A-Za-zÄäÖöÜüÉéÛû]{3,9})\.?"
_DAY_MONTH_RE = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*" + _WORD
                           + r"[\s\-/.,]*(?P<y>\d{4}|\d{2})" + _TIME + r"$")
_MONTH_DAY_RE = re.compile(r"(?:[A-Za-z]{3,9},?\s+)?" + _WORD + r"[\s\-/.]*(?P<d>\d{1,2})"
                           r"(?:st|nd|rd|th)?,?[\s\-/.]+(?P<y>\d{4})" + _TIME + r"$")
_FOLD = str.maketrans("ÄäÖöÜüÉéÛû", "AaOoUuEeUu")


class DateError(ValueError):
    """A text that is not a date (or not a real one in the chosen order)."""


@dataclass(frozen=True, slots=True)
class DateShape:
    """A parsed date text before the day/month order is applied.

    ``kind`` is ``"ymd"`` (year, month and day known: ISO, compact, month names) or
    ``"numeric"`` (``a``/``b``/``c`` as printed, order unknown). ``time`` is ``"HH:MM"`` or "";
    ``text`` the date as printed.
    """

    kind: str
    a: int
    b: int
    c: int
    sep: str
    two_digit_year: bool
    time: str
    text: str = ""


@dataclass(frozen=True)
class DateOrder:
    """The order used for a file's numeric dates and how it was decided.

    ``source`` is ``"user"``, ``"file"`` (a date in the file decided it), ``"format"`` (the
    known export writes this order), ``"convention"`` (dotted dates are day-first) or
    ``"guess"`` (nothing decided: ``ambiguous`` is then True and ``examples`` shows dates that
    read both ways).
    """

    order: str
    source: str
    ambiguous: bool = False
    examples: tuple[str, ...] = ()
    conflict: bool = False


def _time(hh: str | None, mi: str | None, ampm: str | None) -> str:
    if hh is None or mi is None:
        return ""
    hour, minute = int(hh), int(mi)
    if ampm:
        pm = ampm.strip().lower().startswith("p")
        if not 1 <= hour <= 12:
            raise DateError(f"{hh}:{mi} {ampm} is not a time")
        hour = (hour % 12) + (12 if pm else 0)
    if hour > 23 or minute > 59:
        raise DateError(f"{hh}:{mi} is not a time")
    return f"{hour:02d}:{minute:02d}"


def parse_shape(text: str) -> DateShape:
    """Read the parts of a date text; raise DateError for a text that is no date at all."""
    value = " ".join(text.split()).strip()
    if not value:
        raise DateError("the date is empty")
    match = _ISO_RE.match(value) or _COMPACT_RE.match(value)
    if match:
        return DateShape("ymd", int(match["y"]), int(match["m"]), int(match["d"]), "-", False,
                         _time(match["hh"], match["mi"], match["ampm"]), value)
    match = _NUMERIC_RE.match(value)
    if match:
        year = match["c"]
        return DateShape("numeric", int(match["a"]), int(match["b"]), int(year), match["sep"],
                         len(year) == 2, _time(match["hh"], match["mi"], match["ampm"]), value)
    match = _DAY_MONTH_RE.match(value) or _MONTH_DAY_RE.match(value)
    if match:
        month = _MONTHS.get(match["mon"].translate(_FOLD).lower().rstrip("."))
        if month is not None:
            year = match["y"]
            full = _full_year(int(year)) if len(year) == 2 else int(year)
            return DateShape("ymd", full, month, int(match["d"]), " ", False,
                             _time(match["hh"], match["mi"], match["ampm"]), value)
    raise DateError(f"{text.strip()!r} is not a date")


def _full_year(two_digits: int) -> int:
    """Two-digit years: up to next year's are this century, the rest the last one."""
    pivot = (date.today().year + 1) % 100
    return 2000 + two_digits if two_digits <= pivot else 1900 + two_digits


def to_stamp(shape: DateShape, order: str, *, keep_time: bool = True) -> str:
    """The journal timestamp (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``) of a shape in ``order``."""
    if shape.kind == "ymd":
        year, month, day = shape.a, shape.b, shape.c
    elif order == "mdy":
        month, day, year = shape.a, shape.b, shape.c
    elif order == "dmy":
        day, month, year = shape.a, shape.b, shape.c
    elif shape.two_digit_year:  # ymd on a numeric date: 24/03/01 is 2024-03-01
        year, month, day = _full_year(shape.a), shape.b, shape.c
    else:
        raise DateError(f"{_show(shape)} does not fit the date order year-month-day: choose "
                        "day-first or month-first")
    if shape.kind == "numeric" and shape.two_digit_year and order != "ymd":
        year = _full_year(year)
    try:
        stamp = date(year, month, day).isoformat()
    except ValueError:
        hint = ""
        if shape.kind == "numeric" and month > 12 and day <= 12:
            hint = " (month above 12: is the date order wrong?)"
        raise DateError(f"{_show(shape)} is not a real date in the order {order}{hint}") from None
    if keep_time and shape.time:
        return f"{stamp}T{shape.time}"
    return stamp


def _show(shape: DateShape) -> str:
    if shape.text:
        return shape.text
    if shape.kind == "ymd":
        return f"{shape.a:04d}-{shape.b:02d}-{shape.c:02d}"
    year = f"{shape.c % 100:02d}" if shape.two_digit_year else str(shape.c)
    return f"{shape.a}{shape.sep}{shape.b}{shape.sep}{year}"


def decide_order(shapes: Iterable[DateShape], *, user: str = "auto",
                 format_default: str | None = None, guess: str = "mdy") -> DateOrder:
    """Decide the day/month order of a file's numeric dates.

    ``user`` (``mdy``, ``dmy``, ``ymd``) wins; then the file's evidence; then the order the
    known format writes; then dotted dates (day-first). Otherwise the result is ``guess`` and
    marked ambiguous, with example dates for the question to the user. When dates contradict
    each other (some only day-first, some only month-first), the majority wins and
    ``conflict`` is set: the other dates then fail as rows.
    """
    if user not in ("auto", *DATE_ORDERS):
        raise ValueError(f"date order must be auto, mdy, dmy or ymd, not {user!r}")
    day_first = month_first = dotted = numeric = 0
    examples: list[str] = []
    for shape in shapes:
        if shape.kind != "numeric":
            continue
        numeric += 1
        if shape.a > 12 >= shape.b:
            day_first += 1
        elif shape.b > 12 >= shape.a:
            month_first += 1
        elif shape.a != shape.b and len(examples) < 3:
            examples.append(_show(shape))
        if shape.sep == ".":
            dotted += 1
    if user != "auto":
        return DateOrder(user, "user")
    if not numeric:
        return DateOrder(format_default or "ymd", "format" if format_default else "file")
    if day_first or month_first:
        order = "dmy" if day_first >= month_first else "mdy"
        return DateOrder(order, "file", conflict=bool(day_first and month_first))
    if format_default in ("mdy", "dmy"):
        return DateOrder(format_default, "format")
    if dotted == numeric:
        return DateOrder("dmy", "convention")
    if not examples:  # every numeric date has day == month: the order changes nothing
        return DateOrder(guess, "file")
    return DateOrder(guess, "guess", ambiguous=True, examples=tuple(examples))


def read_typed(text: str) -> tuple[str, str]:
    """One date a person typed, decided on its own: ``(YYYY-MM-DD, HH:MM or "")``.

    ISO dates, dotted ones (day first by convention) and month names are read as they are; a
    slashed or dashed date is read only when one of its numbers can only be a day
    (``14/3/2026``, ``3/14/2026``). One that reads both ways raises DateError naming both days,
    so a typed date is never guessed.
    """
    shape = parse_shape(text)
    if shape.kind == "numeric":
        if shape.sep == "." or shape.a > 12 >= shape.b:
            order = "dmy"
        elif shape.b > 12 >= shape.a or shape.a == shape.b:
            order = "mdy"
        else:
            first, second = (to_stamp(shape, o, keep_time=False) for o in ("mdy", "dmy"))
            raise DateError(f"{_show(shape)} could be {first} or {second}: write it as "
                            "YYYY-MM-DD (or day.month.year)")
    else:
        order = "ymd"
    stamp = to_stamp(shape, order, keep_time=False)
    return stamp, shape.time
