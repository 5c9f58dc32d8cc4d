"""The dose-to-level model sampled on a grid with numpy, for drawing (issue 18).

The domain (``hpgjournal.domain.pk``) keeps the reference: ``pk.model.sample`` and
``pk.curve`` in the standard library, ``pk.level_at`` at one time. A chart needs the curve and
its four band corners a point an hour over years, which the standard library does in about a
tenth of a second; here the same sums are evaluated from the domain's own terms
(``pk.model.terms``) as whole arrays, the same doses counted as in ``sample``, so the values
agree with it to rounding (tests/charts/test_model_grid.py holds them to 1e-9 relative).

For a depot the sums over the doses, S(t) = Σ mgᵢ·e^(−k·(t − tᵢ)) for both rates, are carried
from one dose to the next (S at a dose is S at the previous one times e^(−k·gap) plus the new
dose's mg, a loop over the doses); between two doses S only falls by e^(−k·step) a point, so
the points of a stretch are S at its first point times a table of that factor's powers, the
whole grid a few array operations whatever the number of doses. The curve and the band's
corners share the grid and its stretches. Ten years at a point an hour, the curve and four
corners: about 8 ms, against about 0.1 s for ``pk.curve``.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from hpgjournal.domain import pk
from hpgjournal.domain.pk.model import (
    Depot,
    OwnProduction,
    Steady,
    day_number,
    from_day,
    own_pieces,
    steady_changes,
    terms,
)

__all__ = ["Sampled", "grid_curve", "grid_sample", "grid_washout"]


@dataclass(frozen=True)
class Sampled:
    """The curve as ``pk.Curve`` gives it, as arrays: the level every ``step_hours`` from
    ``start``, the central curve and the band's lowest and highest."""

    start: datetime
    step_hours: float
    central: np.ndarray
    low: np.ndarray
    high: np.ndarray


def _sums_at_doses(mg: list[float], decay: list[float]) -> list[float]:
    """Σ mgᵢ·e^(−k·(tₙ − tᵢ)) at each dose n, from the factors e^(−k·gap) between doses."""
    sums, total = [], 0.0
    for amount, factor in zip(mg, [0.0, *decay], strict=True):  # a few hundred doses
        total = total * factor + amount
        sums.append(total)
    return sums


@dataclass(frozen=True)
class _Stretches:
    """Where each dose is the last one before a grid point: dose i before the ``counts[i]``
    points from ``entry[i]``; for each point from ``entry[0]`` on, how many points it lies
    after the first of its stretch."""

    entry: np.ndarray
    counts: np.ndarray
    offset: np.ndarray
    longest: int


def _stretches(days: np.ndarray, grid: np.ndarray) -> _Stretches:
    entry = np.searchsorted(grid, days)
    counts = np.diff(entry, append=len(grid))
    offset = np.arange(int(entry[0]), len(grid)) - np.repeat(entry, counts)
    return _Stretches(entry, counts, offset, int(counts.max()))


@dataclass
class _Grid:
    """The grid's times, shared by the curves sampled on it (the central one and the band's
    corners), with the stretches of each set of doses on it."""

    start: float
    step: float
    count: int
    times: np.ndarray = field(init=False)
    kept: dict[tuple[float, ...], _Stretches] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.times = self.start + np.arange(self.count) * self.step


def _depot(term: Depot, on: _Grid, out: np.ndarray) -> None:
    grid, step, kept = on.times, on.step, on.kept
    first = bisect.bisect_left(term.days, float(grid[0]) - term.lookback)  # as ``sample`` does
    if first == len(term.days) or term.days[first] > grid[-1]:
        return
    days, mg = np.asarray(term.days[first:], dtype=float), term.mg[first:]
    # the band's corners have the same doses as the central curve: the same stretches
    key = tuple(term.days[first:])
    found = kept.get(key)
    if found is None:
        found = kept[key] = _stretches(days, grid)
    lag = grid[np.minimum(found.entry, len(grid) - 1)] - days  # a dose to its stretch's start
    steps = np.arange(found.longest) * step
    gaps = np.diff(days)
    level = out[int(found.entry[0]):]
    for rate, gain in ((term.ke, term.coefficient), (term.ka, -term.coefficient)):
        # within a stretch the sum falls by a constant factor a point: its value at the first
        # point times a table of the factor's powers
        at_entry = np.asarray(_sums_at_doses(mg, np.exp(-rate * gaps).tolist()))
        at_entry *= gain * np.exp(-rate * lag)
        part = np.repeat(at_entry, found.counts)
        part *= np.exp(-rate * steps)[found.offset]
        level += part


def _steady(term: Steady, start: float, step: float, count: int, out: np.ndarray) -> None:
    running = np.cumsum(steady_changes(term, start, step, count)[:count])
    out += np.where(running > 1e-12, running, 0.0)


def _own(own: OwnProduction, on: _Grid, out: np.ndarray) -> None:
    baseline = max(0.0, own.baseline)
    for j, stop, d0, f0, slope in own_pieces(own, on.start, on.step, on.count):
        if slope == 0.0:
            out[j:stop] += baseline * f0
        else:
            out[j:stop] += baseline * (f0 + slope * (on.times[j:stop] - d0))


def grid_sample(model: pk.Model, start: float, step_days: float, count: int,
                exogenous_only: bool = False) -> np.ndarray:
    """``pk.model.sample`` as an array: the level at ``start + j·step_days`` for j < count."""
    return _sample(model, _Grid(start, step_days, count), exogenous_only)


def _sample(model: pk.Model, on: _Grid, exogenous_only: bool = False) -> np.ndarray:
    out = np.zeros(on.count)
    for term in terms(model):
        if isinstance(term, Depot):
            _depot(term, on, out)
        else:
            _steady(term, on.start, on.step, on.count, out)
    if model.own is not None and not exogenous_only:
        _own(model.own, on, out)
    return np.maximum(out, 0.0)  # where a dose's two exponentials meet: never below 0


def grid_curve(source: pk.Model | pk.Fit, start: datetime, end: datetime,
               points_per_hour: float = 1.0) -> Sampled:
    """``pk.curve`` as arrays: the curve and the band of a ``Fit`` from ``start`` to ``end``."""
    first, last = day_number(start), day_number(end)
    step = 1 / (24 * points_per_hour)
    count = max(1, math.floor((last - first) / step + 1e-9) + 1)
    model = source.model if isinstance(source, pk.Fit) else source
    on = _Grid(first, step, count)
    central = _sample(model, on)
    low, high = central, central
    for corner in source.band if isinstance(source, pk.Fit) else ():
        values = _sample(corner, on)
        low, high = np.minimum(low, values), np.maximum(high, values)
    for values in (central, low, high):
        values.flags.writeable = False  # kept for redraws: no caller changes them
    return Sampled(from_day(first), 1 / points_per_hour, central, low, high)


def _listed(model: pk.Model, start: float, step_days: float, count: int,
            exogenous_only: bool) -> list[float]:
    return grid_sample(model, start, step_days, count, exogenous_only).tolist()


def grid_washout(source: pk.Model | pk.Fit) -> pk.Washout | None:
    """``pk.washout`` (the domain's question, its rules) on a grid sampled with numpy."""
    return pk.washout(source, sampler=_listed)
