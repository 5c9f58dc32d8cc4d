"""Tab through every dialog as a keyboard user does: real Tab key presses, from where the
cursor starts, all the way round.

Each stop must be something a user can see and type into (no invisible stop, no container,
no part of a date); the stops come in reading order (top to bottom, left to right in a row);
every visible field is reached; Tab leaves a date field after one press; and the round
comes back to where it started, so focus never gets stuck in a part of the dialog.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from hpgjournal.ui.forms import DateEdit

from .helpers import with_modal

INPUTS = (QLineEdit, QComboBox, QAbstractButton, QPlainTextEdit, QAbstractSlider, QTableView)


def tab_round(qtbot, dialog: QWidget, limit: int = 200) -> list[QWidget]:
    """The widgets Tab visits, starting at the focused one, until it comes back to it."""
    start = QApplication.focusWidget()
    assert start is not None and start.window() is dialog, "the dialog opened without a cursor"
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return seen
        assert now not in seen, (f"Tab went round without passing the first field again: "
                                 f"{describe([*seen, now], dialog)}")
        seen.append(now)
    raise AssertionError(f"Tab never came back: {describe(seen, dialog)}")


def describe(widgets: list[QWidget], dialog: QWidget) -> str:
    out = []
    for w in widgets:
        label = w.text() if isinstance(w, QAbstractButton) else w.objectName()
        spot = w.mapTo(dialog, w.rect().topLeft())
        out.append(f"{type(w).__name__}{f'[{label}]' if label else ''}@{spot.x()},{spot.y()}")
    return " -> ".join(out)


def box(widget: QWidget, dialog: QWidget) -> tuple[int, int, int, int]:
    top_left = widget.mapTo(dialog, widget.rect().topLeft())
    return top_left.x(), top_left.y(), widget.width(), widget.height()


def reading_key(widget: QWidget, dialog: QWidget) -> tuple[int, int]:
    x, y, _w, h = box(widget, dialog)
    return y + h // 2, x


def in_reading_order(stops: list[QWidget], dialog: QWidget) -> list[str]:
    """Pairs of consecutive stops where the second comes before the first when read."""
    wrong = []
    for first, second in itertools.pairwise(stops):
        x1, y1, _w1, h1 = box(first, dialog)
        x2, y2, _w2, h2 = box(second, dialog)
        same_row = y2 < y1 + h1 and y1 < y2 + h2  # their heights overlap
        if (same_row and x2 < x1) or (not same_row and y2 + h2 <= y1):
            wrong.append(describe([first, second], dialog))
    return wrong


def reachable(dialog: QWidget) -> set[QWidget]:
    """Every field a user could type into or press: visible, enabled, taking Tab focus."""
    found = set()
    for widget in dialog.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or not widget.isVisibleTo(dialog):
            continue
        if not widget.isEnabled() or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if widget.parent() is not None and isinstance(widget.parent(), QComboBox):
            continue  # an editable box's own line edit: the box is the stop
        if type(widget).__name__ in ("QLineEditIconButton", "QToolButton") and isinstance(
                widget.parent(), QLineEdit):
            continue
        found.add(widget)
    return found


def check_round(qtbot, dialog: QWidget, seen: dict, *, order: bool = True) -> None:
    dialog.activateWindow()
    QApplication.processEvents()
    stops = tab_round(qtbot, dialog)
    seen["round"] = describe(stops, dialog)
    seen["hidden"] = [describe([s], dialog) for s in stops
                      if not s.isVisibleTo(dialog) or not s.isEnabled()]
    seen["containers"] = [describe([s], dialog) for s in stops
                          if isinstance(s, QAbstractScrollArea) and not isinstance(s, QTableView)
                          and not isinstance(s, QPlainTextEdit)]
    seen["missed"] = [describe([w], dialog) for w in reachable(dialog) - set(stops)
                      if not (isinstance(w, QAbstractButton) and w.autoExclusive())]
    # Reading order from the top-left stop on: the round is a circle, start it at the top.
    first = min(range(len(stops)), key=lambda i: reading_key(stops[i], dialog))
    circle = stops[first:] + stops[:first]
    seen["order"] = in_reading_order(circle, dialog) if order else []
    seen["date_stops"] = [s for s in stops if isinstance(s, DateEdit)]


def assert_round(seen: dict) -> None:
    assert not seen["hidden"], f"invisible or disabled stops: {seen['hidden']}\n{seen['round']}"
    assert not seen["containers"], f"containers as stops: {seen['containers']}\n{seen['round']}"
    assert not seen["missed"], f"fields Tab never reaches: {seen['missed']}\n{seen['round']}"
    assert not seen["order"], f"out of reading order: {seen['order']}\n{seen['round']}"


DIALOGS = {
    "add a result": lambda w: w.record_actions.add_lab,
    "blood-test panel": lambda w: w.record_actions.add_panel,
    "semen analysis": lambda w: w.record_actions.add_semen,
    "regimen": lambda w: w.record_actions.add_medication,
    "dose": lambda w: w.record_actions.log_dose,
    "phase": lambda w: w.record_actions.add_phase,
    "check-in": lambda w: w.record_actions.check_in,
    "AMS questionnaire": lambda w: w.record_actions.ams,
    "body measure": lambda w: w.record_actions.add_measure,
    "profile": lambda w: w.edit_profile,
    "export": lambda w: w.choose_export,
    "import history": lambda w: w.import_history,
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_tab_goes_round_every_dialog_in_reading_order(opened, qtbot, name):
    seen: dict = {}

    def play(dialog):
        check_round(qtbot, dialog, seen)
        dialog.reject()

    with_modal(DIALOGS[name](opened), play)
    assert_round(seen)
    if name in ("add a result", "blood-test panel", "dose", "check-in", "semen analysis"):
        assert len(seen["date_stops"]) == 1, seen["round"]


def test_tab_goes_round_the_import_preview(opened, qtbot, tmp_path):
    path = tmp_path / "labs.csv"
    path.write_text("Date,Test,Result,Units\n2026-03-04,Testosterone,612,ng/dL\n"
                    "2026-03-04,Testo gesamt,20.1,nmol/L\n", encoding="utf-8")
    seen: dict = {}

    def play(dialog):
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=20000)
        check_round(qtbot, dialog, seen)
        dialog.reject()

    with_modal(lambda: opened.import_files([path]), play)
    assert_round(seen)


def test_tab_leaves_the_date_then_the_time_and_a_typed_date_is_kept(opened, qtbot):
    """Typed after Tab, a time goes into the time box; the date stays what was typed."""
    seen = {}

    def play(dialog):
        dialog.when.date.setFocus()
        dialog.when.date.selectAll()
        qtbot.keyClicks(dialog.when.date, "14.3.2026")
        qtbot.keyClick(dialog.when.date, Qt.Key.Key_Tab)
        seen["after_one_tab"] = QApplication.focusWidget()
        qtbot.keyClicks(QApplication.focusWidget(), "07:45")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen["after_two_tabs"] = QApplication.focusWidget()
        seen["date_text"] = dialog.when.date.text()
        seen["words"] = dialog.when.day_words.text()
        seen["stamp"] = dialog.when.stamp("taken_at")
        seen["time_box"] = dialog.when.time
        seen["marker"] = dialog.marker
        dialog.reject()

    with_modal(opened.record_actions.add_lab, play)
    assert seen["after_one_tab"] is seen["time_box"]
    assert seen["after_two_tabs"] is seen["marker"]
    assert seen["date_text"] == "2026-03-14"  # a dotted date is day first
    assert seen["words"] == QDate(2026, 3, 14).toString("dddd d MMMM yyyy")
    assert seen["stamp"] == "2026-03-14T07:45"
