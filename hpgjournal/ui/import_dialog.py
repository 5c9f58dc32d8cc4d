"""File > Import: read lab files, show what would be imported row by row, then commit one batch.

Reading (planning) and writing (committing) run off the UI thread with progress and Cancel;
nothing is written before the user presses Import, and a cancelled import writes nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.commands import ImportBatch
from hpgjournal.domain.analytes import CUSTOM_PREFIX, fold_name
from hpgjournal.domain.display import count_of, series_name, value_in
from hpgjournal.importers.names import PDF_FORMAT, PDF_LINE, PDF_PAGE
from hpgjournal.ui.lab_dialog import MarkerPicker
from hpgjournal.ui.session import JournalSession
from hpgjournal.ui.style import colour
from hpgjournal.ui.tasks import run_task

ENCODINGS = (("Detect", None), ("UTF-8", "utf-8"), ("Windows (cp1252)", "cp1252"),
             ("Latin-1", "latin-1"), ("Mac Roman", "mac_roman"))
DATE_ORDERS = (("Detect", "auto"), ("Month first (MM/DD/YYYY)", "mdy"),
               ("Day first (DD/MM/YYYY)", "dmy"), ("Year first (YYYY-MM-DD)", "ymd"))
MAPPING_FIELDS = (("date", "Date"), ("time", "Time"), ("marker", "Marker"), ("value", "Value"),
                  ("unit", "Unit"), ("range", "Reference range"), ("flag", "Flag"),
                  ("lab", "Lab"), ("note", "Note"))
STATUS_TEXT = {"new": "new", "duplicate": "already in the journal", "error": "unreadable"}
NOT_RECOGNISED = ("No marker is known by this name: it would be kept as your own marker, which "
                  "no chart, overview or report of the known markers shows. Choose the marker "
                  "it is above the table.")


def printed(raw: dict[str, str]) -> str:
    """The line of a PDF a row was read from, with its page ("" for other files)."""
    line = raw.get(PDF_LINE, "")
    if not line:
        return ""
    pages = raw.get(PDF_PAGE, "?")
    return f"{'pp.' if '-' in pages else 'p.'} {pages}: {line}"


class PlanModel(QAbstractTableModel):
    HEADERS = ("File", "Line", "Status", "Date", "Marker", "Value", "Unit", "Reason",
               "As printed in the PDF")
    PRINTED = 8  # the column of a PDF's line, shown only when a PDF is imported

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: Sequence[Any] = []
        self.unknown: set[str] = set()  # own-marker keys of names that were not recognised

    def set_rows(self, rows: Sequence[Any], unknown: set[str] | None = None) -> None:
        """Show ``rows`` (a plan's rows: each is made when shown, not copied here);
        ``unknown`` are the names no marker is known by (their rows are marked)."""
        self.beginResetModel()
        self.rows = rows
        self.unknown = {CUSTOM_PREFIX + name for name in unknown or ()}
        self.endResetModel()

    def _unknown(self, row: Any) -> bool:
        result = row.result if self.unknown else None
        return result is not None and result.analyte in self.unknown

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2:
            shade = "warn" if row.warning and row.status == "new" else \
                {"new": "ok", "error": "high"}.get(row.status, "muted")
            return QBrush(QColor(colour(shade)))
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 7 and row.warning:
            return QBrush(QColor(colour("warn")))
        if index.column() == 4 and self._unknown(row):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(colour("warn")))
            if role == Qt.ItemDataRole.ToolTipRole:
                return NOT_RECOGNISED
        if role == Qt.ItemDataRole.ToolTipRole and (row.reason or row.warning):
            return "\n".join(t for t in (row.reason, row.warning) if t)
        return None

    def _text(self, row: Any, column: int) -> str:
        result = row.result
        if column == 0:
            return row.file.name
        if column == 1:
            return str(row.line)
        if column == 2:
            status = STATUS_TEXT.get(row.status, row.status)
            return f"{status}, implausible" if row.warning and row.status == "new" else status
        if result is None:
            if column == self.PRINTED:
                return printed(row.raw)
            raw = " · ".join(f"{k}: {v}" for k, v in list(row.raw.items())[:4])
            return raw if column == 4 else row.reason if column == 7 else ""
        if column == 3:
            return result.taken_at.replace("T", " ")
        if column == 4:
            name = series_name(result.analyte, result.method)
            return f"{name} (not recognised: own marker)" if self._unknown(row) else name
        if column in (5, 6):
            value, unit = value_in(result)
            return value if column == 5 else unit
        if column == self.PRINTED:
            return printed(row.raw)
        return "; ".join(t for t in (row.reason, row.warning) if t)


class ProblemFilter(QSortFilterProxyModel):
    only_problems = False

    def filterAcceptsRow(self, row: int, parent: Any) -> bool:
        if not self.only_problems:
            return True
        # (type: ignore below: the source model is always the preview's model)
        planned = self.sourceModel().rows[row]  # type: ignore[attr-defined]
        return planned.status == "error" or bool(planned.warning and planned.status == "new")


class ImportDialog(QDialog):
    def __init__(self, session: JournalSession, paths: Sequence[Path],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.paths = [Path(p) for p in paths]
        self.plan: Any = None
        self.mapping: Any = None
        self.chosen_names: dict[str, tuple[str, str] | None] = {}  # the user's choices here
        self.remembered = session.journal.marker_names()
        self.result: Any = None
        self.task: Any = None
        self._generation = 0  # the newest reading: an older one that ends late is dropped
        self._replan = QTimer(self)
        self._replan.setSingleShot(True)
        self._replan.setInterval(500)
        self._replan.timeout.connect(self.start_plan)
        self.setWindowTitle("Import lab results")
        self.resize(1040, 680)
        layout = QVBoxLayout(self)
        names = ", ".join(p.name for p in self.paths)
        title = QLabel(f"<b>{_esc(names)}</b>")
        title.setWordWrap(True)
        layout.addWidget(title)
        options = QHBoxLayout()
        self.format = QComboBox()
        self.format.addItem("Detect", None)
        from hpgjournal.importers import FORMAT_NAMES
        from hpgjournal.importers.formats import format_label

        for name in FORMAT_NAMES:
            self.format.addItem(format_label(name), name)  # the user reads the label
        self.encoding = QComboBox()
        for text, value in ENCODINGS:
            self.encoding.addItem(text, value)
        self.date_order = QComboBox()
        for text, value in DATE_ORDERS:
            self.date_order.addItem(text, value)
        form = QFormLayout()
        row = QWidget()
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        for col, (text, widget) in enumerate((("&Format", self.format),
                                              ("&Encoding", self.encoding),
                                              ("&Dates", self.date_order))):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, 0, col * 2)
            grid.addWidget(widget, 0, col * 2 + 1)
        self.reread = QPushButton("&Read again")
        self.reread.clicked.connect(self.start_plan)
        grid.addWidget(self.reread, 0, 6)
        form.addRow(row)
        options.addLayout(form)
        layout.addLayout(options)
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        self.detected.setTextFormat(Qt.TextFormat.PlainText)
        self.detected.setObjectName("detected")
        layout.addWidget(self.detected)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._mapping_page())
        layout.addWidget(self.stack, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setObjectName("message")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start_commit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for key, combo in (("Format", self.format), ("Encoding", self.encoding),
                           ("Dates", self.date_order)):
            combo.setAccessibleName(key)
        for key, box in self.field_boxes.items():
            box.setAccessibleName(f"Column holding the {dict(MAPPING_FIELDS)[key].lower()}")
        self.layout_choice.setAccessibleName("Layout of the table")

    # ----------------------------------------------------------------- pages
    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        top.addWidget(self.summary, 1)
        self.only_problems = QCheckBox("Show only rows with a &problem")
        self.only_problems.toggled.connect(self._filter_problems)
        top.addWidget(self.only_problems)
        layout.addLayout(top)
        layout.addWidget(self._names_box())
        self.model = PlanModel(self)
        self.proxy = ProblemFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # arrows move between cells, Tab moves on
        self.table.setAccessibleName("Rows of the file and what each would become")
        self.table.setModel(self.proxy)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.table, 1)
        return page

    def _names_box(self) -> QWidget:
        """Names no marker is known by, each with a choice of the marker it is."""
        self.names_box = QWidget()
        self.names_box.setObjectName("unknown-names")
        box = QVBoxLayout(self.names_box)
        box.setContentsMargins(0, 4, 0, 4)
        self.names_intro = QLabel()
        self.names_intro.setWordWrap(True)
        self.names_intro.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(self.names_intro)
        self.names_grid = QGridLayout()
        self.names_grid.setColumnStretch(3, 1)  # the marker boxes keep a readable width
        box.addLayout(self.names_grid)
        self.name_choices: dict[str, MarkerPicker] = {}
        self.name_notes: dict[str, QLabel] = {}
        self.names_box.hide()
        return self.names_box

    def _show_names(self, plan: Any) -> None:
        """List the plan's unrecognised and mapped names with a marker choice each. When the
        names are the ones listed already, their boxes stay (with the cursor in them)."""
        unknown, renamed = plan.unknown_names(), plan.renamed()
        names = sorted({*unknown, *renamed}, key=str.casefold)
        self.names_box.setVisible(bool(names))
        self.names_intro.setText(
            f"{count_of(len(unknown), 'marker name')} in the file "
            f"{'is' if len(unknown) == 1 else 'are'} not recognised: kept as your own markers, "
            "which no chart, overview or report of the known markers shows. Choose the marker "
            "each one is (remembered for the next import), or keep it as your own."
            if unknown else "Names mapped to known markers (remembered for the next import):")
        if names != list(self.name_choices):
            self._make_name_rows(names, renamed)
        for name in names:
            rows = unknown.get(name)
            self.name_notes[name].setText(
                count_of(rows, "row") if rows is not None else
                "remembered" if fold_name(name) in self.remembered
                and name not in self.chosen_names else "chosen")

    def _make_name_rows(self, names: list[str], renamed: dict[str, tuple[str, str]]) -> None:
        while self.names_grid.count():
            item = self.names_grid.takeAt(0)
            assert item is not None, "count() said there is one more"
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.name_choices, self.name_notes = {}, {}
        for row, name in enumerate(names):
            combo = MarkerPicker()
            combo.setMinimumWidth(360)
            combo.setObjectName(f"name-{name}")
            combo.setAccessibleName(f"Marker for {name}")
            edit = combo.lineEdit()
            assert edit is not None, "a MarkerPicker is editable"
            edit.setPlaceholderText("Type the marker it is (blank: own marker)")
            meaning = renamed.get(name)
            if meaning is not None:
                combo.set_key(meaning[0])
            edit.editingFinished.connect(
                lambda c=combo: c.currentText().strip() or c.setCurrentIndex(-1))
            combo.currentIndexChanged.connect(lambda _i, n=name, c=combo: self._name_chosen(n, c))
            label = QLabel(name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(combo)
            note = QLabel()
            note.setProperty("role", "muted")
            self.names_grid.addWidget(label, row, 0)
            self.names_grid.addWidget(note, row, 1)
            self.names_grid.addWidget(combo, row, 2)
            self.name_choices[name], self.name_notes[name] = combo, note
        chain = [self.only_problems, *self.name_choices.values(), self.table]
        for first, second in itertools.pairwise(chain):  # made late: put them in reading order
            QWidget.setTabOrder(first, second)

    def _name_chosen(self, name: str, combo: MarkerPicker) -> None:
        """A marker chosen for a name: read again once the choice has settled (typing into
        a closed box passes through several markers on the way)."""
        key = combo.currentData() if combo.currentIndex() >= 0 else None
        self.chosen_names[name] = (key, "") if key else None
        self.import_button.setEnabled(False)  # the rows shown are not the choice yet
        self._replan.start()

    def names_for_plan(self) -> dict[str, tuple[str, str]]:
        """The remembered names with the choices made here laid over them."""
        names = dict(self.remembered)
        for name, meaning in self.chosen_names.items():
            if meaning is None:
                names.pop(fold_name(name), None)
            else:
                names[fold_name(name)] = meaning
        return names

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel("The columns of this file were not recognised. Say which column holds "
                       "what; the first rows of the file are shown below.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.layout_choice = QComboBox()
        self.layout_choice.addItem("One result per row (long)", "long")
        self.layout_choice.addItem("One row per date, a column per marker (wide)", "wide")
        grid.addWidget(QLabel("Layout"), 0, 0)
        grid.addWidget(self.layout_choice, 0, 1, 1, 3)
        self.field_boxes: dict[str, QComboBox] = {}
        for n, (key, text) in enumerate(MAPPING_FIELDS):
            box = QComboBox()
            box.setObjectName(f"map-{key}")
            self.field_boxes[key] = box
            grid.addWidget(QLabel(text), 1 + n // 3, (n % 3) * 2)
            grid.addWidget(box, 1 + n // 3, (n % 3) * 2 + 1)
        layout.addLayout(grid)
        self.sample = QTableWidget()
        self.sample.setTabKeyNavigation(False)  # arrows move between cells, Tab moves on
        self.sample.setAccessibleName("The first rows of the file")
        self.sample.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.sample, 1)
        use = QPushButton("&Use these columns")
        use.clicked.connect(self.use_mapping)
        layout.addWidget(use, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _filter_problems(self, on: bool) -> None:
        self.proxy.only_problems = on
        self.proxy.invalidate()

    # ----------------------------------------------------------------- planning
    def start_plan(self) -> None:
        """Read the files with the chosen options, in the background."""
        from hpgjournal.importers import plan_import

        journal = self.session.journal
        paths, mapping = list(self.paths), self.mapping
        fmt, encoding = self.format.currentData(), self.encoding.currentData()
        order = self.date_order.currentData()
        names = self.names_for_plan()

        def work(progress: Any, cancelled: Any) -> Any:
            sibling = journal.sibling()
            try:
                return plan_import(paths, sibling, format=fmt, date_order=order,
                                   encoding=encoding, mapping=mapping, names=names,
                                   progress=progress, cancelled=cancelled)
            finally:
                sibling.close()

        self.plan = None  # the old plan no longer matches the options
        if self.task is not None and self.task.result is None and self.task.error is None:
            self.task.cancel()  # a reading with older choices: stop it, its end is dropped
        self._generation += 1
        generation = self._generation
        self._busy(True)
        self.message.setStyleSheet("")
        self.message.setText("Reading…")
        self.task = run_task(self, work, "Import", "Reading the file…")

        def planned(plan: Any) -> None:
            if generation == self._generation:
                self._planned(plan)

        def plan_failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._plan_failed(exc)

        self.task.finished.connect(planned)
        self.task.failed.connect(plan_failed)

    def _busy(self, busy: bool) -> None:
        for widget in (self.reread, self.format, self.encoding, self.date_order):
            widget.setEnabled(not busy)
        self.import_button.setEnabled(False)

    def _planned(self, plan: Any) -> None:
        self._busy(False)
        self.plan = plan
        self.stack.setCurrentIndex(0)
        self.model.set_rows(plan.rows, set(plan.unknown_names()))
        self._show_names(plan)
        pdfs = [p.format == PDF_FORMAT for p in plan.files]
        self.table.setColumnHidden(PlanModel.PRINTED, not any(pdfs))
        self.encoding.setEnabled(not all(pdfs))  # a PDF's text has no encoding to choose
        self.table.resizeColumnsToContents()
        lines = [f"{p.path.name}: {p.describe(names=False)}" for p in plan.files]
        for p in plan.files:
            lines += [f"{p.path.name}: {w}" for w in p.warnings]
            if p.previous_batches:
                lines.append(f"{p.path.name} was imported before (import "
                             f"#{', #'.join(str(b) for b in p.previous_batches)}).")
        self.detected.setText("\n".join(lines))
        new, dup, bad = plan.count("new"), plan.count("duplicate"), plan.count("error")
        odd = len(plan.warning_rows())
        self.summary.setText(f"{new} new · {dup} already in the journal · {bad} unreadable"
                             + (f" · {odd} implausible (kept)" if odd else ""))
        implausible = (f" {odd} new {'row holds a value' if odd == 1 else 'rows hold values'} "
                       "that look implausible: they are imported as printed, check them (see "
                       "the reason in the table).") if odd else ""
        ambiguous = plan.ambiguous_files()
        if ambiguous:
            self.message.setStyleSheet(f"color: {colour('high')};")
            self.message.setText(
                "The dates in " + ", ".join(p.path.name for p in ambiguous) + " read both as "
                "day first and as month first: choose the order under Dates, then Read again.")
        elif bad:
            self.message.setStyleSheet("")
            rows = "1 row cannot" if bad == 1 else f"{bad} rows cannot"
            self.message.setText(f"{rows} be read or imported (see the reason in the table); "
                                 "the other rows can be imported, and these are skipped."
                                 + implausible)
        elif odd:
            self.message.setStyleSheet(f"color: {colour('warn')};")
            self.message.setText(implausible.strip())
        else:
            self.message.setStyleSheet("")
            self.message.setText("" if new else "Nothing new to import: every result is "
                                                 "already in the journal.")
        # with nothing to import the button says so, and Enter closes instead of looking like
        # it could import
        self.import_button.setText(f"&Import {count_of(new, 'result')}" if new
                                   else "Nothing to import")
        self.import_button.setEnabled(bool(new) and not ambiguous)
        self.import_button.setDefault(bool(new) and not ambiguous)
        self.cancel_button.setText("Cancel" if new else "Close")
        self.cancel_button.setDefault(not new)

    def _plan_failed(self, exc: BaseException) -> None:
        self._busy(False)
        from hpgjournal.importers import ImportCancelled, LayoutNotRecognised

        if isinstance(exc, ImportCancelled):
            self.message.setText("Reading cancelled.")
            return
        if isinstance(exc, LayoutNotRecognised):
            self._show_mapping(exc)
            return
        from hpgjournal.ui.saving import fault_message

        known = fault_message(exc, None)
        if known is None:
            raise exc
        self.message.setStyleSheet(f"color: {colour('high')};")
        self.message.setText(known)

    def _show_mapping(self, problem: Any) -> None:
        self.stack.setCurrentIndex(1)
        self.message.setStyleSheet("")
        self.message.setText("Choose at least the date, marker and value columns (for a wide "
                             "table: the date), then press Use these columns.")
        columns = list(problem.columns)
        for key, box in self.field_boxes.items():
            box.clear()
            box.addItem("(none)", None)
            for column in columns:
                box.addItem(column, column)
            guess = next((c for c in columns if key in c.casefold()), None)
            if guess:
                box.setCurrentIndex(box.findData(guess))
        self.sample.setColumnCount(len(columns))
        self.sample.setHorizontalHeaderLabels(columns)
        self.sample.setRowCount(len(problem.sample))
        for r, cells in enumerate(problem.sample):
            for c, cell in enumerate(cells[: len(columns)]):
                self.sample.setItem(r, c, QTableWidgetItem(cell))
        self.sample.resizeColumnsToContents()

    def use_mapping(self) -> None:
        from hpgjournal.importers import ColumnMapping

        chosen = {key: box.currentData() for key, box in self.field_boxes.items()}
        layout = self.layout_choice.currentData()
        needed = ("date", "marker", "value") if layout == "long" else ("date",)
        missing = [k for k in needed if not chosen.get(k)]
        if missing:
            self.message.setStyleSheet(f"color: {colour('high')};")
            self.message.setText("Choose the column for: " + ", ".join(missing))
            return
        self.mapping = ColumnMapping(layout=layout, **{k: v for k, v in chosen.items() if v})
        self.start_plan()

    # ----------------------------------------------------------------- committing
    def start_commit(self) -> None:
        if self.plan is None:
            return
        from hpgjournal.importers import commit_plan

        journal, plan = self.session.journal, self.plan
        names = dict(self.chosen_names)  # remembered for the next import of such a file

        def work(progress: Any, cancelled: Any) -> Any:
            sibling = journal.sibling()
            try:
                sibling.remember_marker_names(names)
                return commit_plan(plan, sibling, progress=progress, cancelled=cancelled)
            finally:
                sibling.close()

        self._busy(True)
        self.message.setText("Importing…")
        self.task = run_task(self, work, "Import", "Writing the results…")
        self.task.finished.connect(self._committed)
        self.task.failed.connect(self._commit_failed)

    def _committed(self, result: Any) -> None:
        self.result = result
        if result.batch_id is not None:
            names = ", ".join(p.name for p in self.paths)
            self.session.run(ImportBatch(result.batch_id, f"Import {names}"))
        self.accept()

    def _commit_failed(self, exc: BaseException) -> None:
        self._busy(False)
        from hpgjournal.importers import ImportCancelled

        self.message.setStyleSheet(f"color: {colour('high')};")
        if isinstance(exc, ImportCancelled):
            self.message.setText("Import cancelled: nothing was written.")
        else:
            from hpgjournal.ui.saving import fault_message

            known = fault_message(exc, self.session.journal.path)
            if known is None:
                raise exc
            self.message.setText(f"Nothing was written. {known}")
        self.import_button.setEnabled(self.plan is not None and bool(self.plan.count("new")))


def _esc(text: str) -> str:
    import html

    return html.escape(text)
