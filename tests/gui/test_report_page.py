"""The Doctor report page: save a PDF off the UI thread, preview, print to a printer's file."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import QDate

from .helpers import with_modal

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext missing: ./dev.sh test installs it")


@pytest.fixture
def report_page(window, demo_path):
    window.open_journal(demo_path)
    window.show_page("report")
    return window.page("report")


@needs_poppler
def test_save_as_pdf_runs_in_the_background(report_page, qtbot, tmp_path):
    report_page.preset.setCurrentIndex(4)  # custom period
    report_page.start.setDate(QDate(2023, 1, 1))
    report_page.sections["symptoms"].setChecked(False)
    out = tmp_path / "visit.pdf"
    report_page.save_pdf(out)
    with qtbot.waitSignal(report_page.task.finished, timeout=30000):
        pass
    assert out.exists() and "Saved" in report_page.status.text()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "All results" in text and "Symptom scores" not in text


def test_dates_in_the_wrong_order_are_refused(report_page, qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    report_page.preset.setCurrentIndex(4)
    report_page.start.setDate(QDate(2026, 5, 1))
    report_page.end.setDate(QDate(2026, 1, 1))
    seen = []

    def play(box):
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    with_modal(lambda: report_page.save_pdf(tmp_path / "x.pdf"), play)
    assert "after it ends" in seen[0] and not (tmp_path / "x.pdf").exists()


def test_preview_shows_pages(report_page, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    pages = []

    def play(dialog):
        widget = dialog.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: widget.pageCount() > 0, timeout=10000)
        pages.append(widget.pageCount())
        dialog.reject()

    with_modal(report_page.preview, play)
    assert pages[0] >= 2


@needs_poppler
def test_printing_paints_every_page(report_page, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    printer = report_page._printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a printer that writes a file
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    report_page._paint(printer)
    del printer
    info = subprocess.run(["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True,
                          text=True).stdout
    assert "Pages:" in info and int(info.split("Pages:")[1].split()[0]) >= 2
