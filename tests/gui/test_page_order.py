"""Tab through every page of the main window as a keyboard user does: real Tab presses from
the page list, round the page and back.

Each stop is visible and has a name a screen reader can say; the page's stops come in
reading order (top to bottom, left to right in a row); every field of the page is reached;
and the round comes back to the page list. A text browser keeps Tab while it moves from
link to link, which is how Qt lets a keyboard user follow a link: those presses count as
one stop.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QTextBrowser, QWidget

from hpgjournal.ui.main_window import NAV

from .test_accessible import unnamed
from .test_tab_order import describe, in_reading_order, reachable

PAGES = [key for key, _label, exists in NAV if exists]


def page_round(qtbot, window, limit: int = 300) -> list[QWidget]:
    """The widgets Tab visits from the page list until it comes back to it."""
    window.activateWindow()
    window.nav.setFocus()
    QApplication.processEvents()
    start = QApplication.focusWidget()
    assert start is window.nav
    seen: list[QWidget] = []
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return seen
        if seen and now is seen[-1] and isinstance(now, QTextBrowser):
            continue  # from one link to the next
        assert now not in seen, f"Tab went round without the page list: {describe(seen, window)}"
        seen.append(now)
    raise AssertionError(f"Tab never came back to the page list: {describe(seen, window)}")


def name_of(widget: QWidget) -> str:
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    return ""


@pytest.mark.parametrize("key", PAGES)
def test_tab_goes_round_every_page_in_reading_order_and_names_each_stop(opened, qtbot, key):
    opened.resize(1366, 768)
    opened.show_page(key)
    page = opened.stack.currentWidget()
    QApplication.processEvents()
    stops = page_round(qtbot, opened)
    assert stops, f"the {key} page has no Tab stop"
    round_text = describe(stops, page)
    outside = [describe([s], page) for s in stops if not page.isAncestorOf(s)]
    assert not outside, f"stops outside the page: {outside}\n{round_text}"
    hidden = [describe([s], page) for s in stops if not s.isVisibleTo(page) or not s.isEnabled()]
    assert not hidden, f"invisible or disabled stops: {hidden}\n{round_text}"
    nameless = [describe([s], page) for s in stops if not name_of(s)]
    assert not nameless, f"stops without a name: {nameless}\n{round_text}"
    assert not unnamed(page), unnamed(page)
    missed = [describe([w], page) for w in reachable(page) - set(stops)
              if not (isinstance(w, QAbstractButton) and w.autoExclusive())]
    assert not missed, f"fields Tab never reaches: {missed}\n{round_text}"
    wrong = in_reading_order(stops, page)
    assert not wrong, f"out of reading order: {wrong}\n{round_text}"


def test_the_lab_filters_and_tables_say_what_they_are(opened, qtbot):
    opened.show_page("labs")
    page = opened.stack.currentWidget()
    assert page.filter.accessibleName() == "Filter lab results"
    assert page.marker_filter.accessibleName() == "Marker shown"
    assert page.from_date.accessibleName() == "Shown from date"
    assert page.to_date.accessibleName() == "Shown up to date"
    assert page.table.accessibleName() == "Lab results"
    opened.show_page("medications")
    page = opened.stack.currentWidget()
    assert page.doses.table.accessibleName() == "Dose log"
    assert page.doses.filter.accessibleName() == "Filter dose log"
