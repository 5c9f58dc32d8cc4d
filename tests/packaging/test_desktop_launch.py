"""How the desktop starts the app: a file from "Open with", the icon, the About dialog."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hpgjournal import __version__
from hpgjournal.cli import _file_to_open


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "hpgjournal", *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)


@pytest.mark.parametrize(("argv", "found", "left"), [
    (["results.csv"], "results.csv", []),
    (["results.csv", "--exit-after-startup"], "results.csv", ["--exit-after-startup"]),
    (["--journal", "a.hpgjournal", "b.csv"], "b.csv", ["--journal", "a.hpgjournal"]),
    (["--journal", "a.hpgjournal"], None, ["--journal", "a.hpgjournal"]),
    (["demo", "--no-gui"], None, ["demo", "--no-gui"]),
    (["export", "labs.csv"], None, ["export", "labs.csv"]),  # a command's own argument
    (["nosuchcommand"], None, ["nosuchcommand"]),  # left to argparse to refuse
])
def test_only_a_leading_file_argument_is_taken(argv, found, left):
    assert _file_to_open(argv) == (Path(found) if found else None)
    assert argv == left


def test_open_with_a_csv_file_starts_the_window(tmp_path):
    lab_file = tmp_path / "results.csv"
    lab_file.write_text("date,marker,value\n2026-01-05,Testosterone,612\n", encoding="utf-8")
    proc = run(str(lab_file), "--exit-after-startup")
    assert proc.returncode == 0, proc.stderr
    assert "startup: first paint after" in proc.stdout


def test_open_with_a_journal_file_opens_that_journal(demo_path, tmp_path):
    proc = run(str(demo_path), "--exit-after-startup")
    assert proc.returncode == 0, proc.stderr
    assert "startup: first paint after" in proc.stdout
    not_a_journal = tmp_path / "other.hpgjournal"
    not_a_journal.write_text("not a database", encoding="utf-8")
    proc = run(str(not_a_journal), "--exit-after-startup")
    assert proc.returncode == 1
    assert str(not_a_journal) in proc.stderr and "is not a journal" in proc.stderr


def test_a_file_and_a_command_together_is_bad_usage(tmp_path):
    proc = run(str(tmp_path / "results.csv"), "demo")
    assert proc.returncode == 2
    assert "cannot go together" in proc.stderr


@pytest.mark.gui
def test_a_csv_file_goes_to_the_import_when_the_window_has_one(qtbot, tmp_path):
    from PySide6.QtWidgets import QMainWindow

    from hpgjournal.app import _hand_over

    class WithImport(QMainWindow):
        def __init__(self) -> None:
            super().__init__()
            self.imported: list[list[Path]] = []

        def import_files(self, paths: list[Path]) -> None:
            self.imported.append(paths)

    window = WithImport()
    qtbot.addWidget(window)
    _hand_over(window, tmp_path / "results.csv")
    qtbot.waitUntil(lambda: window.imported == [[tmp_path / "results.csv"]], timeout=2000)

    plain = QMainWindow()
    qtbot.addWidget(plain)
    _hand_over(plain, tmp_path / "results.csv")
    assert "results.csv" in plain.statusBar().currentMessage()


@pytest.mark.gui
def test_the_application_icon_is_set(qapp):
    from hpgjournal.app import _set_icon

    _set_icon(qapp)
    icon = qapp.windowIcon()
    assert not icon.isNull()
    assert icon.pixmap(32, 32).toImage().pixelColor(16, 16).alpha() == 255


@pytest.mark.gui
def test_about_shows_version_licence_locations_and_escapes_paths(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from hpgjournal.logsetup import log_file
    from hpgjournal.paths import data_dir
    from hpgjournal.ui.main_window import MainWindow

    monkeypatch.setenv("HPGJOURNAL_DATA_DIR", str(tmp_path / "data<i>"))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    journal = tmp_path / "a&b <x>.hpgjournal"
    window.open_journal(journal)
    try:
        window.about()
    finally:
        window.close_journal()
    ((title, text),) = shown
    assert "About" in title
    assert __version__ in text and "MIT" in text
    assert "a&amp;b &lt;x&gt;.hpgjournal" in text and "<x>" not in text
    assert str(data_dir()).replace("<", "&lt;").replace(">", "&gt;") in text
    assert str(log_file()).replace("<", "&lt;").replace(">", "&gt;") in text
    assert "<i>" not in text
    assert "not medical advice" in text
