"""The chart's numpy sampling of the dose-to-level model (charts/modelgrid.py) against the
domain's reference (``pk.model.sample``, ``pk.curve``, ``pk.level_at``): the same values to
1e-9 relative, on and around doses, in washouts, with steady inputs and his own production."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpgjournal.charts.modelgrid import grid_curve, grid_sample, grid_washout
from hpgjournal.domain import pk
from hpgjournal.domain.pk.model import sample
from hpgjournal.domain.records import Dose

START = datetime(2025, 1, 6, 8, 0)
HOUR = 1 / 24
REL = 1e-9


def regimen(drug: str, mg: float, every_days: float, count: int, start: datetime = START
            ) -> list[Dose]:
    return [Dose(None, (start + timedelta(days=every_days * i)).isoformat(timespec="minutes"),
                 drug, mg, "mg") for i in range(count)]


def model_of(doses: list[Dose], **changes) -> pk.Model:
    return replace(pk.fit_levels(doses).model, **changes)


def same(got, reference) -> None:
    reference = np.asarray(reference, dtype=float)
    assert len(got) == len(reference)
    # relative, with a floor far below any level drawn (a level of exactly 0 before a dose)
    np.testing.assert_allclose(got, reference, rtol=REL, atol=1e-9)


OWN = pk.own_production(350, "2025-01-06T08:00", "2025-09-01T08:00")
MODELS = {
    "weekly cypionate, his own production": model_of(
        regimen("Testosterone cypionate", 100, 7, 30), own=OWN),
    "enanthate twice weekly then gel": model_of(
        regimen("Testosterone enanthate", 50, 3.5, 40)
        + regimen("Testosterone gel", 50, 1, 60, START + timedelta(days=150))),
    "undecanoate every ten weeks": model_of(regimen("Nebido", 1000, 70, 6)),
    "propionate every other day": model_of(regimen("Testosterone propionate", 25, 2, 50)),
    "pellets and oral undecanoate": model_of(
        regimen("Testosterone pellets", 600, 120, 3) + regimen("Jatenzo", 237, 0.5, 100)),
    "two doses at the same minute": model_of(
        regimen("Testosterone cypionate", 100, 7, 4) + regimen("Testosterone cypionate", 50, 7, 1)),
}


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize(("offset_hours", "step", "days"), [
    (-48.0, HOUR, 500),  # from before the first dose, on the doses' own hours, into the washout
    (0.3, HOUR, 400),  # off the doses' hours
    (1000.0, HOUR / 4, 200),  # starting mid-regimen: old doses left out as ``sample`` does
    (-10.0, 0.37, 1500),  # a coarse step, far past the last dose
    (5000.0, HOUR, 1000),  # after every dose
])
def test_the_grid_equals_the_domains_sample(name, offset_hours, step, days):
    model = MODELS[name]
    start = pk.day_number(START) + offset_hours / 24
    count = round(days / step)
    same(grid_sample(model, start, step, count), sample(model, start, step, count))
    same(grid_sample(model, start, step, count, exogenous_only=True),
         sample(model, start, step, count, exogenous_only=True))


@pytest.mark.parametrize("name", MODELS)
def test_one_point_equals_the_level_at_that_time_on_around_and_between_doses(name):
    model = MODELS[name]
    times = []
    for dose in model.doses[:: max(1, len(model.doses) // 8)]:
        times += [dose.day + d for d in (-1 / 1440, 0.0, 1 / 1440, HOUR, 0.5, 2.9)]
    rng = random.Random(18)
    last = model.doses[-1].day
    times += [rng.uniform(model.doses[0].day - 5, last + 400) for _ in range(60)]
    for day in times:
        (got,) = grid_sample(model, day, HOUR, 1)
        assert got == pytest.approx(pk.level_at(model, day), rel=REL, abs=1e-9)


@pytest.mark.parametrize("points_per_hour", [1.0, 0.25, 3.0])
def test_the_curve_and_its_band_equal_the_domains_curve(points_per_hour):
    doses = regimen("Testosterone cypionate", 100, 7, 40)
    draws = [pk.Draw((START + timedelta(days=d)).isoformat(timespec="minutes"),
                     1.2 * pk.level_at(model_of(doses), START + timedelta(days=d)))
             for d in (30.4, 61.0, 95.2, 150.7, 200.1)]
    for fit in (pk.fit_levels(doses, own=OWN), pk.fit_levels(doses, draws, own=OWN)):
        ends = (START - timedelta(days=3, minutes=17), START + timedelta(days=7 * 40 + 60))
        reference = pk.curve(fit, *ends, points_per_hour)
        got = grid_curve(fit, *ends, points_per_hour)
        assert (got.start, got.step_hours) == (reference.start, reference.step_hours)
        same(got.central, reference.central)
        same(got.low, reference.low)
        same(got.high, reference.high)


@pytest.mark.parametrize("name", MODELS)
def test_the_washout_is_the_domains_answer(name):
    model = MODELS[name]
    got, reference = grid_washout(model), pk.washout(model)
    assert got is not None and reference is not None
    assert (got.last_dose_at, got.peak_at, got.below_tenth_at) == (
        reference.last_dose_at, reference.peak_at, reference.below_tenth_at)
    assert got.peak == pytest.approx(reference.peak, rel=REL)
    assert grid_washout(pk.Model(())) is None


def test_a_grid_before_every_dose_is_his_own_production_alone():
    model = MODELS["weekly cypionate, his own production"]
    start = pk.day_number(START) - 30
    got = grid_sample(model, start, HOUR, 24 * 20)
    assert np.all(got == 350.0)
    assert not np.any(grid_sample(model, start, HOUR, 24 * 20, exogenous_only=True))


DRUGS = st.sampled_from(["Testosterone cypionate", "Testosterone enanthate",
                         "Testosterone propionate", "Nebido", "Testosterone gel",
                         "Testosterone pellets", "Jatenzo"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(DRUGS, st.floats(1, 1000), st.floats(0, 200)), min_size=1,
                max_size=12), st.floats(-20, 300), st.floats(0.01, 2.0))
def test_any_doses_any_grid(spec, offset, step):
    doses = [Dose(i, (START + timedelta(days=round(day, 3))).isoformat(timespec="minutes"), drug,
                  mg, "mg") for i, (drug, mg, day) in enumerate(spec)]
    model = model_of(doses, own=OWN)
    start = pk.day_number(START) + offset
    count = min(4000, int(400 / step))
    same(grid_sample(model, start, step, count), sample(model, start, step, count))
