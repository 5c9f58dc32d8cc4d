"""The main window: navigation on the left, one page per kind of record, File menu, status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from hpgjournal import APP_TITLE, __version__
from hpgjournal.domain.display import marker_name, method_label, range_text, value_in
from hpgjournal.domain.drugs import ROUTES
from hpgjournal.domain.errors import UserError
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.records import Dose, Measure, Medication, Note, Phase
from hpgjournal.paths import JOURNAL_SUFFIX, data_dir
from hpgjournal.store.journal import Journal
from hpgjournal.ui.models import Column
from hpgjournal.ui.pages import DashboardPage, TablePage, WelcomePage

log = logging.getLogger("hpgjournal.ui")
MAX_RECENT = 8
FILE_FILTER = f"Journals (*{JOURNAL_SUFFIX});;All files (*)"


def _num(value: float | None, unit: str = "") -> str:
    return "" if value is None else f"{value:g}{' ' + unit if unit else ''}"


def _when(stamp: str | None) -> str:
    return (stamp or "").replace("T", " ")


# The navigation: key, label, and whether the page exists in this version.
NAV = (
    ("overview", "Overview", True),
    ("labs", "Lab results", True),
    ("medications", "Medications & doses", True),
    ("phases", "Therapy phases", True),
    ("symptoms", "Symptoms & notes", True),
    ("measures", "Body measures", True),
    ("charts", "Charts", False),
    ("report", "Doctor report", False),
)


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.journal: Journal | None = None
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 800)
        self.setMinimumSize(900, 600)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(210)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for key, text, available in NAV:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            if not available:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip("Not available in this version yet")
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.welcome = WelcomePage()
        self.dashboard = DashboardPage()
        self.pages: dict[str, QWidget] = {"overview": self.dashboard}
        self._build_tables()
        self.stack.addWidget(self.welcome)
        for page in self.pages.values():
            self.stack.addWidget(page)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_page)
        self.welcome.open_demo.connect(self.open_demo)
        self.welcome.import_file.connect(self._not_yet_import)
        self.welcome.add_result.connect(self._not_yet_add)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    # ----------------------------------------------------------------- building
    def _build_tables(self) -> None:
        def lab_value(r: object) -> str:
            return value_in(r)[0]  # type: ignore[arg-type]

        self.labs = TablePage("Lab results", "Every result in the journal, newest first.", [
            Column("Date", lambda r: _when(r.taken_at), lambda r: r.taken_at),
            Column("Marker", lambda r: marker_name(r.analyte)),
            Column("Value", lab_value, lambda r: r.value if r.value is not None else -1.0,
                   align_right=True),
            Column("Unit", lambda r: value_in(r)[1]),
            Column("Range", lambda r: range_text(r)),
            Column("Flag", lambda r: r.flag),
            Column("As reported", lambda r: f"{r.reported_value} {r.reported_unit}".strip()),
            Column("Method", lambda r: method_label(r.method)),
            Column("Lab", lambda r: r.lab),
            Column("Note", lambda r: r.note, tooltip=lambda r: r.note),
        ], flag_of=lambda r: r.flag)
        self.medications = TablePage(
            "Medications & doses", "Regimens, newest first; every dose taken is in the log below.", [
                Column("Start", lambda m: m.start_date),
                Column("End", lambda m: m.end_date or "ongoing"),
                Column("Drug", lambda m: m.drug),
                Column("Dose", lambda m: _num(m.dose, m.unit), lambda m: m.dose or 0.0,
                       align_right=True),
                Column("Schedule", lambda m: m.schedule),
                Column("Route", lambda m: ROUTES.get(m.route, m.route)),
                Column("Note", lambda m: m.note),
            ])
        self.doses = TablePage("Dose log", "", [
            Column("When", lambda d: _when(d.taken_at), lambda d: d.taken_at),
            Column("Drug", lambda d: d.drug),
            Column("Amount", lambda d: _num(d.amount, d.unit), lambda d: d.amount or 0.0,
                   align_right=True),
            Column("Site", lambda d: d.site),
            Column("Note", lambda d: d.note),
        ])
        meds_page = QSplitter(Qt.Orientation.Vertical)
        meds_page.setChildrenCollapsible(False)
        meds_page.addWidget(self.medications)
        meds_page.addWidget(self.doses)
        meds_page.setSizes([260, 500])
        self.phases = TablePage("Therapy phases", "Phases may overlap.", [
            Column("Start", lambda p: p.start_date),
            Column("End", lambda p: p.end_date or "ongoing"),
            Column("Phase", lambda p: phase_label(p.kind)),
            Column("Note", lambda p: p.note, tooltip=lambda p: p.note),
        ])
        score = [Column(name.capitalize(), (lambda n: lambda x: _num(getattr(x, n)))(name),
                        (lambda n: lambda x: getattr(x, n) if getattr(x, n) is not None
                         else -1)(name), align_right=True)
                 for name in ("energy", "libido", "mood", "sleep", "erections")]
        self.notes = TablePage("Symptoms & notes", "Check-ins scored 0 (worst) to 10 (best).", [
            Column("When", lambda n: _when(n.noted_at), lambda n: n.noted_at), *score,
            Column("For doctor", lambda n: "yes" if n.for_doctor else ""),
            Column("Note", lambda n: n.text, tooltip=lambda n: n.text),
        ])
        self.measures = TablePage("Body measures", "Testicular volume, weight, blood pressure.", [
            Column("Date", lambda m: m.measured_at),
            Column("Left testis", lambda m: _num(m.testis_left_ml, "mL"),
                   lambda m: m.testis_left_ml or 0.0, align_right=True),
            Column("Right testis", lambda m: _num(m.testis_right_ml, "mL"),
                   lambda m: m.testis_right_ml or 0.0, align_right=True),
            Column("Method", lambda m: m.testis_method),
            Column("Weight", lambda m: _num(m.weight_kg, "kg"), lambda m: m.weight_kg or 0.0,
                   align_right=True),
            Column("Blood pressure", lambda m: f"{m.systolic}/{m.diastolic}"
                   if m.systolic and m.diastolic else ""),
            Column("Note", lambda m: m.note),
        ])
        self.pages.update(labs=self.labs, medications=meds_page, phases=self.phases,
                          symptoms=self.notes, measures=self.measures)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New journal…", self.new_journal, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open journal…", self.choose_journal,
                     QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self._action(file_menu, "Open the &demo journal", self.open_demo)
        file_menu.addSeparator()
        self._action(file_menu, "&Back up now", self.backup_now, "Ctrl+Shift+B")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        view = self.menuBar().addMenu("&View")
        for n, (key, text, available) in enumerate(NAV):
            if available:
                self._action(view, text, lambda _=False, k=key: self.show_page(k), f"Ctrl+{n + 1}")
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About hpgjournal", self.about)
        self._refresh_recent()

    def _action(self, menu: object, text: str, slot: object, shortcut: object = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    # ----------------------------------------------------------------- journal
    def open_journal(self, path: Path) -> None:
        """Open a journal (closing the current one); UserError if it cannot be opened."""
        journal = Journal.open(path)
        self.close_journal()
        self.journal = journal
        self._remember(journal.path)
        self.setWindowTitle(f"{journal.path.name} — {APP_TITLE}")
        self.refresh()
        if not journal.is_empty():
            self.show_page("overview")

    def close_journal(self) -> None:
        if self.journal is None:
            return
        try:
            from hpgjournal.store.backup import backup_if_due

            backup_if_due(self.journal)
        except (OSError, UserError) as exc:
            log.warning("automatic backup failed: %s", exc)
        self.journal.close()
        self.journal = None

    def refresh(self) -> None:
        journal = self.journal
        if journal is None:
            return
        empty = journal.is_empty()
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            if key in self.pages and key != "overview":
                item.setHidden(empty)
        if empty:
            self.stack.setCurrentWidget(self.welcome)
            self.nav.setCurrentRow(-1)
        else:
            self.dashboard.refresh(journal)
            self.labs.set_records(journal.lab_results())
            self.medications.set_records(journal.all(Medication))
            self.doses.set_records(journal.all(Dose))
            self.phases.set_records(journal.all(Phase))
            self.notes.set_records(journal.all(Note))
            self.measures.set_records(journal.all(Measure))
        counts = journal.counts()
        self.status_label.setText(
            f"{journal.path}  ·  {counts['lab_results']} results, {counts['doses']} doses, "
            f"{counts['notes']} notes")

    def show_page(self, key: str) -> None:
        keys = [k for k, _, _ in NAV]
        self.nav.setCurrentRow(keys.index(key))

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        key = NAV[row][0]
        if self.journal is not None and self.journal.is_empty():
            self.stack.setCurrentWidget(self.welcome)
        elif key in self.pages:
            self.stack.setCurrentWidget(self.pages[key])

    def _remember(self, path: Path) -> None:
        recent = [p for p in self.settings.value("recent", [], list) if p != str(path)]
        self.settings.setValue("recent", [str(path), *recent][:MAX_RECENT])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.value("recent", [], list) if Path(p).exists()]
        for n, path in enumerate(recent):
            self._action(self.recent_menu, f"&{n + 1} {path}",
                         lambda _=False, p=path: self._try_open(Path(p)))
        self.recent_menu.setEnabled(bool(recent))

    # ----------------------------------------------------------------- actions
    def _try_open(self, path: Path) -> bool:
        try:
            self.open_journal(path)
        except UserError as exc:
            self.show_error("Cannot open the journal", str(exc))
            return False
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def choose_journal(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open journal", str(data_dir()), FILE_FILTER)
        if path:
            self._try_open(Path(path))

    def new_journal(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New journal", str(data_dir()), FILE_FILTER)
        if not path:
            return
        target = Path(path)
        if target.suffix != JOURNAL_SUFFIX:
            target = target.with_name(target.name + JOURNAL_SUFFIX)
        if target.exists():
            self.show_error("Cannot create the journal",
                            f"{target} already exists: open it, or choose another name.")
            return
        self._try_open(target)

    def open_demo(self) -> None:
        from hpgjournal.demo import build_demo

        path = data_dir() / f"demo{JOURNAL_SUFFIX}"
        if self.journal is not None and self.journal.path == path:
            self.close_journal()
        try:
            with Journal.open(path) as journal:
                build_demo(journal)
        except UserError as exc:
            self.show_error("Cannot write the demo journal", str(exc))
            return
        self._try_open(path)

    def backup_now(self) -> None:
        if self.journal is None:
            return
        from hpgjournal.store.backup import backup

        try:
            out = backup(self.journal)
        except (OSError, UserError) as exc:
            self.show_error("Backup failed", str(exc))
            return
        self.statusBar().showMessage(f"Backed up to {out}", 8000)

    def _not_yet_import(self) -> None:
        QMessageBox.information(self, "Import", "Importing lab files is not available in this "
                                "version yet. Try the demo journal to see the app.")

    def _not_yet_add(self) -> None:
        QMessageBox.information(self, "Add a result", "Adding results by hand is not available "
                                "in this version yet. Try the demo journal to see the app.")

    def about(self) -> None:
        from hpgjournal.logsetup import log_file

        where = self.journal.path if self.journal else "no journal open"
        QMessageBox.about(
            self, "About hpgjournal",
            f"<b>{APP_TITLE}</b> {__version__}<br>A private journal of hormone labs, doses and "
            f"therapy phases.<br><br>Journal: {_escape(str(where))}<br>Log: "
            f"{_escape(str(log_file()))}<br><br>It shows recorded data and published "
            "expectations; it does not give medical advice.<br>Licence: MIT")

    def show_error(self, title: str, message: str) -> None:
        log.warning("%s: %s", title, message)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.close_journal()
        super().closeEvent(event)


def _escape(text: str) -> str:
    import html

    return html.escape(text)
