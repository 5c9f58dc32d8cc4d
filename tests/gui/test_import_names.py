"""The import preview marks the names no marker is known by and lets the user say, there and
then, which marker each one is; the choice is remembered for the next import."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from hpgjournal.domain.records import LabResult
from hpgjournal.store.journal import Journal

from .helpers import with_modal

GERMAN = ("Datum,Test,Ergebnis,Einheit\n"
          "2026-03-04,Testo gesamt,18.9,nmol/L\n"
          "2026-06-04,Testo gesamt,20.4,nmol/L\n"
          "2026-06-04,Mein Wert,3,\n")


def wait_planned(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=20000)


def marker_cells(dialog):
    return [dialog.proxy.index(r, 4).data() for r in range(dialog.proxy.rowCount())]


def test_unknown_names_are_marked_and_mapped_on_the_spot_then_remembered(window, qtbot,
                                                                         tmp_path):
    journal_path = tmp_path / "j.hpgjournal"
    Journal.open(journal_path).close()
    window.open_journal(journal_path)
    path = tmp_path / "befund.csv"
    path.write_text(GERMAN, encoding="utf-8")
    seen = {}

    def play(dialog):
        wait_planned(qtbot, dialog)
        old_plan = dialog.plan  # before typing: under load the new reading may end early
        seen["intro"] = dialog.names_intro.text()
        seen["box"] = dialog.names_box.isVisible()
        seen["cells"] = marker_cells(dialog)
        seen["tip"] = dialog.proxy.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)
        combo = dialog.findChild(QComboBox, "name-Testo gesamt")
        combo.setFocus()
        qtbot.keyClicks(combo.lineEdit(), "TT")  # what labs print for total testosterone
        combo.completer().popup().hide()
        qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Tab)
        # the reading of the last choice: none is pending and Import is offered again
        qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan is not old_plan
                        and not dialog._replan.isActive() and dialog.import_button.isEnabled(),
                        timeout=20000)
        seen["after"] = marker_cells(dialog)
        seen["picked"] = dialog.findChild(QComboBox, "name-Testo gesamt").currentText()
        seen["focus_on_table"] = QApplication.focusWidget() is dialog.table
        seen["still_listed"] = sorted(dialog.name_choices)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    with_modal(lambda: window.import_files([path]), play)
    assert seen["box"] and seen["intro"].startswith("2 marker names in the file are not "
                                                    "recognised")
    assert seen["cells"][:2] == ["Testo gesamt (not recognised: own marker)"] * 2
    assert "no chart, overview or report" in seen["tip"]
    assert seen["after"][:2] == ["Total testosterone", "Total testosterone"]
    assert seen["after"][2] == "Mein Wert (not recognised: own marker)"
    assert seen["picked"] == "Total testosterone"
    assert seen["focus_on_table"]  # Tab went on to the rows, not lost with a rebuilt list
    assert seen["still_listed"] == ["Mein Wert", "Testo gesamt"]
    totals = [r for r in window.journal.all(LabResult) if r.analyte == "testosterone_total"]
    assert [(r.reported_value, r.reported_unit) for r in totals] == [("18.9", "nmol/L"),
                                                                      ("20.4", "nmol/L")]
    assert window.journal.marker_names() == {"testo gesamt": ("testosterone_total", "")}

    # the next file that prints the name is mapped at once, and says so
    later = tmp_path / "befund2.csv"
    later.write_text("Datum,Test,Ergebnis,Einheit\n2026-09-04,Testo gesamt,21.0,nmol/L\n",
                     encoding="utf-8")
    again = {}

    def second(dialog):
        wait_planned(qtbot, dialog)
        again["cells"] = marker_cells(dialog)
        combo = dialog.findChild(QComboBox, "name-Testo gesamt")
        again["choice"] = combo.currentText()
        again["intro"] = dialog.names_intro.text()
        dialog.reject()

    with_modal(lambda: window.import_files([later]), second)
    assert again["cells"] == ["Total testosterone"]
    assert again["choice"] == "Total testosterone"
    assert again["intro"].startswith("Names mapped to known markers")
