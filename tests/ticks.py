"""Tick labels as drawn, for the chart tests and the GUI's page checks (no Qt here)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any


def tick_label_problems(figure: Any, renderer: Any) -> list[str]:
    """Neighbouring tick labels of any axes of ``figure`` (as drawn: call after a draw) that
    overlap or run together: less than 3 pixels (at 100 dpi) between them."""
    gap = 3 * figure.dpi / 100
    problems = []
    for axes in figure.axes:
        name = axes.get_title(loc="left") or axes.get_ylabel()
        for axis, along in ((axes.xaxis, 0), (axes.yaxis, 1)):
            low, high = sorted(axis.get_view_interval())
            shown = [(tick, text) for tick, text in zip(axis.get_majorticklocs(),
                                                        axis.get_majorticklabels(), strict=False)
                     if low <= tick <= high and text.get_visible() and text.get_text()]
            boxes = sorted(((text.get_window_extent(renderer), text.get_text())
                            for _, text in shown), key=lambda b: b[0].extents[along])
            for (one, a), (two, b) in pairwise(boxes):
                apart = two.extents[along] - one.extents[along + 2]
                if apart < gap:
                    problems.append(f"{name!r}: tick labels {a!r} and {b!r} "
                                    f"{'overlap' if apart < 0 else 'run together'} "
                                    f"({apart:.0f} px apart)")
    return problems
