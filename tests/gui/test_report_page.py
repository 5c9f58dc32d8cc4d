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
    assert not report_page.sections["results"].isChecked()  # the appendix is on request
    report_page.sections["results"].setChecked(True)
    out = tmp_path / "visit.pdf"
    report_page.save_pdf(out)
    with qtbot.waitSignal(report_page.task.finished, timeout=30000):
        pass
    assert out.exists() and "Saved" in report_page.status.text()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Appendix: all results" in text and "Symptom scores" not in text


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


def _choose_file(monkeypatch, path):
    from PySide6.QtWidgets import QFileDialog

    asked = []

    def choose(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    return asked


def test_the_save_button_asks_for_a_file_and_saves_it(report_page, qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    out = tmp_path / "for the urologist"  # the dialog may hand back a name without .pdf
    asked = _choose_file(monkeypatch, out)
    qtbot.mouseClick(report_page.save_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].endswith(".pdf")
    qtbot.waitUntil(lambda: "Saved" in report_page.status.text(), timeout=60000)
    saved = tmp_path / "for the urologist.pdf"
    assert saved.read_bytes()[:5] == b"%PDF-"
    assert str(saved) in report_page.status.text()


def test_the_save_button_says_when_no_font_can_draw_the_text(report_page, qtbot, tmp_path,
                                                            monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    import hpgjournal.report.fonts as fonts

    monkeypatch.setattr(fonts, "_checked", fonts.NO_FONT)  # as on a system without any font
    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: shown.append(text)))
    out = tmp_path / "r.pdf"
    _choose_file(monkeypatch, out)
    qtbot.mouseClick(report_page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    assert "no usable font" in shown[0] and "fonts-dejavu-core" in shown[0]
    assert "no usable font" in report_page.status.text()
    assert not list(tmp_path.glob("r.pdf*"))


def test_the_preview_button_shows_pages(report_page, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    pages = []

    def play(dialog):
        widget = dialog.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: widget.pageCount() > 0, timeout=20000)
        pages.append(widget.pageCount())
        dialog.reject()

    with_modal(lambda: qtbot.mouseClick(report_page.preview_button, Qt.MouseButton.LeftButton),
               play)
    assert pages and pages[0] >= 2


@needs_poppler
def test_the_print_button_prints_on_the_printer_chosen(report_page, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    out = tmp_path / "printed.pdf"

    def play(dialog):  # Qt's print dialog, as a user fills it: print to a file, then Print
        from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit

        printers = dialog.findChild(QComboBox, "printers")
        printers.setCurrentIndex(printers.findText("Print to File (PDF)"))
        name = dialog.findChild(QLineEdit, "filename")
        name.clear()
        qtbot.keyClicks(name, str(out))
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    with_modal(lambda: qtbot.mouseClick(report_page.print_button, Qt.MouseButton.LeftButton),
               play)
    qtbot.waitUntil(lambda: "Sent to the printer" in report_page.status.text(), timeout=20000)
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 0, timeout=10000)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Hormone journal: Sam Demo" in text


def test_save_works_on_a_journal_with_one_note(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    from hpgjournal.domain.records import Note
    from hpgjournal.store.journal import Journal

    with Journal.open(tmp_path / "new.hpgjournal") as journal:
        journal.add(Note(None, "2026-11-20", text="Question: when to test again?",
                         for_doctor=True))
    window.open_journal(tmp_path / "new.hpgjournal")
    window.show_page("report")
    page = window.page("report")
    _choose_file(monkeypatch, tmp_path / "first.pdf")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in page.status.text(), timeout=60000)
    text = subprocess.run(["pdftotext", str(tmp_path / "first.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "when to test again" in text and "No lab results" in text
