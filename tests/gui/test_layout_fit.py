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


PAGES = ("overview", "labs", "medications", "phases", "symptoms", "measures", "charts", "report")


def _box(widget, page):
    from PySide6.QtCore import QRect

    return QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())


def _skipped(widget) -> bool:
    from PySide6.QtCore import Qt

    return (widget.isWindow() or widget.isHidden() or widget.width() <= 0
            or widget.height() <= 0 or bool(widget.windowFlags() & Qt.WindowType.Popup))


def geometry_problems(page) -> list[str]:
    """Where a visible widget of ``page`` lies outside what can be seen, or over a sibling.

    Inside a QScrollArea the contents may run past the bottom (the scroll bar reaches them) but
    not past the right edge: at these sizes nothing should need a horizontal scroll. The
    insides of Qt's own compound widgets (item views, combo boxes, spin boxes, the chart's
    canvas) are theirs to arrange and are not looked into.
    """
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QScrollBar,
        QWidget,
    )

    problems: list[str] = []

    def name(widget) -> str:
        text = getattr(widget, "text", None)
        shown = text() if callable(text) and isinstance(text(), str) else ""
        return f"{type(widget).__name__}({widget.objectName() or shown[:30]!r})"

    def walk(widget, clip, vertical_free: bool) -> None:
        children = [c for c in widget.findChildren(QWidget, options=_direct())
                    if not _skipped(c)]
        if isinstance(widget, QScrollArea):
            bar = widget.horizontalScrollBar()
            if bar.isVisible() and bar.maximum() > 0:
                problems.append(f"{name(widget)} scrolls sideways by {bar.maximum()} px")
        boxes = []
        for child in children:
            box = _box(child, page)
            inner_free = vertical_free
            if isinstance(widget.parentWidget(), QScrollArea) and \
                    widget is widget.parentWidget().viewport():
                inner_free = True  # the scroll area's contents: below the fold is fine
            outside = (box.left() < clip.left() or box.right() > clip.right()
                       or (not inner_free and (box.top() < clip.top()
                                               or box.bottom() > clip.bottom())))
            if outside and not isinstance(child, QScrollBar):
                problems.append(f"{name(child)} at {box.getRect()} outside {clip.getRect()}")
            boxes.append((child, box))
            if not isinstance(child, (QAbstractItemView, QComboBox, QAbstractSpinBox)) and \
                    "Canvas" not in type(child).__name__:
                child_clip = clip.intersected(box)
                if inner_free:  # keep the viewport's sides, let the height run on
                    child_clip.setTop(min(box.top(), clip.top()))
                    child_clip.setBottom(max(box.bottom(), clip.bottom()))
                walk(child, child_clip, inner_free)
        for i, (one, a) in enumerate(boxes):
            for other, b in boxes[i + 1:]:
                overlap = a.intersected(b)
                if overlap.width() > 1 and overlap.height() > 1:
                    problems.append(f"{name(one)} {a.getRect()} overlaps {name(other)} "
                                    f"{b.getRect()}")

    walk(page, page.rect(), False)
    return problems


def chart_problems(page) -> list[str]:
    """The chart's own insides: every axes (with its tick labels) and legend within the
    canvas."""
    canvas = page.canvas
    canvas.draw()
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height(physical=True)
    problems = []
    for axes in page.figure.axes:
        box = axes.get_tightbbox(renderer)
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            problems.append(f"chart axes {axes.get_title() or axes.get_ylabel()!r} at "
                            f"{[round(v) for v in box.extents]} outside {width}x{height}")
    for legend in page.figure.legends:
        box = legend.get_window_extent(renderer)
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            problems.append(f"chart legend at {[round(v) for v in box.extents]} outside "
                            f"{width}x{height}")
    return problems


def _direct():
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)], ids=["1024x640", "1366x768"])
def test_every_page_fits_the_window(demo_window, size):
    found: dict[str, list[str]] = {}
    for key in PAGES:
        demo_window.show_page(key)
        settle(demo_window, *size)
        page = demo_window.page(key)
        if key == "charts":  # the panel: the tallest chart
            page.select("panel")
            settle(demo_window, *size)
        problems = geometry_problems(page)
        if key == "charts":
            problems += chart_problems(page)
        if problems:
            found[key] = problems
    assert not found, "\n".join(f"{key}: {p}" for key, ps in found.items() for p in ps)
