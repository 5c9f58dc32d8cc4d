"""Drawing a matplotlib figure with a QPainter: where things land, what is clipped, real text."""

from __future__ import annotations

import subprocess

from matplotlib.figure import Figure


def _render(figure: Figure, size=(400, 300)):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from hpgjournal.report.qtpaint import paint_figure

    image = QImage(*size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_figure(figure, painter, QRectF(0, 0, *size))
    painter.end()
    return image


def _dark_rows(image, x0, x1):
    return [y for y in range(image.height())
            if any(image.pixelColor(x, y).lightness() < 100 for x in range(x0, x1))]


def test_text_is_upright_and_where_matplotlib_puts_it(qapp):
    figure = Figure(figsize=(4, 3), dpi=100)
    ax = figure.add_axes((0.2, 0.1, 0.7, 0.6))
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    figure.text(0.5, 0.92, "TITLE", ha="center", fontsize=20)
    rows = _dark_rows(_render(figure), 150, 250)
    assert rows and max(rows) < 0.2 * 300  # the title is at the top, not mirrored to the bottom


def test_what_an_axes_clips_stays_inside_it(qapp):
    figure = Figure(figsize=(4, 3), dpi=100)
    ax = figure.add_axes((0.25, 0.25, 0.5, 0.5))
    ax.fill_between([-10, 10], [-10, -10], [10, 10], color="red")  # far beyond the limits
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    image = _render(figure)
    inside, outside = image.pixelColor(200, 150), image.pixelColor(20, 20)
    assert inside.red() > 200 and inside.green() < 80
    assert outside.lightness() > 240  # the red was clipped to the axes


def test_labels_are_text_in_a_pdf(qapp, tmp_path):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter, QPdfWriter

    from hpgjournal.report.qtpaint import paint_figure

    figure = Figure(figsize=(4, 3), dpi=100)
    ax = figure.add_subplot()
    ax.plot([1, 2, 3], [400, 650, 700])
    ax.set_ylabel("ng/dL")
    ax.set_title("Total testosterone")
    out = tmp_path / "chart.pdf"
    writer = QPdfWriter(str(out))
    painter = QPainter(writer)
    paint_figure(figure, painter, QRectF(0, 0, 4000, 3000))
    painter.end()
    del writer
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Total testosterone" in text and "ng/dL" in text and "650" in text
