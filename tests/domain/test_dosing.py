"""The dosing rules moved below Qt (issue 20): schedule intervals and site rotation."""

import pytest

from hpgjournal.domain.dosing import INJECTION_SITES, interval_days, next_site


@pytest.mark.parametrize(("text", "days"), [
    ("weekly", 7.0), (" Twice weekly ", 3.5), ("every 10 weeks", 70.0), ("every 5 days", 5.0),
    ("every 2,5 d", 2.5), ("every 3 w", 21.0), ("3x per week", 7 / 3), ("2 times a week", 3.5),
])
def test_interval_days_reads_schedules(text: str, days: float) -> None:
    assert interval_days(text) == pytest.approx(days)


@pytest.mark.parametrize("text", ["", "as needed", "0x per week", "every day or so"])
def test_interval_days_gives_none_for_unknown_text(text: str) -> None:
    assert interval_days(text) is None


def test_next_site_rotates_intramuscular_sites_and_wraps() -> None:
    assert next_site("left glute", "im") == "right glute"
    assert next_site("right delt", "im") == "left glute"
    assert next_site("", "im") == INJECTION_SITES[0]


def test_next_site_keeps_subcutaneous_doses_on_the_abdomen() -> None:
    assert next_site("abdomen left", "subq") == "abdomen right"
    assert next_site("abdomen right", "subq") == "abdomen left"
    assert next_site("left glute", "subq") == "abdomen left"


@pytest.mark.parametrize("schedule", ["every 0 days", "every 0 weeks", "every 0.0 d", "0x weekly"])
def test_a_zero_interval_is_no_interval(schedule):
    assert interval_days(schedule) is None
