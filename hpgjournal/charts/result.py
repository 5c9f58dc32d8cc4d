"""What a chart builder returns: the Figure, and maps from what is drawn to the journal.

The GUI uses these for hover and clicks without re-deriving anything: :meth:`ChartResult.point_near`
finds the result under the mouse (in pixels, as matplotlib events give them),
:meth:`ChartResult.phase_at` the phase lane under a click, and :meth:`ChartResult.hover_text`
the tooltip (date, value, unit, phase and days into it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from hpgjournal.charts.levels import ModelDrawn
    from hpgjournal.domain.assessment import Assessment
    from hpgjournal.domain.expected import Envelope
    from hpgjournal.domain.knowledge import ExpectedResponse


@dataclass(frozen=True)
class PhaseDay:
    """A phase running on a point's day, and how far into it the day is."""

    phase_id: int | None
    kind: str
    label: str
    day: int  # day 0 is the phase's first day


@dataclass(frozen=True)
class PointInfo:
    """One drawn value.

    ``x`` is a matplotlib date number (or months after the anchor on the sperm recovery chart),
    ``y`` the value in the display unit. ``result_id`` is the journal row (None for derived
    values and body measures).
    """

    marker: str
    method: str
    series: str
    result_id: int | None
    taken_at: str
    x: float
    y: float
    value_text: str
    unit: str
    censored: bool
    derived: bool
    lab: str
    note: str
    phases: tuple[PhaseDay, ...]


@dataclass(frozen=True)
class PhaseSpan:
    """A phase drawn as a lane; ``x0``/``x1`` are in the lane axes' data units."""

    phase_id: int | None
    kind: str
    label: str
    start: date
    end: date | None
    lane: int
    x0: float
    x1: float
    colour: str
    note: str = ""
    artist: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class EnvelopeInfo:
    """An expected-response band drawn for one phase on one marker's axes."""

    phase_id: int | None
    kind: str
    marker: str
    response: ExpectedResponse
    envelope: Envelope
    literature_only: bool
    artist: Any = field(default=None, compare=False, repr=False)


@dataclass
class ChartResult:
    """A built chart.

    ``marker_axes`` maps each marker key to its axes (in the order drawn);
    ``dose_axes``/``lane_axes`` are the dose strip and phase lanes (None when not drawn);
    ``notes`` are sentences the chart could not show (why a phase has no band...);
    ``assessments`` the verdicts for the charted markers, for a side panel.
    """

    figure: Figure
    units: str
    marker_axes: dict[str, Axes]
    dose_axes: Axes | None = None
    lane_axes: Axes | None = None
    points: list[PointInfo] = field(default_factory=list)
    phase_spans: list[PhaseSpan] = field(default_factory=list)
    envelopes: list[EnvelopeInfo] = field(default_factory=list)
    # (phase kind, marker, text): the direction drawn where a phase has an expectation but no band
    direction_marks: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    x_range: tuple[float, float] = (0.0, 1.0)
    x_is_date: bool = True
    model: ModelDrawn | None = None  # the dose-to-level model drawn on total T (issue 18)

    def axes_marker(self, axes: Axes) -> str | None:
        return next((k for k, a in self.marker_axes.items() if a is axes), None)

    def point_near(self, axes: Axes | None, x_px: float, y_px: float, tolerance_px: float = 8.0
                   ) -> PointInfo | None:
        """The drawn value nearest to the pixel position, within ``tolerance_px``.

        Pass ``event.inaxes, event.x, event.y`` of a matplotlib mouse event.
        """
        if axes is None:
            return None
        marker = self.axes_marker(axes)
        if marker is None:
            return None
        candidates = [p for p in self.points if p.marker == marker]
        if not candidates:
            return None
        import numpy as np

        xy = np.array([[p.x, p.y] for p in candidates], dtype=float)
        shown = axes.transData.transform(xy)
        distance = np.hypot(shown[:, 0] - x_px, shown[:, 1] - y_px)
        best = int(np.argmin(distance))
        return candidates[best] if distance[best] <= tolerance_px else None

    def phase_at(self, axes: Axes | None, xdata: float | None, ydata: float | None
                 ) -> PhaseSpan | None:
        """The phase lane under a click (``event.inaxes, event.xdata, event.ydata``)."""
        if axes is None or axes is not self.lane_axes or xdata is None or ydata is None:
            return None
        lane = round(ydata)
        return next((s for s in self.phase_spans
                     if s.lane == lane and s.x0 <= xdata <= s.x1), None)

    def phases_at_x(self, x: float) -> list[PhaseSpan]:
        """Every phase running at ``x`` (any axes of the chart share the x units)."""
        return [s for s in self.phase_spans if s.x0 <= x <= s.x1]

    def hover_text(self, point: PointInfo) -> str:
        """A tooltip: date, value and unit, series, the model's level there when it is drawn,
        and the phases with days into them."""
        when = point.taken_at.replace("T", " ")
        lines = [f"{when}   {point.value_text} {point.unit}".rstrip(), point.series]
        if point.censored:
            lines.append("beyond the test's limit: the true value is "
                         + ("below" if point.value_text.startswith("<") else "above") + " it")
        model = self._model_line(point)
        if model:
            lines.append(model)
        for phase in point.phases:
            lines.append(f"{phase.label}, day {phase.day}")
        if point.lab:
            lines.append(point.lab)
        if point.note:
            lines.append(point.note)
        return "\n".join(lines)

    def _model_line(self, point: PointInfo) -> str:
        """'Model: 693 ng/dL here (used in its fit)' for a total T point, when the model is drawn."""
        from hpgjournal.charts.levels import MODEL_KEY
        from hpgjournal.domain.knowledge import marker_to_system

        if self.model is None or point.marker != MODEL_KEY or point.derived:
            return ""
        found = next((d for d in self.model.fit.draws if d.draw.taken_at == point.taken_at), None)
        if found is None:
            return ""
        shown = marker_to_system(MODEL_KEY, found.predicted, self.units)
        status = {"used": "used in its fit", "far": "far from it: left out of its fit",
                  "censored": "a limit: compared, not fitted",
                  "compared": "compared: too few draws for a fit",
                  "no dose": "the doses explain under a tenth of it: not fitted"}[found.status]
        return f"Model: {_number(shown)} {point.unit} here ({status})"

    def model_text_at(self, axes: Axes | None, xdata: float | None) -> str:
        """The model's predicted level at an x of the total T axes where the curve is drawn,
        labelled as a model ('' elsewhere): for a hover between the draws."""
        from hpgjournal.charts.levels import MODEL_KEY
        from hpgjournal.domain.knowledge import marker_to_system, marker_unit
        from hpgjournal.domain.pk import level_at

        drawn = self.model
        if (drawn is None or drawn.curve is None or xdata is None or axes is None
                or self.axes_marker(axes) != MODEL_KEY):
            return ""
        import matplotlib.dates as mdates

        start = float(mdates.date2num(drawn.curve.start))
        end = start + (len(drawn.curve.central) - 1) * drawn.curve.step_hours / 24
        if not start <= xdata <= end:
            return ""
        when = mdates.num2date(xdata).replace(tzinfo=None)
        level = marker_to_system(MODEL_KEY, level_at(drawn.fit.model, when), self.units)
        unit = marker_unit(MODEL_KEY, self.units)
        return (f"{when:%Y-%m-%d %H:%M}   Model: {_number(level)} {unit} (predicted from the "
                "doses, not a measurement)")


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"
