"""Safe entry (issue 13): a value never ends up under another unit, a text that is not a
number is never kept as one without a word, and a check-in stores only the scores rated.
Typed into the real fields, saved with the real buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from hpgjournal.domain.records import LabResult
from hpgjournal.domain.results import make_result

from .helpers import press_save, with_modal


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

    with_modal(lambda: opened.record_actions.edit_lab(stored(opened, own_id)), play)
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

    with_modal(lambda: opened.record_actions.edit_lab(stored(opened, result_id)), play)
    assert seen["unit"] == ""
    assert "choose the unit: ng/dL is not a unit of Luteinizing hormone" in seen["error at once"]
    assert seen["open"] and "choose the unit" in seen["error"]
    assert seen["stored meanwhile"] == "testosterone_total"
    assert not seen["error after choosing"], seen
    after = stored(opened, result_id)
    assert (after.analyte, after.reported_value, after.reported_unit) == ("lh", "50", "IU/L")


# ------------------------------------------------------------------ 2. not a number, a fraction
def panel_rows(dialog):
    return {picker.currentData(): (value, label) for picker, value, _unit, _ref, label
            in dialog.rows}


def test_the_panel_refuses_letter_o_for_zero_and_offers_the_number(opened, qtbot):
    before = opened.journal.count(LabResult)
    seen = {}

    def play(dialog):
        value, label = panel_rows(dialog)["testosterone_total"]
        qtbot.keyClicks(value, "4OO")
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["error"] = label.text()
        seen["stored meanwhile"] = opened.journal.count(LabResult)
        button = dialog.errors.offers["row-1"]
        seen["offer"] = (button.isVisible(), button.text())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        seen["filled"] = value.text()
        press_save(qtbot, dialog)

    with_modal(opened.record_actions.add_panel, play)
    assert seen["open"] and seen["stored meanwhile"] == before
    assert "4OO is not a number: did you mean 400?" in seen["error"]
    assert seen["offer"] == (True, "Use 400")
    assert seen["filled"] == "400"
    assert opened.journal.count(LabResult) == before + 1
    newest = max(opened.journal.lab_results("testosterone_total"), key=lambda r: r.id)
    assert (newest.reported_value, newest.value) == ("400", 400)


def test_the_panel_offers_51_percent_for_a_hematocrit_of_0_51_percent(opened, qtbot):
    before = opened.journal.count(LabResult)
    seen = {}

    def play(dialog):
        value, label = panel_rows(dialog)["hematocrit"]
        row = next(i for i, r in enumerate(dialog.rows, start=1) if r[1] is value)
        qtbot.keyClicks(value, "0.51")
        press_save(qtbot, dialog)
        seen["warning"] = (dialog.isVisible(), label.text())
        button = dialog.errors.offers[f"row-{row}"]
        seen["offer"] = (button.isVisible(), button.text())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        seen["filled"] = (value.text(), label.isVisible(), button.isVisible())
        press_save(qtbot, dialog)  # 51 %: plausible, saved at once

    with_modal(opened.record_actions.add_panel, play)
    assert seen["warning"][0] and "fraction 0.51, that is 51 %" in seen["warning"][1]
    assert seen["offer"] == (True, "Store 51 %")
    assert seen["filled"] == ("51", False, False)
    assert opened.journal.count(LabResult) == before + 1
    newest = max(opened.journal.lab_results("hematocrit"), key=lambda r: r.id)
    assert newest.value == 51


@pytest.mark.parametrize(("typed", "words"), [
    ("4OO", "4OO is not a number: did you mean 400?"),
    ("abc", "abc is not a number: Total testosterone needs digits"),
])
def test_the_single_result_dialog_refuses_text_where_a_number_belongs(opened, qtbot, typed,
                                                                      words):
    before = opened.journal.count(LabResult)
    seen = {}

    def play(dialog):
        pick_marker(qtbot, dialog, "Total testosterone")
        qtbot.keyClicks(dialog.value, typed)
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.errors.text("value")
        seen["stored meanwhile"] = opened.journal.count(LabResult)
        dialog.value.clear()
        qtbot.keyClicks(dialog.value, "TNP")  # a text the lab printed is kept as text
        press_save(qtbot, dialog)

    added = with_modal(opened.record_actions.add_lab, play)
    assert seen["open"] and words in seen["error"], seen
    assert seen["stored meanwhile"] == before
    assert added is not None and (added.reported_value, added.value) == ("TNP", None)


def test_the_single_result_dialog_offers_51_percent_for_a_hematocrit_of_0_51(opened, qtbot):
    seen = {}

    def play(dialog):
        pick_marker(qtbot, dialog, "Hematocrit")
        qtbot.keyClicks(dialog.value, "0.51")
        press_save(qtbot, dialog)
        button = dialog.errors.offers["value"]
        seen["offer"] = (button.isVisible(), button.text())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        press_save(qtbot, dialog)

    added = with_modal(opened.record_actions.add_lab, play)
    assert seen["offer"] == (True, "Store 51 %")
    assert added is not None and added.value == 51


# ------------------------------------------------------------------ 3. check-in scores
def newest_note(window):
    from hpgjournal.domain.records import Note

    return max(window.journal.all(Note), key=lambda n: n.id)


def test_a_check_in_with_only_a_note_stores_no_scores(opened, qtbot):
    from hpgjournal.domain.records import SCORE_NAMES

    seen = {}

    def play(dialog):
        qtbot.keyClicks(dialog.text, "Felt flat after the gym")
        seen["shown"] = {name: label.text() for name, label in dialog.shown.items()}
        press_save(qtbot, dialog)

    with_modal(opened.record_actions.check_in, play)
    note = newest_note(opened)
    assert note.text == "Felt flat after the gym"
    assert {name: getattr(note, name) for name in SCORE_NAMES} == dict.fromkeys(SCORE_NAMES)
    assert set(seen["shown"].values()) == {"not rated"}
    opened.show_page("symptoms")  # the table shows the scores not rated as blanks
    model = opened.page("symptoms").notes.model
    row = model.records.index(note)
    assert [model.index(row, col).data() for col in range(1, 6)] == [""] * 5


def test_a_score_the_user_moves_is_rated_and_the_others_are_not(opened, qtbot):
    seen = {}

    def play(dialog):
        slider = dialog.sliders["energy"]
        slider.setFocus()
        qtbot.keyClick(slider, Qt.Key.Key_Right)  # 5 -> 6
        qtbot.keyClick(slider, Qt.Key.Key_Right)  # 6 -> 7
        qtbot.mouseClick(dialog.rated["sleep"], Qt.MouseButton.LeftButton)  # sleep: 5, ticked
        seen["shown"] = (dialog.shown["energy"].text(), dialog.shown["mood"].text())
        press_save(qtbot, dialog)

    with_modal(opened.record_actions.check_in, play)
    note = newest_note(opened)
    assert (note.energy, note.sleep, note.libido, note.mood, note.erections) == (
        7, 5, None, None, None)
    assert seen["shown"] == ("7", "not rated")


def test_enter_in_the_note_starts_a_new_line_and_ctrl_enter_saves(opened, qtbot):
    from hpgjournal.domain.records import Note

    before = opened.journal.count(Note)
    seen = {}

    def play(dialog):
        dialog.text.setFocus()
        qtbot.keyClicks(dialog.text, "Slept badly")
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
        seen["after enter"] = (dialog.isVisible(), opened.journal.count(Note))
        qtbot.keyClicks(dialog.text, "woke at 4")
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    with_modal(opened.record_actions.check_in, play)
    assert seen["after enter"] == (True, before)
    assert opened.journal.count(Note) == before + 1
    assert newest_note(opened).text == "Slept badly\nwoke at 4"


def test_the_semen_dialog_refuses_letter_o_for_zero_under_its_field(opened, qtbot):
    before = opened.journal.count(LabResult)
    seen = {}

    def play(dialog):
        qtbot.keyClicks(dialog.values["sperm_concentration"], "4O")
        press_save(qtbot, dialog)
        seen["error"] = (dialog.isVisible(), dialog.errors.text("sperm_concentration"))
        dialog.values["sperm_concentration"].clear()
        qtbot.keyClicks(dialog.values["sperm_concentration"], "40")
        press_save(qtbot, dialog)

    with_modal(opened.record_actions.add_semen, play)
    assert seen["error"][0] and "4O is not a number: did you mean 40?" in seen["error"][1]
    assert opened.journal.count(LabResult) == before + 1


def test_a_panel_row_keeps_its_unit_when_its_marker_is_changed(opened, qtbot):
    seen = {}

    def play(dialog):
        picker, value, unit, _ref, label = dialog.rows[0]  # total testosterone
        qtbot.keyClicks(value, "0.5")
        unit.setFocus()
        qtbot.keyClicks(unit, "nmol/L")
        edit = picker.lineEdit()
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClicks(edit, "LH")
        picker.completer().popup().hide()
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
        seen["lh"] = (unit.currentText(), label.text())
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClicks(edit, "Free testosterone")
        picker.completer().popup().hide()
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
        seen["free"] = (unit.currentText(), label.isVisible())  # nmol/L fits free T again
        press_save(qtbot, dialog)

    before = len(opened.journal.lab_results("testosterone_free"))
    with_modal(opened.record_actions.add_panel, play)
    assert seen["lh"][0] == "" and "choose the unit: nmol/L is not a unit of" in seen["lh"][1]
    assert seen["open"] and seen["free"] == ("nmol/L", False)
    added = opened.journal.lab_results("testosterone_free")
    assert len(added) == before + 1
    newest = max(added, key=lambda r: r.id)
    assert (newest.reported_value, newest.reported_unit) == ("0.5", "nmol/L")


def test_correcting_a_result_stored_as_nmol_per_l_lower_case_keeps_its_unit(opened, qtbot):
    result_id = opened.journal.add(
        make_result("2026-10-01T08:00", "testosterone_total", "18.9", "nmol/l", note="lab file"))
    seen = {}

    def play(dialog):
        seen["unit"] = dialog.unit.currentText()
        dialog.note.clear()
        qtbot.keyClicks(dialog.note, "checked")  # correct only the note
        press_save(qtbot, dialog)

    with_modal(lambda: opened.record_actions.edit_lab(stored(opened, result_id)), play)
    after = stored(opened, result_id)
    assert seen["unit"] == "nmol/L"
    assert after.note == "checked"
    assert after.value == pytest.approx(18.9 / 0.03467, rel=1e-3)  # not 18.9 ng/dL


def test_the_offered_reading_comes_with_its_unit(opened, qtbot):
    seen = {}

    def play(dialog):
        pick_marker(qtbot, dialog, "Hematocrit")
        qtbot.keyClicks(dialog.value, "0.0051")
        dialog.unit.setFocus()
        qtbot.keyClicks(dialog.unit, "L/L")  # 0.0051 L/L is 0.51 %
        press_save(qtbot, dialog)
        button = dialog.errors.offers["value"]
        seen["offer"] = button.text()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        seen["filled"] = (dialog.value.text(), dialog.unit.currentText())
        press_save(qtbot, dialog)

    added = with_modal(opened.record_actions.add_lab, play)
    assert seen["offer"] == "Store 51 %"
    assert seen["filled"] == ("51", "%")  # not 51 L/L, which would be 5,100 %
    assert added is not None and added.value == 51
