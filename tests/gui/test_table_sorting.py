"""Sorting a record table by clicking its header (issue 17: the records are sorted in the
source model, each key worked out once): the order a user sees, the selection that follows
its record, the order kept when the page is filled again, and the filter on top."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from hpgjournal.domain.records import LabResult


def click_header(qtbot, table, column: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def shown(page, column: int) -> list[object]:
    proxy = page.proxy
    return [page.model.sort_key(page.model.record(proxy.mapToSource(proxy.index(row, 0)).row()),
                                column) for row in range(proxy.rowCount())]


def test_a_header_click_sorts_the_lab_table_and_the_selection_follows(opened, qtbot):
    opened.show_page("labs")
    page = opened.page("labs")
    table = page.table
    dates = shown(page, 0)
    assert dates == sorted(dates, reverse=True)  # newest first when the page opens
    value = next(i for i, c in enumerate(page.model.columns) if c.header == "Value")
    table.selectRow(5)
    chosen = page.model.record(page.proxy.mapToSource(page.proxy.index(5, 0)).row())
    click_header(qtbot, table, value)
    values = shown(page, value)
    assert values == sorted(values)
    assert values[0] <= values[-1] and len(set(values)) > 10
    assert table.horizontalHeader().sortIndicatorSection() == value
    (selected,) = {page.proxy.mapToSource(i).row() for i in table.selectionModel().selectedRows()}
    assert page.model.record(selected) is chosen  # the selected result stayed selected
    click_header(qtbot, table, value)
    assert shown(page, value) == sorted(values, reverse=True)
    assert table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_the_order_is_kept_when_the_page_is_filled_again_and_under_a_filter(opened, qtbot):
    opened.show_page("labs")
    page = opened.page("labs")
    marker = next(i for i, c in enumerate(page.model.columns) if c.header == "Marker")
    click_header(qtbot, page.table, marker)
    names = shown(page, marker)
    assert names == sorted(names)
    page.set_records(opened.journal.all(LabResult))  # as after an edit elsewhere
    assert shown(page, marker) == names
    qtbot.keyClicks(page.filter, "estradiol")
    filtered = shown(page, marker)
    assert filtered and filtered == sorted(filtered)
    assert page.proxy.rowCount() < len(names)
    date = 0
    click_header(qtbot, page.table, date)
    dates = shown(page, date)
    assert dates == sorted(dates) and page.proxy.rowCount() == len(filtered)


def test_the_line_under_the_table_says_the_order_a_header_click_chose(opened, qtbot):
    """The header's arrow is drawn one way on one system and read the other way on another:
    the order is said in words under the table, and no subtitle claims one."""
    opened.show_page("labs")
    page = opened.page("labs")
    subtitle = page.findChild(type(page.count), "subtitle")
    assert subtitle.text() == "Every result in the journal."
    assert page.count.text().endswith(" · by date, newest first")
    click_header(qtbot, page.table, 0)
    assert page.count.text().endswith(" · by date, oldest first")
    value = next(i for i, c in enumerate(page.model.columns) if c.header == "Value")
    click_header(qtbot, page.table, value)
    assert page.count.text().endswith(" · by value, lowest first")
    click_header(qtbot, page.table, value)
    assert page.count.text().endswith(" · by value, highest first")
    marker = next(i for i, c in enumerate(page.model.columns) if c.header == "Marker")
    click_header(qtbot, page.table, marker)
    assert page.count.text().endswith(" · by marker, A to Z")
    qtbot.keyClicks(page.filter, "estradiol")
    assert " match the filter · by marker, A to Z" in page.count.text()
