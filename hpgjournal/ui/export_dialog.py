"""File > Export: one table of the journal (or all of it) as CSV or JSON, the command line's
``hpgjournal export`` in a window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.domain.display import count_of
from hpgjournal.store.export import EXPORT_NAMES
from hpgjournal.store.journal import Journal
from hpgjournal.ui.forms import tie_labels

# What the user picks, in words, for each of the export's table names.
TABLE_WORDS = {
    "labs": "Lab results", "doses": "Doses taken", "medications": "Regimens",
    "phases": "Therapy phases", "notes": "Check-ins and notes", "measures": "Body measures",
    "questionnaires": "AMS questionnaires", "batches": "Imports (batches)",
    "all": "Everything (one JSON file)",
}
FORMAT_WORDS = {"csv": "CSV (a spreadsheet opens it)", "json": "JSON (every field, lossless)"}


class ExportDialog(QDialog):
    """Which table and which format; the window then asks where to write it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export-dialog")
        self.setWindowTitle("Export")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Write a table of the journal to a file, to keep or to open in "
                                "another program. The journal itself is not changed."))
        rows = QFormLayout()
        self.table = QComboBox()
        for name in EXPORT_NAMES:
            self.table.addItem(TABLE_WORDS.get(name, name), name)
        self.format = QComboBox()
        for fmt, words in FORMAT_WORDS.items():
            self.format.addItem(words, fmt)
        rows.addRow("&What", self.table)
        rows.addRow("&Format", self.format)
        layout.addLayout(rows)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("&Export…",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.table.currentIndexChanged.connect(self._table_chosen)
        tie_labels(self)

    def _table_chosen(self, *args: object) -> None:
        everything = self.table.currentData() == "all"  # always one JSON document
        if everything:
            self.format.setCurrentIndex(self.format.findData("json"))
        self.format.setEnabled(not everything)

    @property
    def choice(self) -> tuple[str, str]:
        return self.table.currentData(), self.format.currentData()


def write_export(journal: Journal, table: str, fmt: str, target: Path) -> str:
    """Write the table to ``target`` (private and atomic); the status line to show.

    A UserError (from ``cannot_write``) says why it could not be written.
    """
    from hpgjournal.store.export import export
    from hpgjournal.store.faults import cannot_write
    from hpgjournal.store.files import atomic_write

    try:
        with atomic_write(target, "w", encoding="utf-8", newline="") as out:
            n = export(journal, table, fmt, out)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    return f"Exported {count_of(n, 'record')} to {target}"
