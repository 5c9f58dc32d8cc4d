"""Safe entry (issue 13): a value never ends up under another unit, a text that is not a
number is never kept as one without a word, and a check-in stores only the scores rated.
Typed into the real fields, saved with the real buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from hpgjournal.domain.records import LabResult
from hpgjournal.domain.results import make_result

from .helpers import with_modal


@pytest.fixture
def opened(window, qtbot, demo_path):
    window.open_journal(demo_path)
    window.show()
    qtbot.waitExposed(window)
    return window


def press_save(qtbot, dialog):
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def pick_marker(qtbot, dialog, name):
    """Type a marker's name into the picker and leave it with Tab, as a user does."""
    edit = dialog.marker.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, name)
    dialog.marker.completer().popup().hide()
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def stored(window, result_id):
    return window.journal.get(LabResult, result_id)


# ------------------------------------------------------------------ 1. unit and value together
def test_changing_an_own_marker_to_total_testosterone_keeps_its_nmol_per_litre(opened, qtbot):
    own = make_result("2026-10-01T08:00", "custom:Testosteron gesamt", "10,8", "nmol/L")
    own_id = opened.journal.add(own)
    seen = {}

    def play(dialog):
        qtbot.mouseClick(dialog.custom, Qt.MouseButton.LeftButton)  # no longer my own marker
        pick_marker(qtbot, dialog, "Total testosterone")
        seen["unit"] = dialog.unit.currentText()
        press_save(qtbot, dialog)

    with_modal(lambda: opened.actions.edit_lab(stored(opened, own_id)), play)
    after = stored(opened, own_id)
    assert seen["unit"] == "nmol/L"
    assert (after.analyte, after.reported_value, after.reported_unit) == (
        "testosterone_total", "10,8", "nmol/L")
    assert after.value == pytest.approx(10.8 / 0.03467, rel=1e-3)  # 311.5 ng/dL, not 10.8


def test_a_unit_the_new_marker_does_not_accept_must_be_chosen(opened, qtbot):
    result_id = opened.journal.add(
        make_result("2026-10-01T08:00", "testosterone_total", "50", "ng/dL"))
    seen = {}

    def play(dialog):
        pick_marker(qtbot, dialog, "LH")
        seen["unit"] = dialog.unit.currentText()
        seen["error at once"] = dialog.errors.text("unit")
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.errors.text("unit")
        seen["stored meanwhile"] = stored(opened, result_id).analyte
        dialog.unit.setFocus()
        qtbot.keyClicks(dialog.unit, "IU/L")
        seen["error after choosing"] = dialog.errors.labels["unit"].isVisible()
        seen["chosen"] = dialog.unit.currentText()
        press_save(qtbot, dialog)

    with_modal(lambda: opened.actions.edit_lab(stored(opened, result_id)), play)
    assert seen["unit"] == ""
    assert "choose the unit: ng/dL is not a unit of Luteinizing hormone" in seen["error at once"]
    assert seen["open"] and "choose the unit" in seen["error"]
    assert seen["stored meanwhile"] == "testosterone_total"
    assert not seen["error after choosing"], seen
    after = stored(opened, result_id)
    assert (after.analyte, after.reported_value, after.reported_unit) == ("lh", "50", "IU/L")
