"""Which phases share days, for how long, and which overlaps cannot both be true."""

from __future__ import annotations

from datetime import date

from hpgjournal.domain.phases import new_overlaps, overlaps
from hpgjournal.domain.records import Phase

TODAY = date(2026, 6, 1)


def test_days_shared_are_counted_inclusively_and_an_open_end_runs_to_today():
    trt = Phase(1, "trt", "2026-01-01", None)
    hcg = Phase(2, "hcg", "2026-05-20", "2026-07-01")
    found = overlaps(trt, [trt, hcg], TODAY)
    assert [(o.other_kind, o.first, o.last, o.days) for o in found] == [
        ("hcg", "2026-05-20", "2026-06-01", 13)]
    assert not found[0].contradicts  # hCG on TRT is a regimen men are on
    assert "both phases' expected responses apply" in found[0].sentence("trt")


def test_phases_that_touch_without_sharing_a_day_do_not_overlap():
    trt = Phase(1, "trt", "2026-01-01", "2026-02-28")
    washout = Phase(2, "washout", "2026-03-01", "2026-04-01")
    assert overlaps(trt, [washout], TODAY) == []
    one_day = Phase(3, "washout", "2026-02-28", "2026-04-01")
    [shared] = overlaps(trt, [one_day], TODAY)
    assert shared.days == 1 and shared.contradicts
    assert shared.sentence("trt") == (
        "TRT would share 2026-02-28 to 2026-02-28 (1 day) with Washout: washout means no "
        "therapy drug is taken, so both cannot be true")


def test_a_drug_free_phase_contradicts_every_drug_phase_but_drug_phases_may_overlap():
    for free in ("baseline", "washout", "recovery"):
        for drug in ("trt", "hcg", "serm_clomiphene", "aromatase_inhibitor", "gonadorelin"):
            a = Phase(1, free, "2026-01-01", "2026-02-01")
            b = Phase(2, drug, "2026-01-15", "2026-03-01")
            assert overlaps(a, [b], TODAY)[0].contradicts, (free, drug)
            assert overlaps(b, [a], TODAY)[0].contradicts, (drug, free)
    hcg = Phase(1, "hcg", "2026-01-01", "2026-02-01")
    clomiphene = Phase(2, "serm_clomiphene", "2026-01-15", "2026-03-01")
    assert not overlaps(hcg, [clomiphene], TODAY)[0].contradicts


def test_only_overlaps_a_change_makes_new_or_longer_are_reported():
    trt = Phase(1, "trt", "2026-01-01", "2026-03-01")
    hcg = Phase(2, "hcg", "2026-02-20", "2026-04-01")
    moved = Phase(1, "trt", "2026-01-10", "2026-03-10")
    [longer] = new_overlaps(trt, moved, [hcg], TODAY)
    assert longer.days == 19  # 2026-02-20 to 2026-03-10, was 10 days
    shorter = Phase(1, "trt", "2026-01-01", "2026-02-25")
    assert new_overlaps(trt, shorter, [hcg], TODAY) == []
