"""charts.pixels: a draw's pixels are put back only where drawing again would give them."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.text import Text

from hpgjournal.charts.pixels import PixelMemo


class _Noted(Text):
    """A text whose draws go through a memo, with a key the test sets."""

    def __init__(self, memo: PixelMemo, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.memo, self.key, self.put_back = memo, "first", []

    def draw(self, renderer) -> None:
        self.put_back.append(self.memo.draw(super().draw, renderer, self.key))


def _figure(face: str = "white"):
    figure = Figure(figsize=(3, 2), dpi=100, facecolor=face)
    canvas = FigureCanvasAgg(figure)
    text = _Noted(PixelMemo(), 0.5, 0.5, "Doses", fontsize=14, ha="center")
    figure.add_artist(text)
    return figure, canvas, text


def _plain(face: str = "white", words: str = "Doses") -> np.ndarray:
    figure = Figure(figsize=(3, 2), dpi=100, facecolor=face)
    canvas = FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, words, fontsize=14, ha="center")
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_the_same_key_over_the_same_pixels_is_put_back_as_drawn():
    _, canvas, text = _figure()
    canvas.draw()
    canvas.draw()
    assert text.put_back == [False, True]
    assert np.array_equal(np.asarray(canvas.buffer_rgba()), _plain())


def test_other_pixels_underneath_or_another_key_draw_again():
    figure, canvas, text = _figure()
    canvas.draw()
    figure.set_facecolor("#ffe0e0")  # the pixels under the text differ: drawn again
    canvas.draw()
    assert text.put_back == [False, False]
    assert np.array_equal(np.asarray(canvas.buffer_rgba()), _plain("#ffe0e0"))
    text.set_text("Phases")
    text.key = "second"  # what the text shows changed, and the caller's key with it
    canvas.draw()
    assert text.put_back[-1] is False
    assert np.array_equal(np.asarray(canvas.buffer_rgba()), _plain("#ffe0e0", "Phases"))


def test_a_resized_canvas_and_other_renderers_draw_as_usual():
    figure, canvas, text = _figure()
    canvas.draw()
    figure.set_size_inches(4, 2)
    canvas.draw()
    assert text.put_back == [False, False]
    FigureCanvasSVG(figure).print_svg(io.BytesIO())  # not Agg: drawn, and nothing noted
    assert text.put_back[-1] is False and text.memo.box is None
