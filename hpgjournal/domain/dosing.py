"""Dosing rules that need no window: the interval a schedule text implies and the next
injection site in the rotation (moved out of ``ui/record_dialogs.py``, issue 20)."""

from __future__ import annotations

import re

SCHEDULES = {"daily": 1.0, "every other day": 2.0, "every 3.5 days": 3.5, "twice weekly": 3.5,
             "three times weekly": 7 / 3, "every 7 days": 7.0, "weekly": 7.0,
             "every 10 days": 10.0, "every 14 days": 14.0, "every 10 weeks": 70.0}
INJECTION_SITES = ("left glute", "right glute", "left thigh", "right thigh", "left delt",
                   "right delt", "abdomen left", "abdomen right")


def interval_days(schedule: str) -> float | None:
    """Days between doses implied by a schedule text ("every 3.5 days", "twice weekly")."""
    text = schedule.strip().casefold()
    if text in SCHEDULES:
        return SCHEDULES[text]
    match = re.fullmatch(r"every\s+(\d+(?:[.,]\d+)?)\s*(day|days|d|week|weeks|w)", text)
    if match:
        number = float(match.group(1).replace(",", "."))
        if number <= 0:
            return None  # "every 0 days" is no interval (the journal refuses one of 0)
        return number * (7 if match.group(2).startswith("w") else 1)
    match = re.fullmatch(r"(\d+)\s*(?:x|times)\s*(?:a|per)?\s*week(?:ly)?", text)
    if match and int(match.group(1)) > 0:
        return 7 / int(match.group(1))
    return None


def next_site(last: str, route: str) -> str:
    """The injection site after ``last`` in the rotation (subcutaneous: abdomen sides)."""
    sites = [s for s in INJECTION_SITES if s.startswith("abdomen")] if route == "subq" else \
        [s for s in INJECTION_SITES if not s.startswith("abdomen")]
    if last in sites:
        return sites[(sites.index(last) + 1) % len(sites)]
    return sites[0]


__all__ = ["INJECTION_SITES", "SCHEDULES", "interval_days", "next_site"]
