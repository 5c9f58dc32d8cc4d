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
