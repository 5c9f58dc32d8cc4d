"""A window that behaves (issue 13): it starts where the user left off, Undo reaches the
journal whatever has focus, it fits the screen, and it speaks in words a user knows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings


def _start(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "hpgjournal", *args, "--exit-after-startup"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def _app_settings() -> QSettings:
    """The settings file the app itself reads (inside this test's sandboxed config folder)."""
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "hpgjournal"
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "hpgjournal.conf"), QSettings.Format.IniFormat)


def test_starting_again_opens_the_journal_last_used(demo_path, tmp_path):
    from hpgjournal.paths import default_journal

    gone = tmp_path / "deleted.hpgjournal"
    settings = _app_settings()
    settings.setValue("recent", [str(gone), str(demo_path)])  # the newest no longer exists
    settings.sync()
    proc = _start()
    assert proc.returncode == 0, proc.stderr
    assert _app_settings().value("recent", [], list)[0] == str(demo_path)
    assert not default_journal().exists()  # the empty default journal was not opened
    other = tmp_path / "other.hpgjournal"  # an explicit --journal wins
    proc = _start("--journal", str(other))
    assert proc.returncode == 0, proc.stderr
    assert _app_settings().value("recent", [], list)[:2] == [str(other), str(demo_path)]


def test_with_no_journal_used_yet_the_default_one_opens():
    from hpgjournal.paths import default_journal

    proc = _start()
    assert proc.returncode == 0, proc.stderr
    assert default_journal().exists()
    assert _app_settings().value("recent", [], list)[0] == str(default_journal())


def _menu_action(window, menu: str, starts: str):
    """The action of a menu (by its title) whose text, without its '&', starts so."""
    found = next(a.menu() for a in window.menuBar().actions() if a.text() == menu)
    return next(a for a in found.actions() if a.text().replace("&", "").startswith(starts))


def _active(window, qtbot) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_ctrl_z_in_a_filter_box_undoes_the_last_journal_change(window, qtbot, demo_path):
    from PySide6.QtCore import Qt

    from hpgjournal.domain.records import Note

    window.open_journal(demo_path)
    window.show_page("labs")
    _active(window, qtbot)
    box = window.page("labs").filter
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "hem")  # the box has typing of its own it could undo
    before = window.journal.count(Note)
    window.session.add([Note(None, "2026-11-02", text="felt fine")], "Check in")
    assert window.journal.count(Note) == before + 1
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.journal.count(Note) == before
    assert box.text() == "hem"  # the filter is left as it was
    qtbot.keyClick(box, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.journal.count(Note) == before + 1
    dates = window.page("labs").from_date  # the date filters too
    dates.setFocus()
    qtbot.waitUntil(dates.hasFocus)
    qtbot.keyClick(dates, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.journal.count(Note) == before


def test_redo_has_whole_shortcuts_ctrl_shift_z_and_ctrl_y(window):
    from PySide6.QtGui import QKeySequence

    redo, undo = _menu_action(window, "&Edit", "Redo"), _menu_action(window, "&Edit", "Undo")
    shown = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in redo.shortcuts()]
    assert "Ctrl+Shift+Z" in shown and "Ctrl+Y" in shown
    for text in shown:  # each one a key, not only modifiers
        assert text.split("+")[-1] not in ("", "Ctrl", "Shift", "Alt", "Meta"), text
    assert undo.shortcut().toString() == "Ctrl+Z"


def _fits(window, area) -> None:
    window.show()
    frame = window.frameGeometry()
    assert area.contains(frame), (frame, area)
    assert window.width() <= 1280 and window.height() <= 800


def test_the_first_window_fits_the_screen(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QGuiApplication

    from hpgjournal.ui.main_window import MainWindow

    area = QGuiApplication.primaryScreen().availableGeometry()  # offscreen: 800 x 800
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    _fits(window, area)
    assert window.width() >= area.width() - 100  # it uses the room there is
    # a 1366 x 768 laptop
    laptop = QRect(0, 0, 1366, 768)
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: laptop)
    wide = MainWindow(settings)
    qtbot.addWidget(wide)
    assert wide.width() == 1280 and 700 <= wide.height() < 768
    assert laptop.contains(wide.geometry())


def test_a_restored_window_is_clamped_to_the_screen(qtbot, tmp_path):
    from PySide6.QtGui import QGuiApplication

    from hpgjournal.ui.main_window import MainWindow

    area = QGuiApplication.primaryScreen().availableGeometry()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    big = MainWindow(settings)
    qtbot.addWidget(big)
    big.setMinimumSize(0, 0)
    big.setGeometry(area.x() + 300, area.y() + 200, area.width() + 400, area.height() + 300)
    settings.setValue("window/geometry", big.saveGeometry())  # saved on a bigger screen
    window = MainWindow(settings)
    qtbot.addWidget(window)
    _fits(window, area)


def test_view_menu_shows_the_ampersands_of_the_page_names(window):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    texts = [a.text() for a in view.actions()]
    assert "Medications && doses" in texts and "Symptoms && notes" in texts  # shown as "&"


def test_one_record_is_one_record_not_one_records(window, tmp_path):
    from hpgjournal.domain.records import Note
    from hpgjournal.store.journal import Journal

    path = tmp_path / "one.hpgjournal"
    with Journal.open(path) as journal:
        journal.add(Note(None, "2026-11-02", text="first day"))
    window.open_journal(path)
    window.show_page("symptoms")
    assert window.page("symptoms").notes.count.text() == "1 record"
    status = window.status_label.text()
    assert "1 note" in status and "1 notes" not in status and "0 results" in status


def test_the_import_dialog_names_formats_in_words(window, tmp_path):
    from hpgjournal.importers import FORMAT_NAMES
    from hpgjournal.ui.import_dialog import ImportDialog

    window.open_journal(tmp_path / "j.hpgjournal")
    lab_file = tmp_path / "labs.csv"
    lab_file.write_text("Date,Test,Result\n2026-01-05,Testosterone,612\n", encoding="utf-8")
    dialog = ImportDialog(window.session, [lab_file], window)
    shown = [dialog.format.itemText(i) for i in range(dialog.format.count())]
    assert "Wide table (one row per date, one column per marker)" in shown
    assert not set(shown) & set(FORMAT_NAMES)
    dialog.deleteLater()


def test_expectations_never_cite_an_internal_review_as_literature(demo_path):
    import json

    from hpgjournal.charts.data import review_json
    from hpgjournal.services.chartdata import review
    from hpgjournal.store.journal import Journal

    with Journal.open(demo_path, readonly=True) as journal:
        text = json.dumps(review_json(review(journal)))
    assert "hpgjournal literature review" not in text
    assert "Defy Medical 2014, a published clinic protocol" in text  # not taken for a study
    assert "Defy Medical 2014;" not in text and "Defy Medical 2014)" not in text
    for code in ("(DERIVED)", "(EXT-P)", "(EXT-S)", "(GAP)"):
        assert code not in text


def test_log_todays_dose_is_one_click_and_one_undo(window, qtbot, tmp_path):
    from dataclasses import replace

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QPushButton

    from hpgjournal.domain.records import Dose, Medication
    from hpgjournal.store.journal import Journal

    path = tmp_path / "trt.hpgjournal"
    with Journal.open(path) as journal:
        med = Medication(None, "Testosterone cypionate", "2026-01-01", route="im", dose=100,
                         unit="mg", schedule="weekly")
        med = replace(med, id=journal.add(med))
        journal.add(Dose(None, "2026-01-08T08:00", med.drug, 100, "mg", "left glute",
                         medication_id=med.id))
    window.open_journal(path)
    window.show_page("overview")
    window.show()
    before = window.journal.count(Dose)
    button = window.page("overview").findChild(QPushButton, f"log-{med.id}")

    def no_dialog() -> None:  # a dialog instead of the one click: close it, the test fails
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            dialog.reject()

    QTimer.singleShot(1500, no_dialog)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.journal.count(Dose) == before + 1
    logged = max(window.journal.all(Dose), key=lambda d: d.id)
    assert (logged.drug, logged.amount, logged.unit, logged.medication_id) == (
        med.drug, 100, "mg", med.id)
    assert logged.site and logged.site != "left glute"  # the next site in the rotation
    message = window.statusBar().currentMessage()
    assert message.startswith("Logged ") and "Edit > Undo removes it" in message
    window.undo_group.undo()
    assert window.journal.count(Dose) == before
    # each reload of the overview replaces its one-click buttons (they once piled up)
    overview = window.page("overview")

    def shown(text: str) -> int:
        return sum(1 for b in overview.findChildren(QPushButton) if b.text().startswith(text))

    qtbot.waitUntil(lambda: shown("Log today's") == 1 and shown("Check in") == 1, timeout=3000)
    assert overview.findChild(QPushButton, f"log-{med.id}").isVisible()


def test_file_export_writes_a_table_and_says_how_many(window, qtbot, demo_path, tmp_path,
                                                       monkeypatch):
    import json
    import stat

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from hpgjournal.domain.records import Dose

    from .helpers import with_modal

    window.open_journal(demo_path)
    _active(window, qtbot)
    target = tmp_path / "out" / "my doses"  # no suffix: the format's is added
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))

    def choose(table: str, fmt: str):
        def play(dialog):
            dialog.table.setCurrentIndex(dialog.table.findData(table))
            dialog.format.setCurrentIndex(dialog.format.findData(fmt))
            qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        return play

    with_modal(lambda: qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
               choose("doses", "json"))
    written = target.with_name("my doses.json")
    document = json.loads(written.read_text(encoding="utf-8"))
    n = window.journal.count(Dose)
    assert len(document["doses"]) == n > 1
    assert stat.S_IMODE(written.stat().st_mode) & 0o077 == 0  # private, as the journal
    assert window.statusBar().currentMessage() == f"Exported {n} records to {written}"
    # a place that cannot be written: the reason, nothing half-written
    target = tmp_path / "no such folder" / "labs"
    _active(window, qtbot)
    with_modal(lambda: qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
               choose("labs", "csv"))
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "does not exist" in boxes[-1].text()
    assert not target.parent.exists()


def test_exporting_a_chart_says_where_it_went(window, qtbot, demo_path, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    window.open_journal(demo_path)
    window.show_page("charts")
    charts = window.page("charts")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "lh"), "")))
    qtbot.mouseClick(charts.png, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == f"Chart exported to {tmp_path / 'lh.png'}"
