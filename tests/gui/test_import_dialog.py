"""The import dialog as a user meets it: preview, problems, choices, commit, undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from hpgjournal.domain.records import Batch, LabResult

from .helpers import wait_planned, with_modal

DATA = Path(__file__).resolve().parent.parent / "data" / "import"




def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_preview_shows_each_row_then_commit_and_undo(empty_window, qtbot, tmp_path):
    path = write(tmp_path, "labs.csv",
                 "Date,Test,Result,Units,Reference Range\n"
                 "2025-03-04,Testosterone,612,ng/dL,264-916\n"
                 "2025-03-04,LH,<0.2,mIU/mL,1.7-8.6\n"
                 "2025-03-04,Estradiol,41.2,%,7.6-42.6\n")  # a unit that does not fit
    seen = {}

    def play(dialog):
        wait_planned(qtbot, dialog)
        seen["summary"] = dialog.summary.text()
        seen["statuses"] = [dialog.model.rows[i].status for i in range(dialog.model.rowCount())]
        dialog.only_problems.setChecked(True)
        seen["shown"] = dialog.proxy.rowCount()
        seen["reason"] = dialog.proxy.index(0, 7).data()
        seen["button"] = dialog.import_button.text()
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    result = with_modal(lambda: empty_window.import_files([path]), play)
    assert seen["summary"] == "2 new · 0 already in the journal · 1 unreadable"
    assert sorted(seen["statuses"]) == ["error", "new", "new"]
    assert seen["shown"] == 1 and seen["reason"]
    assert seen["button"] == "&Import 2 results"
    assert result.added == 2
    journal = empty_window.journal
    assert {r.analyte for r in journal.all(LabResult)} == {"testosterone_total", "lh"}
    assert [b.source for b in journal.all(Batch)] == ["labs.csv"]
    assert empty_window.stack.currentWidget() is empty_window.page("labs")  # shown at once
    empty_window.undo_group.undo()  # the whole import goes in one step
    assert journal.count(LabResult) == 0 and journal.count(Batch) == 0
    empty_window.undo_group.redo()
    assert journal.count(LabResult) == 2


def test_reimporting_the_same_file_adds_nothing(empty_window, qtbot, tmp_path):
    path = write(tmp_path, "labs.csv", "Date,Test,Result,Units\n2025-03-04,LH,4.2,IU/L\n")

    def commit(dialog):
        wait_planned(qtbot, dialog)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    with_modal(lambda: empty_window.import_files([path]), commit)
    seen = []

    def again(dialog):
        wait_planned(qtbot, dialog)
        seen.append((dialog.summary.text(), dialog.import_button.isEnabled(),
                     dialog.message.text(), dialog.detected.text(), dialog.import_button.text(),
                     dialog.cancel_button.text()))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter closes: there is nothing to import
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

    with_modal(lambda: empty_window.import_files([path]), again)
    summary, enabled, message, detected, button, cancel = seen[0]
    assert summary.startswith("0 new · 1 already") and not enabled
    assert (button, cancel) == ("Nothing to import", "Close")
    assert "Nothing new" in message and "imported before" in detected
    assert empty_window.journal.count(LabResult) == 1


def test_ambiguous_dates_must_be_chosen(empty_window, qtbot):
    seen = []

    def play(dialog):
        wait_planned(qtbot, dialog)
        seen.append((dialog.import_button.isEnabled(), dialog.message.text()))
        dialog.date_order.setCurrentIndex(dialog.date_order.findData("dmy"))
        dialog.reread.click()
        wait_planned(qtbot, dialog)
        seen.append((dialog.import_button.isEnabled(), dialog.detected.text()))
        dialog.reject()

    with_modal(lambda: empty_window.import_files([DATA / "dates_ambiguous.csv"]), play)
    assert seen[0][0] is False and "choose the order" in seen[0][1]
    assert seen[1][0] is True and "day first" in seen[1][1]


def test_unrecognised_columns_lead_to_the_mapping_step(empty_window, qtbot, tmp_path):
    path = write(tmp_path, "mine.csv", "Wann,Was,Wieviel\n2025-03-04,LH,4.2\n"
                                       "2025-03-04,FSH,5.1\n")
    seen = []

    def play(dialog):
        wait_planned(qtbot, dialog)
        seen.append(dialog.stack.currentIndex())
        boxes = dialog.field_boxes
        boxes["date"].setCurrentIndex(boxes["date"].findData("Wann"))
        boxes["marker"].setCurrentIndex(boxes["marker"].findData("Was"))
        boxes["value"].setCurrentIndex(boxes["value"].findData("Wieviel"))
        dialog.use_mapping()
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=20000)
        seen.append(dialog.summary.text())
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    with_modal(lambda: empty_window.import_files([path]), play)
    assert seen[0] == 1
    assert seen[1].startswith("2 new")
    assert {r.analyte for r in empty_window.journal.all(LabResult)} == {"lh", "fsh"}


def test_a_binary_file_gets_a_clear_message_and_nothing_changes(empty_window, qtbot):
    seen = []

    def play(dialog):
        wait_planned(qtbot, dialog)
        seen.append((dialog.message.text(), dialog.import_button.isEnabled()))
        dialog.reject()

    with_modal(lambda: empty_window.import_files([DATA / "binary.csv"]), play)
    message, enabled = seen[0]
    assert message and "Traceback" not in message and not enabled
    assert empty_window.journal.count(LabResult) == 0


def test_undo_and_redo_of_an_export_all_import(empty_window, qtbot, demo_path, tmp_path):
    import subprocess
    import sys

    from hpgjournal.domain.records import Dose, Medication

    document = tmp_path / "all.json"
    subprocess.run([sys.executable, "-m", "hpgjournal", "export", "all", "--journal",
                    str(demo_path), "-o", str(document)], check=True, capture_output=True)

    def play(dialog):
        wait_planned(qtbot, dialog)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    with_modal(lambda: empty_window.import_files([document]), play)
    journal = empty_window.journal
    counts = (journal.count(LabResult), journal.count(Medication), journal.count(Dose))
    assert all(counts)
    empty_window.undo_group.undo()
    assert (journal.count(LabResult), journal.count(Medication), journal.count(Dose)) == (0, 0, 0)
    empty_window.undo_group.redo()
    assert (journal.count(LabResult), journal.count(Medication), journal.count(Dose)) == counts
    assert all(d.medication_id is not None for d in journal.all(Dose))  # links restored


_CCDA = """<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <title>Continuity of Care Document</title>
 <component><structuredBody><component><section>
  <templateId root="2.16.840.1.113883.10.20.22.2.3.1"/>
  <code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/>
  <entry><organizer classCode="BATTERY" moodCode="EVN">
   <code displayName="Testosterone panel"/>
   <effectiveTime value="20250304081500-0500"/>
   <component><observation classCode="OBS" moodCode="EVN">
    <code code="2986-8" codeSystem="2.16.840.1.113883.6.1" displayName="Testosterone"/>
    <value xsi:type="PQ" value="612" unit="ng/dL"/>
    <referenceRange><observationRange><value xsi:type="IVL_PQ">
     <low value="264" unit="ng/dL"/><high value="916" unit="ng/dL"/>
    </value></observationRange></referenceRange>
   </observation></component>
   <component><observation classCode="OBS" moodCode="EVN">
    <code code="10501-5" codeSystem="2.16.840.1.113883.6.1" displayName="LH"/>
    <value xsi:type="IVL_PQ"><high value="0.2" unit="m[IU]/mL" inclusive="false"/></value>
   </observation></component>
  </organizer></entry>
 </section></component></structuredBody></component>
</ClinicalDocument>
"""


def test_a_ccda_document_is_previewed_in_words_and_imported(empty_window, qtbot, tmp_path):
    path = write(tmp_path, "record.xml", _CCDA)
    seen = {}

    def play(dialog):
        wait_planned(qtbot, dialog)
        seen["detected"] = dialog.detected.text()
        seen["summary"] = dialog.summary.text()
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    result = with_modal(lambda: empty_window.import_files([path]), play)
    assert seen["detected"].startswith("record.xml: C-CDA document, 1 lab date, 2 results")
    assert seen["summary"] == "2 new · 0 already in the journal · 0 unreadable"
    assert result.added == 2
    got = {r.analyte: r for r in empty_window.journal.all(LabResult)}
    assert (got["testosterone_total"].value, got["testosterone_total"].taken_at) == (
        612.0, "2025-03-04T08:15")
    assert (got["lh"].comparator, got["lh"].value) == ("<", 0.2)


def test_a_pdf_preview_shows_the_line_each_row_came_from(empty_window, qtbot, tmp_path):
    from tests.importers.pdf_reports import quest_pdf

    path = quest_pdf(tmp_path / "quest.pdf")
    seen = {}

    def play(dialog):
        wait_planned(qtbot, dialog)
        printed = dialog.model.PRINTED
        seen["header"] = dialog.model.headerData(printed, Qt.Orientation.Horizontal)
        seen["hidden"] = dialog.table.isColumnHidden(printed)
        seen["rows"] = {dialog.proxy.index(i, 4).data(): dialog.proxy.index(i, printed).data()
                        for i in range(dialog.proxy.rowCount())}
        seen["detected"] = dialog.detected.text()
        seen["encoding"] = dialog.encoding.isEnabled()
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    result = with_modal(lambda: empty_window.import_files([path]), play)
    assert seen["header"] == "As printed in the PDF" and not seen["hidden"]
    assert seen["rows"]["HbA1c (glycated hemoglobin)"] == \
        "p. 2: HEMOGLOBIN A1c 5.3 <5.7 % 5.4 10/10/2024 UL"
    assert seen["rows"]["Estradiol"].startswith("p. 1: ESTRADIOL 40 H")
    assert "lab report PDF from Quest Diagnostics, 2 pages" in seen["detected"]
    assert "pending" in seen["detected"]
    assert not seen["encoding"]  # a PDF has no encoding to choose
    assert result.added == 9


def test_a_csv_preview_has_no_pdf_column(empty_window, qtbot, tmp_path):
    path = write(tmp_path, "labs.csv", "Date,Test,Result,Units\n2025-03-04,LH,4.2,IU/L\n")
    seen = {}

    def play(dialog):
        wait_planned(qtbot, dialog)
        seen["hidden"] = dialog.table.isColumnHidden(dialog.model.PRINTED)
        dialog.reject()

    with_modal(lambda: empty_window.import_files([path]), play)
    assert seen["hidden"]
