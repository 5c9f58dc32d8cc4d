"""File > Import history: every import batch, and a way to take one out as a whole."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.commands import RemoveBatch
from hpgjournal.domain.records import Batch
from hpgjournal.importers.formats import format_label
from hpgjournal.ui.session import JournalSession


class ImportHistoryDialog(QDialog):
    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Import history")
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        intro = QLabel("Each import is kept as one batch. Removing a batch takes out every "
                       "result it added (Edit > Undo brings it back).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 5)
        self.table.setTabKeyNavigation(False)  # arrows move between cells, Tab moves on
        self.table.setAccessibleName("Imports, newest first")
        self.table.setHorizontalHeaderLabels(["Imported", "File", "Format", "Results now",
                                              "Note"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.remove_button = QPushButton("&Remove this import…")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.batches: list[Batch] = []
        session.changed.connect(lambda kinds: self.load())
        self.load()

    def load(self) -> None:
        journal = self.session.journal
        self.batches = list(reversed(journal.all(Batch)))
        counts = journal.results_per_batch()
        self.table.setRowCount(len(self.batches))
        for row, batch in enumerate(self.batches):
            cells = [batch.imported_at.replace("T", " "), batch.source,
                     ", ".join(format_label(n) for n in batch.format.split(", ")),
                     str(counts.get(batch.id, 0) if batch.id is not None else 0), batch.note]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.remove_button.setEnabled(bool(self.batches))
        if self.batches:
            self.table.selectRow(0)

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        batch = self.batches[rows[0].row()]
        answer = QMessageBox.question(
            self, "Remove import",
            f"Remove the import of {batch.source} ({batch.imported_at.replace('T', ' ')}) and "
            "every result it added?\n\nEdit > Undo brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            assert batch.id is not None, "a batch read from the journal has an id"
            self.session.run(RemoveBatch(batch.id, f"Remove import of {batch.source}"))
