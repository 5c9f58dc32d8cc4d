"""Typing dates as a keyboard user does: the whole date typed, keys that step it, a calendar
that opens from the keyboard, and dates that read two ways refused rather than guessed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget

from hpgjournal.domain.records import LabResult

from .helpers import press_save, with_modal


def type_date(qtbot, edit, text):
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def type_result(qtbot, dialog):
    dialog.marker.setCurrentIndex(dialog.marker.findData("testosterone_total"))
    dialog.value.setFocus()
    qtbot.keyClicks(dialog.value, "612")
    dialog.unit.setCurrentText("ng/dL")


@pytest.mark.parametrize(("typed", "stored"), [
    ("2025-11-03", "2025-11-03"),
    ("3.11.2025", "2025-11-03"),
    ("3 Nov 2025", "2025-11-03"),
    ("November 3, 2025", "2025-11-03"),
    ("11/23/2025", "2025-11-23"),
    ("23/11/2025", "2025-11-23"),
    ("2025-11-03 07:30", "2025-11-03T07:30"),  # a time typed with the date goes to the time box
])
def test_a_typed_date_is_saved_as_typed(opened, qtbot, typed, stored):
    seen = {}

    def play(dialog):
        type_result(qtbot, dialog)
        dialog.when.time.clear()
        type_date(qtbot, dialog.when.date, typed)
        qtbot.keyClick(dialog.when.date, Qt.Key.Key_Tab)
        seen["shown"] = dialog.when.date.text()
        press_save(qtbot, dialog)

    added = with_modal(opened.record_actions.add_lab, play)
    assert seen["shown"] == stored[:10]
    assert added is not None and added.taken_at == stored
    assert opened.journal.get(LabResult, added.id).taken_at == stored


def test_a_date_that_reads_two_ways_is_refused_with_both_readings(opened, qtbot):
    before = opened.journal.count(LabResult)
    seen = {}

    def play(dialog):
        type_result(qtbot, dialog)
        type_date(qtbot, dialog.when.date, "3/4/2025")
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.errors.text("taken_at")
        seen["words"] = dialog.when.day_words.text()
        type_date(qtbot, dialog.when.date, "blue")
        press_save(qtbot, dialog)
        seen["nonsense"] = dialog.errors.text("taken_at")
        dialog.reject()

    with_modal(opened.record_actions.add_lab, play)
    assert seen["open"] and "2025-03-04 or 2025-04-03" in seen["error"]
    assert "YYYY-MM-DD" in seen["error"]
    assert seen["words"] == ""  # no day is shown as understood
    assert "'blue' is not a date" in seen["nonsense"]
    assert opened.journal.count(LabResult) == before


def test_arrow_keys_step_the_day_and_page_keys_the_month(opened, qtbot):
    seen = {}

    def play(dialog):
        edit = dialog.when.date
        type_date(qtbot, edit, "2025-01-31")
        qtbot.keyClick(edit, Qt.Key.Key_Up)
        seen["up"] = edit.text()
        qtbot.keyClick(edit, Qt.Key.Key_Down)
        qtbot.keyClick(edit, Qt.Key.Key_Down)
        seen["down"] = edit.text()
        qtbot.keyClick(edit, Qt.Key.Key_PageUp)
        seen["month"] = edit.text()
        seen["words"] = dialog.when.day_words.text()
        dialog.reject()

    with_modal(opened.record_actions.add_lab, play)
    assert seen["up"] == "2025-02-01"
    assert seen["down"] == "2025-01-30"
    assert seen["month"] == "2025-02-28"  # the last day of a shorter month
    assert seen["words"] == QDate(2025, 2, 28).toString("dddd d MMMM yyyy")


def test_the_calendar_opens_from_the_keyboard_and_enter_takes_the_day(opened, qtbot):
    seen = {}

    def play(dialog):
        edit = dialog.when.date
        type_date(qtbot, edit, "2025-06-10")
        qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        calendar = dialog.findChild(QCalendarWidget, "date-calendar")
        seen["open"] = calendar is not None and calendar.isVisible()
        seen["shows"] = calendar.selectedDate()
        target = QApplication.focusWidget()
        qtbot.keyClick(target, Qt.Key.Key_Right)  # the next day
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        seen["closed"] = not calendar.isVisible()
        seen["text"] = edit.text()
        seen["focus_back"] = QApplication.focusWidget() is edit
        qtbot.keyClick(edit, Qt.Key.Key_F4)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        seen["escaped"] = not calendar.isVisible() and edit.text() == "2025-06-11"
        dialog.reject()

    with_modal(opened.record_actions.add_lab, play)
    assert seen["open"] and seen["shows"] == QDate(2025, 6, 10)
    assert seen["closed"] and seen["text"] == "2025-06-11" and seen["focus_back"]
    assert seen["escaped"]


def test_the_report_period_takes_typed_dates_and_names_a_wrong_one(opened, qtbot):
    page = opened.page("report")
    opened.show_page("report")
    page.preset.setCurrentIndex(page.preset.findText("Custom"))
    type_date(qtbot, page.start, "1.2.2026")
    type_date(qtbot, page.end, "2026-13-01")
    qtbot.keyClick(page.end, Qt.Key.Key_Tab)
    assert page.start.text() == "2026-02-01"
    from hpgjournal.domain.errors import UserError

    with pytest.raises(UserError, match=r"period's end: .*2026-13-01"):
        page.options()
    type_date(qtbot, page.end, (date(2026, 2, 1) + timedelta(days=30)).strftime("%d.%m.%Y"))
    assert page.options().start == "2026-02-01" and page.options().end == "2026-03-03"
