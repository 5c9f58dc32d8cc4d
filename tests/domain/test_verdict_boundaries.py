"""Every boundary of the verdict logic, just inside and just outside (issue 20, item 6).

The limits are worked out here from the published figures, not read from the code:

* A change is real beyond the reference change value (Fokkema et al. 2006, log-normal):
  ``sigma = sqrt(ln(1 + cv_a^2) + ln(1 + cv_i^2))``, a rise beyond ``exp(1.96 sqrt2 sigma) - 1``,
  a fall beyond ``1 - exp(-1.96 sqrt2 sigma)``. The CVs are those the knowledge base cites
  (testosterone 16 % and 5 %, estradiol 14 % and 8 %, hematocrit 2.8 % and 1.5 %).
* A band is widened by how far one result may lie from the true value, 19 times in 20:
  the low edge times ``exp(-1.96 sigma)``, the high edge times ``exp(1.96 sigma)``. The edges
  themselves count as inside the band.
* The targets are the source documents': TRT total testosterone 400-700 ng/dL (Endocrine
  Society 2010); an aromatase inhibitor lowers estradiol by 24 to 37 % and raises total
  testosterone by 31 to 67 % in men who started below 350 ng/dL; both full by day 90.
* Timing: TRT hematocrit rises from day 0 to 90 (onset, published); the washout LH is back by
  3 to 12 months after the last dose (plateau days 90 to 365); hCG sperm concentration starts
  rising between days 90 and 180.
* The sperm recovery curve (Liu 2006): 20 million/mL is recovery; 67 % of men by 6 months,
  90 % by 12; not reaching it is "less than expected" only from the 90 % figure on.

"Just inside" and "just outside" are 0.2 % either side of a limit; "at" is the limit itself.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from hpgjournal.domain.assessment import Assessment, TherapyTimes, assess_phase
from hpgjournal.domain.knowledge import DAYS_PER_MONTH, Knowledge, load_knowledge
from hpgjournal.domain.records import LabResult, Phase
from hpgjournal.domain.variation import variation_for
from hpgjournal.paths import resources_dir

Z = 1.96
CV = {"testosterone_total": (0.16, 0.05), "estradiol": (0.14, 0.08),
      "hematocrit": (0.028, 0.015)}  # (within-subject, analytical)
IN, OUT = 0.998, 1.002  # multipliers: 0.2 % under and over a limit
UNTIL = date(2027, 12, 31)


def sigma(key: str) -> float:
    cv_i, cv_a = CV[key]
    return math.sqrt(math.log(1 + cv_a ** 2) + math.log(1 + cv_i ** 2))


def real_rise(key: str) -> float:
    """The factor a value must exceed to be a real rise."""
    return math.exp(Z * math.sqrt(2) * sigma(key))


def real_fall(key: str) -> float:
    """The factor a value must go under to be a real fall."""
    return math.exp(-Z * math.sqrt(2) * sigma(key))


def widened(key: str, low: float, high: float) -> tuple[float, float]:
    return low * math.exp(-Z * sigma(key)), high * math.exp(Z * sigma(key))


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(resources_dir() / "knowledge")


def lab(day: str, key: str, value: float, comparator: str = "") -> LabResult:
    return LabResult(id=None, taken_at=day, analyte=key, value=value, unit="",
                     reported_value=f"{comparator}{value:g}", comparator=comparator)


def judge(kb: Knowledge, phase: Phase, key: str, ref: float, day: str, value: float, *,
          times: TherapyTimes | None = None, ref_day: str = "2025-12-30",
          comparator: str = "") -> Assessment:
    series = {key: [lab(ref_day, key, ref), lab(day, key, value, comparator)]}
    (a,) = assess_phase(phase, kb, series, phases=[phase], times=times, until=UNTIL)
    return a


AI = Phase(1, "aromatase_inhibitor", "2026-01-01", None)
TRT = Phase(2, "trt", "2026-01-01", None)
HCG = Phase(3, "hcg", "2026-01-01", None)
DAY_100 = "2026-04-11"  # every band here is at its full target by day 90


# ---------------------------------------------------------------------------------------------
# The limits themselves agree with the figures above
# ---------------------------------------------------------------------------------------------


def test_the_bands_on_day_100_are_the_published_targets(kb: Knowledge) -> None:
    e2 = judge(kb, AI, "estradiol", 40.0, DAY_100, 22.0)
    assert (e2.expected_low, e2.expected_high) == (pytest.approx(40 * 0.63),
                                                   pytest.approx(40 * 0.76))
    t = judge(kb, AI, "testosterone_total", 300.0, DAY_100, 600.0)
    assert (t.expected_low, t.expected_high) == (pytest.approx(300 * 1.31),
                                                 pytest.approx(300 * 1.67))
    trt = judge(kb, TRT, "testosterone_total", 450.0, DAY_100, 600.0)
    assert (trt.expected_low, trt.expected_high) == (pytest.approx(400.0), pytest.approx(700.0))
    assert "+56 % or -36 %" in e2.text  # estradiol's limits, from 14 % and 8 %
    assert f"+{(real_rise('estradiol') - 1) * 100:.0f} %" in e2.text
    assert f"-{(1 - real_fall('estradiol')) * 100:.0f} %" in e2.text


# ---------------------------------------------------------------------------------------------
# A band that falls (estradiol on an aromatase inhibitor), from 40 pg/mL on day 100
# ---------------------------------------------------------------------------------------------

E2_LOW, E2_HIGH = widened("estradiol", 40 * 0.63, 40 * 0.76)
E2_FALL = 40 * real_fall("estradiol")  # about 25.6: below it a fall is real
E2_RISE = 40 * real_rise("estradiol")  # about 62.4: above it a rise is real


@pytest.mark.parametrize(("value", "verdict"), [
    (E2_LOW * OUT, "as_expected"),  # just inside the widened low edge
    (E2_LOW * IN, "more_than_expected"),  # just below it: fell further than expected
    (22.0, "as_expected"),  # below the published 25.2, inside one result's own variation
    (40 * 0.63 * IN, "as_expected"),  # just under the published low edge itself
    (E2_FALL * IN, "as_expected"),  # a real fall, inside the band
    (E2_FALL * OUT, "less_than_expected"),  # not a real fall, and the fall was due
    (40.0, "less_than_expected"),
    (E2_RISE * IN, "less_than_expected"),  # not a real rise either
    (E2_RISE * OUT, "opposite"),  # a real rise against a falling band
    (90.0, "opposite"),
])
def test_a_falling_band(kb: Knowledge, value: float, verdict: str) -> None:
    assert judge(kb, AI, "estradiol", 40.0, DAY_100, value).words == \
        {"as_expected": "as expected", "more_than_expected": "more than expected",
         "less_than_expected": "less than expected", "opposite": "the opposite way"}[verdict]


def test_the_edges_of_a_falling_band_are_inside_it(kb: Knowledge) -> None:
    probe = judge(kb, AI, "estradiol", 40.0, DAY_100, 22.0)
    assert probe.expected_low is not None
    variation = variation_for("estradiol")
    assert variation is not None
    edge = probe.expected_low * (1 - variation.single_down)
    assert edge == pytest.approx(E2_LOW)
    assert judge(kb, AI, "estradiol", 40.0, DAY_100, edge).verdict == "as_expected"


# ---------------------------------------------------------------------------------------------
# A band that rises (total testosterone on an aromatase inhibitor), from 300 ng/dL on day 100
# ---------------------------------------------------------------------------------------------

T_LOW, T_HIGH = widened("testosterone_total", 300 * 1.31, 300 * 1.67)
T_RISE = 300 * real_rise("testosterone_total")  # about 476: above it a rise is real
T_FALL = 300 * real_fall("testosterone_total")  # about 189: below it a fall is real


@pytest.mark.parametrize(("value", "verdict"), [
    (T_RISE * OUT, "as_expected"),  # a real rise, inside the band
    (T_RISE * IN, "less_than_expected"),  # no real rise, though it was due (published timing)
    (300 * 1.67 * OUT, "as_expected"),  # above the published high edge, inside the widened one
    (T_HIGH * IN, "as_expected"),
    (T_HIGH * OUT, "more_than_expected"),
    (300.0, "less_than_expected"),
    (T_FALL * OUT, "less_than_expected"),  # below the band, falling, but not a real fall
    (T_FALL * IN, "opposite"),  # below the band and a real fall
    (120.0, "opposite"),
])
def test_a_rising_band(kb: Knowledge, value: float, verdict: str) -> None:
    assert judge(kb, AI, "testosterone_total", 300.0, DAY_100, value).verdict == verdict


def test_the_high_edge_of_a_rising_band_is_inside_it(kb: Knowledge) -> None:
    probe = judge(kb, AI, "testosterone_total", 300.0, DAY_100, 600.0)
    assert probe.expected_high is not None
    variation = variation_for("testosterone_total")
    assert variation is not None
    edge = probe.expected_high * (1 + variation.single_up)
    assert edge == pytest.approx(T_HIGH)
    assert judge(kb, AI, "testosterone_total", 300.0, DAY_100, edge).verdict == "as_expected"


@pytest.mark.parametrize(("ref", "verdict"), [
    (349.0, "less_than_expected"),  # inside the studied men's range: no rise is less
    (350.0, "no_clear_change"),  # men who started at 350 or above were not studied
])
def test_the_studied_starting_range_is_exclusive_at_its_limit(kb, ref, verdict) -> None:
    a = judge(kb, AI, "testosterone_total", ref, DAY_100, ref)
    assert a.verdict == verdict
    assert ("started elsewhere" in a.text) == (verdict == "no_clear_change")


# ---------------------------------------------------------------------------------------------
# A target (TRT total testosterone, 400-700 ng/dL): the level itself, whatever the change
# ---------------------------------------------------------------------------------------------

TRT_LOW, TRT_HIGH = widened("testosterone_total", 400.0, 700.0)  # about 288 and 970


@pytest.mark.parametrize(("value", "verdict"), [
    (TRT_LOW * IN, "less_than_expected"),
    (TRT_LOW * OUT, "as_expected"),
    (350.0, "as_expected"),  # under 400, within one result's own variation of it
    (400.0, "as_expected"),
    (700.0, "as_expected"),
    (800.0, "as_expected"),  # over 700, within one result's own variation of it
    (TRT_HIGH * IN, "as_expected"),
    (TRT_HIGH * OUT, "more_than_expected"),
])
def test_a_target(kb: Knowledge, value: float, verdict: str) -> None:
    assert judge(kb, TRT, "testosterone_total", 450.0, DAY_100, value).verdict == verdict


def test_the_edges_of_a_target_are_inside_it(kb: Knowledge) -> None:
    probe = judge(kb, TRT, "testosterone_total", 450.0, DAY_100, 600.0)
    assert probe.expected_low is not None and probe.expected_high is not None
    # exactly on the widened edges (one result's own variation, as the marker's published
    # variation gives it; the same figure as the formula above)
    variation = variation_for("testosterone_total")
    assert variation is not None
    assert 1 - variation.single_down == pytest.approx(math.exp(-Z * sigma("testosterone_total")))
    low = probe.expected_low * (1 - variation.single_down)
    high = probe.expected_high * (1 + variation.single_up)
    assert (low, high) == (pytest.approx(TRT_LOW), pytest.approx(TRT_HIGH))
    assert judge(kb, TRT, "testosterone_total", 450.0, DAY_100, low).verdict == "as_expected"
    assert judge(kb, TRT, "testosterone_total", 450.0, DAY_100, high).verdict == "as_expected"


# ---------------------------------------------------------------------------------------------
# When a change is due: the band still holding the start, the onset and the plateau days
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "verdict", "words"), [
    # estradiol on an inhibitor, no change from 40: the slowest course starts on day 14, so
    # up to day 14 the band still reaches 40 and a flat value is not yet short of it
    ("2026-01-15", "no_clear_change", "still includes the starting value"),  # day 14
    ("2026-01-16", "less_than_expected", "has moved away from the starting value"),  # day 15
])
def test_a_band_that_still_holds_the_start(kb, day, verdict, words) -> None:
    a = judge(kb, AI, "estradiol", 40.0, day, 40.0)
    assert a.verdict == verdict and words.lower() in a.text.lower()


@pytest.mark.parametrize(("day", "verdict", "words"), [
    ("2026-03-31", "no_clear_change", "too early to tell"),  # day 89 of the onset 0-90
    ("2026-03-31T23:30", "no_clear_change", "too early to tell"),  # day 89.98
    ("2026-04-01", "less_than_expected", "usually shows by day 90"),  # day 90: it was due
    ("2026-04-02", "less_than_expected", "usually shows by day 90"),
])
def test_the_end_of_the_onset_window(kb, day, verdict, words) -> None:
    a = judge(kb, TRT, "hematocrit", 45.0, day, 45.5)
    assert a.verdict == verdict and words.lower() in a.text.lower()


@pytest.mark.parametrize(("day", "words"), [
    ("2026-03-31", "no change is expected before day 90"),  # day 89
    ("2026-04-01", "too early to tell: the change usually shows between days 90 and 180"),
    ("2026-06-29", "too early to tell"),  # day 179
    ("2026-06-30", "the change usually shows by day 180"),  # day 180
])
def test_the_start_and_end_of_an_onset_window_in_words(kb, day, words) -> None:
    # hCG sperm concentration: no published variation, so no "less"; the words say the timing
    a = judge(kb, HCG, "sperm_concentration", 10.0, day, 10.0)
    assert a.verdict == "no_clear_change" and words.lower() in a.text.lower()


@pytest.mark.parametrize(("day", "verdict", "words"), [
    ("2026-03-31", "no_clear_change", "too early to tell"),  # 89 days after the last dose
    ("2026-04-01", "less_than_expected", "usually complete by 12 months"),  # 90 days
])
def test_the_start_of_a_plateau_window(kb, day, verdict, words) -> None:
    washout = Phase(4, "washout", "2026-01-01", None)
    times = TherapyTimes(("2026-01-01T00:00",), 7.0, trt_days=200.0)
    a = judge(kb, washout, "lh", 1.0, day, 1.0, times=times)
    assert a.verdict == verdict and words.lower() in a.text.lower()


# ---------------------------------------------------------------------------------------------
# Little change expected (hematocrit on hCG), from 45 %
# ---------------------------------------------------------------------------------------------

HCT_RISE = 45.0 * real_rise("hematocrit")  # about 49.1
HCT_FALL = 45.0 * real_fall("hematocrit")  # about 41.2


@pytest.mark.parametrize(("value", "verdict"), [
    (45.0, "as_expected"),
    (HCT_RISE * IN, "as_expected"),
    (HCT_RISE * OUT, "more_than_expected"),  # a real rise where little change is expected
    (HCT_FALL * OUT, "as_expected"),
    (HCT_FALL * IN, "more_than_expected"),  # a real fall is a change too
    (38.0, "more_than_expected"),
])
def test_little_change_expected(kb: Knowledge, value: float, verdict: str) -> None:
    assert judge(kb, HCG, "hematocrit", 45.0, DAY_100, value).verdict == verdict


# ---------------------------------------------------------------------------------------------
# The sperm recovery curve, from the first missed dose (8 December 2025, midnight)
# ---------------------------------------------------------------------------------------------

RECOVERY = Phase(5, "recovery", "2026-01-01", None)
WEEKLY = TherapyTimes(("2025-12-01T00:00",), 7.0)
TWELVE_MONTHS = 12 * DAYS_PER_MONTH  # 365.3 days: the study's 90 % figure


@pytest.mark.parametrize(("day", "value", "verdict", "share", "words"), [
    ("2026-01-20", 0.5, "as_expected", 0.0, "it is early"),  # 43 days: the month-0 figure
    ("2026-12-08", 19.9, "as_expected", 67.0, "within what was seen"),  # 365 days
    ("2026-12-09", 19.9, "less_than_expected", 90.0, "nine in ten"),  # 366 days
    ("2026-12-09", 20.0, "as_expected", 90.0, "It has reached 20"),  # the threshold itself
    # 16 months (16 x 30.44 = 487.04 days) to the second: a figure counts from its own day on
    ("2027-04-09T00:57:36", 19.9, "less_than_expected", 96.0, "96 % of men by 16 months"),
    ("2027-04-09T00:57:35", 19.9, "less_than_expected", 90.0, "90 % of men by 12 months"),
    ("2027-05-01", 19.9, "less_than_expected", 96.0, "nine in ten"),
    ("2027-05-01", 20.1, "as_expected", 96.0, "It has reached 20"),
])
def test_the_recovery_curve_boundaries(kb, day, value, verdict, share, words) -> None:
    series = {"sperm_concentration": [lab(day, "sperm_concentration", value)]}
    (a,) = assess_phase(RECOVERY, kb, series, phases=[RECOVERY], times=WEEKLY, until=UNTIL)
    assert a.verdict == verdict and a.share_recovered == share
    assert words in a.text
    assert (a.days_from_anchor is not None
            and (a.days_from_anchor >= TWELVE_MONTHS) == (share >= 90.0))
