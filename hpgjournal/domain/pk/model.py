"""The dose-to-level model: one compartment, first-order release and elimination (the Bateman
function) a depot dose, doses superposed, plus his own production as a separate term.

For a depot dose of D mg of testosterone (ester mg times the mass fraction), with the slow
(release) rate ke and the fast rate ka, the level t days after the dose is

    C(t) = G · F · D · ka·ke/(ka − ke) · (e^(−ke·t) − e^(−ka·t))

whose area is G·F·D: the scale G (ng/dL per mg of testosterone a day) is the average level a
steady input of 1 mg a day gives, whatever the rates. Doses add. A steady preparation gives
G·F·D/cover over the ``cover`` days after each dose. His own production (``OwnProduction``) is
added on top; nothing is ever below zero.

Two ways to evaluate it:

* ``level_at`` (one time): a dose is left out once an upper bound of what it still adds,
  G·F·D·ka·ke/(ka−ke)·e^(−ke·t), is below ``CUTOFF`` (one millionth) of its own peak; the
  doses so left out add less than about 1e-5 of a peak together for any regular regimen.
* ``sample`` (a grid): the sums Σ D·e^(−k·(t−tᵢ)) are carried from one grid point to the next
  by a single multiplication, each dose entering once, so a point costs the same whatever the
  number of doses; doses that fell below the cut-off before the grid starts are skipped.
  Ten years of weekly doses at a point an hour (87,673 points) take about 0.015 s, and
  0.16 s with the eight curves of an unfitted band (CPython 3.11, measured on a shared
  two-core machine; tests/domain/test_pk.py holds it under a second). Evaluating each point
  on its own with the cut-off would take about 3 s.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from itertools import accumulate, repeat
from operator import add, mul

from hpgjournal.domain.pk.preparations import PREPARATIONS, Figure, Preparation, preparation_for
from hpgjournal.domain.records import Dose, Medication
from hpgjournal.domain.timestamps import to_datetime

__all__ = ["CUTOFF", "EPOCH", "SCALE", "Depot", "Model", "ModelDose", "OwnProduction", "Steady",
           "day_number", "exogenous_at", "fast_rate", "from_day", "level_at", "model_doses",
           "own_at", "own_production", "reach_days", "regimen_doses", "sample", "terms"]

EPOCH = datetime(2000, 1, 1)
CUTOFF = 1e-6  # of a dose's own peak: below it a dose no longer counts (see the module text)

SCALE = Figure(
    84.0, 63.0, 104.0, "ng/dL per mg/day",
    "the average level of testosterone undecanoate 750 mg every 10 weeks (Aveed label: 568 ± 139 "
    "ng/dL in men of 65-100 kg, 426 in men of 100 kg or more) divided by its 6.8 mg of "
    "testosterone a day; Xyosted 50 and 100 mg weekly (Kaminetsky J et al., Sex Med "
    "2015;3:269: 422 and 896 ng/dL) gives 82 and 87", "DERIVED",
    "The range runs from the heavier men's mean to one standard deviation above the lighter "
    "men's: a man's own scale is fitted to his draws when there are three.",
    ("Aveed label", "Kaminetsky 2015"))


def day_number(when: str | datetime) -> float:
    """Days since ``EPOCH`` for a journal timestamp (a bare date is taken at midnight)."""
    moment = to_datetime(when) if isinstance(when, str) else when
    return (moment - EPOCH).total_seconds() / 86400.0


def from_day(day: float) -> datetime:
    return EPOCH + timedelta(days=day)


@lru_cache(maxsize=4096)
def fast_rate(tmax_days: float, ke: float) -> float:
    """The fast rate ka (per day) at which a single Bateman dose with slow rate ``ke`` peaks at
    ``tmax_days``: ln(ka/ke)/(ka − ke) = tmax. A time to peak that the slow rate cannot reach
    (tmax ≥ 1/ke) is taken as 0.95/ke."""
    tmax = min(tmax_days, 0.95 / ke)
    low, high = ke * (1 + 1e-9), max(ke * 1e4, 1e3)
    for _ in range(200):
        middle = math.sqrt(low * high)
        if math.log(middle / ke) / (middle - ke) > tmax:
            low = middle
        else:
            high = middle
        if high / low < 1 + 1e-13:
            break
    return math.sqrt(low * high)


@dataclass(frozen=True)
class ModelDose:
    """A dose as the model takes it: day, mg of testosterone and preparation."""
    day: float  # day_number of the dose
    mg: float  # mg of testosterone (the logged mg times the preparation's mass fraction)
    preparation: str  # a key of PREPARATIONS
    dose: Dose | None = None


def model_doses(doses: Iterable[Dose], medications: Sequence[Medication] = ()
                ) -> tuple[tuple[ModelDose, ...], tuple[Dose, ...]]:
    """The doses the model can use, sorted by time, and those it cannot (no model for the drug,
    no amount, a unit other than mg), which the caller shows as such. A dose logged with a
    date but no time is taken at midnight, as everywhere in the journal (``to_datetime``)."""
    routes = {m.id: m.route for m in medications}
    used: list[ModelDose] = []
    left: list[Dose] = []
    for dose in doses:
        preparation = preparation_for(dose.drug, routes.get(dose.medication_id, ""))
        if (preparation is None or dose.amount is None or dose.amount <= 0
                or dose.unit.strip().casefold() != "mg"):
            left.append(dose)
            continue
        used.append(ModelDose(day_number(dose.taken_at),
                              dose.amount * preparation.mass_fraction.value, preparation.key,
                              dose))
    used.sort(key=lambda d: d.day)
    return tuple(used), tuple(left)


def regimen_doses(medication: Medication, until: str | datetime) -> list[Dose]:
    """The doses a regimen implies, every ``interval_days`` from its start to its end (or
    ``until``, whichever comes first), for a man who logs the regimen but not each dose (a
    daily gel). None when the regimen has no interval or no dose. They carry the regimen's
    id and the note "from the regimen"; the caller decides whether to mix them with logged
    doses."""
    if not medication.interval_days or medication.interval_days <= 0 or not medication.dose:
        return []
    first = to_datetime(medication.start_date)
    last = to_datetime(until) if isinstance(until, str) else until
    if medication.end_date:
        end = to_datetime(medication.end_date)
        if "T" not in medication.end_date:
            end += timedelta(days=1, minutes=-1)  # a regimen ending on a day runs through it
        last = min(last, end)
    step = timedelta(days=medication.interval_days)
    doses: list[Dose] = []
    moment = first
    while moment <= last:
        doses.append(Dose(None, moment.isoformat(timespec="minutes"), medication.drug,
                          medication.dose, medication.unit, note="from the regimen",
                          medication_id=medication.id))
        moment = first + step * len(doses)
    return doses


@dataclass(frozen=True)
class OwnProduction:
    """His own testosterone, in ng/dL: ``baseline`` times a fraction of it that the caller
    gives as (timestamp, fraction) points, straight lines between them and flat beyond the
    first and the last (no points: the whole baseline throughout).

    This is the app's assumption, not a published model: the caller chooses the baseline (his
    level before treatment, or none) and the curve (``own_production`` makes a simple one).
    """

    baseline: float
    points: tuple[tuple[str, float], ...] = ()

    @cached_property
    def days(self) -> tuple[tuple[float, float], ...]:
        """The points as (day number, fraction clipped to 0..1), sorted."""
        return tuple(sorted((day_number(when), min(max(f, 0.0), 1.0)) for when, f in self.points))

    @cached_property
    def _starts(self) -> list[float]:
        return [day for day, _ in self.days]

    def fraction_at(self, day: float) -> float:
        points = self.days
        if not points:
            return 1.0
        index = bisect.bisect_right(self._starts, day)
        if index == 0:
            return points[0][1]
        if index == len(points):
            return points[-1][1]
        (d0, f0), (d1, f1) = points[index - 1], points[index]
        return f0 + (f1 - f0) * (day - d0) / (d1 - d0)


def own_production(baseline: float, trt_start: str, trt_stop: str | None = None,
                   residual: float = 0.0, suppression_days: float = 21.0,
                   recovery_days: float = 270.0) -> OwnProduction:
    """A simple own-production curve (the app's assumption): the full baseline until
    ``trt_start``, falling in a straight line to ``residual`` (0 on injections: LH is
    suppressed; a part on gels) over ``suppression_days`` (about three weeks on full-dose
    injections, research notes 4.2), held there until ``trt_stop`` and climbing back in a
    straight line over ``recovery_days`` (LH back to baseline about 36 weeks after the last
    undecanoate injection on average, Handelsman 2022; each man differs)."""
    start = to_datetime(trt_start)
    points: list[tuple[str, float]] = [(trt_start, 1.0)]
    low_at = start + timedelta(days=suppression_days)
    if trt_stop is None or to_datetime(trt_stop) >= low_at:
        points.append((low_at.isoformat(timespec="minutes"), residual))
        reached = residual
    else:
        gone = (to_datetime(trt_stop) - start).total_seconds() / 86400.0 / suppression_days
        reached = 1.0 - (1.0 - residual) * gone
    if trt_stop is not None:
        stop = to_datetime(trt_stop)
        points.append((trt_stop, reached))
        points.append(((stop + timedelta(days=recovery_days * (1.0 - reached) / max(
            1e-9, 1.0 - residual))).isoformat(timespec="minutes"), 1.0))
    return OwnProduction(baseline, tuple(points))


@dataclass(frozen=True)
class Model:
    """Everything a curve needs: the doses, the scale and the rates per preparation."""

    doses: tuple[ModelDose, ...]
    scale: float = SCALE.value
    half_life: Mapping[str, float] = field(default_factory=dict)  # key -> days; else published
    tmax: Mapping[str, float] = field(default_factory=dict)
    bioavailability: Mapping[str, float] = field(default_factory=dict)
    own: OwnProduction | None = None

    def preparation_keys(self) -> tuple[str, ...]:
        return tuple(sorted({d.preparation for d in self.doses}))

    def rates(self, key: str) -> tuple[float, float]:
        """(ka, ke) per day for a depot preparation."""
        preparation = PREPARATIONS[key]
        assert preparation.half_life_days is not None and preparation.tmax_days is not None
        ke = math.log(2) / self.half_life.get(key, preparation.half_life_days.value)
        return fast_rate(self.tmax.get(key, preparation.tmax_days.value), ke), ke

    def fraction(self, key: str) -> float:
        return self.bioavailability.get(key, PREPARATIONS[key].bioavailability.value)


@dataclass(frozen=True)
class Depot:
    """A depot preparation's doses as the model sums them: at t, coefficient times the sum over
    the doses before t of mg·(e^(−ke·age) − e^(−ka·age)), never below 0. ``sample`` leaves
    out the doses older than ``lookback`` at the grid's start (they add under ``CUTOFF``)."""

    days: list[float]
    mg: list[float]
    ka: float
    ke: float
    coefficient: float  # G·F·ka·ke/(ka − ke)
    lookback: float  # days after which a dose adds less than CUTOFF of its peak


@dataclass(frozen=True)
class Steady:
    """A steady preparation's doses: each adds its rate over the ``cover`` days from its start
    (on a grid: from the first point at or after the start to the last before the end)."""

    starts: list[float]
    rates: list[float]  # ng/dL while the dose is covered
    cover: float


@lru_cache(maxsize=256)
def _lookback(ka: float, ke: float) -> float:
    tmax = math.log(ka / ke) / (ka - ke)
    peak = math.exp(-ke * tmax) - math.exp(-ka * tmax)
    return math.log(1.0 / (CUTOFF * peak)) / ke


def _terms(model: Model, unit_scale: bool = False) -> list[Depot | Steady]:
    scale = 1.0 if unit_scale else model.scale
    terms: list[Depot | Steady] = []
    for key in model.preparation_keys():
        preparation: Preparation = PREPARATIONS[key]
        doses = [d for d in model.doses if d.preparation == key]
        days, mg = [d.day for d in doses], [d.mg for d in doses]
        gain = scale * model.fraction(key)
        if preparation.kind == "depot":
            ka, ke = model.rates(key)
            terms.append(Depot(days, mg, ka, ke, gain * ka * ke / (ka - ke), _lookback(ka, ke)))
        else:
            assert preparation.cover_days is not None
            cover = preparation.cover_days.value
            terms.append(Steady(days, [gain * m / cover for m in mg], cover))
    return terms


def terms(model: Model) -> list[Depot | Steady]:
    """The model's terms, one per preparation, in the order ``sample`` adds them: for a sampler
    outside the domain (the charts evaluate them with numpy). ``sample`` and ``level_at`` stay
    the reference."""
    return _terms(model)


def _term_at(term: Depot | Steady, day: float) -> float:
    if isinstance(term, Steady):
        index = bisect.bisect_right(term.starts, day) - 1
        total = 0.0
        while index >= 0 and day - term.starts[index] < term.cover:
            total += term.rates[index]
            index -= 1
        return total
    index = bisect.bisect_right(term.days, day) - 1
    ka, ke = term.ka, term.ke
    total = 0.0
    while index >= 0:
        age = day - term.days[index]
        if age > term.lookback:
            break
        total += term.mg[index] * (math.exp(-ke * age) - math.exp(-ka * age))
        index -= 1
    return max(0.0, term.coefficient * total)


def reach_days(model: Model) -> float:
    """How long a dose of the model still counts (its lookback, or a steady dose's cover),
    the longest over its preparations; 0 without doses. A caller asking about one time may
    leave out the doses older than this."""
    return max((term.lookback if isinstance(term, Depot) else term.cover
                for term in _terms(model)), default=0.0)


def own_at(own: OwnProduction | None, day: float) -> float:
    """His own production (ng/dL) at a day number, or 0 when the caller gave none."""
    return 0.0 if own is None else max(0.0, own.baseline * own.fraction_at(day))


def exogenous_at(model: Model, when: str | datetime | float) -> float:
    """The predicted level (ng/dL) from the logged doses alone, at a journal timestamp, a
    datetime or a day number."""
    day = when if isinstance(when, float | int) else day_number(when)
    return sum(_term_at(term, float(day)) for term in _terms(model))


def level_at(model: Model, when: str | datetime | float) -> float:
    """The predicted total testosterone (ng/dL): the doses plus his own production."""
    day = float(when) if isinstance(when, float | int) else day_number(when)
    return exogenous_at(model, day) + own_at(model.own, day)


def _first_at_or_after(day: float, start: float, step: float, low: int) -> int:
    """The first grid index j >= low with start + j·step >= day (the grid's own rounding)."""
    j = max(low, math.ceil((day - start) / step))
    while j > low and start + (j - 1) * step >= day:
        j -= 1
    while start + j * step < day:
        j += 1
    return j


def _powers(table: list[float], factor: float, length: int) -> list[float]:
    """``table`` (factor⁰, factor¹, ...) made at least ``length`` long."""
    if len(table) < length:
        table.extend(accumulate(repeat(factor, length - len(table)), mul,
                                initial=table[-1] * factor))
        del table[length:]
    return table


def _depot_grid(term: Depot, start: float, step: float, count: int, out: list[float],
                fresh: bool = False) -> None:
    """Add a depot's level on the grid. Between two doses both exponentials only decay by a
    constant factor a step, so a stretch is the two sums at its start times tables of the
    factor's powers: ten years at a point an hour in a few tens of milliseconds. ``fresh``:
    ``out`` holds only zeros (the first term), so it is written, not added to."""
    ka, ke, days, mg = term.ka, term.ke, term.days, term.mg
    index = bisect.bisect_right(days, start)
    slow = fast = 0.0
    for i in range(bisect.bisect_left(days, start - term.lookback), index):
        age = start - days[i]
        slow += mg[i] * math.exp(-ke * age)
        fast += mg[i] * math.exp(-ka * age)
    slow_step, fast_step = math.exp(-ke * step), math.exp(-ka * step)
    slow_powers, fast_powers = [1.0], [1.0]
    coefficient = term.coefficient
    j = 0
    while j < count:
        if j:
            slow *= slow_step
            fast *= fast_step
        day = start + j * step
        while index < len(days) and days[index] <= day:
            age = day - days[index]
            slow += mg[index] * math.exp(-ke * age)
            fast += mg[index] * math.exp(-ka * age)
            index += 1
        last = index >= len(days)
        end = count if last else min(count, _first_at_or_after(days[index], start, step, j + 1))
        if slow != 0.0 or fast != 0.0:  # else: before the first dose
            length = end - j
            a, b = coefficient * slow, coefficient * fast
            powers = (_powers(slow_powers, slow_step, length)[:length],
                      _powers(fast_powers, fast_step, length)[:length])
            if fresh:
                out[j:end] = [a * p - b * q for p, q in zip(*powers, strict=True)]
            else:
                out[j:end] = [v + a * p - b * q for v, p, q in zip(out[j:end], *powers,
                                                                   strict=True)]
            slow *= slow_powers[length - 1]
            fast *= fast_powers[length - 1]
        if last:
            break
        j = end


def steady_changes(term: Steady, start: float, step: float, count: int) -> list[float]:
    """How a steady input's level steps up and down on the grid ``start + j·step``: the level
    at point j is the sum of the first j + 1 changes (``count + 1`` of them, the last unused)."""
    change = [0.0] * (count + 1)
    for begin, rate in zip(term.starts, term.rates, strict=True):
        first = max(0, math.ceil((begin - start) / step - 1e-9))
        last = min(count, math.ceil((begin + term.cover - start) / step - 1e-9))
        if first < last:
            change[first] += rate
            change[last] -= rate
    return change


def _steady_grid(term: Steady, start: float, step: float, count: int, out: list[float]) -> None:
    change = steady_changes(term, start, step, count)
    running = 0.0
    for j in range(count):
        running += change[j]
        if running > 1e-12:
            out[j] += running


def own_pieces(own: OwnProduction, start: float, step: float, count: int
               ) -> list[tuple[int, int, float, float, float]]:
    """His own production on the grid ``start + j·step`` (j < count) in straight pieces
    ``(first, stop, d0, f0, slope)``: for first <= j < stop the fraction of his baseline is
    ``f0 + slope·(day_j - d0)``; flat before the first point, straight between points, flat
    after the last."""
    points = own.days or ((start, 1.0),)
    pieces = []
    j = 0
    for index in range(len(points) + 1):
        end = points[index][0] if index < len(points) else math.inf
        if 0 < index < len(points):
            (d0, f0), (d1, f1) = points[index - 1], points[index]
            slope = (f1 - f0) / (d1 - d0) if d1 > d0 else 0.0
        else:
            d0, f0, slope = start, points[min(index, len(points) - 1)][1], 0.0
        stop = count if end == math.inf else min(count, _first_at_or_after(end, start, step, j))
        if stop > j:
            pieces.append((j, stop, d0, f0, slope))
            j = stop
    return pieces


def _own_grid(own: OwnProduction, start: float, step: float, count: int, out: list[float]) -> None:
    baseline = max(0.0, own.baseline)
    for j, stop, d0, f0, slope in own_pieces(own, start, step, count):
        if slope == 0.0:
            if baseline * f0 != 0.0:
                out[j:stop] = map(add, out[j:stop], repeat(baseline * f0, stop - j))
        else:
            out[j:stop] = [v + baseline * (f0 + slope * (start + k * step - d0))
                           for k, v in enumerate(out[j:stop], start=j)]


def sample(model: Model, start: float, step_days: float, count: int,
           exogenous_only: bool = False) -> list[float]:
    """The predicted level at ``start + j·step_days`` (day numbers) for j < count."""
    out = [0.0] * count
    fresh = True
    for term in _terms(model):
        if isinstance(term, Depot):
            _depot_grid(term, start, step_days, count, out, fresh)
        else:
            _steady_grid(term, start, step_days, count, out)
        fresh = False
    if model.own is not None and not exogenous_only:
        _own_grid(model.own, start, step_days, count, out)
    if out and min(out) < 0.0:  # rounding where a dose's two exponentials meet: never below 0
        out = [max(0.0, v) for v in out]
    return out
