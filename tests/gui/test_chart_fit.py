"""The Charts page's panel fits or scrolls at a laptop's size, and its export is the whole chart."""

from __future__ import annotations

import struct
import subprocess
import sys
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea, QSplitter

from tests.ticks import tick_label_problems


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


def _small_journal(path):
    """A few results over ten weeks: the journal of someone just starting."""
    from hpgjournal.domain.results import make_result
    from hpgjournal.store.journal import Journal

    first = date.today() - timedelta(days=80)
    with Journal.open(path) as journal:
        journal.add_many([
            make_result((first + timedelta(days=day)).isoformat(), key, value, unit)
            for day in (0, 35, 70)
            for key, value, unit in (("testosterone_total", "520", "ng/dL"),
                                     ("estradiol", "28", "pg/mL"), ("lh", "4.1", "IU/L"),
                                     ("fsh", "3.2", "IU/L"), ("hematocrit", "45", "%"))])
    return path


def _ten_years(path):
    """A draw every five months over ten years, with a TRT phase across most of it."""
    from hpgjournal.domain.records import Phase
    from hpgjournal.domain.results import make_result
    from hpgjournal.store.journal import Journal

    first = date.today() - timedelta(days=3650)
    with Journal.open(path) as journal:
        journal.add(Phase(None, "trt", (first + timedelta(days=200)).isoformat(), None))
        journal.add_many([
            make_result((first + timedelta(days=day)).isoformat(), key, value, unit)
            for day in range(0, 3650, 150)
            for key, value, unit in (("testosterone_total", "610", "ng/dL"),
                                     ("estradiol", "31", "pg/mL"), ("shbg", "30", "nmol/L"),
                                     ("hematocrit", "48", "%"))])
    return path


@pytest.fixture(params=["small journal", "demo", "ten years"])
def journal_path(request, demo_path, tmp_path):
    if request.param == "demo":
        return demo_path
    make = _small_journal if request.param == "small journal" else _ten_years
    return make(tmp_path / "journal.hpgjournal")


def settle(qtbot, page) -> None:
    for _ in range(3):
        QApplication.processEvents()
    # the page draws a resized canvas again after a pause
    qtbot.waitUntil(lambda: abs(page.drawn_width - page.canvas.width()) <= 8, timeout=3000)
    page.canvas.draw()


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)], ids=["1024x640", "1366x768"])
def test_no_two_tick_labels_of_the_panel_touch(window, journal_path, size, qtbot, tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    window.open_journal(journal_path)
    window.resize(*size)
    window.show()
    window.show_page("charts")
    page = window.page("charts")
    page.select("panel")
    settle(qtbot, page)
    found = {}
    found["as laid out"] = tick_label_problems(page.figure, page.canvas.get_renderer())
    # the side panel dragged as wide as it goes: the chart as narrow as the splitter makes it
    split = page.findChild(QSplitter)
    split.setSizes([1, 10_000])
    settle(qtbot, page)
    assert page.canvas.width() >= 300
    renderer = page.canvas.get_renderer()
    found["narrowest"] = tick_label_problems(page.figure, renderer)
    width = page.canvas.get_width_height(physical=True)[0]
    for legend in page.figure.legends:  # and its legend still within the canvas
        box = legend.get_window_extent(renderer)
        if box.x0 < -1 or box.x1 > width + 1:
            found["narrowest"].append(f"legend {box.x0:.0f} to {box.x1:.0f} px in {width} px")
    figure = page.file_figure()  # the exported PNG
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    found["exported"] = tick_label_problems(figure, canvas.get_renderer())
    assert not any(found.values()), found
