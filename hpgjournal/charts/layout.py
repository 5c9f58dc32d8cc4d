"""A fast layout for stacked charts: margins and strip heights in inches, recomputed on each draw.

matplotlib's constrained layout measures every tick label of every axes on every draw, which
costs more than drawing the chart itself. The charts here are simple stacks (marker axes over a
dose strip over phase lanes), so their layout can be worked out from the figure size alone:
fixed margins, fixed heights for the strips and for each axes' title, and the rest shared by the
marker axes. Because it is a layout engine, a resized figure (the GUI's canvas) is laid out
again at its next draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from matplotlib.layout_engine import LayoutEngine

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Row", "StackLayout", "text_width_in"]


@lru_cache(maxsize=512)
def text_width_in(text: str, size: float) -> float:
    """The width of ``text`` at font ``size`` (points), in inches, without a renderer."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    width, _, _ = TextToPath().get_text_width_height_descent(text, FontProperties(size=size),
                                                             ismath=False)
    return width / 72.0


@dataclass
class Row:
    """One axes of the stack: a fixed ``height`` in inches, or a share (``weight``) of the rest."""

    axes: Axes
    height: float | None = None
    weight: float = 1.0
    gap_above: float = 0.0  # inches above the axes (room for its title)
    minimum: float = 0.35


class StackLayout(LayoutEngine):
    """Places ``rows`` top to bottom inside the margins (all in inches)."""

    _adjust_compatible = False
    _colorbar_gridspec = False

    def __init__(self, rows: list[Row], *, left: float, right: float = 0.25, top: float = 0.3,
                 bottom: float = 0.45) -> None:
        super().__init__()
        self.rows = rows
        self.margins = {"left": left, "right": right, "top": top, "bottom": bottom}

    def set(self, **kwargs: float) -> None:
        for key, value in kwargs.items():
            if key not in self.margins:
                raise TypeError(f"unknown margin {key!r}")
            self.margins[key] = float(value)

    def get(self) -> dict[str, float]:
        return dict(self.margins)

    def axes_width_in(self, figure_width_in: float) -> float:
        return max(0.5, figure_width_in - self.margins["left"] - self.margins["right"])

    def execute(self, fig: Figure) -> None:
        width, height = fig.get_size_inches()
        m = self.margins
        fixed = sum(r.height for r in self.rows if r.height is not None)
        gaps = sum(r.gap_above for r in self.rows)
        free = height - m["top"] - m["bottom"] - fixed - gaps
        weights = sum(r.weight for r in self.rows if r.height is None) or 1.0
        axes_width = self.axes_width_in(width)
        y = height - m["top"]
        for row in self.rows:
            y -= row.gap_above
            size = row.height if row.height is not None else max(row.minimum,
                                                                 free * row.weight / weights)
            y -= size
            row.axes.set_position((m["left"] / width, y / height, axes_width / width,
                                   size / height))
