"""The Charts page's panel fits or scrolls at a laptop's size, and its export is the whole chart."""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea


@pytest.fixture
def panel(window, demo_path):
    window.open_journal(demo_path)
    window.resize(1366, 768)
    window.show()
    window.show_page("charts")
    page = window.page("charts")
    page.select("panel")
    QApplication.processEvents()
    page.canvas.draw()
    return page


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def scroll_area_of(widget):
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def test_the_panels_date_axis_and_phase_lane_can_be_seen_at_1366x768(panel):
    canvas, result = panel.canvas, panel.result
    assert len(result.marker_axes) == 7 and result.lane_axes is not None
    renderer = canvas.get_renderer()
    bottom = result.figure.axes[-1]
    for axes in (result.lane_axes, bottom):
        # inside the canvas: matplotlib's y runs up from the canvas's bottom edge
        box = axes.get_tightbbox(renderer) if axes is bottom else axes.get_window_extent()
        assert box.y0 >= 0 and box.y1 <= canvas.height() * canvas.device_pixel_ratio
    scroll = scroll_area_of(canvas)
    if scroll is None:  # then the whole canvas must be on screen
        assert canvas.visibleRegion().boundingRect().height() == canvas.height()
    else:  # the scroll area reaches the canvas's bottom
        bar = scroll.verticalScrollBar()
        assert scroll.viewport().height() + bar.maximum() >= canvas.height()
        bar.setValue(bar.maximum())
        QApplication.processEvents()
        top = canvas.mapTo(scroll.viewport(), canvas.rect().bottomLeft()).y()
        assert top <= scroll.viewport().height()
    # each marker has room for its ticks: at least an inch of axes
    for axes in result.marker_axes.values():
        assert axes.get_window_extent().height >= 0.9 * result.figure.dpi


def test_the_exported_panel_is_the_whole_chart_as_the_command_line_writes_it(panel, demo_path,
                                                                           tmp_path):
    window_png = panel.export("png", tmp_path / "window.png")
    cli_png = tmp_path / "cli.png"
    subprocess.run([sys.executable, "-m", "hpgjournal", "chart", "panel", "--journal",
                    str(demo_path), "-o", str(cli_png)], check=True, capture_output=True)
    assert png_size(window_png) == png_size(cli_png)
