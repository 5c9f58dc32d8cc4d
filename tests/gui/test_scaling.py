"""At 200 % on a 1080p screen the window has about 912 x 470 logical pixels: pages reflow or
scroll there instead of cutting their controls."""

from __future__ import annotations

from PySide6.QtCore import QPoint


def test_the_report_sections_go_to_fewer_columns_on_a_narrow_window(opened, qtbot):
    opened.show_page("report")
    page = opened.page("report")
    seen = set()
    for width in (1366, 1024, 912, 700):
        opened.resize(width, 600)
        qtbot.waitUntil(lambda w=width: page.width() < w - 100, timeout=2000)
        qtbot.wait(20)
        seen.add(page.section_columns)
        for box in page.sections.values():
            right = box.mapTo(page, QPoint(box.width(), 0)).x()
            assert box.isVisible() and right <= page.width(), (width, box.text(), right)
            assert box.width() >= box.sizeHint().width(), (width, box.text())  # not cut
    assert 3 in seen and 2 in seen  # wide windows keep three columns


def test_a_single_chart_scrolls_rather_than_squashing_in_a_short_window(opened, qtbot):
    from hpgjournal.ui.chart_view import SMALL_CANVAS_HEIGHT

    opened.show_page("charts")
    page = opened.page("charts")
    page.select("testosterone_total")
    page.chart_scroll.resize(page.chart_scroll.width(), 300)  # what is left of a 470-pixel window
    assert page.canvas.minimumHeight() == SMALL_CANVAS_HEIGHT
    assert page.canvas.height() >= SMALL_CANVAS_HEIGHT >= 440
