"""Issue 13: the pages fit a 1024x640 window and reflow when it grows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea

from tests.ticks import tick_label_problems


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
    return problems + tick_label_problems(page.figure, renderer)


def _direct():
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly


def table_problems(page) -> list[str]:
    """The record tables of ``page``: a column narrower than its header's text or than the
    texts it shows (up to the widest a column of long texts gets), columns wider than the
    table with no horizontal scroll bar to reach them."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    from hpgjournal.ui.pages import COLUMN_WIDEST, TablePage

    problems = []
    tables = [page] if isinstance(page, TablePage) else []
    for table_page in tables + page.findChildren(TablePage):
        table = table_page.table
        if not table.isVisible():
            continue
        header, model = table.horizontalHeader(), table.model()
        title = next(lb.text() for lb in table_page.findChildren(QLabel)
                     if lb.property("role") == "title")
        total = 0
        for col in range(model.columnCount()):
            width = header.sectionSize(col)
            total += width
            text = model.headerData(col, Qt.Orientation.Horizontal)
            if width < header.fontMetrics().horizontalAdvance(text) + 8:
                problems.append(f"{title}: column {text!r} ({width} px) narrower than its header")
            widest = 0
            for row in range(min(model.rowCount(), 40)):
                index = model.index(row, col)
                font = index.data(Qt.ItemDataRole.FontRole) or table.font()
                widest = max(widest, QFontMetrics(font).horizontalAdvance(str(index.data())))
            if width < min(widest + 6, COLUMN_WIDEST - 8):
                problems.append(f"{title}: column {text!r} ({width} px) cuts its texts "
                                f"({widest} px)")
        bar = table.horizontalScrollBar()
        if total > table.viewport().width() + 1 and bar.maximum() == 0:
            problems.append(f"{title}: columns {total} px wide in {table.viewport().width()} px "
                            f"and no horizontal scroll")
    return problems


def header_problems(page) -> list[str]:
    """Each filter box of ``page`` at least 220 px wide, its buttons at their size hint, a
    subtitle that fits the page's width on one line."""
    from PySide6.QtWidgets import QPushButton

    from hpgjournal.ui.pages import TablePage

    problems = []
    for table_page in ([page] if isinstance(page, TablePage) else []) + \
            page.findChildren(TablePage):
        if not table_page.isVisible():
            continue
        if table_page.filter.width() < 220:
            problems.append(f"filter box {table_page.filter.width()} px wide")
        for button in table_page.findChildren(QPushButton):
            if button.isVisible() and button.width() < button.sizeHint().width():
                problems.append(f"button {button.text()!r} squeezed to {button.width()} px")
        subtitle = table_page.findChild(QLabel, "subtitle")
        metrics = subtitle.fontMetrics()
        if subtitle.text() and metrics.horizontalAdvance(subtitle.text()) < table_page.width() \
                - 60 and subtitle.height() > 1.5 * metrics.lineSpacing():
            problems.append(f"subtitle {subtitle.text()!r} wraps in {subtitle.width()} px")
    return problems


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
        problems = geometry_problems(page) + table_problems(page) + header_problems(page)
        if key == "charts":
            problems += chart_problems(page)
        if problems:
            found[key] = problems
    assert not found, "\n".join(f"{key}: {p}" for key, ps in found.items() for p in ps)


RECORD_PAGES = ("labs", "medications", "phases", "symptoms", "measures")


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)], ids=["1024x640", "1366x768"])
def test_records_added_to_empty_tables_show_whole_at_a_readable_width(window, demo_path, tmp_path,
                                                                      size):
    """A new journal's tables are filled (nearly) empty; the records of the journal opened
    next are shown with their columns as wide as their texts (the table scrolls sideways),
    not cut to the width of the empty tables' headers."""
    from hpgjournal.domain.results import make_result
    from hpgjournal.store.journal import Journal

    path = tmp_path / "new.hpgjournal"
    with Journal.open(path) as journal:
        journal.add(make_result("2026-01-05", "lh", "4.1", "IU/L"))
    window.open_journal(path)
    window.show()
    for key in RECORD_PAGES:
        window.show_page(key)
        settle(window, *size)
    window.open_journal(demo_path)
    found = {}
    for key in RECORD_PAGES:
        window.show_page(key)
        settle(window, *size)
        problems = table_problems(window.page(key))
        if problems:
            found[key] = problems
    assert not found, "\n".join(f"{key}: {p}" for key, ps in found.items() for p in ps)


def test_tab_on_a_record_page_goes_as_it_reads_buttons_then_filters_then_table(demo_window,
                                                                                qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    settle(demo_window, 1024, 640)
    demo_window.show_page("labs")
    settle(demo_window, 1024, 640)
    page = demo_window.page("labs")
    buttons = [b for b in page.findChildren(QPushButton) if b.isVisible()]
    buttons.sort(key=lambda b: b.mapTo(page, QPoint(0, 0)).x())
    expected = [*buttons, page.filter, page.marker_filter, page.from_date, page.to_date,
                page.table]
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow, timeout=3000)
    buttons[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is buttons[0], timeout=3000)
    visited = [QApplication.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(visited[-1], Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == expected, [type(w).__name__ for w in visited]
