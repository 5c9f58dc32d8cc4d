"""Expected-response envelopes: the band of values a marker should be in, day by day, in a phase.

The arithmetic, for an :class:`~hpgjournal.domain.knowledge.ExpectedResponse` with a band, a
reference value ``v0`` (the value at the phase start, or the last one before it) and the phase's
dates:

* **Target.** Once the full effect shows, the value lies in ``[T_low, T_high]``:
  ``relative`` sizes give ``v0 x (1 + low/100)`` to ``v0 x (1 + high/100)``; ``change`` sizes give
  ``v0 + low`` to ``v0 + high``; ``absolute`` sizes are the values themselves (a missing low is
  0, a missing high is open); ``reference_range`` uses the lab's own range.
* **Time course.** ``f`` is the share of the full effect reached ``t`` days after the anchor. The
  fastest course rises in a straight line from 0 at the earliest onset to 1 at the earliest
  plateau; the slowest from 0 at the latest onset to 1 at the latest plateau. A response without
  windows shows its full effect from the anchor on.
* **Band.** At day ``t`` the expected value is ``v0 + f x (T - v0)`` for every ``f`` between the
  slowest and the fastest course and every ``T`` in the target: the band is the lowest and the
  highest of those. Values never go below 0.

Because ``f`` is piecewise linear with corners only at the four window days, so is the band: the
envelope is exact as a list of (day, low, high) points at those days (plus the phase's first and
last day), with straight lines between them. Days count from the phase start (day 0); the anchor
may lie before it (e.g. the last testosterone dose before a washout).

Worked example (also in the tests): LH 2.0 IU/L at the start, a rise of +100 to +300 %, onset
days 7-28, plateau days 28-42, anchored at the phase start. On day 35 the fastest course is
complete (f = 1) and the slowest is half way (f = (35 - 28) / (42 - 28) = 0.5); the targets are
4.0 and 8.0, so the band runs from 2.0 + 0.5 x 2.0 = 3.0 to 2.0 + 1 x 6.0 = 8.0 IU/L.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hpgjournal.domain.knowledge import (
    ExpectedResponse,
    marker_decimals,
    marker_to_system,
    marker_unit,
)
from hpgjournal.domain.values import format_number

__all__ = [
    "Envelope",
    "EnvelopePoint",
    "build_envelope",
    "effect_fraction",
    "no_band_reason",
    "target_band",
]


@dataclass(frozen=True)
class EnvelopePoint:
    """The band on one day (days from the phase start; ``high`` may be ``math.inf``)."""

    day: float
    low: float
    high: float


@dataclass(frozen=True)
class Envelope:
    """The expected band of one marker through one phase, in the marker's canonical unit."""

    response: ExpectedResponse
    start: date
    reference: float
    anchor_day: float  # the anchor, in days from the phase start
    target_low: float
    target_high: float
    points: tuple[EnvelopePoint, ...]

    def at(self, day: float) -> tuple[float, float]:
        """The band on ``day`` (days from the phase start), by straight lines between points.

        At a step (two points on one day) the value after the step applies.
        """
        points = self.points
        if day < points[0].day:
            return points[0].low, points[0].high
        i = max(k for k, p in enumerate(points) if p.day <= day)
        if i == len(points) - 1:
            return points[i].low, points[i].high
        before, after = points[i], points[i + 1]
        share = (day - before.day) / (after.day - before.day)
        return _between(before.low, after.low, share), _between(before.high, after.high, share)

    def dated(self) -> list[tuple[datetime, float, float]]:
        """The points as (date-time, low, high), for plotting."""
        origin = datetime.combine(self.start, datetime.min.time())
        return [(origin + timedelta(days=p.day), p.low, p.high) for p in self.points]

    @property
    def open_high(self) -> bool:
        return math.isinf(self.target_high)


def _between(a: float, b: float, share: float) -> float:
    if math.isinf(a) or math.isinf(b):
        return math.inf if share > 0 or math.isinf(a) else a
    return a + (b - a) * share


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def effect_fraction(t: float, start: float, end: float, *, left: bool = False) -> float:
    """Share of the full effect reached at ``t`` on a course from ``start`` (0) to ``end`` (1).

    With ``start == end`` the course is a step at that day; ``left`` asks for the value just
    before the step.
    """
    if end <= start:
        return 1.0 if t > start or (t == start and not left) else 0.0
    return min(1.0, max(0.0, (t - start) / (end - start)))


def _windows(response: ExpectedResponse) -> tuple[tuple[float, float], tuple[float, float]]:
    plateau = response.plateau_days or (0.0, 0.0)
    onset = response.onset_days or (0.0, 0.0)
    return onset, plateau


def target_band(response: ExpectedResponse, reference: float,
                reference_range: tuple[float | None, float | None] | None = None
                ) -> tuple[float, float]:
    """The full-effect band ``(T_low, T_high)`` in the canonical unit (``T_high`` may be inf)."""
    size = response.size
    if size == "relative" and response.low is not None and response.high is not None:
        low, high = reference * (1 + response.low / 100), reference * (1 + response.high / 100)
    elif size == "change" and response.low is not None and response.high is not None:
        low, high = reference + response.low, reference + response.high
    elif size == "absolute" and (response.low is not None or response.high is not None):
        low = response.low if response.low is not None else 0.0
        high = response.high if response.high is not None else math.inf
    elif size == "reference_range" and reference_range and any(
            v is not None for v in reference_range):
        low = reference_range[0] if reference_range[0] is not None else 0.0
        high = reference_range[1] if reference_range[1] is not None else math.inf
    else:
        raise ValueError(f"{response.phase_kind}/{response.analyte}: no band to build "
                         f"(size {response.size!r})")
    return max(0.0, min(low, high)), max(0.0, max(low, high))


def _value(reference: float, share: float, target: float) -> float:
    if share <= 0:
        return reference
    if math.isinf(target):
        return math.inf
    return max(0.0, reference + share * (target - reference))


def _band(reference: float, targets: tuple[float, float], shares: tuple[float, float]
          ) -> tuple[float, float]:
    corners = [_value(reference, s, t) for s in shares for t in targets]
    return min(corners), max(corners)


def no_band_reason(response: ExpectedResponse, reference: float | None, comparator: str = "",
                   reference_range: tuple[float | None, float | None] | None = None,
                   system: str = "us") -> str | None:
    """Why no envelope can be drawn for this response and start, or None when one can.

    The reasons are sentences for the chart's notes and the verdict texts.
    """
    if response.size == "recovery_curve":
        return "compared with a published recovery curve instead of a band"
    if response.is_gap:
        return "no published figure was found (an evidence gap), so nothing is drawn"
    if not response.has_band:
        if response.typical is not None:
            return "only a single published figure exists, not a range, so no band is drawn"
        return "the sources give a direction but no size, so no band is drawn"
    if response.size == "reference_range" and not (
            reference_range and any(v is not None for v in reference_range)):
        return "no reference range is known for this marker"
    if reference is None:
        return "there is no value from the start of the phase to draw the band from"
    if comparator and response.size in ("relative", "change"):
        return ("the starting value is beyond the test's limit, so a change from it cannot be "
                "worked out")
    unit = marker_unit(response.analyte, system)

    def shown(value: float) -> str:
        number = marker_to_system(response.analyte, value, system)
        decimals = 0 if abs(number) >= 100 else max(1, marker_decimals(response.analyte))
        return f"{format_number(number, decimals)} {unit}"

    if response.start_below is not None and reference >= response.start_below:
        return (f"the published sizes come from men starting below {shown(response.start_below)}; "
                f"this phase started at {shown(reference)}")
    if response.start_above is not None and reference <= response.start_above:
        return (f"the published sizes come from men starting above {shown(response.start_above)}; "
                f"this phase started at {shown(reference)}")
    return None


def build_envelope(response: ExpectedResponse, *, phase_start: date | datetime | str,
                   phase_end: date | datetime | str, reference: float,
                   anchor: date | datetime | str | None = None,
                   reference_range: tuple[float | None, float | None] | None = None) -> Envelope:
    """The expected band of ``response`` from ``phase_start`` to ``phase_end``.

    ``reference`` is the value at the start (canonical unit); ``anchor`` the date the response's
    windows count from (default: the phase start); ``reference_range`` the lab's range, for
    responses whose expected state is that range. Raises ValueError when the response has no
    band (check :func:`no_band_reason` first) or the phase ends before it starts.
    """
    if not math.isfinite(reference) or reference < 0:
        raise ValueError(f"the reference value must be a number of 0 or more, not {reference!r}")
    start, end = _as_date(phase_start), _as_date(phase_end)
    length = float((end - start).days)
    if length < 0:
        raise ValueError(f"the phase ends ({end}) before it starts ({start})")
    anchor_day = float((_as_date(anchor) - start).days) if anchor is not None else 0.0
    targets = target_band(response, reference, reference_range)
    onset, plateau = _windows(response)

    def shares(t: float, left: bool = False) -> tuple[float, float]:
        return (effect_fraction(t - anchor_day, onset[1], plateau[1], left=left),
                effect_fraction(t - anchor_day, onset[0], plateau[0], left=left))

    days = {0.0, length}
    steps = set()
    for a, b in ((onset[0], plateau[0]), (onset[1], plateau[1])):
        for corner in (a, b):
            day = anchor_day + corner
            if 0 < day < length:
                days.add(day)
        if a == b and 0 < anchor_day + a <= length:
            steps.add(anchor_day + a)
    points: list[EnvelopePoint] = []
    for day in sorted(days):
        if day in steps:
            points.append(EnvelopePoint(day, *_band(reference, targets, shares(day, left=True))))
        points.append(EnvelopePoint(day, *_band(reference, targets, shares(day))))
    return Envelope(response, start, reference, anchor_day, targets[0], targets[1], tuple(points))
