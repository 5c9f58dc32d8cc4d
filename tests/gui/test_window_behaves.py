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
