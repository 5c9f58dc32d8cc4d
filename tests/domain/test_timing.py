"""Hours since the last dose, and trough/mid/peak, as the lab table shows them."""

from __future__ import annotations

import pytest

from hpgjournal.domain.records import Dose, Medication
from hpgjournal.domain.timing import DoseClock, position_in_interval

CYP = Medication(1, "Testosterone cypionate", "2025-01-01", "testosterone", "im", 100, "mg",
                 "every 7 days", 7.0)
GEL = Medication(2, "Testosterone gel", "2025-01-01", "testosterone", "transdermal", 50, "mg",
                 "daily", 1.0)
HCG = Medication(3, "hCG", "2025-01-01", "gonadotropin", "subq", 500, "IU", "", 3.5)


@pytest.mark.parametrize("hours, position", [(24, "peak"), (84, "mid"), (160, "trough"),
                                             (200, "trough"), (240, "")])
def test_position_in_a_weekly_interval(hours, position):
    assert position_in_interval(hours, 7) == position


def test_draw_before_the_next_injection_is_a_trough():
    clock = DoseClock([Dose(1, "2025-03-03T08:30", "Testosterone cypionate", 100, "mg",
                            medication_id=1),
                       Dose(2, "2025-03-10T08:30", "Testosterone cypionate", 100, "mg",
                            medication_id=1)], [CYP])
    timing = clock.timing("2025-03-10T08:05")
    assert timing.hours == pytest.approx(167.58, abs=0.01) and timing.position == "trough"
    assert str(timing) == "7.0 d · trough"
    assert clock.timing("2025-03-04T08:30").position == "peak"
    assert str(clock.timing("2025-03-04T08:30")) == "24 h · peak"


def test_no_timing_without_a_time_or_a_recent_dose():
    clock = DoseClock([Dose(1, "2025-03-03T08:30", "Testosterone cypionate", 100, "mg",
                            medication_id=1)], [CYP])
    assert clock.timing("2025-03-05") is None  # a date without a time of day
    assert clock.timing("2025-03-01T08:00") is None  # before any dose
    assert clock.timing("2025-06-01T08:00") is None  # months later


def test_gels_have_hours_but_no_trough_and_other_drugs_do_not_count():
    clock = DoseClock([Dose(1, "2025-03-03T07:00", "Testosterone gel", 50, "mg", medication_id=2),
                       Dose(2, "2025-03-03T20:00", "hCG", 500, "IU", medication_id=3)], [GEL, HCG])
    timing = clock.timing("2025-03-03T21:00")
    assert timing.hours == 14 and timing.position == "" and timing.drug == "Testosterone gel"


@pytest.mark.parametrize(("drug", "medication", "counts"), [
    ("Testosterone cypionate", None, True),  # a drug of the list, by its class
    ("Testosterone propionate", None, True),  # typed by hand: its name says testosterone
    ("Nebido", Medication(1, "Nebido", "2025-01-01", "testosterone"), True),  # by the user's class
    ("hCG", Medication(2, "hCG", "2025-01-01", "gonadotropin"), False),
    ("Anastrozole", None, False),
])
def test_the_dose_clock_and_the_washout_times_agree_on_what_is_testosterone(drug, medication,
                                                                            counts) -> None:
    """One rule (domain.drugs.is_testosterone_dose) for the peak/trough clock and the chart's
    washout and recovery anchor (issue 20)."""
    from hpgjournal.domain.journal_data import therapy_times_of

    dose = Dose(None, "2025-03-01T08:00", drug, medication_id=medication.id if medication else None)
    clock = DoseClock([dose], [medication] if medication else [])
    assert (clock.timing("2025-03-02T08:00") is not None) is counts
    rows = [(dose.taken_at, dose.drug, dose.medication_id, None, "")]
    times = therapy_times_of(rows, {medication.id: medication} if medication else {})
    assert bool(times.trt_doses) is counts
