"""The questions the screens ask of the model, as pure functions of a ``Model`` or a ``Fit``."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hpgjournal.domain.pk.fit import Fit
from hpgjournal.domain.pk.model import Model, day_number, from_day, level_at, sample

__all__ = ["LATE_FRACTION", "Curve", "IntervalPosition", "Sampler", "TroughBefore", "Washout",
           "curve", "interval_position", "trough_before_next", "washout"]

LATE_FRACTION = 1.25  # a draw later than 1.25 intervals after a dose is in no interval
_STEP = 1 / 24  # an hour: the grid on which peaks, troughs and washouts are looked for
_MINUTE = 1 / 1440


def _model(source: Model | Fit) -> Model:
    return source.model if isinstance(source, Fit) else source


@dataclass(frozen=True)
class Curve:
    """The predicted level every ``step_hours`` from ``start``: the central curve and the band's
    lowest and highest (both the central curve itself when there is no band)."""

    start: datetime
    step_hours: float
    central: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]

    def times(self) -> list[datetime]:
        step = timedelta(hours=self.step_hours)
        return [self.start + j * step for j in range(len(self.central))]


def curve(source: Model | Fit, start: str | datetime, end: str | datetime,
          points_per_hour: float = 1.0) -> Curve:
    """The curve (and the band of a ``Fit``) from ``start`` to ``end``, both included."""
    first, last = day_number(start), day_number(end)
    step = 1 / (24 * points_per_hour)
    count = max(1, math.floor((last - first) / step + 1e-9) + 1)
    central = sample(_model(source), first, step, count)
    low, high = central, central
    for corner in source.band if isinstance(source, Fit) else ():
        values = sample(corner, first, step, count)
        low = [a if a <= b else b for a, b in zip(low, values, strict=True)]
        high = [a if a >= b else b for a, b in zip(high, values, strict=True)]
    return Curve(from_day(first), 1 / points_per_hour, tuple(central), tuple(low), tuple(high))


def _dose_days(model: Model) -> list[float]:
    days: list[float] = []
    for dose in model.doses:
        if not days or dose.day > days[-1] + _MINUTE:
            days.append(dose.day)
    return days


def _usual_interval(days: list[float]) -> float | None:
    gaps = [b - a for a, b in zip(days[-6:], days[-5:], strict=False)]
    return statistics.median(gaps) if gaps else None


@dataclass(frozen=True)
class IntervalPosition:
    """Where a time fell in its dosing interval, by the model."""

    dose_at: datetime
    next_at: datetime
    fraction: float  # of the interval gone by
    level: float  # predicted at the time, ng/dL
    peak: float
    peak_at: datetime
    trough: float
    position: str  # "near peak", "near trough", "rising", "mid-interval" or "steady"

    @property
    def length_days(self) -> float:
        return (self.next_at - self.dose_at).total_seconds() / 86400

    def words(self) -> str:
        days = self.fraction * self.length_days
        return (f"{days:.1f} d into a {self.length_days:g}-day interval: {self.position} "
                f"(the model: peak {self.peak:.0f}, trough {self.trough:.0f} ng/dL)")


def interval_position(source: Model | Fit, when: str | datetime,
                      interval_days: float | None = None) -> IntervalPosition | None:
    """The predicted peak and trough of the dosing interval that contains ``when`` and where
    ``when`` fell in it; None before the first dose or later than 1.25 intervals after the last
    one (a missed dose or a washout). The interval runs to the next logged dose; after the last
    dose it is ``interval_days`` (the regimen's), else the usual gap of the last doses."""
    model = _model(source)
    day = day_number(when)
    days = _dose_days(model)
    previous = [d for d in days if d <= day]
    if not previous:
        return None
    start = previous[-1]
    later = [d for d in days if d > start]
    if later:
        end = later[0]
    else:
        gap = interval_days or _usual_interval(days)
        if gap is None:
            return None
        end = start + gap
    if day > start + LATE_FRACTION * (end - start):
        return None
    count = max(48, math.ceil((end - start) / _STEP))
    step = (end - start) / count
    levels = sample(model, start, step, count)
    peak = max(levels)
    trough = min(levels)
    peak_at = start + levels.index(peak) * step
    level = level_at(model, day)
    if peak <= 0 or (peak - trough) < 0.05 * peak:
        position = "steady"
    else:
        share = (level - trough) / (peak - trough)
        if share >= 0.75:
            position = "near peak"
        elif day < peak_at:
            position = "rising"
        elif share <= 0.25:
            position = "near trough"
        else:
            position = "mid-interval"
    return IntervalPosition(from_day(start), from_day(end), (day - start) / (end - start), level,
                            peak, from_day(peak_at), trough, position)


@dataclass(frozen=True)
class TroughBefore:
    """The level the model predicts just before the next dose."""
    next_dose_at: datetime
    level: float  # predicted just before it, ng/dL


def trough_before_next(source: Model | Fit, interval_days: float | None = None,
                       next_dose_at: str | datetime | None = None) -> TroughBefore | None:
    """The predicted level just before the next dose: at ``next_dose_at``, else one
    ``interval_days`` (else the usual gap) after the last logged dose."""
    model = _model(source)
    if next_dose_at is not None:
        due = day_number(next_dose_at)
    else:
        days = _dose_days(model)
        gap = interval_days or _usual_interval(days)
        if not days or gap is None:
            return None
        due = days[-1] + gap
    return TroughBefore(from_day(due), level_at(model, due - _MINUTE))


@dataclass(frozen=True)
class Washout:
    """When the doses' testosterone falls below a tenth of its peak."""
    last_dose_at: datetime
    peak: float  # the doses' contribution at its highest after the last dose, ng/dL
    peak_at: datetime
    below_tenth_at: datetime | None  # first hour it is below a tenth of that peak (None: not
    # within the horizon)

    def words(self) -> str:
        if self.below_tenth_at is None:
            return "Testosterone from the logged doses is still above a tenth of its peak."
        return (f"Testosterone from the logged doses mostly gone (below a tenth of its peak) by "
                f"{self.below_tenth_at.date().isoformat()}, by the model.")


Sampler = Callable[[Model, float, float, int, bool], Sequence[float]]


def washout(source: Model | Fit, horizon_days: float = 1095.0,
            sampler: Sampler = sample) -> Washout | None:
    """After the last logged dose: when the doses' contribution (his own production left out)
    fell below a tenth of its peak after that dose. None without doses. ``sampler``: what
    samples the model on the hourly grid (``model.sample`` unless the caller has a faster one
    that gives the same values, as the charts do with numpy)."""
    model = _model(source)
    days = _dose_days(model)
    if not days:
        return None
    start = days[-1]
    count = math.ceil(horizon_days / _STEP)
    levels = sampler(model, start, _STEP, count, True)
    peak = max(levels)
    top = levels.index(peak)
    below = next((j for j in range(top, count) if levels[j] < 0.1 * peak), None)
    return Washout(from_day(start), peak, from_day(start + top * _STEP),
                   None if below is None else from_day(start + below * _STEP))

