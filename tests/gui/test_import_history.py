"""Import batches can be taken out as a whole from File > Import history, and put back."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from hpgjournal.domain.records import LabResult
from hpgjournal.domain.results import make_result
from hpgjournal.store.journal import Journal

from .helpers import answer, with_modal


def test_remove_an_import_and_undo(window, qtbot, tmp_path):
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path) as journal:
        journal.add(make_result("2025-01-01", "lh", "3.0", "IU/L"))  # typed by hand: stays
        batch = journal.start_batch("labs.csv", "long", "abc")
        journal.add_many([make_result("2025-02-01", key, value, unit, batch_id=batch)
                          for key, value, unit in (("lh", "4.1", "IU/L"), ("fsh", "5", "IU/L"))])
    window.open_journal(path)
    from hpgjournal.ui.history_dialog import ImportHistoryDialog

    dialog = ImportHistoryDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, 1).text() == "labs.csv"
    assert dialog.table.item(0, 3).text() == "2"
    with_modal(dialog.remove_button.click, answer(QMessageBox.StandardButton.Yes))
    assert [r.reported_value for r in window.journal.all(LabResult)] == ["3.0"]
    assert dialog.table.rowCount() == 0  # the history follows the journal
    window.undo_group.undo()
    assert window.journal.count(LabResult) == 3
    assert dialog.table.item(0, 3).text() == "2"
