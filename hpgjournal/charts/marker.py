"""One marker, or a panel of markers, over time with phases, ranges, doses and expected bands.

See :mod:`hpgjournal.charts` for the public API. Drawing order on each marker's axes, back to
front: the lab's reference range (grey), phase boundaries, the expected band of each phase
(in the phase's colour, drawn from the value at the phase's start), then the user's values (one
series per assay method; censored values as open circles at the limit with an arrow). Under the
markers: a strip of dose ticks (one row per drug) and the phase lanes (overlapping phases on
separate lanes).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, TickHelper

from hpgjournal.charts import style
from hpgjournal.charts.data import ChartData, chart_keys, default_knowledge
from hpgjournal.charts.lanes import draw_phase_lanes
from hpgjournal.charts.layout import Row, StackLayout, text_width_in
from hpgjournal.charts.levels import MODEL_KEY, central_values, draw_model
from hpgjournal.charts.pixels import PixelMemo
from hpgjournal.charts.result import ChartResult, EnvelopeInfo, PhaseDay, PhaseSpan, PointInfo
from hpgjournal.domain import analytes
from hpgjournal.domain.assessment import TherapyTimes, anchor_for, assess, pushes_against
from hpgjournal.domain.display import marker_name, method_label, value_in
from hpgjournal.domain.expected import build_envelope, no_band_reason
from hpgjournal.domain.knowledge import (
    DERIVED_MARKERS,
    Knowledge,
    marker_decimals,
    marker_short,
    marker_to_system,
    marker_unit,
)
from hpgjournal.domain.phases import phase_label, phase_lanes
from hpgjournal.domain.pk import Fit, sources_in_use
from hpgjournal.domain.pk import label as model_label
from hpgjournal.domain.plausible import left_out_note
from hpgjournal.domain.provenance import SHORT_DIRECTION
from hpgjournal.domain.records import LabResult, Phase
from hpgjournal.domain.results import reference_range
from hpgjournal.domain.values import format_number

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase

__all__ = ["DEFAULT_SIZE", "build_marker_chart", "chart_size", "layout_lanes", "to_num"]

DEFAULT_SIZE = (10.0, 6.0)  # inches at 100 dpi: 1000 x 600 px
_T = TypeVar("_T")


# The legend says where a band's numbers come from: the source documents give directions, never
# figures, so every band's numbers are the literature's.
DIRECTION_ARROWS = {"up": "\u2191", "down": "\u2193", "flat": "\u2192",
                    "down_then_up": "\u2198\u2197"}
ENVELOPE_LABELS = {
    "seed": "Expected: the documents' direction, published figures",
    "literature": "Expected: published figures only (not in the documents)",
}

def chart_size(n_markers: int) -> tuple[float, float]:
    """Figure size (inches, at 100 dpi) for a file: 1000 x 600 px, taller for big panels."""
    return DEFAULT_SIZE[0], DEFAULT_SIZE[1] + 1.25 * max(0, n_markers - 2)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _ticked_axes(helper: TickHelper) -> Axes:
    """The axes whose axis ``helper`` ticks (these locators are only set on a real Axis)."""
    assert isinstance(helper.axis, Axis), "set on an Axis of an Axes, not a dummy axis"
    return helper.axis.axes


class _NonNegativeLocator(MaxNLocator):
    """Ticks at 0 and above only: the axis may dip below 0 to leave room for censored arrows.

    At most ``most`` intervals, fewer when the axes is too short for that many labels: each
    label gets one and a half lines of its own, measured on the axes as it is drawn.
    """

    def __init__(self, most: int = 5, size: float = style.FONT_SIZE) -> None:
        super().__init__(nbins=most, steps=[1, 2, 2.5, 5, 10])
        self.most = most
        self.size = size

    # matplotlib's stub says Sequence[float]; its locators return (and it indexes) arrays
    def tick_values(self, vmin: float, vmax: float) -> np.ndarray:  # type: ignore[override]
        if self.axis is not None:
            axes = _ticked_axes(self)
            height = axes.get_window_extent().height
            line = 1.5 * self.size / 72.0 * axes.figure.dpi
            self.set_params(nbins=max(1, min(self.most, int(height // line))))
        ticks = np.asarray(super().tick_values(vmin, vmax))  # already an array: no copy
        return ticks[ticks >= 0]


class _FittingDateLocator(mdates.AutoDateLocator):
    """matplotlib's date ticks, as many as the axes' width in pixels holds without its labels
    running together (each label as wide as the widest a date tick shows, plus a gap of one
    character), measured on the axes each time it is drawn: a narrow window or a long journal
    gets fewer ticks, never crowded ones.

    Day ticks come every day, week or fortnight only: matplotlib's other day steps restart on
    the 1st of each month, which puts two labels (the 29th or 31st, then the 1st) side by side.
    Month ticks may also come once a year, for a narrow axes over a year or two.
    """

    WIDEST = ("2026", "May", "28")  # the ConciseDateFormatter's labels at day steps and up

    def __init__(self, most: int = 10, size: float = style.FONT_SIZE) -> None:
        super().__init__(minticks=4, maxticks=most)
        self.intervald[mdates.DAILY] = [1, 7, 14]
        self.intervald[mdates.MONTHLY] = [1, 2, 3, 4, 6, 12]  # 12: a year's ticks, on 1 January
        self.most = most
        self.size = size
        self.last: tuple[tuple[float, float, int], np.ndarray] | None = None

    def fitting(self) -> int:
        """How many labels fit across the axes (at most ``most``)."""
        axes = _ticked_axes(self)
        label = max(text_width_in(text, self.size) for text in self.WIDEST)
        step = (label + self.size / 72.0) * axes.figure.dpi
        return max(2, min(self.most, int(axes.get_window_extent().width // step)))

    def get_locator(self, dmin: Any, dmax: Any) -> Any:
        if self.axis is not None:
            most = self.fitting()
            self.maxticks = dict.fromkeys(self.maxticks, most)
            # few labels: prefer months to a crowd of days (and years to months)
            self.minticks = min(4, max(2, most // 2))
        with warnings.catch_warnings():  # no step fits a very narrow axes: the widest is taken
            warnings.filterwarnings("ignore", "AutoDateLocator was unable", UserWarning)
            return super().get_locator(dmin, dmax)

    def __call__(self) -> Any:
        """The ticks, worked out once for all the stacked axes that share them, and again only
        when the days shown or the room for labels change (issue 17: not at a marker switch)."""
        if self.axis is None:
            return super().__call__()
        low, high = self.axis.get_view_interval()
        key = (float(low), float(high), self.fitting())
        if self.last is None or self.last[0] != key:
            self.last = (key, np.asarray(super().__call__()))
        return self.last[1].copy()


class _ConciseDates(mdates.ConciseDateFormatter):
    """matplotlib's concise date labels, worked out once for the same ticks (the stacked axes
    share them; see :class:`_FittingDateLocator`)."""

    def __init__(self, locator: mdates.DateLocator) -> None:
        super().__init__(locator)
        self.last: tuple[tuple[float, ...], list[str]] | None = None

    def format_ticks(self, values: Any) -> list[str]:
        key = tuple(float(v) for v in values)
        if self.last is None or self.last[0] != key:
            self.last = (key, list(super().format_ticks(values)))
        return list(self.last[1])


def to_num(stamps: Sequence[str]) -> np.ndarray:
    """Journal timestamps (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``) as matplotlib date numbers."""
    if not stamps:
        return np.empty(0)
    return mdates.date2num(np.array([s[:16] for s in stamps], dtype="datetime64[m]"))


def _day_num(day: date) -> float:
    return float(mdates.date2num(datetime.combine(day, datetime.min.time())))


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# the lane layout is the domain's, shared with the phases page's strip (issue 20)
layout_lanes = phase_lanes


def _short_reason(response: Any, start: LabResult | None) -> str:
    """A few words for the footnote on why a phase has no band."""
    if response.is_gap:
        return "no figure found"
    if not response.has_band:
        return "one published figure, no range" if response.typical is not None \
            else "no published size"
    if start is None:
        return "no value at its start"
    if start.comparator:
        return "start beyond the test's limit"
    if response.start_below is not None or response.start_above is not None:
        return "started outside the studied levels"
    return "no reference range"


LEGEND_COLUMN_SPACING = 1.2  # in font sizes, as matplotlib's ``columnspacing``


def _row_width(widths: Sequence[float], ncols: int) -> float:
    """Width (inches) of a legend of entries this wide in ``ncols`` columns.

    matplotlib fills a legend's columns one after the other (``np.array_split``: the first
    column takes the first entries), so each column is as wide as its widest entry; a column
    spacing lies between them.
    """
    columns = [float(max(chunk)) for chunk in np.array_split(np.asarray(widths), ncols)
               if len(chunk)]
    spacing = LEGEND_COLUMN_SPACING * style.FONT_SIZE / 72.0
    return sum(columns) + spacing * (len(columns) - 1)


def _series_label(key: str, method: str, derived: bool) -> str:
    name = marker_short(key) if key not in DERIVED_MARKERS else DERIVED_MARKERS[key].short
    if derived:
        return f"{name} (calculated here)" if key == "free_t_calculated" else name
    return f"{name} ({method_label(method)})" if method else name


def _value_text(result: LabResult, system: str) -> str:
    if result.analyte in analytes.CATALOGUE and result.source not in ("derived", "measure"):
        return value_in(result, system)[0]
    assert result.value is not None
    shown = marker_to_system(result.analyte, result.value, system)
    return result.comparator + format_number(shown, max(1, marker_decimals(result.analyte)))


def _phase_days(stamp: str, phases: Sequence[Phase], last_day: date) -> tuple[PhaseDay, ...]:
    day = date.fromisoformat(stamp[:10])
    out = []
    for phase in phases:
        start = date.fromisoformat(phase.start_date)
        end = _as_date(phase.end_date) or last_day
        if start <= day <= end:
            out.append(PhaseDay(phase.id, phase.kind, phase_label(phase.kind), (day - start).days))
    return tuple(out)


def _primary_method(results: Sequence[LabResult]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.method] = counts.get(r.method, 0) + 1
    return max(counts, key=lambda m: (counts[m], m == "")) if counts else ""


def _start_value(results: Sequence[LabResult], phase: Phase) -> LabResult | None:
    """The value an expected band starts from: the last one on or before the phase's first day,
    preferring the marker's main method series."""
    numeric = [r for r in results if r.value is not None and r.taken_at[:10] <= phase.start_date]
    if not numeric:
        return None
    method = _primary_method(results)
    same = [r for r in numeric if r.method == method]
    return max(same or numeric, key=lambda r: r.taken_at)




@dataclass(frozen=True)
class _Series:
    """One assay method's values of a marker in the days shown, as drawn and hovered."""

    method: str
    derived: bool
    x: np.ndarray
    y: np.ndarray
    exact: np.ndarray  # masks over the values: not censored, below a limit, above a limit
    below: np.ndarray
    above: np.ndarray
    points: tuple[PointInfo, ...]


def _kept(data: ChartData, name: str, sources: tuple[object, ...], params: tuple[Hashable, ...],
          make: Callable[[], _T]) -> _T:
    """``make()``, worked out once for this chart data (a marker switch draws the same again):
    kept in ``data.kept`` by ``params`` and by the records it is made from, ``sources``, which
    count as the same only when they are the very same objects."""
    key = (name, *map(id, sources), *params)
    found = data.kept.get(key)
    if isinstance(found, tuple) and all(a is b for a, b in zip(found[0], sources, strict=True)):
        return cast(_T, found[1])
    value = make()
    data.kept[key] = (sources, value)
    return value


# ---------------------------------------------------------------------------------------------
# A figure's axes, kept from one chart to the next
# ---------------------------------------------------------------------------------------------


@dataclass
class _Stack:
    """The stack of axes a figure's last marker chart was drawn on, and what its strips show."""

    shape: tuple[int, int, int]  # marker axes, dose rows, phase lanes
    axes: list[Axes]
    engine: StackLayout
    strips: tuple[Any, ...] = ()
    phase_spans: list[PhaseSpan] = field(default_factory=list)


class _StackAxes(Axes):
    """An axes of a marker chart's stack. A strip (the doses, the phase lanes) is the same at
    every marker switch: given the look it was drawn from (``look``), it keeps its pixels
    (:class:`~hpgjournal.charts.pixels.PixelMemo`) and puts them back while that look, its
    place, its days and the pixels under it are the same (issue 17)."""

    look: Hashable = None  # what the strip was drawn from; None: drawn every time
    memo: PixelMemo | None = None

    def draw(self, renderer: RendererBase) -> None:
        if self.look is None:
            super().draw(renderer)
            return
        if self.memo is None:
            self.memo = PixelMemo()
        key = (self.look, tuple(self.get_position().bounds), tuple(self.viewLim.bounds),
               _canvas_of(renderer))
        if self.memo.draw(super().draw, renderer, key, self.get_window_extent):
            self.stale = False


class _KeptLegend(Legend):
    """The legend above the chart, kept (object and pixels) while its entries look the same."""

    look: Hashable = None
    memo: PixelMemo | None = None

    def draw(self, renderer: RendererBase) -> None:
        if self.look is None:  # not the page's figure: a file is drawn once
            super().draw(renderer)
            return
        if self.memo is None:
            self.memo = PixelMemo()
        if self.memo.draw(super().draw, renderer, (self.look, _canvas_of(renderer)),
                          lambda: self.get_window_extent(renderer)):
            self.stale = False


def _canvas_of(renderer: Any) -> tuple[object, ...]:
    return (getattr(renderer, "width", None), getattr(renderer, "height", None),
            getattr(renderer, "dpi", None))


def _handle_look(handle: Any) -> Hashable:
    """What a legend entry looks like (equal: drawn the same); an unknown kind never equal."""
    if isinstance(handle, Line2D):
        return ("line", handle.get_label(), str(handle.get_color()), handle.get_linestyle(),
                handle.get_linewidth(), str(handle.get_marker()), handle.get_markersize(),
                str(handle.get_markerfacecolor()), str(handle.get_markeredgecolor()),
                handle.get_markeredgewidth(), handle.get_alpha(), handle.get_fillstyle())
    if isinstance(handle, Patch):
        return ("patch", handle.get_label(), tuple(handle.get_facecolor()),
                tuple(handle.get_edgecolor()), handle.get_linewidth(), str(handle.get_linestyle()),
                handle.get_alpha(), handle.get_hatch())
    return (object(),)


@dataclass
class _FigureKept:
    """What a figure drawn again with another marker (the chart page's switch) keeps: its
    stack of axes (making them, their ticks and labels is most of a draw's cost, and the dose
    strip and the phase lanes are the same for every marker), and the legends it showed, by
    their look, for a switch back to one (they outlive the stack and a cleared figure: a marker
    after a panel), each with its pixels (issue 17). Held by the figure, gone with it; only a
    figure passed in keeps anything (one made here is drawn once)."""

    stack: _Stack | None = None
    legends: dict[Hashable, _KeptLegend] = field(default_factory=dict)


KEPT_LEGENDS = 12  # each keeps its pixels twice (before and after): some 300 kB
_KEPT_ATTRIBUTE = "_hpgjournal_kept"


def _kept_by(figure: Figure) -> _FigureKept:
    found = getattr(figure, _KEPT_ATTRIBUTE, None)
    if not isinstance(found, _FigureKept):
        found = _FigureKept()
        setattr(figure, _KEPT_ATTRIBUTE, found)
    return found


def _dress(ax: Axes) -> None:
    """What every marker axes looks like, whichever marker it shows: set once per axes."""
    ax.tick_params(labelsize=style.FONT_SIZE)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _empty(ax: Axes) -> None:
    """Take every artist the last chart drew off ``ax`` (its title and labels are set anew),
    keeping the axes, its ticks and its look."""
    for artist in (*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images,
                   *ax.tables, *ax.artists):
        artist.remove()
    ax.containers.clear()
    ax.ignore_existing_data_limits = True


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, data: ChartData, markers: Sequence[str], *, start: date | None,
                 end: date | None, units: str, show_ranges: bool, show_phases: bool,
                 show_expected: bool, show_doses: bool, knowledge: Knowledge | None,
                 figure: Figure | None, size: tuple[float, float],
                 footnote: bool = False, model: Fit | None = None) -> None:
        if units not in ("us", "si"):
            raise ValueError(f"units must be 'us' or 'si', not {units!r}")
        if not markers:
            raise ValueError("name at least one marker to chart")
        unknown = [m for m in markers if m not in chart_keys()]
        if unknown:
            raise ValueError(f"unknown marker {unknown[0]!r}")
        if not isinstance(data, ChartData):
            raise TypeError("build a chart from the chart data (hpgjournal.services.chartdata."
                            "load_chart_data), not from a journal")
        self.data = data
        self.markers = list(dict.fromkeys(markers))
        self.units = units
        self.show = {"ranges": show_ranges, "phases": show_phases, "expected": show_expected,
                     "doses": show_doses}
        self.knowledge = knowledge or (default_knowledge() if show_expected else None)
        self.last_day = data.last_day or date.today()
        first = data.first_day or self.last_day - timedelta(days=30)
        self.start = start or first
        self.end = end or self.last_day
        if self.end < self.start:
            raise ValueError(f"the chart ends ({self.end}) before it starts ({self.start})")
        span = max(1, (self.end - self.start).days)
        margin = timedelta(days=max(2, round(span * 0.02)))
        self.x0 = _day_num(self.start - margin)
        self.x1 = _day_num(self.end + margin)
        self.figure = figure
        self.size = size
        self.result: ChartResult | None = None
        self.axes_height_px = 300.0
        self.axes_width_px = 800.0
        self.footnote = footnote
        self.model = model  # the dose-to-level model to draw on total T, or None
        self.no_band: list[tuple[str, str]] = []  # (phase kind, short reason) for the footnote
        self.phases = [p for p in data.phases
                       if p.start_date <= self.end.isoformat()
                       and (_as_date(p.end_date) or self.last_day) >= self.start]

    # ----------------------------------------------------------------- layout
    def _dose_rows(self) -> list[tuple[str, str, np.ndarray]]:
        if not self.show["doses"]:
            return []
        lo, hi = self.start.isoformat(), (self.end + timedelta(days=1)).isoformat()

        def make() -> list[tuple[str, str, np.ndarray]]:
            by_drug: dict[str, list[str]] = {}
            kinds: dict[str, str] = {}
            for dose in self.data.doses:
                if lo <= dose.taken_at < hi:
                    by_drug.setdefault(dose.drug, []).append(dose.taken_at)
                    kinds.setdefault(dose.drug, dose.phase_kind)
            rows = sorted(by_drug.items(), key=lambda kv: min(kv[1]))
            return [(drug, kinds[drug], to_num(stamps)) for drug, stamps in rows]

        return list(_kept(self.data, "doses", (self.data.doses,), (lo, hi), make))

    def _strips_drawn_from(self, dose_rows: Sequence[tuple[str, str, np.ndarray]],
                           lanes: dict[int, int]) -> tuple[Any, ...]:
        """Everything the dose strip and the phase lanes are drawn from: equal, and the
        strips a figure shows already are this chart's."""
        return (tuple((drug, kind, x.tobytes()) for drug, kind, x in dose_rows),
                tuple(self.phases), tuple(sorted(lanes.items())), self.x0, self.x1,
                round(self.axes_width_px, 3), self.end)

    def _stack(self, figure: Figure, shape: tuple[int, int, int], heights: list[float | None],
               left: float) -> tuple[list[Axes], StackLayout, _Stack | None]:
        """The axes and layout to draw on: the figure's own when its last chart was a stack of
        this shape (a marker switch: no axis, tick or label is made again), else new ones."""
        kept = _kept_by(figure).stack if self.figure is not None else None
        if kept is not None and kept.shape == shape and kept.axes == list(figure.axes) \
                and figure.get_layout_engine() is kept.engine:
            for text in figure.texts:  # the last chart's footnote (its legend: see _legend)
                text.remove()
            for ax in kept.axes[:shape[0]]:  # the marker axes: emptied of the last marker
                _empty(ax)
            return kept.axes, kept.engine, kept
        figure.clear()
        axes = list(figure.subplots(len(heights), 1, sharex=True, squeeze=False,
                                    subplot_kw={"axes_class": _StackAxes})[:, 0])
        rows = [Row(ax, height=h, gap_above=0.3 if h is None else 0.1) for ax, h in
                zip(axes, heights, strict=True)]
        if shape[2]:  # the lanes, under the doses
            rows[-1].gap_above = 0.06
        engine = StackLayout(rows, left=left, right=0.25, top=0.3)
        figure.set_layout_engine(engine)
        for ax in axes[:shape[0]]:
            _dress(ax)
        if self.figure is not None:
            _kept_by(figure).stack = _Stack(shape, axes, engine)
        return axes, engine, None

    def build(self) -> ChartResult:
        dose_rows = self._dose_rows()
        lanes = layout_lanes(self.phases, self.last_day) if self.show["phases"] else {}
        n_lanes = max(lanes.values(), default=-1) + 1
        n = len(self.markers)
        heights: list[float | None] = [None] * n
        if dose_rows:
            heights.append(0.06 + 0.15 * len(dose_rows))
        if n_lanes:
            heights.append(0.04 + 0.25 * n_lanes)
        left = max(0.8, text_width_in("Phases", style.FONT_SIZE) + 0.25)
        figure = self.figure if self.figure is not None else Figure(figsize=self.size, dpi=100)
        axes, engine, kept = self._stack(figure, (n, len(dose_rows), n_lanes), heights, left)
        engine.set(bottom=0.42 + (0.2 if self.footnote else 0.0)
                   + (0.28 if self.footnote and self.model is not None else 0.0))
        width, height = figure.get_size_inches()
        free = height - 0.72 - sum(h or 0 for h in heights) - sum(r.gap_above for r in engine.rows)
        self.axes_height_px = max(0.35, free / n) * 100
        self.axes_width_px = engine.axes_width_in(width) * 100
        result = ChartResult(figure=figure, units=self.units, marker_axes={},
                             x_range=(self.x0, self.x1), x_is_date=True)
        self.result = result
        handles: dict[str, Any] = {}
        for i, key in enumerate(self.markers):
            ax = axes[i]
            result.marker_axes[key] = ax
            self._draw_marker(ax, key, handles)
        strips = self._strips_drawn_from(dose_rows, lanes)
        same_strips = kept is not None and kept.strips == strips
        index = n
        if dose_rows:
            result.dose_axes = axes[index]
            if not same_strips:
                _empty(axes[index])
                self._draw_doses(axes[index], dose_rows)
            index += 1
        if n_lanes:
            result.lane_axes = axes[index]
            if same_strips and kept is not None:
                result.phase_spans.extend(kept.phase_spans)
            else:
                _empty(axes[index])
                self._draw_lanes(axes[index], lanes, n_lanes)
        stack = _kept_by(figure).stack if self.figure is not None else None
        if stack is not None:
            stack.strips, stack.phase_spans = strips, list(result.phase_spans)
        for ax in axes[n:]:  # the strips keep their pixels while drawn from the same
            if isinstance(ax, _StackAxes):
                ax.look = strips if self.figure is not None else None
        bottom = axes[-1]
        if kept is None:
            locator = _FittingDateLocator()
            bottom.xaxis.set_major_locator(locator)
            bottom.xaxis.set_major_formatter(_ConciseDates(locator))
            for ax in axes[:-1]:
                ax.tick_params(labelbottom=False)
        bottom.set_xlim(self.x0, self.x1)  # also undoes a zoom of the chart before
        engine.set(top=self._legend(figure, handles))
        if self.footnote:
            self._footnote(figure)
        self._assess()
        return result

    def _footnote(self, figure: Figure) -> None:
        """One line under the chart: what the bands are, and which phases have none and why."""
        text = "Bands: the range expected in a phase, from the value at its start."
        if self.no_band and len(self.markers) == 1:
            reasons: dict[str, list[str]] = {}
            for kind, why in self.no_band:
                name = style.SHORT_PHASE_LABELS.get(kind, kind)
                if name not in reasons.setdefault(why, []):
                    reasons[why].append(name)
            text += " No band: " + "; ".join(f"{', '.join(names)} ({why})"
                                              for why, names in reasons.items()) + "."
        elif self.no_band:
            text += " Phases without a band have no published range for that marker."
        if self.result is not None and self.result.model is not None:
            fit = self.result.model.fit
            text += (f" Model curve: {model_label(fit)} Sources: {'; '.join(sources_in_use(fit))}."
                     if fit.model.doses else "")
        for key in self.markers:
            text += (" " + left_out_note(self.data.left_out[key])) if key in self.data.left_out \
                else ""
        figure.text(0.01, 0.008, text, fontsize=style.FONT_SIZE - 1.5, color="#555555",
                    ha="left", va="bottom", wrap=True)

    # ----------------------------------------------------------------- one marker
    def _draw_marker(self, ax: Axes, key: str, handles: dict[str, Any]) -> None:
        result = self.result
        assert result is not None
        if key in self.data.left_out:  # impossible stored values: not drawn, and said so
            result.notes.append(left_out_note(self.data.left_out[key]))
        results = [r for r in self.data.series.get(key, []) if r.value is not None]
        unit = marker_unit(key, self.units)
        methods = {r.method for r in results}
        title = marker_name(key)
        if len(methods) == 1 and next(iter(methods)) and key not in DERIVED_MARKERS:
            title += f" ({method_label(next(iter(methods)))})"
        # an explicit y turns off matplotlib's title placement, which measures the axis each draw
        ax.set_title(title, loc="left", fontsize=style.TITLE_SIZE, pad=3, y=1.0)
        ax.set_ylabel("" if unit.startswith("ratio") else unit, fontsize=style.FONT_SIZE)
        ys: list[float] = []
        if self.show["ranges"]:
            ys += self._draw_ranges(ax, key, results, handles)
        starts = [x for x in (_day_num(date.fromisoformat(p.start_date)) for p in self.phases)
                  if self.x0 < x < self.x1]
        if starts:  # phase boundaries, one artist: x in data, y across the axes
            xs = np.repeat(starts, 3)
            xs[2::3] = np.nan
            ax.plot(xs, np.tile([0.0, 1.0, np.nan], len(starts)), transform=ax.get_xaxis_transform(),
                    color=style.BOUNDARY_COLOUR, linewidth=0.6, linestyle=":", zorder=1)
        envelopes = self._envelopes(key, results) if self.show["expected"] else []
        finite = [v for e in envelopes for p in e.envelope.points for v in (p.low, p.high)
                  if math.isfinite(v)]
        shown_env = [marker_to_system(key, v, self.units) for v in finite]
        ys += self._draw_series(ax, key, results, handles)
        if self.model is not None and key == MODEL_KEY:
            result.model = draw_model(ax, self.model, (self.x0, self.x1), self.units, handles,
                                      columns=max(100, round(self.axes_width_px)))
            shown_env += central_values(result.model, self.units)
        data_top = max(ys, default=0.0)
        top = max([*ys, *shown_env], default=1.0)
        if data_top > 0:
            top = min(top, data_top * 1.5)  # a band far above the data is clipped, not the data
        top = top * 1.12 if top > 0 else 1.0
        lowest = min([*ys, *shown_env], default=0.0)
        bottom = 0.0
        if lowest > 0.45 * top:  # a narrow range far from 0 (hematocrit): zoom in on it
            bottom = lowest - 0.15 * (top - lowest)
        low_censored = any(r.comparator.startswith("<") and r.value is not None and
                           marker_to_system(key, r.value, self.units) < bottom + (top - bottom) * 0.25
                           for r in results)
        if low_censored:  # room under the axis for the arrows of values below a test's limit
            room = min(0.35, 18 / max(self.axes_height_px, 1.0))
            bottom -= (top - bottom) * room / (1 - room)
        ax.set_ylim(bottom, top)
        ax.yaxis.set_major_locator(_NonNegativeLocator())
        for info in envelopes:
            self._draw_envelope(ax, key, info, top, handles)
        if self.show["expected"]:
            self._draw_directions(ax, key, {e.phase_id for e in envelopes})
        if not results:
            ax.text(0.5, 0.5, "no results in the journal", transform=ax.transAxes, ha="center",
                    va="center", fontsize=style.FONT_SIZE, color="#666666")

    def _draw_ranges(self, ax: Axes, key: str, results: Sequence[LabResult],
                     handles: dict[str, Any]) -> list[float]:
        if key in DERIVED_MARKERS:
            if key == "t_e2_ratio":
                line = 10.0 if self.units == "us" else marker_to_system(key, 10.0, "si")
                ax.axhline(line, color=style.REFERENCE_FACE, linewidth=1.0, linestyle="--",
                           zorder=2)
                handles.setdefault("ratio", Line2D([], [], color=style.REFERENCE_FACE, ls="--",
                                                   label="T/E2 of 10: 20th percentile of fertile men"))
                return [line]
            return []
        source = "lab"
        method = _primary_method(results)

        def lab_segments() -> list[tuple[float, float | None, float | None]]:
            """(from x, low, high) of each run of the same lab range of the main method."""
            out: list[tuple[float, float | None, float | None]] = []
            ranged = [r for r in results if r.method == method and (r.ref_low, r.ref_high)
                      != (None, None)]
            for r, x in zip(ranged, to_num([r.taken_at for r in ranged]), strict=True):
                bounds = (r.ref_low, r.ref_high)
                if not out or out[-1][1:] != bounds:
                    out.append((float(x), *bounds))
            return out

        segments = list(_kept(self.data, "ranges", (self.data.series.get(key, []),), (key,),
                              lab_segments))
        if not segments:
            low, high, _ = analytes.default_range(key, _primary_method(results))
            if low is None and high is None:
                return []
            segments = [(self.x0, low, high)]
            source = "default"
        out = []
        for i, (x, low, high) in enumerate(segments):
            x_start = self.x0 if i == 0 else x
            x_end = segments[i + 1][0] if i + 1 < len(segments) else self.x1
            lo = marker_to_system(key, low, self.units) if low is not None else None
            hi = marker_to_system(key, high, self.units) if high is not None else None
            if lo is not None and hi is not None:
                ax.fill_between([x_start, x_end], lo, hi, color=style.REFERENCE_FACE,
                                alpha=style.REFERENCE_ALPHA, linewidth=0, zorder=0)
                out += [lo, hi]
            else:
                edge = lo if lo is not None else hi
                assert edge is not None, "segments without either bound were left out above"
                ax.plot([x_start, x_end], [edge, edge], color=style.REFERENCE_FACE, linewidth=1.0,
                        linestyle="--", zorder=1)
                out.append(edge)
        label = "Lab's reference range" if source == "lab" else "Typical adult range (no lab range)"
        if method and len({r.method for r in results}) > 1:
            label += f" ({method_label(method)})"
        handles.setdefault("range", Patch(facecolor=style.REFERENCE_FACE,
                                          alpha=style.REFERENCE_ALPHA * 2.5, label=label))
        return out

    def _series_of(self, key: str, results: Sequence[LabResult]) -> tuple[_Series, ...]:
        """The marker's series in the days shown, one per assay method (the main one first),
        as drawn and hovered: worked out once per chart data, units and days."""
        lo, hi = self.start.isoformat(), (self.end + timedelta(days=1)).isoformat()

        def make() -> tuple[_Series, ...]:
            shown = [r for r in results if lo <= r.taken_at < hi]
            primary = _primary_method(results)
            methods = list(dict.fromkeys(r.method for r in sorted(
                shown, key=lambda r: (r.method != primary, r.taken_at))))
            unit = marker_unit(key, self.units)
            out = []
            for method in methods:
                items = [r for r in shown if r.method == method]
                derived = items[0].source == "derived"
                x = to_num([r.taken_at for r in items])
                # (type: ignore below: the items drawn are those with a value)
                y = np.array([marker_to_system(key, r.value, self.units) for r in items])  # type: ignore[arg-type]
                label = _series_label(key, method, derived)
                points = tuple(PointInfo(
                    marker=key, method=method, series=label, result_id=r.id,
                    taken_at=r.taken_at, x=float(xi), y=float(yi),
                    value_text=_value_text(r, self.units), unit=unit,
                    censored=bool(r.comparator), derived=derived, lab=r.lab, note=r.note,
                    phases=_phase_days(r.taken_at, self.data.phases, self.last_day),
                ) for r, xi, yi in zip(items, x, y, strict=True))
                out.append(_Series(
                    method, derived, x, y, np.array([not r.comparator for r in items], dtype=bool),
                    np.array([r.comparator.startswith("<") for r in items], dtype=bool),
                    np.array([r.comparator.startswith(">") for r in items], dtype=bool), points))
            return tuple(out)

        source = self.data.series.get(key, [])
        return _kept(self.data, "series", (source, self.data.phases),
                     (key, self.units, lo, hi, self.last_day), make)

    def _draw_series(self, ax: Axes, key: str, results: Sequence[LabResult],
                     handles: dict[str, Any]) -> list[float]:
        result = self.result
        assert result is not None
        ys: list[float] = []
        every = self._series_of(key, results)
        for n, series in enumerate(every):
            x, y, method, derived = series.x, series.y, series.method, series.derived
            colour = style.SERIES_COLOURS[n % len(style.SERIES_COLOURS)]
            symbol = style.DERIVED_MARKER if derived else style.SERIES_MARKERS[
                n % len(style.SERIES_MARKERS)]
            ys += y.tolist()
            ax.plot(x, y, color=colour, linewidth=1.1, alpha=0.55,
                    linestyle="--" if derived else "-", zorder=3)
            exact = series.exact
            ax.plot(x[exact], y[exact], linestyle="none", marker=symbol, markersize=5,
                    color=colour, zorder=5)
            for mask, direction in ((series.below, "down"), (series.above, "up")):
                if mask.any():
                    ax.plot(x[mask], y[mask], linestyle="none", marker=symbol, markersize=6,
                            markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.3,
                            zorder=6)
                    ax.plot(x[mask], y[mask], linestyle="none", color=colour,
                            marker=MarkerStyle(style.censored_arrow(direction), fillstyle="none"),
                            markersize=20, markeredgecolor=colour, markeredgewidth=1.2, zorder=6)
                    handles.setdefault("censored", Line2D(
                        [], [], linestyle="none", marker="o", markerfacecolor="white",
                        markeredgecolor="#333333", label="Beyond the test's limit"))
            several = len(every) > 1
            # a ratio drawn for two estradiol assays is two series, each in the legend
            legend = ("Calculated here" if derived else "Your results") + (
                f", {method_label(method)} (assays kept apart)" if method and several else "")
            handles.setdefault(f"series:{legend}", Line2D(
                [], [], color=colour, marker=symbol, linestyle="--" if derived else "-",
                markersize=5, label=legend))
            result.points.extend(series.points)
        return ys

    # ----------------------------------------------------------------- expected bands
    def _envelopes(self, key: str, results: Sequence[LabResult]) -> list[EnvelopeInfo]:
        result = self.result
        knowledge = self.knowledge
        assert result is not None and knowledge is not None
        times: TherapyTimes = self.data.times
        out = []
        for phase in self.phases:
            response = knowledge.response(phase.kind, key)
            if response is None:
                continue
            label = phase_label(phase.kind)
            start_result = _start_value(results, phase)
            ref_range = reference_range(start_result) if start_result else None
            reason = no_band_reason(
                response, start_result.value if start_result else None,
                start_result.comparator if start_result else "", ref_range, self.units)
            if reason is not None:
                if response.size != "recovery_curve":
                    result.notes.append(f"{label}, {marker_short(key)}: {reason}.")
                    self.no_band.append((phase.kind, _short_reason(response, start_result)))
                continue
            assert start_result is not None and start_result.value is not None
            phase_end = _as_date(phase.end_date) or self.end
            why = ""
            for other in self.data.phases:
                if (other is not phase and other.kind not in (phase.kind, "baseline")
                        and phase.start_date < other.start_date <= phase_end.isoformat()
                        and pushes_against(response, knowledge.response(other.kind, key))):
                    cut = date.fromisoformat(other.start_date)
                    if cut < phase_end:
                        phase_end = cut
                        why = (f"{phase_label(other.kind).lower()} began on {other.start_date} and "
                               f"pushes {marker_short(key)} the other way")
            if phase_end < (_as_date(phase.end_date) or self.end):
                anchor, _ = anchor_for(response, phase, self.data.phases, times)
                due = anchor.date() + timedelta(days=(response.onset_days or (0, 0))[1])
                if phase_end <= due:
                    result.notes.append(f"{label}, {marker_short(key)}: no band, because {why} "
                                        f"before the expected change was due.")
                    self.no_band.append((phase.kind, "an overlapping phase pushes the other way"))
                    continue
                result.notes.append(f"{label}, {marker_short(key)}: the band stops where {why}.")
            anchor, _ = anchor_for(response, phase, self.data.phases, times)
            envelope = build_envelope(response, phase_start=phase.start_date,
                                      phase_end=max(phase_end, date.fromisoformat(phase.start_date)),
                                      reference=start_result.value, anchor=anchor,
                                      reference_range=ref_range)
            info = EnvelopeInfo(phase.id, phase.kind, key, response, envelope,
                                response.literature_only)
            out.append(info)
        return out

    def _draw_directions(self, ax: Axes, key: str, banded: set[int | None]) -> None:
        """For each phase with an expectation but no band, its direction as a mark in its span,
        from the phase's first day on, with who says so."""
        result = self.result
        knowledge = self.knowledge
        assert result is not None and knowledge is not None
        per_unit = self.axes_width_px / max(1.0, self.x1 - self.x0)
        size = style.FONT_SIZE - 1.5
        lanes = layout_lanes(self.phases, self.last_day)  # overlapping phases: one row each
        row_height = min(0.12, 14 / max(self.axes_height_px, 1.0))
        for i, phase in enumerate(self.phases):
            response = knowledge.response(phase.kind, key)
            if response is None or phase.id in banded or response.size == "recovery_curve":
                continue
            words = SHORT_DIRECTION.get(response.direction, "")
            if not words or response.is_gap or response.direction not in DIRECTION_ARROWS:
                continue  # "varies" or "unknown" is no expectation: nothing to mark
            start = _day_num(date.fromisoformat(phase.start_date))
            end = _day_num((_as_date(phase.end_date) or self.end) + timedelta(days=1))
            x0, x1 = max(start, self.x0), min(end, self.x1)
            if x1 <= x0:
                continue
            who = {"seed": "documents", "literature": "literature",
                   "seed+literature": "documents"}.get(response.origin, "")
            arrow = DIRECTION_ARROWS.get(response.direction, "")
            room = (x1 - x0) * per_unit - 4
            for text in (f"{arrow} {words} ({who})", f"{arrow} {words}", arrow):
                if text_width_in(text, size) * 100 <= room:
                    break
            else:
                continue
            y = 0.97 - lanes.get(i, 0) * row_height
            ax.text((x0 + x1) / 2, y, text, transform=ax.get_xaxis_transform(), ha="center",
                    va="top", fontsize=size, color=style.phase_colour(phase.kind), zorder=7,
                    clip_on=True)
            result.direction_marks.append((phase.kind, key, f"{arrow} {words} ({who})"))

    def _draw_envelope(self, ax: Axes, key: str, info: EnvelopeInfo, top: float,
                       handles: dict[str, Any]) -> None:
        result = self.result
        assert result is not None
        colour = style.phase_colour(info.kind)
        kind = "literature" if info.literature_only else "seed"
        points = info.envelope.dated()
        x = mdates.date2num([p[0] for p in points])
        ceiling = top * 4
        low = np.array([marker_to_system(key, p[1], self.units) for p in points])
        high = np.array([marker_to_system(key, p[2], self.units) if math.isfinite(p[2])
                         else ceiling for p in points])
        artist = ax.fill_between(x, low, high, color=colour, alpha=style.ENVELOPE_ALPHA[kind],
                                 linewidth=0, zorder=2)
        for edge in (low, high):
            if np.all(edge >= ceiling):
                continue
            ax.plot(x, edge, color=colour, linewidth=1.0, linestyle=style.ENVELOPE_EDGE[kind],
                    alpha=0.9, zorder=2)
        result.envelopes.append(EnvelopeInfo(info.phase_id, info.kind, key, info.response,
                                             info.envelope, info.literature_only, artist))
        label = ENVELOPE_LABELS[kind]
        handles.setdefault(f"env:{kind}", Patch(facecolor=style.LEGEND_ENVELOPE_FACE[kind],
                                                edgecolor="#555555", linewidth=1.0,
                                                linestyle=style.ENVELOPE_EDGE[kind], label=label))

    # ----------------------------------------------------------------- strips
    def _draw_doses(self, ax: Axes, rows: Sequence[tuple[str, str, np.ndarray]]) -> None:
        """One row of ticks per drug (one Line2D each, ticks split by NaN); names inside the strip."""
        per_unit = self.axes_width_px / max(1.0, self.x1 - self.x0)
        size = style.FONT_SIZE - 1
        for i, (drug, kind, x) in enumerate(rows):
            colour = style.phase_colour(kind)
            xs = np.repeat(x, 3)
            ys = np.tile([i - 0.36, i + 0.36, np.nan], len(x))
            xs[2::3] = np.nan
            ax.plot(xs, ys, color=colour, linewidth=0.8, solid_capstyle="butt")
            label_px = text_width_in(drug, size) * 100 + 8
            before = (x.min() - self.x0) * per_unit
            after = (self.x1 - x.max()) * per_unit
            if before >= label_px:
                ax.text(x.min() - 4 / per_unit, i, drug, ha="right", va="center", fontsize=size,
                        color="#333333")
            elif after >= label_px:
                ax.text(x.max() + 4 / per_unit, i, drug, ha="left", va="center", fontsize=size,
                        color="#333333")
            else:
                ax.text(self.x0, i, drug, ha="left", va="center", fontsize=size, color="#333333",
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
        ax.set_yticks([])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_ylabel("Doses", fontsize=style.FONT_SIZE, rotation=0, ha="right", va="center")

    def _draw_lanes(self, ax: Axes, lanes: dict[int, int], n_lanes: int) -> None:
        assert self.result is not None
        draw_phase_lanes(ax, self.result, self.phases, lanes, n_lanes, x_of=_day_num,
                         x_range=(self.x0, self.x1), axes_width_px=self.axes_width_px,
                         last_day=self.end)

    # ----------------------------------------------------------------- legend and verdicts
    def _legend(self, figure: Figure, handles: dict[str, Any]) -> float:
        """Put the legend above the axes; return the top margin it needs (inches)."""
        order = [k for k in handles if k.startswith("series:")]
        order += [k for k in ("censored", "range", "ratio", "env:seed", "env:literature",
                              "model", "model-far")
                  if k in handles]
        items = [handles[k] for k in order]
        room = figure.get_size_inches()[0] - 0.4
        widths = [text_width_in(h.get_label(), style.FONT_SIZE) + 0.55 for h in items]
        ncols = len(items)
        while ncols > 1 and _row_width(widths, ncols) > room:
            ncols -= 1
        # the page's figure keeps the legends it showed (a marker switch back to one shows the
        # same legend again: the same object, its pixels kept)
        kept_ones = _kept_by(figure).legends if self.figure is not None else None
        look = (ncols, *map(_handle_look, items))
        for legend in list(figure.legends):
            if kept_ones is None or not isinstance(legend, _KeptLegend):
                legend.remove()
        figure.legends.clear()  # a kept legend stays tied to the figure, in the stack
        figure.stale = True
        if not items:
            return 0.15
        kept = kept_ones.get(look) if kept_ones is not None else None
        if kept is None:
            kept = _KeptLegend(figure, items, [h.get_label() for h in items],
                               loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=ncols,
                               frameon=False, fontsize=style.FONT_SIZE, handlelength=1.8,
                               columnspacing=LEGEND_COLUMN_SPACING, borderaxespad=0.2,
                               bbox_transform=figure.transSubfigure)
            if kept_ones is not None:
                kept.look = look
                if len(kept_ones) >= KEPT_LEGENDS:
                    del kept_ones[next(iter(kept_ones))]
                kept_ones[look] = kept
        figure.legends.append(kept)
        # as Figure.legend does: its remove() takes it off this (the figure's current) list
        setattr(kept, "_remove_method", figure.legends.remove)  # noqa: B010 (not in the stubs)
        return 0.12 + math.ceil(len(items) / ncols) * 0.2

    def _assess(self) -> None:
        result = self.result
        assert result is not None
        if self.knowledge is None:
            return
        series = {k: self.data.series.get(k, []) for k in self.markers}
        knowledge = self.knowledge
        result.assessments = list(_kept(
            self.data, "verdicts",
            (self.data.phases, knowledge, self.data.times, *series.values()),
            (tuple(series), self.units, self.last_day),
            lambda: assess(self.data.phases, knowledge, series, times=self.data.times,
                           system=self.units, until=self.last_day)))


def build_marker_chart(data: ChartData, analytes: Sequence[str], *,
                       start: date | str | None = None, end: date | str | None = None,
                       units: str = "us", show_ranges: bool = True, show_phases: bool = True,
                       show_expected: bool = True, show_doses: bool = True,
                       knowledge: Knowledge | None = None, figure: Figure | None = None,
                       size: tuple[float, float] = DEFAULT_SIZE, footnote: bool = False,
                       model: Fit | None = None) -> ChartResult:
    """Chart one marker, or stack several on one time axis, with every overlay.

    See :mod:`hpgjournal.charts` for the arguments and what the result holds. ``footnote``
    adds a line under the chart saying which phases have no band and why (for files, which
    have no side panel for ``result.notes``). ``model`` (a ``pk.Fit``, from
    ``hpgjournal.services.levels.level_model``) draws the dose-to-level curve and its band on
    the total testosterone axes (``result.model``).
    """
    builder = _Builder(data, analytes, start=_as_date(start), end=_as_date(end), units=units,
                       show_ranges=show_ranges, show_phases=show_phases,
                       show_expected=show_expected, show_doses=show_doses, knowledge=knowledge,
                       figure=figure, size=size, footnote=footnote, model=model)
    return builder.build()
