"""Observed against expected: verdicts on the demo journal and on small hand-made journals."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from hpgjournal.domain.assessment import (
    VERDICT_WORDS,
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
    from hpgjournal.services.chartdata import assess_journal
    from hpgjournal.store.journal import Journal

    with Journal.open(demo_template, readonly=True) as journal:
        return assess_journal(journal)


def test_demo_lh_under_clomiphene_rose_in_the_expected_direction(demo_verdicts) -> None:
    lh = one(demo_verdicts, "serm_clomiphene", "lh")
    assert lh.verdict == "in_expected_direction"  # one published figure: no band, no "as expected"
    assert lh.reference_value == 0.3 and lh.observed_value == 5.8
    assert lh.text.startswith("LH rose 19-fold (0.3 to 5.8 IU/L) in 5 months of clomiphene: "
                              "in the expected direction.")
    assert "The source documents say it rises; young hypogonadal men with measurable LH: about " \
           "+325 % on average (one figure, not a range) (Katz 2012)." in lh.text
    assert "the app's own reading" in lh.text and lh.confidence.startswith("low")
    assert lh.expected_low is None and "katz2012" in lh.source_ids
    assert [(c[0][:10], c[1], c[2]) for c in lh.compared] == [(lh.reference_taken_at[:10], 0.3, ""),
                                                              (lh.observed_taken_at[:10], 5.8, "")]


def test_demo_estradiol_with_clomiphene_and_anastrozole_is_not_judged(demo_verdicts) -> None:
    e2 = one(demo_verdicts, "aromatase_inhibitor", "estradiol")
    assert e2.verdict == "not_judged"
    assert "push estradiol different ways" in e2.reason
    assert e2.method == "immunoassay"  # the series that has a value from before the phase
    assert e2.reference_value == 52.4 and e2.observed_value == 27.9
    # The band on day 49 (onset days 7-14, plateau days 28-90) is still shown
    assert e2.expected_low == pytest.approx(52.4 * 0.63)
    assert e2.expected_high == pytest.approx(52.4 * (1 - 0.24 * 35 / 76))
    assert e2.confounders == ("serm_clomiphene",)
    assert "its study could not be traced" in e2.text  # the document's table, with its caveat


def test_demo_clomiphene_estradiol_is_judged_before_the_inhibitor(demo_verdicts) -> None:
    e2 = one(demo_verdicts, "serm_clomiphene", "estradiol")
    assert e2.observed_value == 52.4
    assert e2.verdict == "no_clear_change"  # 46.3 -> 52.4 is inside estradiol's own variation
    assert "Later results are not judged against this expectation" in e2.text


def test_demo_censored_values_are_bounds_not_zeros(demo_verdicts) -> None:
    lh = one(demo_verdicts, "trt", "lh")
    assert lh.verdict == "as_expected"
    assert lh.observed_comparator == "<" and lh.observed_value == 0.2
    assert lh.change_percent is None
    assert lh.change_at_least == pytest.approx(2.8)  # from 3.0 to at most 0.2
    assert "fell by at least 93 % (3.0 to <0.2 IU/L)" in lh.text
    washout = one(demo_verdicts, "washout", "lh")  # <0.2 -> <0.2: nothing can be seen
    assert washout.verdict == "not_judged" and "beyond the test's limit" in washout.reason
    fsh = one(demo_verdicts, "washout", "fsh")
    assert fsh.verdict == "in_expected_direction"
    assert "rose by at least 33 % (<0.3 to 0.4 IU/L)" in fsh.text


def test_demo_trt_total_t_drawn_at_the_trough_is_not_judged(demo_verdicts) -> None:
    t = one(demo_verdicts, "trt", "testosterone_total")
    assert t.verdict == "not_judged" and "near the trough" in t.reason
    assert "400 to 700 ng/dL" in t.text and "Endocrine Society 2010" in t.text


def test_demo_every_phase_is_judged_with_known_verdicts(demo_verdicts) -> None:
    assert {a.phase_kind for a in demo_verdicts} == {
        "trt", "washout", "hcg", "serm_clomiphene", "aromatase_inhibitor", "recovery"}
    assert all(a.verdict in VERDICTS and a.text for a in demo_verdicts)
    assert set(VERDICT_WORDS) == set(VERDICTS)
    gaps = [a for a in demo_verdicts if a.tag == "GAP"]
    assert gaps and all(a.verdict == "no_expectation" for a in gaps)
    for a in demo_verdicts:  # no code word reaches the text, and no empty citation
        for code in ("EXT-P", "EXT-S", "DERIVED", "GAP", " SA ", "seed", "()", "source documents: ."):
            assert code not in a.text, (a.phase_kind, a.analyte, code)
        if a.verdict in ("not_judged", "not_enough_data"):
            assert a.reason, (a.phase_kind, a.analyte)
    recovery_sperm = one(demo_verdicts, "recovery", "sperm_concentration")
    # 17.5 million/mL about 10 months after the first missed dose: the study's last figure
    # reached is 67 % by 6 months (not a share drawn between its figures)
    assert recovery_sperm.verdict == "as_expected"
    assert recovery_sperm.share_recovered == 67.0
    assert "first missed testosterone dose" in recovery_sperm.text


def test_si_units_in_the_text(demo_template: Path, kb: Knowledge) -> None:
    from hpgjournal.services.chartdata import assess_journal
    from hpgjournal.store.journal import Journal

    with Journal.open(demo_template, readonly=True) as journal:
        verdicts = assess_journal(journal, kb, system="si")
    e2 = one(verdicts, "aromatase_inhibitor", "estradiol")
    assert "(192 to 102 pmol/L)" in e2.text  # 52.4 and 27.9 pg/mL x 3.671
    t = one(verdicts, "trt", "testosterone_total")
    assert "nmol/L" in t.text and "ng/dL" not in t.text
    assert "13.9 to 24.3 nmol/L" in t.text  # the guideline's 400-700 ng/dL


# ---------------------------------------------------------------------------------------------
# Hand-made journals: each verdict
# ---------------------------------------------------------------------------------------------

AI = Phase(1, "aromatase_inhibitor", "2026-01-01", "2026-04-30")


def test_opposite_less_and_as_expected_against_a_band(kb: Knowledge) -> None:
    # AI estradiol: -37 to -24 %, onset 7-14, plateau 28-90. On day 90 (1 April) the band is
    # the full target, 40 x 0.63 = 25.2 to 40 x 0.76 = 30.4, widened by one result's own
    # variation (estradiol: +31 % / -24 %): about 19.2 to 39.8.
    def verdict(value: float) -> Assessment:
        series = {"estradiol": [lab("2025-12-30", "estradiol", 40.0),
                                lab("2026-04-01", "estradiol", value)]}
        (a,) = assess_phase(AI, kb, series)
        return a

    assert verdict(24.0).verdict == "as_expected"  # -40 %: a real fall, inside the band
    assert verdict(17.0).verdict == "more_than_expected"
    assert verdict(35.0).verdict == "less_than_expected"  # -12.5 %: no real fall, and it was due
    assert verdict(70.0).verdict == "opposite"  # +75 %: beyond estradiol's +56 % limit
    assert verdict(55.0).verdict == "less_than_expected"  # +38 %: no clear change either way
    within = verdict(24.0)
    assert within.expected_low == pytest.approx(25.2) and within.expected_high == pytest.approx(30.4)
    assert within.days_into_phase == pytest.approx(90.0)


@pytest.mark.parametrize(("value", "verdict"), [
    # TRT estradiol (a rise, no published size) from 20 pg/mL: a real rise needs more than
    # +56.1 % (31.21), a real fall more than -35.9 % (12.81); in between is no clear change
    (31.1, "no_clear_change"), (31.3, "in_expected_direction"),
    (12.9, "no_clear_change"), (12.7, "opposite"),
])
def test_the_reference_change_value_decides_what_a_change_is(kb, value, verdict) -> None:
    trt = Phase(2, "trt", "2026-01-01", None)
    series = {"estradiol": [lab("2025-12-28", "estradiol", 20.0),
                            lab("2026-01-04", "estradiol", value)]}
    (a,) = assess_phase(trt, kb, series, until=date(2026, 12, 31))
    assert a.verdict == verdict
    assert "+56 % or -36 %" in a.text  # the limits and their study, in the text
    assert "Guldhaug" in a.text


def test_small_changes_are_no_change(kb: Knowledge) -> None:
    """The review's cases: clomiphene LH +6 % and FSH -7 %, hCG total T +7 %."""
    clomiphene = Phase(3, "serm_clomiphene", "2026-01-01", None)
    hcg = Phase(4, "hcg", "2026-01-01", None)
    until = date(2026, 12, 31)
    (lh,) = assess_phase(clomiphene, kb, {"lh": [lab("2025-12-28", "lh", 3.0),
                                                 lab("2026-02-20", "lh", 3.18)]}, until=until)
    (fsh,) = assess_phase(clomiphene, kb, {"fsh": [lab("2025-12-28", "fsh", 4.0),
                                                   lab("2026-02-20", "fsh", 3.72)]}, until=until)
    (t,) = assess_phase(hcg, kb, {"testosterone_total": [
        lab("2025-12-28", "testosterone_total", 300.0),
        lab("2026-02-20", "testosterone_total", 321.0)]}, until=until)
    for a in (lh, fsh, t):
        assert a.verdict == "no_clear_change", (a.analyte, a.text)
    # the change was due, but by the app's own reading of the timing: not called "less"
    assert "the app's own reading" in lh.text


@pytest.mark.parametrize(("day", "value", "verdict", "words"), [
    # TRT hematocrit from 45 %: a rise of +3 points on average (no range), evident by 3 months
    # (published); a real change needs more than +9.0 % (49.1 %) or -8.3 % (41.3 %)
    ("2026-01-31", 45.5, "no_clear_change", "too early to tell"),  # day 30 of onset 0-90
    ("2026-04-11", 45.5, "less_than_expected", "by day 90"),  # day 100: it was due
    ("2026-04-11", 50.0, "in_expected_direction", ""),
    ("2026-04-11", 40.0, "opposite", ""),
])
def test_direction_only_and_timing(kb, day, value, verdict, words) -> None:
    trt = Phase(2, "trt", "2026-01-01", None)
    series = {"hematocrit": [lab("2025-12-20", "hematocrit", 45.0), lab(day, "hematocrit", value)]}
    (a,) = assess_phase(trt, kb, series, until=date(2026, 12, 31))
    assert a.verdict == verdict and words in a.text.lower()


def test_assumed_timing_never_makes_less_than_expected(kb: Knowledge) -> None:
    """TRT estradiol: when it rises is the app's reading, so a late flat value is no clear change."""
    trt = Phase(2, "trt", "2026-01-01", None)
    series = {"estradiol": [lab("2025-12-20", "estradiol", 20.0), lab("2026-06-01", "estradiol", 21.0)]}
    (a,) = assess_phase(trt, kb, series, until=date(2026, 12, 31))
    assert a.verdict == "no_clear_change" and "not called less" in a.text


def test_trt_total_t_is_judged_against_the_guideline_target(kb: Knowledge) -> None:
    trt = Phase(5, "trt", "2026-01-01", None)
    weekly = TherapyTimes(tuple(f"2026-{m:02d}-{d:02d}T08:00" for m in range(1, 7)
                                for d in (1, 8, 15, 22)), 7.0)

    def verdict(stamp: str, value: float, times: TherapyTimes = weekly) -> Assessment:
        series = {"testosterone_total": [lab("2025-12-20T08:00", "testosterone_total", 450.0),
                                         lab(stamp, "testosterone_total", value)]}
        (a,) = assess_phase(trt, kb, series, times=times, until=date(2026, 12, 31))
        return a

    mid = "2026-04-11T08:00"  # 3.5 days after the dose of 8 April: midway
    assert verdict(mid, 650.0).verdict == "as_expected"  # 450 -> 650 inside 400-700
    assert verdict(mid, 1100.0).verdict == "more_than_expected"
    assert verdict(mid, 280.0).verdict == "less_than_expected"
    trough = verdict("2026-04-15T07:00", 650.0)  # just before the next dose
    assert trough.verdict == "not_judged" and "trough" in trough.reason
    peak = verdict("2026-04-09T08:00", 650.0)
    assert peak.verdict == "not_judged" and "peak" in peak.reason
    gel = verdict("2026-04-15T07:00", 650.0, TherapyTimes())  # no interval regimen
    assert gel.verdict == "as_expected"


def test_hematocrit_above_54_on_trt_is_never_as_expected(kb: Knowledge) -> None:
    trt = Phase(6, "trt", "2025-01-01", None)
    series = {"hematocrit": [lab("2024-12-20", "hematocrit", 45.0),
                             lab("2025-10-01", "hematocrit", 55.0)]}
    (a,) = assess_phase(trt, kb, series, until=date(2026, 1, 1))
    assert a.verdict == "more_than_expected"
    assert "above 54 %" in a.text and "Endocrine Society's 2010" in a.text
    (b,) = assess_phase(trt, kb, {"hematocrit": [lab("2024-12-20", "hematocrit", 45.0),
                                                 lab("2025-10-01", "hematocrit", 51.0)]},
                        until=date(2026, 1, 1))
    assert b.verdict == "in_expected_direction" and "above 50 %" in b.text
    (c,) = assess_phase(trt, kb, {"hematocrit": [lab("2024-12-20", "hematocrit", 45.0),
                                                 lab("2025-10-01", "hematocrit", 53.0)]},
                        until=date(2026, 1, 1))
    assert c.verdict == "in_expected_direction" and "above 52 %" in c.text
    assert "Wheeler 2017" in c.text and "not a guideline's" in c.text


def test_washout_low_point_then_climb(kb: Knowledge) -> None:
    washout = Phase(7, "washout", "2026-01-01", None)
    times = TherapyTimes(("2025-12-25T08:00",), 7.0)
    before = lab("2025-12-24", "testosterone_total", 700.0)

    def verdict(*inside: LabResult) -> Assessment:
        (a,) = assess_phase(washout, kb, {"testosterone_total": [before, *inside]},
                            phases=[washout], times=times, until=date(2026, 12, 31))
        return a

    low = lab("2026-01-20", "testosterone_total", 150.0)
    fell = verdict(low)
    assert fell.verdict == "in_expected_direction" and "low point comes first" in fell.text
    climbed = verdict(low, lab("2026-04-01", "testosterone_total", 420.0))
    assert climbed.verdict == "in_expected_direction" and "climbed from its low of 150" in climbed.text
    unseen = verdict(lab("2026-04-01", "testosterone_total", 1200.0))
    assert unseen.verdict == "not_judged" and "low point" in unseen.reason


def test_clomiphene_and_anastrozole_started_together(kb: Knowledge) -> None:
    clomiphene = Phase(8, "serm_clomiphene", "2026-01-01", "2026-06-30")
    ai = Phase(9, "aromatase_inhibitor", "2026-01-01", "2026-06-30")
    series = {"estradiol": [lab("2025-12-28", "estradiol", 40.0), lab("2026-03-01", "estradiol", 22.0)]}
    found = assess([clomiphene, ai], kb, series)
    assert {a.phase_kind: a.verdict for a in found} == {"serm_clomiphene": "not_judged",
                                                        "aromatase_inhibitor": "not_judged"}
    assert all("different ways" in a.reason for a in found)


def test_a_censored_pair_is_not_judged(kb: Knowledge) -> None:
    trt = Phase(3, "trt", "2026-01-01", "2026-06-30")
    series = {"lh": [lab("2025-12-20", "lh", 0.5, "<"), lab("2026-03-01", "lh", 0.5, "<")]}
    (a,) = assess_phase(trt, kb, series)
    assert a.verdict == "not_judged" and "beyond the test's limit" in a.reason
    assert "stayed below the test's limit" in a.text
    hcg = Phase(4, "hcg", "2026-01-01", None)  # hCG: LH is expected to stay suppressed
    (b,) = assess_phase(hcg, kb, {"lh": [lab("2025-12-20", "lh", 0.5, "<"),
                                         lab("2026-03-01", "lh", 0.5, "<")]})
    assert b.verdict == "as_expected"


def test_no_expectation_for_gonadorelin(kb: Knowledge) -> None:
    phase = Phase(4, "gonadorelin", "2026-01-01", "2026-03-01")
    series = {"lh": [lab("2025-12-20", "lh", 1.0), lab("2026-02-01", "lh", 6.0)],
              "testosterone_total": [lab("2025-12-20", "testosterone_total", 300.0),
                                     lab("2026-02-01", "testosterone_total", 500.0)]}
    found = assess_phase(phase, kb, series)
    assert [a.verdict for a in found] == ["no_expectation", "no_expectation"]
    assert all(a.expected_low is None for a in found)
    assert "No expectation for LH during gonadorelin" in found[0].text


def test_not_enough_data(kb: Knowledge) -> None:
    series = {"estradiol": [lab("2026-02-01", "estradiol", 30.0)]}
    (a,) = assess_phase(AI, kb, series)
    assert a.verdict == "not_enough_data" and "from before" in a.reason
    (b,) = assess_phase(AI, kb, {"estradiol": [lab("2025-12-01", "estradiol", 30.0)]})
    assert b.verdict == "not_enough_data" and "no result" in b.reason
    assert assess_phase(AI, kb, {"psa": [lab("2026-02-01", "psa", 1.0)]}) == []


@pytest.mark.parametrize(("day", "value", "verdict", "share"), [
    ("2026-12-07", 5.0, "as_expected", 67.0),   # 11.9 months: the study's 6-month figure
    ("2026-12-09", 5.0, "less_than_expected", 90.0),  # 12.0 months: 90 % had recovered
    ("2027-01-15", 0.0, "less_than_expected", 90.0),  # azoospermia at 13 months
    ("2026-06-01", 25.0, "as_expected", 50.0),
    ("2026-01-20", 0.1, "as_expected", 0.0),
])
def test_the_recovery_curve_is_read_at_the_study_figures(kb, day, value, verdict, share) -> None:
    recovery = Phase(5, "recovery", "2026-01-01", None)
    times = TherapyTimes(("2025-12-01T08:00",), 7.0)  # first missed dose: 8 December
    comparator = "<" if value == 0.1 else ""
    series = {"sperm_concentration": [lab(day, "sperm_concentration", value, comparator)]}
    (a,) = assess_phase(recovery, kb, series, phases=[recovery], times=times,
                        until=date(2028, 1, 1))
    assert a.verdict == verdict and a.share_recovered == share
    assert "nothing between them was measured" in a.text


@pytest.mark.parametrize(("day", "words"), [
    # a month after the first missed dose: before the study's first figure (50 % by 3.4 months)
    ("2026-01-10", "earlier than the study's first figure, 50 % of men by 3.4 months"),
    ("2026-06-01", "the study reported 50 % of men by 3.4 months"),
])
def test_a_recovery_before_the_first_figure_is_said_to_be_early(kb, day, words) -> None:
    recovery = Phase(5, "recovery", "2025-12-09", None)
    times = TherapyTimes(("2025-12-01T08:00",), 7.0)  # first missed dose: 8 December
    series = {"sperm_concentration": [lab(day, "sperm_concentration", 25.0)]}
    (a,) = assess_phase(recovery, kb, series, phases=[recovery], times=times,
                        until=date(2028, 1, 1))
    assert a.verdict == "as_expected"
    assert words in a.text and "0 % of men by 0 months" not in a.text


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
    assert inhibitor.verdict == "not_judged"


def test_interval() -> None:
    assert interval(lab("2026-01-01", "lh", 0.2, "<")) == (0.0, 0.2)
    assert interval(lab("2026-01-01", "lh", 45.0, ">")) == (45.0, math.inf)
    assert interval(lab("2026-01-01", "lh", 4.5)) == (4.5, 4.5)
    with pytest.raises(ValueError, match="has no number"):
        interval(LabResult(None, "2026-01-01", "lh", None, "", "TNP"))


@pytest.mark.parametrize(("times", "verdict", "words"), [
    (TherapyTimes(("2024-06-24T08:00",), 7.0, trt_days=200.0), "less_than_expected", ""),
    (TherapyTimes(("2024-06-24T08:00",), 7.0, trt_days=900.0), "no_clear_change",
     "2.5 years of testosterone"),
    (TherapyTimes(("2024-06-24T08:00",), 70.0, long_acting=True, trt_days=200.0),
     "no_clear_change", "long-acting testosterone"),
])
def test_recovery_windows_follow_the_preparation_and_the_years_of_use(kb, times, verdict, words):
    """FSH in a washout: back by 6 to 19 months (published). 20 months on with no clear rise is
    less than expected only after short use of a short-acting preparation."""
    washout = Phase(8, "washout", "2024-07-01", None)
    series = {"fsh": [lab("2024-06-28", "fsh", 1.0), lab("2026-02-20", "fsh", 1.1)]}
    (a,) = assess_phase(washout, kb, series, phases=[washout], times=times,
                        until=date(2026, 12, 31))
    assert a.verdict == verdict and words in a.text
