"""Pixels kept from one draw to the next, for a part of a chart that has not changed.

The chart page redraws its whole figure at a marker switch, but the dose strip, the phase lanes
and (mostly) the legend come out the same pixels every time: drawing them is mostly laying out
and rasterising text, glyph by glyph, which is a good part of a switch (issue 17).

A :class:`PixelMemo` wraps one artist's draw on an Agg canvas. The first time, it notes every
pixel the draw changed (a box around them and around ``extent``), and the box's pixels before
and after. The next time, if the caller's ``key`` (everything the artist's look depends on) is
the same and the box holds exactly the pixels it held before the last draw, drawing again would
give the same pixels: the memo puts them back instead. Anything else (another key, other pixels
underneath, a renderer that is not Agg's, such as the SVG one) draws as usual and is noted
afresh. What the canvas shows is the same, pixel for pixel, either way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg

__all__ = ["PixelMemo"]

PAD = 3  # pixels around what changed (antialiased edges that happened to change nothing)


class PixelMemo:
    """What one artist drew last time on an Agg canvas, to be put back when nothing changed."""

    def __init__(self) -> None:
        self.key: Hashable = None
        self.box: tuple[slice, slice] | None = None
        self.before: np.ndarray | None = None
        self.after: np.ndarray | None = None
        self.pasted = 0  # how many draws were put back (for the tests)

    def forget(self) -> None:
        self.key, self.box, self.before, self.after = None, None, None, None

    def draw(self, draw: Callable[[Any], object], renderer: Any, key: Hashable,
             extent: Callable[[], Any] | None = None) -> bool:
        """Draw with ``draw(renderer)``, or put its last pixels back; True if put back.

        ``extent``: the artist's own box on the canvas (a matplotlib Bbox in display pixels),
        which the memo covers even where the draw changed nothing."""
        if type(renderer) is not RendererAgg or key is None:
            self.forget()
            draw(renderer)
            return False
        buffer = np.asarray(renderer.buffer_rgba())
        key = (key, buffer.shape)  # a canvas of another size is drawn again, whatever the key
        if (self.key == key and self.box is not None and self.before is not None
                and np.array_equal(buffer[self.box], self.before)):
            buffer[self.box] = self.after
            self.pasted += 1
            return True
        before = buffer.copy()
        draw(renderer)
        self._note(before, buffer, key, extent() if extent is not None else None)
        return False

    def _note(self, before: np.ndarray, after: np.ndarray, key: Hashable, extent: Any) -> None:
        # a pixel's four bytes as one number: a quarter of the comparisons
        changed = before.view(np.uint32)[..., 0] != after.view(np.uint32)[..., 0]
        height, width = changed.shape
        edges = []  # (top, bottom, left, right) in buffer rows and columns
        rows = np.flatnonzero(changed.any(axis=1))
        if len(rows):
            cols = np.flatnonzero(changed[rows[0]:rows[-1] + 1].any(axis=0))
            edges.append((int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1))
        if extent is not None:  # display y is upwards, the buffer's rows downwards
            edges.append((int(np.floor(height - extent.y1)), int(np.ceil(height - extent.y0)),
                          int(np.floor(extent.x0)), int(np.ceil(extent.x1))))
        if not edges:
            self.forget()
            return
        top = max(0, min(e[0] for e in edges) - PAD)
        bottom = min(height, max(e[1] for e in edges) + PAD)
        left = max(0, min(e[2] for e in edges) - PAD)
        right = min(width, max(e[3] for e in edges) + PAD)
        if top >= bottom or left >= right:
            self.forget()
            return
        self.box = (slice(top, bottom), slice(left, right))
        self.before, self.after = before[self.box].copy(), after[self.box].copy()
        self.key = key
