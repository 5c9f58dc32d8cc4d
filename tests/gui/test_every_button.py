"""Every button on the journal's pages does what its label says when clicked.

Each page of the demo journal is shown, each of its buttons is pressed with the mouse; a button
that opens a dialog must open one (the test then cancels it, so nothing is written), a button
that acts at once must change what the page shows. Buttons with a test of their own elsewhere
(the report page's, the overview's "Log today's dose") are listed there.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton


def _press_and_cancel(qtbot, button: QPushButton) -> list[str]:
    """Click; record the title of whatever modal window opens, then cancel it.

    Watched until one has opened and none is left (or 5 s passed): on a loaded machine a dialog
    may take longer to build than any single wait."""
    seen: list[str] = []
    watching = [True]

    def close() -> None:
        if not watching[0]:
            return
        modal = QApplication.activeModalWidget()
        if modal is not None:
            seen.append(modal.windowTitle() or type(modal).__name__)
            if isinstance(modal, QDialog):  # QMessageBox is a QDialog too
                modal.reject()
        QTimer.singleShot(50, close)  # not opened yet, or a dialog that opens another one

    QTimer.singleShot(50, close)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    try:
        qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None,
                        timeout=5000)
    except qtbot.TimeoutError:
        pass  # nothing opened: the caller says so
    finally:
        watching[0] = False
    qtbot.wait(100)
    return seen


PAGES = ["labs", "medications", "phases", "symptoms", "measures"]


@pytest.mark.parametrize("page_key", PAGES)
def test_each_add_button_opens_its_dialog_and_cancelling_writes_nothing(window, qtbot, demo_path,
                                                                         page_key):
    window.show()
    qtbot.waitExposed(window)
    window.open_journal(demo_path)
    window.show_page(page_key)
    page = window.page(page_key)
    before = window.journal.counts()
    buttons = [b for b in page.findChildren(QPushButton)
               if b.isVisibleTo(page) and b.isEnabled()
               and b.text().replace("&", "").endswith("…")
               and not b.text().replace("&", "").startswith(("Edit", "Change"))]
    labels = {b.text().replace("&", "") for b in buttons}
    expected = {"labs": {"Add result…", "Add blood test…", "Add semen analysis…"},
                "medications": {"Add regimen…", "Log a dose…"},
                "phases": {"Add phase…"}, "symptoms": {"Check in…", "AMS questionnaire…"},
                "measures": {"Add measures…", "Add semen analysis…"}}[page_key]
    assert expected <= labels, labels
    for button in buttons:
        opened = _press_and_cancel(qtbot, button)
        assert opened, f"{button.text()!r} on {page_key} opened nothing"
    assert window.journal.counts() == before  # cancelled: nothing written


def test_chart_export_buttons_write_the_files(window, qtbot, demo_path, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window.open_journal(demo_path)
    window.show_page("charts")
    charts = window.page("charts")
    answers = iter([str(tmp_path / "t"), str(tmp_path / "t-vector")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (next(answers), "")))
    qtbot.mouseClick(charts.png, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(charts.svg, Qt.MouseButton.LeftButton)
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "t-vector.svg").read_bytes()[:400]


def test_the_overview_check_in_button_opens_the_check_in(window, qtbot, demo_path):
    window.open_journal(demo_path)
    window.show_page("overview")
    button = next(b for b in window.page("overview").findChildren(QPushButton)
                  if b.text().startswith("Check in"))
    assert _press_and_cancel(qtbot, button)
