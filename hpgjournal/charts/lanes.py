"""The phase lanes under a chart's x axis, shared by every chart builder.

Each phase is a bar on its lane (``domain.phases.phase_lanes`` decides the lanes), from its
first day to the day after its last (today's for an open phase), cut to the visible x range; a
phase wholly outside it is not drawn. Its name is written inside when it fits: the full name
(with an arrow for an open phase), else the short name, the short name a size smaller, else the
lane's letter, so that no phase is told apart by its colour alone where a letter fits. Each bar
is recorded as a :class:`~hpgjournal.charts.result.PhaseSpan` for hover and clicks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from matplotlib.patches import Rectangle

from hpgjournal.charts import style
from hpgjournal.charts.layout import text_width_in
from hpgjournal.charts.result import ChartResult, PhaseSpan
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.records import Phase

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_phase_lanes", "plain_axes"]


def plain_axes(ax: Axes, *sides: str) -> None:
    """The builders' small tick labels, and no frame on ``sides``."""
    ax.tick_params(labelsize=style.FONT_SIZE)
    for side in sides:
        ax.spines[side].set_visible(False)


def draw_phase_lanes(ax: Axes, result: ChartResult, phases: Sequence[Phase],
                     lanes: dict[int, int], n_lanes: int, *, x_of: Callable[[date], float],
                     x_range: tuple[float, float], axes_width_px: float,
                     last_day: date) -> None:
    """Draw ``phases`` (``lanes`` maps each one's index to its lane) on ``ax``; ``x_of`` turns
    a day into the chart's x; ``axes_width_px`` is the axes' width at 100 dots per inch."""
    lo, hi = x_range
    px_per_unit = axes_width_px / max(1.0, hi - lo)
    size = style.FONT_SIZE - 0.5
    for i, phase in enumerate(phases):
        lane = lanes[i]
        start = date.fromisoformat(phase.start_date)
        end = date.fromisoformat(phase.end_date[:10]) if phase.end_date else None
        x0 = max(x_of(start), lo)
        x1 = min(x_of((end or last_day) + timedelta(days=1)), hi)
        if x1 <= x0:  # wholly outside the days shown: no bar, nothing to hover
            continue
        colour = style.phase_colour(phase.kind)
        rect = Rectangle((x0, lane - 0.4), x1 - x0, 0.8, facecolor=colour, edgecolor="white",
                         linewidth=0.8, zorder=2)
        ax.add_patch(rect)
        label = phase_label(phase.kind) + ("" if end else " \u2192")
        room = (x1 - x0) * px_per_unit - 6
        short = style.SHORT_PHASE_LABELS.get(phase.kind, "")
        # a short phase keeps a readable name at a smaller size before a single letter
        for text, points in ((label, size), (short, size), (short, size - 1.5),
                             (style.TINY_PHASE_LABELS.get(phase.kind, ""), size)):
            if text and text_width_in(text, points) * 100 <= room:
                ax.text((x0 + x1) / 2, lane, text, ha="center", va="center", clip_on=True,
                        fontsize=points, color=style.text_colour_on(colour), zorder=3)
                break
        result.phase_spans.append(PhaseSpan(phase.id, phase.kind, phase_label(phase.kind), start,
                                            end, lane, x0, x1, colour, phase.note, rect))
    ax.set_ylim(n_lanes - 0.5, -0.5)
    ax.set_yticks([])
    ax.set_ylabel("Phases", fontsize=style.FONT_SIZE, rotation=0, ha="right", va="center")
    plain_axes(ax, "top", "right", "left")
