"""Issue 13: the pages fit a 1024x640 window and reflow when it grows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea


def settle(window, width: int, height: int) -> None:
    window.resize(width, height)
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def demo_window(window, demo_path):
    window.open_journal(demo_path)
    window.show()
    return window


def marker_cards(page):
    return [f for f in page.findChildren(QFrame) if f.objectName().startswith("marker-")
            and f.isVisible()]


def test_overview_cards_reflow_to_the_width_without_a_horizontal_scroll(demo_window):
    settle(demo_window, 1024, 640)
    demo_window.show_page("overview")
    settle(demo_window, 1024, 640)
    page = demo_window.page("overview")
    scroll = page.findChild(QScrollArea)
    viewport = scroll.viewport()
    assert scroll.horizontalScrollBar().maximum() == 0
    cards = marker_cards(page)
    assert len(cards) >= 8
    for card in cards:
        right = card.mapTo(viewport, QPoint(card.width(), 0)).x()
        assert right <= viewport.width(), card.objectName()
    narrow = {card.mapTo(viewport, QPoint(0, 0)).y() for card in cards}
    settle(demo_window, 1600, 900)
    assert scroll.horizontalScrollBar().maximum() == 0
    wide = {card.mapTo(viewport, QPoint(0, 0)).y() for card in cards}
    assert len(wide) < len(narrow)  # more cards to a row: fewer rows


def test_chart_controls_and_legend_fit_at_1024x640(demo_window, qtbot):
    settle(demo_window, 1024, 640)
    demo_window.show_page("charts")
    settle(demo_window, 1024, 640)
    page = demo_window.page("charts")
    controls = [page.marker, page.period, *page.toggles.values(), page.png, page.svg]
    boxes = []
    for widget in controls:
        assert widget.isVisible()
        top_left = widget.mapTo(page, QPoint(0, 0))
        box = widget.geometry().translated(top_left - widget.pos())
        assert page.rect().contains(box), (widget, box, page.rect())
        # nothing squeezed below what it needs (the marker's box elides, with the name as tip)
        need = widget.minimumSizeHint() if widget is page.marker else widget.sizeHint()
        assert widget.width() >= need.width(), widget
        boxes.append(box)
    for i, one in enumerate(boxes):
        assert not any(one.intersects(other) for other in boxes[i + 1:])
    assert page.marker.currentText() in page.marker.toolTip()
    # the legend is laid out for the canvas's width once it settles
    canvas = page.canvas
    qtbot.waitUntil(lambda: abs(page.drawn_width - canvas.width()) <= 8, timeout=3000)
    canvas.draw()
    renderer = canvas.get_renderer()
    for legend in page.figure.legends:
        extent = legend.get_window_extent(renderer)
        assert extent.x0 >= 0 and extent.x1 <= canvas.width() * canvas.device_pixel_ratio
