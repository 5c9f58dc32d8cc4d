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
