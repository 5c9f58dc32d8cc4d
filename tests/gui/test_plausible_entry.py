"""The window's entry dialogs and the plausibility limits: an impossible value is an error on
its field and nothing is saved; an implausible one is a warning the user sees before a second
Save keeps it. Typed into the real fields, saved with the real buttons."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from hpgjournal.domain.records import LabResult

from .helpers import press_save, with_modal


def type_result(qtbot, dialog, key, value, unit):
    dialog.marker.set_key(key)
    dialog.value.clear()
    qtbot.keyClicks(dialog.value, value)
    dialog.unit.setCurrentText(unit)


def count(window):
    return window.journal.count(LabResult)


@pytest.mark.parametrize(("value", "words"), [
    ("1e308", "1e+308 ng/dL is impossible"),
    ("<-5", "<-5 ng/dL is impossible"),
    ("-5", "Total testosterone -5 ng/dL is impossible: an amount cannot be below 0"),
    ("NaN", "'NaN' is not a finite number"),
    ("inf", "'inf' is not a finite number"),
])
def test_an_impossible_value_is_an_error_on_the_value_field(opened, qtbot, value, words):
    before = count(opened)
    seen = {}

    def play(dialog):
        type_result(qtbot, dialog, "testosterone_total", value, "ng/dL")
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.errors.text("value")
        seen["shown"] = dialog.findChild(type(dialog.preview), "error-value").isVisible()
        dialog.reject()

    assert with_modal(opened.record_actions.add_lab, play) is None
    assert seen["open"] and seen["shown"] and words in seen["error"], seen
    assert count(opened) == before


def test_a_date_before_1900_and_a_future_one_are_refused(opened, qtbot):
    before = count(opened)
    seen = {}

    def play(dialog):
        type_result(qtbot, dialog, "testosterone_total", "500", "ng/dL")
        edit = dialog.when.date
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClicks(edit, "0001-03-01")
        press_save(qtbot, dialog)
        seen["old"] = dialog.errors.text("taken_at")
        edit.selectAll()
        later = date.today() + timedelta(days=5)
        qtbot.keyClicks(edit, later.isoformat())
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.errors.text("taken_at")
        dialog.reject()

    with_modal(opened.record_actions.add_lab, play)
    assert "0001-03-01 is before 1900: check the year" in seen["old"]
    assert seen["open"] and "is in the future" in seen["error"]
    assert count(opened) == before


def test_an_implausible_hematocrit_is_saved_only_after_its_warning_was_seen(opened, qtbot):
    before = count(opened)
    seen = {}

    def play(dialog):
        type_result(qtbot, dialog, "hematocrit", "0.51", "%")
        seen["preview"] = dialog.preview.text()
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["warning"] = dialog.errors.text("value")
        seen["stored_meanwhile"] = count(opened)
        press_save(qtbot, dialog)  # seen it: keep it

    added = with_modal(opened.record_actions.add_lab, play)
    assert seen["open"] and seen["stored_meanwhile"] == before
    assert "Hematocrit 0.51 % is implausible" in seen["warning"]
    assert "fraction 0.51, that is 51 %" in seen["warning"]
    assert "Press Save again" in seen["warning"]
    assert "implausible" in seen["preview"]
    assert added is not None and added.value == pytest.approx(0.51)
    assert count(opened) == before + 1


def test_changing_the_value_after_a_warning_asks_again(opened, qtbot):
    seen = {}

    def play(dialog):
        type_result(qtbot, dialog, "testosterone_total", "6000", "ng/dL")
        press_save(qtbot, dialog)
        type_result(qtbot, dialog, "testosterone_total", "7000", "ng/dL")
        press_save(qtbot, dialog)  # a new value, a new warning: not saved yet
        seen["open"] = dialog.isVisible()
        seen["warning"] = dialog.errors.text("value")
        type_result(qtbot, dialog, "testosterone_total", "700", "ng/dL")
        press_save(qtbot, dialog)  # plausible: saved at once

    added = with_modal(opened.record_actions.add_lab, play)
    assert seen["open"] and "7,000 ng/dL is implausible" in seen["warning"]
    assert added.value == 700


def test_the_blood_test_panel_refuses_and_warns_row_by_row(opened, qtbot):
    before = count(opened)
    seen = {}

    def play(dialog):
        rows = {picker.currentData(): (value, label)
                for picker, value, _unit, _ref, label in dialog.rows}
        t_value, t_label = rows["testosterone_total"]
        h_value, h_label = rows["hematocrit"]
        qtbot.keyClicks(t_value, "-5")
        qtbot.keyClicks(h_value, "0.51")
        press_save(qtbot, dialog)
        seen["refused"] = (dialog.isVisible(), t_label.text())
        t_value.clear()
        qtbot.keyClicks(t_value, "540")
        press_save(qtbot, dialog)
        seen["warned"] = (dialog.isVisible(), h_label.text(), count(opened))
        press_save(qtbot, dialog)

    with_modal(opened.record_actions.add_panel, play)
    assert seen["refused"][0] and "cannot be below 0" in seen["refused"][1]
    assert seen["warned"][0] and "fraction 0.51" in seen["warned"][1]
    assert seen["warned"][2] == before
    assert count(opened) == before + 2


def test_the_semen_dialog_shows_each_problem_under_its_own_field(opened, qtbot):
    before = count(opened)
    seen = {}

    def play(dialog):
        qtbot.keyClicks(dialog.values["sperm_motility"], "120")
        press_save(qtbot, dialog)
        seen["error"] = dialog.errors.text("sperm_motility")
        dialog.values["sperm_motility"].clear()
        qtbot.keyClicks(dialog.values["sperm_motility"], "45")
        qtbot.keyClicks(dialog.values["semen_volume"], "45")  # implausible
        press_save(qtbot, dialog)
        seen["warning"] = (dialog.isVisible(), dialog.errors.text("semen_volume"))
        press_save(qtbot, dialog)

    with_modal(opened.record_actions.add_semen, play)
    assert "a percentage cannot be above 100" in seen["error"]
    assert seen["warning"][0] and "45 mL is implausible" in seen["warning"][1]
    assert count(opened) == before + 2


def test_an_impossible_stored_value_can_be_corrected_and_the_correction_undone(opened, qtbot):
    journal = opened.journal
    target = journal.lab_results("testosterone_total")[0]
    journal._conn.execute("UPDATE lab_results SET value = -5, reported_value = '-5' WHERE id = ?",
                         [target.id])
    journal._conn.commit()
    old = journal.get(LabResult, target.id)

    def play(dialog):
        dialog.value.clear()
        qtbot.keyClicks(dialog.value, "512")
        press_save(qtbot, dialog)

    with_modal(lambda: opened.record_actions.edit_lab(old), play)
    assert journal.get(LabResult, target.id).value == 512
    opened.undo_group.undo()  # puts back what was there, impossible or not
    assert journal.get(LabResult, target.id) == old


def test_the_import_preview_shows_refused_and_implausible_rows(window, qtbot, tmp_path):
    from hpgjournal.store.journal import Journal

    path = tmp_path / "j.hpgjournal"
    Journal.open(path).close()
    window.open_journal(path)
    source = tmp_path / "labs.csv"
    source.write_text("Date,Test,Result,Units\n"
                      "2025-03-04,Testosterone,1e308,ng/dL\n"
                      "2025-03-04,Hematocrit,0.51,%\n"
                      "2025-03-04,LH,4.2,IU/L\n", encoding="utf-8")
    seen = {}

    def play(dialog):
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=20000)
        model = dialog.model
        seen["rows"] = [(model.index(r, 2).data(), model.index(r, 7).data())
                        for r in range(model.rowCount())]
        seen["summary"] = dialog.summary.text()
        seen["message"] = dialog.message.text()
        qtbot.mouseClick(dialog.only_problems, Qt.MouseButton.LeftButton)
        seen["problems"] = dialog.proxy.rowCount()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    result = with_modal(lambda: window.import_files([source]), play)
    (s1, r1), (s2, r2), (s3, r3) = seen["rows"]
    assert s1 == "unreadable" and "1e+308 ng/dL is impossible" in r1
    assert s2 == "new, implausible" and "fraction 0.51, that is 51 %" in r2
    assert (s3, r3) == ("new", "")
    assert seen["summary"].endswith("1 unreadable · 1 implausible (kept)")
    assert "imported as printed, check them" in seen["message"]
    assert seen["problems"] == 2
    assert result.added == 2
    assert sorted(r.analyte for r in window.journal.all(LabResult)) == ["hematocrit", "lh"]
