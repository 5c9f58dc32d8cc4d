"""Adding, correcting, deleting and undoing records from the window, checked in the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from hpgjournal.domain.records import Dose, LabResult, Measure, Medication, Note, Phase
from hpgjournal.store.journal import Journal

from .helpers import answer, close_with_save, with_modal


@pytest.fixture
def opened(window, qtbot, demo_path):
    window.open_journal(demo_path)
    show_active(window, qtbot)
    return window


def show_active(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def results(window, analyte):
    return window.journal.lab_results(analyte)


def test_keyboard_alone_adds_a_lab_result(opened, qtbot):
    before = len(results(opened, "testosterone_total"))

    def play(dialog):
        qtbot.keyClicks(dialog.focusWidget(), "Total testosterone")
        dialog.marker.completer().popup().hide()
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)  # method is disabled: on to value
        qtbot.keyClicks(dialog.focusWidget(), "18.9")
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.focusWidget(), "n")  # the unit list jumps to nmol/L
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    with_modal(lambda: qtbot.keyClick(opened, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier),
               play)
    added = results(opened, "testosterone_total")
    assert len(added) == before + 1
    new = max(added, key=lambda r: r.id)
    assert (new.reported_value, new.reported_unit, new.unit) == ("18.9", "nmol/L", "ng/dL")
    assert new.value == pytest.approx(545.14, abs=0.01)


def test_problems_are_shown_next_to_their_field(opened, qtbot):
    messages = []

    def play(dialog):
        dialog.marker.setEditText("Unobtainium")
        dialog.value.setText("52")
        close_with_save(dialog)
        messages.append(dialog.errors.text("analyte"))
        assert dialog.isVisible()  # stays open so nothing typed is lost
        dialog.marker.set_key("hematocrit")
        dialog.value.clear()
        close_with_save(dialog)
        messages.append(dialog.errors.text("value"))
        dialog.value.setText("0.52")
        dialog.unit.setCurrentText("L/L")
        close_with_save(dialog)

    before = len(results(opened, "hematocrit"))
    with_modal(opened.record_actions.add_lab, play)
    assert "not a known marker" in messages[0]
    assert "empty" in messages[1]
    added = results(opened, "hematocrit")
    assert len(added) == before + 1
    assert max(added, key=lambda r: r.id).value == pytest.approx(52.0)  # 0.52 L/L is 52 %


def test_censored_value_and_alias_search(opened, qtbot):
    def play(dialog):
        dialog.marker.setEditText("Luteinising hormone")  # UK spelling, resolved by alias
        dialog.value.setText("<0.2")
        dialog.unit.setCurrentText("IU/L")
        dialog.range.setText("1.7-8.6")
        assert "below the range" in dialog.preview.text()
        close_with_save(dialog)

    added = with_modal(opened.record_actions.add_lab, play)
    assert (added.analyte, added.comparator, added.value, added.flag) == ("lh", "<", 0.2, "L")


def test_edit_undo_redo_a_result(opened, qtbot):
    opened.show_page("labs")
    page = opened.page("labs")
    page.select_record(lambda r: r.analyte == "testosterone_total")
    target = page.selected_records()[0]

    def play(dialog):
        assert dialog.value.text() == target.reported_value
        dialog.value.clear()
        qtbot.keyClicks(dialog.value, "512")
        close_with_save(dialog)

    with_modal(lambda: qtbot.keyClick(page.table, Qt.Key.Key_Return), play)
    assert opened.journal.get(LabResult, target.id).reported_value == "512"
    assert any(r.reported_value == "512" for r in page.model.records)  # the view refreshed
    show_active(opened, qtbot)
    qtbot.keyClick(opened, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert opened.journal.get(LabResult, target.id) == target
    opened.undo_group.redo()
    assert opened.journal.get(LabResult, target.id).reported_value == "512"


def test_delete_asks_and_undo_brings_it_back(opened, qtbot):
    opened.show_page("labs")
    page = opened.page("labs")
    page.table.selectRow(0)
    target = page.selected_records()[0]
    with_modal(lambda: qtbot.keyClick(page.table, Qt.Key.Key_Delete),
               answer(QMessageBox.StandardButton.No))
    assert opened.journal.get(LabResult, target.id) == target  # "No" keeps it
    with_modal(lambda: qtbot.keyClick(page.table, Qt.Key.Key_Delete),
               answer(QMessageBox.StandardButton.Yes))
    assert opened.journal.get(LabResult, target.id) is None
    assert target not in page.model.records
    opened.undo_group.undo()
    assert opened.journal.get(LabResult, target.id) == target  # same id, same values


def test_panel_entry_adds_a_whole_blood_test(opened, qtbot):
    def play(dialog):
        dialog.when.set_stamp("2026-11-15T08:00")
        dialog.lab.setText("Quest")
        rows = {picker.currentData(): (value, unit, ref) for picker, value, unit, ref, _ in
                dialog.rows}
        rows["testosterone_total"][0].setText("610")
        rows["testosterone_total"][2].setText("264-916")
        rows["lh"][0].setText("5.2")
        rows["estradiol"][0].setText("88.1")
        rows["estradiol"][1].setCurrentText("pmol/L")
        close_with_save(dialog)

    with_modal(opened.record_actions.add_panel, play)
    added = opened.journal.lab_results(start="2026-11-15", end="2026-11-15")
    assert {r.analyte for r in added} == {"testosterone_total", "lh", "estradiol"}
    e2 = next(r for r in added if r.analyte == "estradiol")
    assert e2.value == pytest.approx(24.0, abs=0.05) and e2.lab == "Quest"
    opened.undo_group.undo()  # one undo removes the whole panel
    assert opened.journal.lab_results(start="2026-11-15", end="2026-11-15") == []


def test_keyboard_alone_logs_a_dose_with_the_next_site(window, qtbot, tmp_path):
    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        med = journal.add(Medication(None, "hCG", "2026-01-01", "gonadotropin", "subq", 500, "IU",
                                     "twice weekly", 3.5))
        journal.add(Dose(None, "2026-01-02T21:00", "hCG", 500, "IU", "abdomen left", "", med))
    window.open_journal(tmp_path / "j.hpgjournal")
    show_active(window, qtbot)

    def play(dialog):
        assert dialog.amount.text() == "500" and dialog.site.currentText() == "abdomen right"
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    with_modal(lambda: qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier),
               play)
    doses = window.journal.all(Dose)
    assert len(doses) == 2
    assert (doses[-1].site, doses[-1].amount, doses[-1].medication_id) == ("abdomen right", 500, med)


def test_changing_a_dose_starts_a_new_period(window, qtbot, tmp_path):
    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        journal.add(Medication(None, "Testosterone cypionate", "2025-01-01", "testosterone", "im",
                               100, "mg", "every 7 days", 7.0))
    window.open_journal(tmp_path / "j.hpgjournal")
    window.show_page("medications")
    page = window.page("medications")
    page.medications.table.selectRow(0)

    def play(dialog):
        dialog.start.set_stamp("2026-03-01")
        dialog.dose.setText("120")
        close_with_save(dialog)

    with_modal(lambda: page._change(window.record_actions), play)
    old, new = window.journal.all(Medication)
    assert (old.dose, old.end_date) == (100, "2026-02-28")  # history kept
    assert (new.dose, new.start_date, new.end_date) == (120, "2026-03-01", None)
    window.undo_group.undo()  # the change is one step
    assert [(m.dose, m.end_date) for m in window.journal.all(Medication)] == [(100, None)]


def test_dragging_a_phase_on_the_timeline_moves_it(opened, qtbot):
    opened.show_page("phases")
    page = opened.page("phases")
    timeline = page.timeline
    timeline.resize(1000, timeline.height())
    hcg = next(p for p in opened.journal.all(Phase) if p.kind == "hcg")
    rect = timeline.span_rect(hcg)
    start = QPoint(int(rect.center().x()), int(rect.center().y()))
    end = start + QPoint(40, 0)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(timeline, end)
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=end)
    moved = opened.journal.get(Phase, hcg.id)
    assert moved.start_date > hcg.start_date and moved.end_date > hcg.end_date
    length = lambda p: (p.end_date, p.start_date)  # noqa: E731
    assert length(moved) != length(hcg)
    opened.undo_group.undo()
    assert opened.journal.get(Phase, hcg.id) == hcg


def test_check_in_is_saved_with_scores(opened, qtbot):
    def play(dialog):
        dialog.sliders["energy"].setValue(3)
        dialog.rated["sleep"].setChecked(False)
        dialog.text.setText("<b>tired</b> after the change")
        dialog.for_doctor.setChecked(True)
        close_with_save(dialog)

    before = opened.journal.count(Note)
    with_modal(opened.record_actions.check_in, play)
    note = opened.journal.all(Note)[-1] if opened.journal.count(Note) > before else None
    newest = max(opened.journal.all(Note), key=lambda n: n.id)
    assert note is not None
    assert (newest.energy, newest.sleep, newest.for_doctor) == (3, None, True)
    assert newest.text == "<b>tired</b> after the change"  # kept as typed


def test_measures_validation_then_save(opened, qtbot):
    seen = []

    def play(dialog):
        dialog.left.setText("14")
        dialog.bp.setText("80/124")
        close_with_save(dialog)
        seen.append(dialog.errors.text("bp"))
        dialog.bp.setText("124/80")
        close_with_save(dialog)

    before = opened.journal.count(Measure)
    with_modal(opened.record_actions.add_measure, play)
    assert "systolic" in seen[0]
    assert opened.journal.count(Measure) == before + 1


def test_semen_analysis_works_out_the_total_count(opened, qtbot):
    def play(dialog):
        dialog.when.set_stamp("2026-11-10T09:00")
        dialog.values["semen_volume"].setText("2.5")
        dialog.values["sperm_concentration"].setText("12")
        dialog.values["sperm_motility"].setText("45")
        close_with_save(dialog)

    with_modal(opened.record_actions.add_semen, play)
    added = {r.analyte: r for r in opened.journal.lab_results(start="2026-11-10",
                                                                end="2026-11-10")}
    assert added["sperm_total_count"].value == 30
    assert added["sperm_concentration"].flag == "L"  # under the WHO limit of 16
    assert added["sperm_motility"].flag == ""


def test_overview_follows_a_new_result(opened, qtbot):
    def play(dialog):
        dialog.marker.set_key("testosterone_total")
        dialog.when.set_stamp("2026-11-20T08:00")
        dialog.value.setText("777")
        close_with_save(dialog)

    with_modal(opened.record_actions.add_lab, play)
    opened.show_page("overview")
    texts = "\n".join(w.text() for w in opened.page("overview").findChildren(QLabel))
    assert "777 ng/dL" in texts


def test_units_preference_switches_the_table_to_si(opened, qtbot):
    opened.show_page("labs")
    page = opened.page("labs")
    page.marker_filter.setCurrentIndex(page.marker_filter.findData("testosterone_total"))
    opened.unit_actions["si"].trigger()
    units = {page.proxy.index(r, 3).data() for r in range(page.proxy.rowCount())}
    assert units == {"nmol/L"}
    opened.prefs.set_for_marker("testosterone_total", "us")
    units = {page.proxy.index(r, 3).data() for r in range(page.proxy.rowCount())}
    assert units == {"ng/dL"}


def test_overview_shows_an_alert_and_logs_todays_dose(window, qtbot, tmp_path):
    from datetime import date

    from PySide6.QtWidgets import QPushButton

    from hpgjournal.domain.results import make_result

    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        journal.add(Medication(None, "Testosterone cypionate", "2025-01-01", "testosterone", "im",
                               100, "mg", "every 7 days", 7.0))
        journal.add(make_result("2025-06-01T08:00", "hematocrit", "55.1", "%", ref_text="37.5-51"))
    window.open_journal(tmp_path / "j.hpgjournal")
    show_active(window, qtbot)
    overview = window.page("overview")
    texts = "\n".join(w.text() for w in overview.findChildren(QLabel))
    assert "Warning: Hematocrit 55.1 % is above 54 %" in texts  # the level in words too
    assert "Source: The Endocrine Society's 2010 monitoring table" in texts
    button = next(b for b in overview.findChildren(QPushButton)
                  if b.text().startswith("Log today's Testosterone cypionate"))

    button.click()  # one click, no dialog: the regimen's dose and the first site, now
    dose = window.journal.all(Dose)[-1]
    assert dose.taken_at.startswith(date.today().isoformat()) and dose.medication_id == 1
    assert (dose.amount, dose.unit, dose.site) == (100, "mg", "left glute")


def test_ams_questionnaire_is_scored_and_stored(opened, qtbot):
    from hpgjournal.domain.records import Questionnaire

    seen = []

    def play(dialog):
        for number, group in enumerate(dialog.groups, start=1):
            if number < 17:
                group.button(3 if number in (15, 16) else 2).click()
        close_with_save(dialog)
        seen.append(dialog.errors.text("answers"))  # question 17 still open
        dialog.groups[16].button(4).click()
        seen.append(dialog.result_label.text())
        close_with_save(dialog)

    before = opened.journal.count(Questionnaire)
    with_modal(opened.record_actions.ams, play)
    assert "17" in seen[0]
    assert seen[1].startswith("Score 38 (moderate symptoms")
    stored = opened.journal.all(Questionnaire)
    newest = max(stored, key=lambda q: q.id)
    assert len(stored) == before + 1 and (newest.kind, newest.total) == ("ams", 38)
    opened.show_page("symptoms")
    page = opened.page("symptoms")
    readings = [page.ams.proxy.index(r, 2).data() for r in range(page.ams.proxy.rowCount())]
    assert any(r.startswith("38 (moderate") for r in readings)


def test_overview_lists_the_tests_due_as_the_assess_command_does(window, qtbot, demo_path, capsys):
    import json
    from datetime import date

    from hpgjournal.cli import main

    window.open_journal(demo_path)
    show_active(window, qtbot)
    overview = window.page("overview")
    shown = {w.objectName().removeprefix("due-"): w.text() for w in overview.findChildren(QLabel)
             if w.objectName().startswith("due-") and w.objectName() != "due-tests"}
    assert main(["assess", "--json", "--journal", str(demo_path), "--as-of",
                 date.today().isoformat()]) == 0
    due = {d["test"]: d for d in json.loads(capsys.readouterr().out)["due"]}
    assert set(shown) == set(due) and "semen_analysis" in shown
    for test, text in shown.items():
        assert due[test]["due"] in text
        assert ("overdue since" in text) == (due[test]["status"] == "overdue")
    assert "the app's own reading" in shown["restart_panel"]


def test_profile_from_the_journal_menu_is_saved_shown_and_undone(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox

    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        journal.add(Note(None, "2026-01-01", text="first"))
    window.open_journal(tmp_path / "j.hpgjournal")
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Journal")
    action = next(a for a in menu.actions() if a.text() == "Pro&file…")

    def play(dialog):
        dialog.name.setFocus()
        qtbot.keyClicks(dialog.name, "Max Mustermann")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.birth, "1980-05-02")
        dialog.goal.setCurrentIndex(dialog.goal.findData("restore_fertility"))
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    with_modal(action.trigger, play)
    assert window.journal.profile()["name"] == "Max Mustermann"
    assert window.journal.profile()["birth_date"] == "1980-05-02"
    window.show_page("overview")
    header = "\n".join(w.text() for w in window.page("overview").findChildren(QLabel))
    assert "Max Mustermann" in header
    window.undo_group.undo()
    assert window.journal.profile().get("name", "") == ""


def test_a_wrong_date_of_birth_is_shown_beside_its_field(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox

    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        journal.add(Note(None, "2026-01-01", text="first"))
    window.open_journal(tmp_path / "j.hpgjournal")
    seen = {}

    def play(dialog):
        qtbot.keyClicks(dialog.birth, "14.03.1985")
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        seen["open"] = dialog.isVisible()
        seen["text"] = "\n".join(w.text() for w in dialog.findChildren(QLabel))

    with_modal(window.edit_profile, play)
    assert seen["open"] and "YYYY-MM-DD" in seen["text"]
    assert "birth_date" not in window.journal.profile()
