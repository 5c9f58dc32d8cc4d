"""The Doctor report page: choose the period and sections, then preview, print or save a PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.domain.errors import UserError
from hpgjournal.report.content import DEFAULT_SECTIONS, SECTION_TITLES, SECTIONS, ReportOptions
from hpgjournal.store.journal import Journal
from hpgjournal.ui.forms import DateEdit, tie_labels
from hpgjournal.ui.pages import page_header

if TYPE_CHECKING:
    from PySide6.QtGui import QPagedPaintDevice, QResizeEvent
    from PySide6.QtPrintSupport import QPrinter

    from hpgjournal.report.content import ReportData
    from hpgjournal.report.pdf import ReportDocument
    from hpgjournal.ui.actions import RecordActions
    from hpgjournal.ui.prefs import UnitPrefs


class ReportPage(QWidget):
    def __init__(self, actions: RecordActions, prefs: UnitPrefs) -> None:
        super().__init__()
        self.record_actions = actions
        self.prefs = prefs
        self.journal: Journal | None = None
        self.last_saved: Path | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.addWidget(page_header(
            "Doctor report",
            "A PDF for a visit: summary, therapy timeline, results, fertility, symptoms and the "
            "notes you marked for the doctor. It shows recorded data, not advice."))
        form = self.form = QFormLayout()
        period = QHBoxLayout()
        self.start = DateEdit()
        self.end = DateEdit()
        self.preset = QComboBox()
        self.preset.setToolTip("The period the report covers (Alt+P)")
        self.start.setAccessibleName("Period from")
        self.end.setAccessibleName("Period to")
        self.preset.addItems(["Last 12 months", "Last 6 months", "Since the current phase began",
                              "Everything", "Custom"])
        self.preset.currentIndexChanged.connect(self._apply_preset)
        period.addWidget(self.preset)
        period.addWidget(QLabel("from"))
        period.addWidget(self.start)
        period.addWidget(QLabel("to"))
        period.addWidget(self.end)
        period.addStretch(1)
        form.addRow("&Period", period)
        self.sections: dict[str, QCheckBox] = {}
        self.section_grid = QGridLayout()
        for key in SECTIONS:
            box = QCheckBox(SECTION_TITLES[key])
            box.setChecked(key in DEFAULT_SECTIONS)  # every result is an appendix, on request
            self.sections[key] = box
        self.section_columns = 0
        self._place_sections(3)
        form.addRow("Sections", self.section_grid)
        self.units = QComboBox()
        self.units.addItem("US conventional (ng/dL, pg/mL)", "us")
        self.units.addItem("SI (nmol/L, pmol/L)", "si")
        self.units.setMaximumWidth(320)
        form.addRow("&Units", self.units)
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.paper.setMaximumWidth(320)
        form.addRow("P&aper", self.paper)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.clicked.connect(lambda: self.save_pdf())  # clicked(bool) is no path
        self.preview_button = QPushButton("Previe&w…")  # Alt+V is the View menu
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton("P&rint…")  # Alt+P is the period
        self.print_button.clicked.connect(self.print_report)
        for button in (self.save_button, self.preview_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        layout.addStretch(1)
        from hpgjournal.report.pdf import default_paper

        self.paper.setCurrentIndex(self.paper.findData(default_paper()))
        tie_labels(self)

    def _place_sections(self, columns: int) -> None:
        """The section boxes in ``columns`` columns (two on a narrow page, so none is cut)."""
        if columns == self.section_columns:
            return
        self.section_columns = columns
        for box in self.sections.values():
            self.section_grid.removeWidget(box)
        for n, box in enumerate(self.sections.values()):
            self.section_grid.addWidget(box, n // columns, n % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place_sections(self._section_columns_for(self.width()))
        super().resizeEvent(event)

    def _section_columns_for(self, width: int) -> int:
        """3, 2 or 1: the most columns whose boxes fit whole beside the "Sections" label."""
        boxes = list(self.sections.values())
        layout = self.layout()
        assert layout is not None, "__init__ gives the page its layout"
        margins = layout.contentsMargins()
        label = self.form.labelForField(self.section_grid)
        spacing = max(self.form.horizontalSpacing(), 6)
        room = (width - margins.left() - margins.right() - spacing
                - (label.sizeHint().width() if label is not None else 80))
        gap = max(self.section_grid.horizontalSpacing(), 6)
        for n in (3, 2):
            need = sum(max(b.sizeHint().width() for b in boxes[c::n]) for c in range(n))
            if need + gap * (n - 1) <= room:
                return n
        return 1

    # ----------------------------------------------------------------- options
    def load(self, journal: Journal) -> None:
        self.journal = journal
        self.units.setCurrentIndex(self.units.findData(getattr(self.prefs, "system", "us")))
        self._apply_preset()

    def _apply_preset(self, *args: object) -> None:
        today = date.today()
        choice = self.preset.currentIndex()
        start = today - timedelta(days=365)
        if choice == 1:
            start = today - timedelta(days=183)
        elif choice in (2, 3) and self.journal is not None:
            if choice == 2:
                running = self.journal.phases_at(today.isoformat())
                start = date.fromisoformat(max(p.start_date for p in running)) if running else start
            else:
                span = self.journal.date_span()
                start = date.fromisoformat(span[0]) if span else start
        custom = choice == 4
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if not custom:
            self.start.setDate(QDate(start.year, start.month, start.day))
            self.end.setDate(QDate(today.year, today.month, today.day))

    def options(self) -> ReportOptions:
        for edit, which in ((self.start, "start"), (self.end, "end")):
            if edit.problem():
                raise UserError(f"the period's {which}: {edit.problem()}")
        start = self.start.date().toString("yyyy-MM-dd")
        end = self.end.date().toString("yyyy-MM-dd")
        if start > end:
            raise UserError(f"the period starts ({start}) after it ends ({end}): correct the dates")
        sections = tuple(k for k, box in self.sections.items() if box.isChecked())
        if not sections:
            raise UserError("tick at least one section")
        return ReportOptions(start=start, end=end, sections=sections,
                             units=self.units.currentData(), paper=self.paper.currentData())

    def _checked_options(self) -> ReportOptions | None:
        """The chosen options, or None after telling the user what to correct."""
        try:
            return self.options()
        except UserError as exc:
            QMessageBox.warning(self, "Doctor report", str(exc))
            return None

    # ----------------------------------------------------------------- output
    def save_pdf(self, path: Path | None = None) -> None:
        if self.journal is None:
            return
        options = self._checked_options()
        if options is None:
            return
        if path is None:
            suggested = Path.home() / f"hormone-report-{options.end}.pdf"
            chosen, _ = QFileDialog.getSaveFileName(self, "Save the report", str(suggested),
                                                    "PDF files (*.pdf)")
            if not chosen:
                return
            path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        journal_path = self.journal.path
        parent_journal = self.journal

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> int:
            from hpgjournal.report.build import write_report

            sibling = parent_journal.sibling()  # this thread's own connection
            try:
                return write_report(sibling, path, options, progress=progress,
                                    cancelled=cancelled)
            finally:
                sibling.close()

        from hpgjournal.ui.tasks import run_task

        self.status.setText("Writing the report…")
        task = run_task(self, work, "Doctor report", f"Writing {path.name}…")
        task.finished.connect(lambda pages: self._saved(path, pages, task.cancelled))
        task.failed.connect(lambda exc: self._failed(exc, journal_path, path))
        self.task = task

    def _saved(self, path: Path, pages: int, cancelled: bool) -> None:
        if cancelled or not pages:
            self.status.setText("Cancelled: no file was written.")
            return
        self.last_saved = path
        self.status.setText(f"Saved {pages} pages to {path}")

    def _failed(self, exc: BaseException, journal_path: Path, out: Path | None = None) -> None:
        from hpgjournal.store.faults import cannot_write, explain

        if isinstance(exc, OSError) and out is not None:
            message = str(cannot_write(out, exc))
        else:
            message = str(explain(exc, journal_path) or exc)
        self.status.setText(f"The report could not be written: {message}")
        QMessageBox.warning(self, "Doctor report", f"The report could not be written: {message}")

    def _document(self, device: QPagedPaintDevice) -> tuple[ReportDocument, ReportData]:
        from hpgjournal.report.build import prepare
        from hpgjournal.report.pdf import body_size, build_document

        assert self.journal is not None, "only a page with a journal prints"
        data, html, images = prepare(self.journal, self.options())
        width, height = body_size(device)
        return build_document(html, images, width, height), data

    def _printer(self) -> QPrinter:
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout
        from PySide6.QtPrintSupport import QPrinter

        from hpgjournal.report.pdf import page_size

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(page_size(self.paper.currentData()))
        printer.setPageMargins(QMarginsF(15, 15, 15, 12), QPageLayout.Unit.Millimeter)
        printer.setDocName("Hormone journal report")
        return printer

    def _paint(self, printer: QPrinter) -> None:
        from hpgjournal.report.pdf import paint_pages

        doc, data = self._document(printer)
        from hpgjournal.report.build import page_title

        paint_pages(doc, printer, page_title(data))

    def preview(self) -> None:
        if self.journal is None:
            return
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        if self._checked_options() is None:
            return
        printer = self._printer()  # the dialog keeps a pointer to it: keep it alive meanwhile
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("Doctor report: preview")
        dialog.resize(900, 1000)
        dialog.paintRequested.connect(self._paint)
        dialog.exec()

    def print_report(self) -> None:
        if self.journal is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog

        if self._checked_options() is None:
            return
        printer = self._printer()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self._paint(printer)
            self.status.setText("Sent to the printer.")
