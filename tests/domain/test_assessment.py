"""Observed against expected: verdicts on the demo journal and on small hand-made journals."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from hpgjournal.domain.assessment import (
    VERDICTS,
    Assessment,
    TherapyTimes,
    assess,
    assess_phase,
    interval,
)
from hpgjournal.domain.knowledge import Knowledge, load_knowledge
from hpgjournal.domain.records import LabResult, Phase
from hpgjournal.paths import resources_dir


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(resources_dir() / "knowledge")


def lab(day: str, key: str, value: float, comparator: str = "", method: str = "",
        ref: tuple[float | None, float | None] = (None, None), rid: int | None = None) -> LabResult:
    text = f"{comparator}{value:g}"
    return LabResult(id=rid, taken_at=day, analyte=key, value=value, unit="", reported_value=text,
                     method=method, comparator=comparator, ref_low=ref[0], ref_high=ref[1])


def one(found: list[Assessment], kind: str, key: str) -> Assessment:
    (match,) = [a for a in found if a.phase_kind == kind and a.analyte == key]
    return match


# ---------------------------------------------------------------------------------------------
# The demo journal
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_verdicts(demo_template: Path) -> list[Assessment]:
    from hpgjournal.charts.data import assess_journal
    from hpgjournal.store.journal import Journal

    with Journal.open(demo_template, readonly=True) as journal:
        return assess_journal(journal)


def test_demo_lh_under_clomiphene_is_as_expected(demo_verdicts: list[Assessment]) -> None:
    lh = one(demo_verdicts, "serm_clomiphene", "lh")
    assert lh.verdict == "as expected"
    assert lh.reference_value == 0.3 and lh.observed_value == 5.8
    assert lh.text.startswith("LH rose 19-fold (0.3 to 5.8 IU/L) in 5 months of clomiphene: "
                              "as expected.")
    assert "Katz 2012" in lh.text and "only the direction is judged" in lh.text
    assert lh.expected_low is None  # one published figure: no band
    assert "katz2012" in lh.source_ids


def test_demo_estradiol_with_anastrozole_fell_more_than_expected(
        demo_verdicts: list[Assessment]) -> None:
    e2 = one(demo_verdicts, "aromatase_inhibitor", "estradiol")
    assert e2.verdict == "more than expected"
    assert e2.method == "immunoassay"  # the series that has a value from before the phase
    assert e2.reference_value == 52.4 and e2.observed_value == 27.9
    assert e2.change_percent == pytest.approx(-46.76, abs=0.01)
    # The band on day 49 (onset days 7-14, plateau days 28-90): the fastest course is complete
    # (-37 %: 52.4 x 0.63 = 33.0); the slowest runs from day 14 to day 90 and is 35/76 of the
    # way (52.4 x (1 - 0.24 x 35/76) = 46.61).
    assert e2.days_into_phase == pytest.approx(49 + 8 / 24)  # drawn at 08:00
    assert e2.expected_low == pytest.approx(52.4 * 0.63)
    assert e2.expected_high == pytest.approx(52.4 * (1 - 0.24 * 35 / 76))
    assert e2.text.startswith("Estradiol fell 47 % (52.4 to 27.9 pg/mL) in 7 weeks of the "
                              "aromatase inhibitor: more than expected.")
    assert "The source documents warn that estradiol pushed too low" in e2.text
    assert e2.confounders == ("serm_clomiphene",)
    assert "Clomiphene ran at the same time and is expected to push estradiol up" in e2.text
    assert "its study could not be traced" in e2.text  # the document's table, with its caveat


def test_demo_clomiphene_estradiol_is_judged_before_the_inhibitor(
        demo_verdicts: list[Assessment]) -> None:
    e2 = one(demo_verdicts, "serm_clomiphene", "estradiol")
    assert e2.observed_value == 52.4 and e2.verdict == "as expected"
    assert "Later results are not judged against this expectation" in e2.text


def test_demo_censored_values_are_bounds_not_zeros(demo_verdicts: list[Assessment]) -> None:
    lh = one(demo_verdicts, "trt", "lh")
    assert lh.verdict == "as expected"
    assert lh.observed_comparator == "<" and lh.observed_value == 0.2
    assert lh.change_percent is None
    assert lh.change_at_least == pytest.approx(2.8)  # from 3.0 to at most 0.2
    assert lh.change_at_most == pytest.approx(3.0)
    assert "fell by at least 93 % (3.0 to <0.2 IU/L)" in lh.text
    washout = one(demo_verdicts, "washout", "lh")
    assert washout.verdict == "not enough data" and "too early" in washout.text.lower()
    fsh = one(demo_verdicts, "washout", "fsh")
    assert fsh.verdict == "as expected" and "rose by at least 33 % (<0.3 to 0.4 IU/L)" in fsh.text


def test_demo_every_phase_is_judged_with_known_verdicts(demo_verdicts: list[Assessment]) -> None:
    assert {a.phase_kind for a in demo_verdicts} == {
        "trt", "washout", "hcg", "serm_clomiphene", "aromatase_inhibitor", "recovery"}
    assert all(a.verdict in VERDICTS and a.text for a in demo_verdicts)
    gaps = [a for a in demo_verdicts if a.tag == "GAP"]
    assert gaps and all(a.verdict == "no expectation" for a in gaps)
    recovery_sperm = one(demo_verdicts, "recovery", "sperm_concentration")
    # 17.5 million/mL about 10 months after the first missed dose (last dose + 7 days)
    assert recovery_sperm.verdict == "as expected"
    assert recovery_sperm.share_recovered == pytest.approx(82.4, abs=0.5)
    assert "first missed testosterone dose" in recovery_sperm.text


def test_si_units_in_the_text(demo_template: Path, kb: Knowledge) -> None:
    from hpgjournal.charts.data import assess_journal
    from hpgjournal.store.journal import Journal

    with Journal.open(demo_template, readonly=True) as journal:
        verdicts = assess_journal(journal, kb, system="si")
    e2 = one(verdicts, "aromatase_inhibitor", "estradiol")
    assert "(192 to 102 pmol/L)" in e2.text  # 52.4 and 27.9 pg/mL x 3.671
    t = one(verdicts, "trt", "testosterone_total")
    assert "nmol/L" in t.text and "ng/dL" not in t.text


# ---------------------------------------------------------------------------------------------
# Hand-made journals: each verdict
# ---------------------------------------------------------------------------------------------

AI = Phase(1, "aromatase_inhibitor", "2026-01-01", "2026-04-30")


def test_opposite_less_and_as_expected_against_a_band(kb: Knowledge) -> None:
    # AI estradiol: -37 to -24 %, onset 7-14, plateau 28-90. On day 90 (1 April) the band is
    # the full target: 40 x 0.63 = 25.2 to 40 x 0.76 = 30.4 (widened by 5 %: 23.94-31.92).
    def verdict(value: float) -> Assessment:
        series = {"estradiol": [lab("2025-12-30", "estradiol", 40.0),
                                lab("2026-04-01", "estradiol", value)]}
        (a,) = assess_phase(AI, kb, series)
        return a

    assert verdict(28.0).verdict == "as expected"
    assert verdict(20.0).verdict == "more than expected"
    assert verdict(35.0).verdict == "less than expected"
    assert verdict(46.0).verdict == "opposite"
    within = verdict(28.0)
    assert within.expected_low == pytest.approx(25.2) and within.expected_high == pytest.approx(30.4)
    assert within.days_into_phase == pytest.approx(90.0)


def test_direction_only_and_timing(kb: Knowledge) -> None:
    trt = Phase(2, "trt", "2026-01-01", None)
    def verdict(day: str, value: float) -> Assessment:
        series = {"estradiol": [lab("2025-12-20", "estradiol", 20.0), lab(day, "estradiol", value)]}
        (a,) = assess_phase(trt, kb, series, until=date(2026, 12, 31))
        return a

    # TRT estradiol rises, onset days 7-28, no size
    assert verdict("2026-03-01", 30.0).verdict == "as expected"
    assert verdict("2026-03-01", 15.0).verdict == "opposite"
    assert verdict("2026-01-04", 20.4).verdict == "as expected"  # day 3: not due yet
    assert verdict("2026-01-15", 20.4).verdict == "not enough data"  # day 14: may still come
    late = verdict("2026-03-01", 20.4)
    assert late.verdict == "less than expected" and "by day 28" in late.text


def test_a_censored_start_cannot_carry_a_relative_band(kb: Knowledge) -> None:
    trt = Phase(3, "trt", "2026-01-01", "2026-06-30")
    series = {"lh": [lab("2025-12-20", "lh", 0.2, "<"), lab("2026-03-01", "lh", 0.2, "<")]}
    (a,) = assess_phase(trt, kb, series)
    assert a.verdict == "less than expected"  # no clear fall after the onset window
    assert a.expected_low is None
    assert "beyond the test's limit" in a.text and "stayed below the test's limit" in a.text


def test_no_expectation_for_gonadorelin(kb: Knowledge) -> None:
    phase = Phase(4, "gonadorelin", "2026-01-01", "2026-03-01")
    series = {"lh": [lab("2025-12-20", "lh", 1.0), lab("2026-02-01", "lh", 6.0)],
              "testosterone_total": [lab("2025-12-20", "testosterone_total", 300.0),
                                     lab("2026-02-01", "testosterone_total", 500.0)]}
    found = assess_phase(phase, kb, series)
    assert [a.verdict for a in found] == ["no expectation", "no expectation"]
    assert all(a.expected_low is None for a in found)
    assert "No expectation for LH during gonadorelin" in found[0].text


def test_not_enough_data(kb: Knowledge) -> None:
    series = {"estradiol": [lab("2026-02-01", "estradiol", 30.0)]}
    (a,) = assess_phase(AI, kb, series)
    assert a.verdict == "not enough data" and "no result from before" in a.text
    (b,) = assess_phase(AI, kb, {"estradiol": [lab("2025-12-01", "estradiol", 30.0)]})
    assert b.verdict == "not enough data" and "no result during" in b.text
    assert assess_phase(AI, kb, {"psa": [lab("2026-02-01", "psa", 1.0)]}) == []


def test_the_recovery_curve_verdicts(kb: Knowledge) -> None:
    recovery = Phase(5, "recovery", "2026-01-01", None)
    times = TherapyTimes(("2025-12-01T08:00",), 7.0)  # first missed dose: 8 December

    def verdict(day: str, value: float, comparator: str = "") -> Assessment:
        series = {"sperm_concentration": [lab(day, "sperm_concentration", value, comparator)]}
        (a,) = assess_phase(recovery, kb, series, phases=[recovery], times=times,
                            until=date(2028, 1, 1))
        return a

    # 13 months after the first missed dose, 91 % of the study's men had recovered
    slow = verdict("2027-01-15", 5.0)
    assert slow.verdict == "less than expected" and slow.share_recovered == pytest.approx(91.5, abs=0.5)
    assert verdict("2026-06-01", 5.0).verdict == "as expected"  # 5.8 months: 66 %
    done = verdict("2026-06-01", 25.0)
    assert done.verdict == "as expected" and "It has reached 20" in done.text
    early = verdict("2026-01-20", 0.1, "<")
    assert early.verdict == "as expected" and "it is early" in early.text


def test_overlaps_in_assess_and_phase_order(kb: Knowledge) -> None:
    clomiphene = Phase(6, "serm_clomiphene", "2026-01-01", "2026-06-30")
    ai = Phase(7, "aromatase_inhibitor", "2026-02-01", "2026-04-30")
    series = {"estradiol": [lab("2025-12-28", "estradiol", 40.0), lab("2026-01-29", "estradiol", 55.0),
                            lab("2026-03-15", "estradiol", 25.0)]}
    found = assess([ai, clomiphene], kb, series)
    assert [a.phase_kind for a in found] == ["serm_clomiphene", "aromatase_inhibitor"]
    clom, inhibitor = found
    assert clom.observed_taken_at == "2026-01-29"  # the value before the inhibitor began
    assert inhibitor.confounders == ("serm_clomiphene",)


def test_interval() -> None:
    assert interval(lab("2026-01-01", "lh", 0.2, "<")) == (0.0, 0.2)
    assert interval(lab("2026-01-01", "lh", 45.0, ">")) == (45.0, math.inf)
    assert interval(lab("2026-01-01", "lh", 4.5)) == (4.5, 4.5)
    with pytest.raises(ValueError, match="has no number"):
        interval(LabResult(None, "2026-01-01", "lh", None, "", "TNP"))
