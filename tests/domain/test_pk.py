"""The pharmacokinetic model of issue 18: published figures, the fit to his draws, the screens'
questions, properties and speed. Figures and their sources: verdicts_pk.md sections 3.1 and 4."""

from __future__ import annotations

import math
import random
import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpgjournal.domain import pk
from hpgjournal.domain.pk.fit import CENSORED, COMPARED, FAR, NO_DOSE, USED
from hpgjournal.domain.pk.model import fast_rate, sample
from hpgjournal.domain.pk.preparations import STRENGTH
from hpgjournal.domain.records import Dose, LabResult, Medication

START = datetime(2025, 1, 6, 8, 0)
HOUR = 1 / 24
PROPERTY = settings(max_examples=40, deadline=None)


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def regimen(drug: str, mg: float, every_days: float, count: int, start: datetime = START
            ) -> list[Dose]:
    return [Dose(i + 1, stamp(start + timedelta(days=every_days * i)), drug, mg, "mg")
            for i in range(count)]


def published(doses: list[Dose], **changes) -> pk.Model:
    return replace(pk.fit_levels(doses).model, **changes)


def hourly(model: pk.Model, first: datetime, days: float) -> list[float]:
    return sample(model, pk.day_number(first), HOUR, round(days * 24))


def steady_interval(drug: str, mg: float, every: float, count: int, **changes
                    ) -> tuple[float, float, float, float]:
    """(peak/trough, peak/average, trough/average, hours from the dose to the peak) over the
    last interval of a long regimen, with an hourly grid."""
    doses = regimen(drug, mg, every, count)
    levels = hourly(published(doses, **changes), START + timedelta(days=every * (count - 2)),
                    every)
    average = sum(levels) / len(levels)
    peak, trough = max(levels), min(levels)
    return peak / trough, peak / average, trough / average, float(levels.index(peak))


# ---- the preparations and their figures ---------------------------------------------------

def test_every_figure_has_a_range_around_it_a_source_and_a_strength_in_words():
    for preparation in pk.PREPARATIONS.values():
        assert preparation.figures()
        for name, figure in preparation.figures():
            assert figure.low <= figure.value <= figure.high, (preparation.key, name)
            assert figure.source and figure.tag in STRENGTH, (preparation.key, name)
            assert figure.strength == STRENGTH[figure.tag]
            assert figure.cites or figure.source == "testosterone itself (no ester)", (
                preparation.key, name)
        if preparation.kind == "depot":
            assert preparation.half_life_days and preparation.tmax_days
        else:
            assert preparation.cover_days
    assert pk.SCALE.low <= pk.SCALE.value <= pk.SCALE.high and pk.SCALE.tag == "DERIVED"


@pytest.mark.parametrize("drug, route, key", [
    ("Testosterone cypionate", "", "cypionate"), ("testosterone  CYPIONATE ", "im", "cypionate"),
    ("Testosterone enanthate", "subq", "enanthate"), ("Xyosted", "", "enanthate"),
    ("Testosterone propionate", "", "propionate"),
    ("Testosterone undecanoate", "im", "undecanoate_im"),
    ("Testosterone undecanoate", "", "undecanoate_im"), ("Nebido", "", "undecanoate_im"),
    ("Testosterone undecanoate", "oral", "undecanoate_oral"), ("Jatenzo", "", "undecanoate_oral"),
    ("Testosterone gel", "transdermal", "gel"), ("AndroGel", "", "gel"),
    ("Testosterone pellets", "", "pellets"),
])
def test_a_dose_name_maps_to_its_preparation(drug, route, key):
    preparation = pk.preparation_for(drug, route)
    assert preparation is not None and preparation.key == key


@pytest.mark.parametrize("drug", ["hCG", "Clomiphene", "Anastrozole", "Testosterone cream",
                                  "Testosterone", "cypionate", "Sustanon", "Trenbolone", ""])
def test_no_model_for_a_drug_it_does_not_know_and_no_guess_from_part_of_a_name(drug):
    assert pk.preparation_for(drug) is None


def test_the_dose_records_the_model_cannot_use_are_handed_back():
    doses = [Dose(1, "2025-01-06T08:00", "Testosterone cypionate", 100, "mg"),
             Dose(2, "2025-01-06T08:00", "hCG", 500, "IU"),
             Dose(3, "2025-01-07T08:00", "Testosterone cypionate", None, "mg"),
             Dose(4, "2025-01-08T08:00", "Testosterone cypionate", 0.5, "mL"),
             Dose(5, "2025-01-09T08:00", "Testosterone undecanoate", 40, "mg", medication_id=7)]
    oral = Medication(7, "Testosterone undecanoate", "2025-01-01", "testosterone", "oral")
    used, left = pk.model_doses(doses, [oral])
    assert [d.dose.id for d in used if d.dose] == [1, 5] and [d.id for d in left] == [2, 3, 4]
    assert used[0].mg == pytest.approx(69.9) and used[0].preparation == "cypionate"
    assert used[1].mg == pytest.approx(25.26) and used[1].preparation == "undecanoate_oral"


def test_only_hcg_logged_gives_no_curve_and_says_so():
    fit = pk.fit_levels(regimen("hCG", 500, 3.5, 10), [pk.Draw("2025-01-20T08:00", 500)])
    assert not fit.fitted and fit.model.doses == () and len(fit.unmodelled) == 10
    assert "No logged testosterone dose" in fit.note and fit.band == ()
    assert fit.draws[0].status == NO_DOSE
    assert set(pk.curve(fit, "2025-01-06", "2025-01-20").central) == {0.0}
    assert pk.washout(fit) is None and pk.interval_position(fit, "2025-01-20T08:00") is None


# ---- the Bateman arithmetic -----------------------------------------------------------------

@pytest.mark.parametrize("tmax, half_life", [(2.0, 8.0), (1.5, 4.5), (7.0, 33.9), (0.5, 0.8),
                                             (5.0, 4.5)])
def test_the_fast_rate_puts_a_single_dose_peak_at_the_time_to_peak(tmax, half_life):
    ke = math.log(2) / half_life
    ka = fast_rate(tmax, ke)
    assert ka > ke
    assert math.log(ka / ke) / (ka - ke) == pytest.approx(tmax, rel=1e-9)


def test_a_single_dose_gives_its_area_whatever_its_rates():
    # the area of a dose is scale × mg of testosterone: 84 × 69.9 ng/dL·day for 100 mg of TC
    for half_life in (4.5, 8.0):
        model = published(regimen("Testosterone cypionate", 100, 7, 1),
                          half_life={"cypionate": half_life})
        area = sum(sample(model, pk.day_number(START), 0.01, 30000)) * 0.01
        assert area == pytest.approx(84 * 69.9, rel=2e-3)


@pytest.mark.parametrize("drug, mg, every, half_life, tmax, expected", [
    # verdicts_pk.md 4.3 (the research notes' own arithmetic, [DERIVED]): steady-state
    # peak/trough, peak/average, trough/average, given to two decimals
    ("Testosterone cypionate", 100, 7, 8.0, 2.0, (1.5, 1.18, 0.77)),
    ("Testosterone cypionate", 200, 14, 8.0, 2.0, (2.7, 1.49, 0.55)),
    ("Testosterone enanthate", 100, 7, 4.5, 1.5, (2.2, 1.35, 0.61)),
    ("Testosterone enanthate", 200, 14, 4.5, 1.5, (6.3, 1.97, 0.31)),
    ("Testosterone enanthate", 50, 3.5, 4.5, 1.5, (1.35, 1.12, 0.83)),
    ("Testosterone undecanoate", 1000, 70, 33.9, 7.0, (3.5, 1.66, 0.47)),
    ("Testosterone undecanoate", 1000, 84, 33.9, 7.0, (4.7, 1.83, 0.39)),
    ("Testosterone propionate", 50, 2, 0.8, 0.5, (3.0, 1.45, 0.48)),
])
def test_the_research_notes_table_of_swings_is_reproduced(drug, mg, every, half_life, tmax,
                                                           expected):
    key = pk.preparation_for(drug).key
    ratio, peak, trough, _ = steady_interval(drug, mg, every, 60,
                                             half_life={key: half_life}, tmax={key: tmax})
    assert ratio == pytest.approx(expected[0], rel=0.04)
    assert peak == pytest.approx(expected[1], abs=0.02)
    assert trough == pytest.approx(expected[2], abs=0.02)


# ---- against the published figures ---------------------------------------------------------

def test_cypionate_200_mg_once_nankin_1987():
    """Nankin 1987 (11 men, 200 mg TC): peak on day 2-5, back to basal by day 13-14."""
    model = published(regimen("Testosterone cypionate", 200, 7, 1))
    levels = hourly(model, START, 30)
    peak = max(levels)
    assert 2.0 <= levels.index(peak) / 24 <= 5.0
    # the model's tail is slower than Nankin's men: a fifth of the peak is left on day 14 with
    # the central 4.5 d, and more than a third with the label's 8 d (why 4.5 d is central)
    assert levels[14 * 24] / peak == pytest.approx(0.18, abs=0.01)
    slow = hourly(replace(model, half_life={"cypionate": 8.0}), START, 30)
    assert slow[14 * 24] / max(slow) == pytest.approx(0.375, abs=0.01)


def test_enanthate_100_mg_weekly_peaks_a_day_or_two_after_the_injection_snyder_1980():
    ratio, _, _, peak_hour = steady_interval("Testosterone enanthate", 100, 7, 30)
    assert 24 <= peak_hour <= 48
    assert ratio == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize("mg, average", [(50, 422), (100, 896)])
def test_subcutaneous_enanthate_weekly_average_kaminetsky_2015(mg, average):
    """Week-6 mean steady-state T 422 and 896 ng/dL on 50 and 100 mg weekly: the scale comes
    from the Aveed label, so this is an independent check (within 5 %)."""
    doses = regimen("Testosterone enanthate", mg, 7, 6)
    levels = hourly(published(doses), START + timedelta(days=35), 7)
    assert sum(levels) / len(levels) == pytest.approx(average, rel=0.05)


def test_undecanoate_750_mg_aveed_average_gives_the_scale():
    """0, 4 weeks, then every 10 weeks: the steady average is the label's 568 ng/dL."""
    days = [0, 28] + [28 + 70 * k for k in range(1, 10)]
    doses = [Dose(i, stamp(START + timedelta(days=d)), "Aveed", 750, "mg")
             for i, d in enumerate(days)]
    levels = hourly(published(doses), START + timedelta(days=days[-2]), 70)
    assert sum(levels) / len(levels) == pytest.approx(568, rel=0.01)


def test_undecanoate_1000_mg_nebido_smpc():
    """Nebido SmPC: Cmax about 7 days after the first injection; at 10-week intervals a steady
    state between the 3rd and 5th injection with Cmax about 37 and Cmin about 16 nmol/L."""
    days = [0, 42] + [42 + 70 * k for k in range(1, 8)]
    doses = [Dose(i, stamp(START + timedelta(days=d)), "Nebido", 1000, "mg")
             for i, d in enumerate(days)]
    model = published(doses)
    levels = hourly(model, START, days[-1] + 70)
    first = levels[: 42 * 24]
    assert first.index(max(first)) / 24 == pytest.approx(7.0, abs=0.05)
    troughs = [levels[days[k + 1] * 24 - 1] for k in range(len(days) - 1)]
    assert troughs[2] == pytest.approx(troughs[-1], rel=0.03)  # the 3rd interval is steady
    # the single-dose 33.9 d overstates the swing (3.5 against the SmPC's 37/16 = 2.3); the
    # upper end of the range reproduces it, so the published figure lies inside the band
    ratio = {h: steady_interval("Nebido", 1000, 70, 20, half_life={"undecanoate_im": h})[0]
             for h in (29.0, 33.9, 52.0)}
    assert ratio[33.9] == pytest.approx(3.51, abs=0.03)
    assert ratio[52.0] <= 37 / 16 <= ratio[29.0]
    assert ratio[52.0] == pytest.approx(2.29, abs=0.03)


@pytest.mark.parametrize("mg, level", [(50, 420), (100, 840)])
def test_gel_daily_is_flat_and_within_the_label_target(mg, level):
    """1 % gel, about 10 % absorbed: 50 and 100 mg a day, aimed at 298-1043 ng/dL."""
    levels = hourly(published(regimen("Testosterone gel", mg, 1, 30)), START + timedelta(days=10),
                    10)
    assert min(levels) == pytest.approx(level, rel=1e-9) == max(levels)
    assert 298 <= level <= 1043


def test_steady_state_is_90_percent_reached_after_3_3_half_lives():
    """verdicts_pk 4.2: about 15 days for enanthate at t½ 4.5 d (weekly troughs)."""
    doses = regimen("Testosterone enanthate", 100, 7, 20)
    levels = hourly(published(doses), START, 140)
    troughs = [levels[7 * 24 * k - 1] for k in range(1, 20)]
    assert troughs[1] / troughs[-1] < 0.9 < troughs[2] / troughs[-1]  # day 14 < 90 % < day 21


# ---- properties --------------------------------------------------------------------------

DRUGS = st.sampled_from(["Testosterone cypionate", "Testosterone enanthate",
                         "Testosterone propionate", "Nebido", "Testosterone gel",
                         "Testosterone pellets", "Jatenzo"])
DOSES = st.lists(st.tuples(DRUGS, st.floats(1, 1000), st.floats(0, 200)), min_size=1, max_size=12)


def _doses(spec) -> list[Dose]:
    return [Dose(i, stamp(START + timedelta(days=round(day, 3))), drug, mg, "mg")
            for i, (drug, mg, day) in enumerate(spec)]


@PROPERTY
@given(DOSES, st.floats(0.5, 20), st.lists(st.floats(-10, 400), min_size=1, max_size=8))
def test_linear_in_dose(spec, factor, days):
    once = published(_doses(spec))
    scaled = published(_doses([(d, mg * factor, t) for d, mg, t in spec]))
    for day in days:
        moment = START + timedelta(days=day)
        assert pk.exogenous_at(scaled, moment) == pytest.approx(
            factor * pk.exogenous_at(once, moment), rel=1e-9, abs=1e-9)


@PROPERTY
@given(DOSES, DOSES, st.lists(st.floats(-10, 400), min_size=1, max_size=8))
def test_superposition_is_the_sum_of_the_doses(first, second, days):
    both = published(_doses(first + second))
    alone = [published(_doses(first)), published(_doses(second))]
    for day in days:
        moment = START + timedelta(days=day)
        parts = sum(pk.exogenous_at(m, moment) for m in alone)
        assert pk.exogenous_at(both, moment) == pytest.approx(parts, rel=1e-9, abs=1e-9)


def test_superposition_of_single_doses_on_the_grid_too():
    doses = regimen("Testosterone cypionate", 100, 7, 12)
    together = hourly(published(doses), START, 100)
    singles = [hourly(published([dose]), START, 100) for dose in doses]
    for j in range(0, len(together), 7):
        assert together[j] == pytest.approx(sum(s[j] for s in singles), rel=1e-9, abs=1e-9)


@PROPERTY
@given(DOSES, st.floats(-500, 900), st.lists(st.floats(-2, 2), max_size=4))
def test_no_level_is_ever_negative(spec, baseline, fractions):
    own = pk.OwnProduction(baseline, tuple(
        (stamp(START + timedelta(days=30 * i)), f) for i, f in enumerate(fractions)))
    model = published(_doses(spec), own=own)
    grid = sample(model, pk.day_number(START) - 5, 0.37, 800)
    assert min(grid) >= 0.0
    assert min(pk.level_at(model, START + timedelta(days=d)) for d in range(-5, 300, 7)) >= 0.0


@PROPERTY
@given(DOSES, st.lists(st.floats(0, 300), min_size=3, max_size=6), st.floats(0.3, 3))
def test_the_band_contains_the_central_curve(spec, draw_days, factor):
    doses = _doses(spec)
    model = published(doses)
    draws = [pk.Draw(stamp(START + timedelta(days=d)),
                     max(1.0, factor * pk.level_at(model, START + timedelta(days=d))))
             for d in draw_days]
    for fit in (pk.fit_levels(doses), pk.fit_levels(doses, draws)):
        curve = pk.curve(fit, START - timedelta(days=1), START + timedelta(days=320), 0.25)
        assert all(lo <= c <= hi for lo, c, hi in zip(curve.low, curve.central, curve.high,
                                                      strict=True))


def test_the_band_is_wider_than_the_curve_where_the_ranges_matter():
    fit = pk.fit_levels(regimen("Testosterone cypionate", 100, 7, 20))
    curve = pk.curve(fit, START + timedelta(days=120), START + timedelta(days=127))
    assert len(fit.band) == 8  # half-life × time to peak × scale-and-absorption, at their ends
    # at steady state on 100 mg weekly: the band runs from about 590 to 1390 ng/dL over the week
    assert min(h - c for h, c in zip(curve.high, curve.central, strict=True)) > 80
    assert min(c - lo for lo, c in zip(curve.low, curve.central, strict=True)) > 80


def test_the_grid_and_the_single_time_agree():
    model = published(regimen("Testosterone cypionate", 100, 7, 60)
                      + regimen("Testosterone gel", 50, 1, 30, START + timedelta(days=400)))
    first = START + timedelta(days=3, hours=5)
    grid = hourly(model, first, 480)
    for j in range(0, len(grid), 97):
        alone = pk.level_at(model, first + timedelta(hours=j))
        # the single time leaves out doses below a millionth of their peak (about 1300 ng/dL
        # here): together they add less than 0.01 ng/dL
        assert grid[j] == pytest.approx(alone, abs=0.01)


# ---- his own production ------------------------------------------------------------------

def test_own_production_is_added_and_follows_the_callers_curve():
    own = pk.own_production(500, "2025-01-06T08:00", "2025-07-06T08:00")
    model = published(regimen("Testosterone cypionate", 100, 7, 26), own=own)
    assert pk.level_at(model, "2025-01-06T07:00") == pytest.approx(500)  # before TRT
    day = "2025-01-16T20:00"  # half-way down the three weeks of suppression
    assert pk.level_at(model, day) - pk.exogenous_at(model, day) == pytest.approx(250, rel=1e-3)
    assert pk.level_at(model, "2025-03-01T08:00") == pytest.approx(
        pk.exogenous_at(model, "2025-03-01T08:00"))
    assert pk.level_at(model, "2026-04-02T08:00") == pytest.approx(500, rel=1e-3)  # 270 d later
    assert own.fraction_at(pk.day_number("2025-10-04T08:00")) == pytest.approx(90 / 270, rel=1e-3)


def test_a_partial_suppression_and_an_early_stop():
    own = pk.own_production(400, "2025-01-01", "2025-01-08", residual=0.5)
    # stopped a third of the way down: 1 - 0.5 × 7/21 of the baseline, then back in
    # 270 × (1 - 0.833)/(1 - 0.5) days
    assert own.fraction_at(pk.day_number("2025-01-08")) == pytest.approx(1 - 0.5 / 3)
    assert own.fraction_at(pk.day_number("2025-04-08")) == pytest.approx(1.0)


# ---- the fit -----------------------------------------------------------------------------

TRUE_SCALE, TRUE_HALF_LIFE = 70.0, 6.5
OFFSETS = [0.9, 3.0, 5.5, 6.9, 1.5, 4.2, 6.0, 2.2]


def synthetic(noise: float, own: pk.OwnProduction | None = None, offsets=OFFSETS
              ) -> tuple[list[Dose], list[pk.Draw]]:
    doses = regimen("Testosterone cypionate", 120, 7, 40)
    truth = published(doses, scale=TRUE_SCALE, half_life={"cypionate": TRUE_HALF_LIFE}, own=own)
    rng = random.Random(18)
    draws = []
    for k, offset in enumerate(offsets):
        when = START + timedelta(days=7 * (10 + 3 * k) + offset)
        value = pk.level_at(truth, when) * (1 + rng.gauss(0, noise))
        draws.append(pk.Draw(stamp(when), value))
    return doses, draws


def test_the_fit_recovers_a_known_scale_and_half_life_from_noisy_draws():
    doses, draws = synthetic(noise=0.05)
    fit = pk.fit_levels(doses, draws)
    assert fit.fitted and fit.note == ""
    assert fit.model.scale == pytest.approx(TRUE_SCALE, rel=0.05)
    key, half_life = fit.half_life_fitted
    assert key == "cypionate" and half_life == pytest.approx(TRUE_HALF_LIFE, abs=0.6)
    assert fit.r_squared > 0.9 and fit.median_abs_percent < 6
    assert [d.status for d in fit.draws] == [USED] * 8
    assert all(abs(d.percent) < 15 for d in fit.draws)


def test_without_noise_the_recovery_is_exact():
    doses, draws = synthetic(noise=0.0)
    fit = pk.fit_levels(doses, draws)
    assert fit.model.scale == pytest.approx(TRUE_SCALE, rel=1e-6)
    assert fit.half_life_fitted[1] == pytest.approx(TRUE_HALF_LIFE, rel=1e-6)
    assert fit.r_squared == pytest.approx(1.0) and fit.median_abs_percent < 1e-4


def test_three_draws_fit_the_scale_alone_in_closed_form():
    doses, draws = synthetic(noise=0.0)
    truth = published(doses, scale=TRUE_SCALE)  # the published half-life this time
    draws = [pk.Draw(d.taken_at, pk.level_at(truth, d.taken_at)) for d in draws[:3]]
    fit = pk.fit_levels(doses, draws)
    assert fit.fitted and fit.half_life_fitted is None
    assert fit.model.scale == pytest.approx(TRUE_SCALE, rel=1e-9)
    assert fit.model.half_life == {}


def test_the_fit_leaves_his_own_production_out_of_the_scale():
    own = pk.OwnProduction(150.0)  # a man whose own production is not fully suppressed
    doses, draws = synthetic(noise=0.0, own=own)
    fit = pk.fit_levels(doses, draws, own=own)
    assert fit.model.scale == pytest.approx(TRUE_SCALE, rel=1e-6)
    assert pk.level_at(fit.model, draws[0].taken_at) == pytest.approx(draws[0].value, rel=1e-6)


def test_censored_and_far_draws_are_marked_not_dropped():
    doses, draws = synthetic(noise=0.05)
    clean = pk.fit_levels(doses, draws)
    outlier = pk.Draw(stamp(START + timedelta(days=7 * 35 + 3)), 3000.0)
    below = pk.Draw(stamp(START + timedelta(days=7 * 36 + 6)), 400.0, "<")
    above = pk.Draw(stamp(START + timedelta(days=7 * 37 + 1)), 200.0, ">")
    fit = pk.fit_levels(doses, [*draws, outlier, below, above])
    assert len(fit.draws) == 11
    statuses = {d.draw: d.status for d in fit.draws}
    assert statuses[outlier] == FAR and statuses[below] == statuses[above] == CENSORED
    assert sum(1 for s in statuses.values() if s == USED) == 8
    # the far draw and the limits do not move the fit
    assert fit.model.scale == pytest.approx(clean.model.scale, rel=1e-12)
    far = next(d for d in fit.draws if d.draw == outlier)
    assert far.z > 2.5 and far.percent > 200 and "left out of the fit" in far.words()
    assert all(abs(d.z) < 2.5 for d in fit.draws if d.status == USED)
    words = {d.draw: d.words() for d in fit.draws}
    assert "does not agree" in words[below] and "which agrees" in words[above]
    assert next(d for d in fit.draws if d.draw == below).residual is None


def test_a_draw_the_doses_barely_reach_is_neither_fitted_nor_judged():
    """Months into a washout (or before the first dose) a level is his own production or a
    dose not logged: the doses give under a tenth of it, so it is not used and not 'far'."""
    doses, draws = synthetic(noise=0.05)
    clean = pk.fit_levels(doses, draws)
    late = pk.Draw(stamp(START + timedelta(days=7 * 39 + 60)), 600.0)  # 2 months after the last
    fit = pk.fit_levels(doses, [*draws, late])
    found = next(d for d in fit.draws if d.draw == late)
    assert found.status == NO_DOSE and found.z is None and found.predicted < 60
    assert "says little about them" in found.words() and "%" not in found.words()
    assert fit.model.scale == pytest.approx(clean.model.scale, rel=1e-12)


def test_a_fitted_band_keeps_his_scale_and_so_his_average():
    doses, draws = synthetic(noise=0.05)
    fit = pk.fit_levels(doses, draws)
    assert len(fit.band) == 4 and {m.scale for m in fit.band} == {fit.model.scale}
    week = START + timedelta(days=7 * 30)
    central = hourly(fit.model, week, 7)
    for corner in fit.band:
        levels = hourly(corner, week, 7)
        assert sum(levels) / len(levels) == pytest.approx(sum(central) / len(central), rel=0.01)
    assert sum(1 for d in fit.draws if d.in_band) >= 6  # of 8 draws with 5 % noise


def test_a_far_draw_is_left_out_only_when_three_usable_draws_remain():
    doses, draws = synthetic(noise=0.02, offsets=OFFSETS[:3])
    outlier = pk.Draw(stamp(START + timedelta(days=7 * 35 + 3)), 3000.0)
    fit = pk.fit_levels(doses, [*draws, outlier])
    # four usable draws: the far one is judged and three remain for the fit
    assert [d.status for d in fit.draws].count(FAR) == 1
    fit = pk.fit_levels(doses, [draws[0], draws[1], outlier])
    assert [d.status for d in fit.draws] == [USED] * 3  # three draws: no judging of outliers


def test_fewer_than_three_usable_draws_is_unfitted_and_says_so():
    doses, draws = synthetic(noise=0.05)
    censored = pk.Draw(stamp(START + timedelta(days=100)), 300.0, "<")
    before = pk.Draw(stamp(START - timedelta(days=3)), 250.0)  # before any dose
    fit = pk.fit_levels(doses, [draws[0], draws[1], censored, before])
    assert not fit.fitted and fit.half_life_fitted is None and fit.usable == 2
    assert "2 usable draws" in fit.note and "published averages alone" in fit.note
    assert fit.model.scale == pk.SCALE.value and fit.r_squared is None
    assert [d.status for d in fit.draws] == [NO_DOSE, COMPARED, COMPARED, CENSORED]
    assert pk.label(fit) == pk.UNFITTED_LABEL
    assert "published averages alone" in pk.describe(fit)


def test_draws_come_from_the_total_testosterone_results_in_either_unit():
    results = [LabResult(1, "2025-02-01T08:00", "testosterone_total", 600, "ng/dL", "600"),
               LabResult(2, "2025-03-01T08:00", "testosterone_total", 20.0, "nmol/L", "20"),
               LabResult(3, "2025-04-01T08:00", "testosterone_total", 50, "ng/dL", "<50",
                         comparator="<"),
               LabResult(4, "2025-04-01T08:00", "estradiol", 30, "pg/mL", "30"),
               LabResult(5, "2025-05-01T08:00", "testosterone_total", None, "ng/dL", "void")]
    draws = pk.draws_from_results(results)
    assert [(d.value, d.censored) for d in draws] == [
        (600, False), (pytest.approx(576.87, abs=0.01), False), (50, True)]


# ---- the questions the screens ask --------------------------------------------------------

WEEKLY = regimen("Testosterone cypionate", 100, 7, 30)


@pytest.mark.parametrize("after, position", [
    (timedelta(hours=6), "rising"), (timedelta(days=1, hours=12), "near peak"),
    (timedelta(days=4), "mid-interval"), (timedelta(days=6, hours=22), "near trough")])
def test_where_a_draw_fell_in_its_interval(after, position):
    model = published(WEEKLY)
    dose_at = START + timedelta(days=7 * 20)
    found = pk.interval_position(model, dose_at + after)
    assert found.position == position
    assert found.dose_at == dose_at and found.next_at == dose_at + timedelta(days=7)
    assert found.fraction == pytest.approx(after / timedelta(days=7))
    levels = hourly(model, dose_at, 7)
    assert found.peak == pytest.approx(max(levels)) and found.trough == pytest.approx(min(levels))
    assert found.peak == pytest.approx(1073, abs=2) and found.trough == pytest.approx(537, abs=2)
    assert found.level == pytest.approx(pk.level_at(model, dose_at + after))
    assert "-day interval: " + position in found.words()


def test_after_the_last_dose_the_interval_is_the_regimens_and_a_late_draw_has_none():
    model = published(WEEKLY)
    last = START + timedelta(days=7 * 29)
    assert pk.interval_position(model, last + timedelta(days=6, hours=20)).position == \
        "near trough"
    assert pk.interval_position(model, last + timedelta(days=10)) is None  # > 1.25 intervals
    assert pk.interval_position(model, last + timedelta(days=10), 10).next_at == \
        last + timedelta(days=10)
    assert pk.interval_position(model, START - timedelta(days=1)) is None
    gel = published(regimen("Testosterone gel", 50, 1, 10))
    assert pk.interval_position(gel, START + timedelta(days=5, hours=3)).position == "steady"


def test_the_trough_before_the_next_dose():
    model = published(WEEKLY)
    last = START + timedelta(days=7 * 29)
    trough = pk.trough_before_next(model, 7)
    assert trough.next_dose_at == last + timedelta(days=7)
    assert trough.level == pytest.approx(537, abs=2)
    # a minute before the dose; the level falls about 0.06 ng/dL a minute there
    assert trough.level == pytest.approx(pk.level_at(model, last + timedelta(days=7)), abs=0.1)
    assert pk.trough_before_next(model).next_dose_at == last + timedelta(days=7)  # usual gap
    later = pk.trough_before_next(model, next_dose_at=last + timedelta(days=10))
    assert later.level < trough.level
    assert pk.trough_before_next(published([])) is None


def _tenth_day(tmax: float, half_life: float) -> float:
    """The day a single Bateman dose falls below a tenth of its peak, solved on its formula."""
    ke = math.log(2) / half_life
    ka = fast_rate(tmax, ke)

    def shape(t: float) -> float:
        return math.exp(-ke * t) - math.exp(-ka * t)

    low, high = tmax, 1000.0
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if shape(middle) > 0.1 * shape(tmax) else (low, middle)
    return low


@pytest.mark.parametrize("doses, days", [
    (regimen("Testosterone cypionate", 200, 7, 1), _tenth_day(2.0, 4.5)),  # 17.9 d
    (regimen("Nebido", 1000, 70, 1), _tenth_day(7.0, 33.9)),  # 121.8 d
    (regimen("Testosterone gel", 50, 1, 30), 30.0),  # a day after the last application
])
def test_the_day_the_doses_testosterone_falls_below_a_tenth_of_its_peak(doses, days):
    model = published(doses)
    found = pk.washout(model)
    last = pk.day_number(doses[-1].taken_at)
    assert found.below_tenth_at is not None
    gone = pk.day_number(found.below_tenth_at) - pk.day_number(START)
    assert 0 <= gone - days <= HOUR + 1e-9  # the first hour of the grid past the day
    # the hour found is the first below a tenth, the hour before is not
    tenth = 0.1 * found.peak
    assert pk.exogenous_at(model, found.below_tenth_at) < tenth
    assert pk.exogenous_at(model, found.below_tenth_at - timedelta(hours=1)) >= tenth
    assert found.peak == pytest.approx(max(sample(model, last, HOUR, 24 * 60,
                                                  exogenous_only=True)))
    assert found.words().startswith("Testosterone from the logged doses mostly gone")


def test_the_washout_leaves_his_own_production_out():
    own = pk.OwnProduction(300.0)
    alone = pk.washout(published(regimen("Testosterone cypionate", 200, 7, 4)))
    with_own = pk.washout(published(regimen("Testosterone cypionate", 200, 7, 4), own=own))
    assert alone == with_own


def test_ten_years_of_weekly_doses_at_a_point_an_hour_well_under_a_second():
    doses = regimen("Testosterone cypionate", 100, 7, 520, datetime(2015, 1, 5, 8, 0))
    fit = pk.fit_levels(doses)
    began = time.perf_counter()
    curve = pk.curve(fit.model, "2015-01-05T08:00", "2025-01-05T08:00")
    central = time.perf_counter() - began
    began = time.perf_counter()
    banded = pk.curve(fit, "2015-01-05T08:00", "2025-01-05T08:00")
    with_band = time.perf_counter() - began
    assert len(curve.central) == len(banded.central) == 87_673  # 3653 days and one hour
    assert central < 0.25 and with_band < 1.0, (central, with_band)
    assert banded.times()[-1] == datetime(2025, 1, 5, 8, 0)
    assert banded.central[-1] == pytest.approx(pk.level_at(fit.model, "2025-01-05T08:00"),
                                               abs=0.01)


# ---- words -------------------------------------------------------------------------------

def test_the_words_say_what_it_is_and_name_the_sources():
    doses, draws = synthetic(noise=0.05)
    fit = pk.fit_levels(doses, draws)
    text = pk.describe(fit)
    assert text.startswith(pk.MODEL_LABEL)
    assert "not a measurement and not advice" in pk.MODEL_LABEL
    assert "not a measurement and not advice" in pk.UNFITTED_LABEL
    assert "Fitted to 8 of your draws (R² 0.9" in text
    assert "release half-life fitted at 6." in text
    for name in ("Behre & Nieschlag", "Depo-Testosterone label", "Nankin 1987", "Aveed label",
                 "Kaminetsky 2015"):
        assert name in pk.sources_in_use(fit) and name in text
    lines = pk.figure_lines(fit)
    assert any(line.startswith("Testosterone cypionate, release half-life: 4.5 d (range 4.5 "
                               "to 8 d)") for line in lines)
    assert any("seen only second-hand" in line for line in lines)
    assert lines[-1].startswith("Scale (average level for 1 mg of testosterone a day): 84")
    nebido = pk.fit_levels(regimen("Nebido", 1000, 70, 3))
    assert "Behre 1999" in pk.sources_in_use(nebido) and "Nankin 1987" not in pk.describe(nebido)
    own = pk.fit_levels(WEEKLY, own=pk.OwnProduction(200.0))
    assert "the app's assumption" in pk.describe(own)


def test_a_regimen_without_logged_doses_gives_its_doses():
    gel = Medication(3, "Testosterone gel", "2025-01-01", "testosterone", "transdermal", 50, "mg",
                     "daily", 1.0, end_date="2025-01-10")
    doses = pk.regimen_doses(gel, "2025-03-01")
    assert [d.taken_at for d in doses[:2]] == ["2025-01-01T00:00", "2025-01-02T00:00"]
    assert len(doses) == 10 and doses[-1].taken_at == "2025-01-10T00:00"
    assert all(d.medication_id == 3 and d.note == "from the regimen" for d in doses)
    assert len(pk.regimen_doses(gel, "2025-01-05T12:00")) == 5
    assert pk.regimen_doses(replace(gel, interval_days=None), "2025-03-01") == []
    model = published(doses)
    assert pk.level_at(model, "2025-01-05T12:00") == pytest.approx(420)
    assert pk.level_at(model, "2025-01-11T00:00") == 0.0
