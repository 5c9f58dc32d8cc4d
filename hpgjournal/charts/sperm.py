"""Sperm concentration after stopping testosterone, against the published recovery curve.

Time runs in months from the first missed testosterone dose (the last dose plus one dosing
interval), because the study behind the curve (Liu 2006) counted from that day. The upper axes
show the user's sperm concentrations (log scale; censored values as open circles with an arrow)
and the study's threshold; the lower axes the share of men in the study who had reached it by
each month, with its confidence intervals. Thin lines tie each of the user's samples to the
curve at the same month. Phase lanes run underneath on the same month scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.ticker import FuncFormatter, MultipleLocator

from hpgjournal.charts import style
from hpgjournal.charts.data import ChartData, default_knowledge
from hpgjournal.charts.lanes import draw_phase_lanes, plain_axes
from hpgjournal.charts.layout import Row, StackLayout
from hpgjournal.charts.marker import DEFAULT_SIZE, layout_lanes
from hpgjournal.charts.result import ChartResult, PhaseDay, PointInfo
from hpgjournal.domain.assessment import assess
from hpgjournal.domain.knowledge import DAYS_PER_MONTH, Knowledge, RecoveryCurve, marker_unit
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.plausible import left_out_note
from hpgjournal.domain.records import LabResult, Phase
from hpgjournal.domain.timestamps import to_datetime
from hpgjournal.domain.values import format_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CURVE_ID", "build_sperm_recovery_chart", "first_missed_dose"]

CURVE_ID = "liu2006_sperm"
KEY = "sperm_concentration"


def first_missed_dose(data: ChartData) -> tuple[datetime, str] | None:
    """The first missed testosterone dose (last dose + interval) and how it was found."""
    doses = [to_datetime(d) for d in data.times.trt_doses]
    if doses:
        last = max(doses)
        if data.times.dosing_interval_days:
            return (last + timedelta(days=data.times.dosing_interval_days),
                    "the first missed testosterone dose")
        return last, "the last testosterone dose (dosing interval unknown)"
    ends = [to_datetime(p.end_date) for p in data.phases if p.kind == "trt" and p.end_date]
    if ends:
        return max(ends), "the end of the TRT phase (no dose logged)"
    return None


def _months(stamp: str | date, anchor: datetime) -> float:
    when = to_datetime(stamp) if isinstance(stamp, str) else datetime.combine(stamp, datetime.min.time())
    return (when - anchor).total_seconds() / 86400 / DAYS_PER_MONTH


def build_sperm_recovery_chart(data: ChartData, *, units: str = "us",
                               knowledge: Knowledge | None = None, figure: Figure | None = None,
                               size: tuple[float, float] = DEFAULT_SIZE) -> ChartResult:
    """The user's sperm concentrations after stopping TRT against the published recovery curve.

    ``result.marker_axes`` holds ``"sperm_concentration"`` (upper) and ``"recovery_curve"``
    (lower); x values are months from the first missed dose (``result.x_is_date`` is False).
    """
    if units not in ("us", "si"):
        raise ValueError(f"units must be 'us' or 'si', not {units!r}")
    if not isinstance(data, ChartData):
        raise TypeError("build the chart from the chart data (hpgjournal.services.chartdata."
                        "load_chart_data), not from a journal")
    knowledge = knowledge or default_knowledge()
    curve = knowledge.curves[CURVE_ID]
    if figure is None:
        figure = Figure(figsize=size, dpi=100)
    else:
        figure.clear()
    results = [r for r in data.series.get(KEY, []) if r.value is not None]
    anchor_found = first_missed_dose(data)
    last_day = data.last_day or date.today()
    lanes = layout_lanes(data.phases, last_day)
    n_lanes = max(lanes.values(), default=-1) + 1 if anchor_found else 0
    axes = figure.subplots(3 if n_lanes else 2, 1, sharex=True, squeeze=False)[:, 0]
    rows = [Row(axes[0], weight=0.55, gap_above=0.3), Row(axes[1], weight=0.45, gap_above=0.32)]
    if n_lanes:
        rows.append(Row(axes[2], height=0.04 + 0.25 * n_lanes, gap_above=0.08))
    engine = StackLayout(rows, left=0.85, top=0.35, bottom=0.55)
    figure.set_layout_engine(engine)
    ax_values, ax_curve = axes[0], axes[1]
    result = ChartResult(figure=figure, units=units,
                         marker_axes={KEY: ax_values, "recovery_curve": ax_curve},
                         lane_axes=axes[2] if n_lanes else None, x_is_date=False)
    unit = marker_unit(KEY, units)
    if KEY in data.left_out:  # impossible stored values: not drawn, and said so
        result.notes.append(left_out_note(data.left_out[KEY]))
    ax_values.set_title("Sperm concentration after stopping testosterone", loc="left",
                        fontsize=style.TITLE_SIZE, pad=3, y=1.0)
    if anchor_found is None:
        _no_anchor(result, list(axes))
        return result
    anchor, anchor_how = anchor_found
    months = np.array([_months(r.taken_at, anchor) for r in results])
    values = np.array([r.value for r in results], dtype=float)
    end_month = max(24.0, float(months.max()) + 1 if len(months) else 0.0,
                    _months(last_day, anchor) + 0.5)
    start_month = min(-1.0, float(months.min()) - 0.5 if len(months) else 0.0)
    result.x_range = (start_month, end_month)

    handles = _draw_values(ax_values, result, results, months, values, curve, unit)
    result.points.extend(_points(results, months, np.maximum(values, _FLOOR), unit, anchor_how,
                                 data.phases))
    _draw_curve(ax_curve, curve, months, unit, knowledge)
    for target in (ax_values, ax_curve):
        target.axvline(0, color=style.BOUNDARY_COLOUR, linewidth=0.8, linestyle="--")
    if n_lanes and result.lane_axes is not None:
        draw_phase_lanes(result.lane_axes, result, data.phases, lanes, n_lanes,
                         x_of=lambda day: _months(day, anchor), x_range=result.x_range,
                         axes_width_px=engine.axes_width_in(figure.get_figwidth()) * 100,
                         last_day=last_day)
    bottom = axes[-1]
    bottom.set_xlim(start_month, end_month)
    bottom.xaxis.set_major_locator(MultipleLocator(3))
    bottom.set_xlabel(f"Months after {anchor_how} ({anchor.date().isoformat()})",
                      fontsize=style.FONT_SIZE)
    for a in axes[:-1]:
        a.tick_params(labelbottom=False)
    figure.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1.0),
                  ncols=len(handles), frameon=False, fontsize=style.FONT_SIZE, borderaxespad=0.2)
    series = {KEY: data.series.get(KEY, [])}
    result.assessments = assess(data.phases, knowledge, series, times=data.times, system=units,
                                until=last_day)
    result.notes.extend(curve.caveats)
    return result


_FLOOR = 0.05  # the lowest concentration drawn on the log axis (a zero is drawn there)


def _no_anchor(result: ChartResult, axes: Sequence[Axes]) -> None:
    """No day to count from: empty axes that say why."""
    result.notes.append("No testosterone dose or TRT phase is in the journal, so there is no "
                        "day to count the recovery from.")
    for ax in axes:
        ax.set_axis_off()
    axes[0].text(0.5, 0.5, "No testosterone dose or TRT phase in the journal:\n"
                 "the recovery curve counts from the first missed dose.",
                 transform=axes[0].transAxes, ha="center", va="center",
                 fontsize=style.FONT_SIZE + 1, color="#555555")


def _draw_values(ax: Axes, result: ChartResult, results: Sequence[LabResult],
                 months: np.ndarray, values: np.ndarray, curve: RecoveryCurve,
                 unit: str) -> list[Line2D]:
    """The user's concentrations on a log axis, the study's mark and the lab's lower limit;
    returns the legend's entries."""
    ax.set_yscale("log")
    shown = np.maximum(values, _FLOOR)
    colour = style.SERIES_COLOURS[0]
    ax.axhline(curve.threshold, color=style.phase_colour("recovery"), linewidth=1.2,
               linestyle="--")
    lab_low = next((r.ref_low for r in reversed(results) if r.ref_low is not None), None)
    handles = [Line2D([], [], color=colour, marker="o", label="Your results"),
               Line2D([], [], color=style.phase_colour("recovery"), linestyle="--",
                      label=f"{format_number(curve.threshold, 0)} {unit}: the study's "
                            "recovery mark")]
    if lab_low is not None:
        ax.axhline(lab_low, color=style.REFERENCE_FACE, linewidth=1.0, linestyle=":")
        handles.append(Line2D([], [], color=style.REFERENCE_FACE, linestyle=":",
                              label=f"Lab's lower limit ({format_number(lab_low, 0)})"))
    if len(results):
        ax.plot(months, shown, color=colour, linewidth=1.1, alpha=0.55, zorder=3)
        exact = np.array([not r.comparator for r in results], dtype=bool)
        below = np.array([r.comparator.startswith("<") for r in results], dtype=bool)
        ax.plot(months[exact], shown[exact], "o", color=colour, markersize=5, zorder=5)
        if below.any():
            ax.plot(months[below], shown[below], "o", markerfacecolor="white",
                    markeredgecolor=colour, markeredgewidth=1.3, markersize=6, zorder=6)
            ax.plot(months[below], shown[below], linestyle="none", color=colour,
                    marker=MarkerStyle(style.censored_arrow("down"), fillstyle="none"),
                    markersize=20, markeredgecolor=colour, markeredgewidth=1.2, zorder=6)
            handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                                  markeredgecolor="#333333", label="Beyond the test's limit"))
    top = max(100.0, float(shown.max()) * 2 if len(shown) else 0.0)
    ax.set_ylim(_FLOOR * 0.4, top)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, 0 if v >= 1 else 1)))
    ax.set_ylabel(unit, fontsize=style.FONT_SIZE)
    plain_axes(ax, "top", "right")
    return handles


def _points(results: Sequence[LabResult], months: np.ndarray, shown: np.ndarray, unit: str,
            anchor_how: str, phases: Sequence[Phase]) -> list[PointInfo]:
    """What hovering over each of the user's samples tells."""
    return [PointInfo(
        marker=KEY, method=r.method, series="Sperm concentration", result_id=r.id,
        taken_at=r.taken_at, x=float(x), y=float(y),
        value_text=r.comparator + format_number(r.value or 0.0, 1), unit=unit,
        censored=bool(r.comparator), derived=False, lab=r.lab,
        note=f"{x:.1f} months after {anchor_how}",
        phases=tuple(PhaseDay(p.id, p.kind, phase_label(p.kind),
                              (to_datetime(r.taken_at).date()
                               - date.fromisoformat(p.start_date)).days)
                     for p in phases if p.start_date <= r.taken_at[:10] <= (p.end_date or "9999")),
    ) for r, x, y in zip(results, months, shown, strict=True)]


def _draw_curve(ax: Axes, curve: RecoveryCurve, months: np.ndarray, unit: str,
                knowledge: Knowledge) -> None:
    """The published share of men recovered by month, with its confidence intervals and the
    user's samples tied to it at their month."""
    points = curve.points
    curve_colour = style.phase_colour("recovery")
    # a step: between two published figures the share is the last one reached, nothing drawn
    # between them as if it had been measured
    ax.plot(np.array([p.month for p in points]), np.array([p.share for p in points]),
            color=curve_colour, linewidth=1.6, zorder=3, drawstyle="steps-post")
    with_ci = [p for p in points if p.ci_low is not None and p.ci_high is not None]
    if with_ci:
        ax.errorbar([p.month for p in with_ci], [p.share for p in with_ci],
                    yerr=[[p.share - (p.ci_low or 0) for p in with_ci],
                          [(p.ci_high or 0) - p.share for p in with_ci]],
                    fmt="o", color=curve_colour, markersize=4, capsize=3, linewidth=1, zorder=4)
    if curve.median_months:
        ax.plot([curve.median_months], [50], "D", color=curve_colour, markersize=4, zorder=4)
        ax.annotate(f"median {format_number(curve.median_months, 1)} months",
                    (curve.median_months, 50), xytext=(8, -3), textcoords="offset points",
                    fontsize=style.FONT_SIZE - 0.5, color="#333333")
    colour = style.SERIES_COLOURS[0]
    for x in months[months >= 0]:
        reached = curve.published_by(float(x) * DAYS_PER_MONTH)
        share = reached.share if reached else 0.0
        ax.plot([x, x], [0, share], color=colour, linewidth=0.8, linestyle=":", zorder=2)
        ax.plot([x], [share], "o", markerfacecolor="white", markeredgecolor=colour,
                markersize=5, zorder=5)
    ax.set_ylim(0, 105)
    ax.set_ylabel("% of men", fontsize=style.FONT_SIZE)
    ax.set_title(f"Men back to {format_number(curve.threshold, 0)} {unit} by month "
                 f"({knowledge.short_names(curve.sources)}; contraceptive-trial volunteers, "
                 "likely faster than after long TRT)", loc="left", fontsize=style.FONT_SIZE + 0.5,
                 pad=3, y=1.0)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
    plain_axes(ax, "top", "right")
