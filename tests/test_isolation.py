"""The tests never touch the user's own folders (the root conftest moves them all away).

The conftest also compares the user's real app folders before and after the whole run and fails
the run when they changed; these tests check that every way the app finds a folder, in this
process and in the processes tests start, lands in the throw-away home.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REAL_HOME, SANDBOX, user_folders_snapshot


def _inside(path: str | Path) -> bool:
    return Path(path).resolve().is_relative_to(SANDBOX.resolve())


def test_home_and_every_xdg_folder_point_into_the_sandbox():
    assert Path.home() != REAL_HOME or REAL_HOME.resolve().is_relative_to(SANDBOX)
    for var in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "HPGJOURNAL_DATA_DIR", "MPLCONFIGDIR"):
        assert _inside(os.environ[var]), var


def test_app_folders_in_this_process_are_in_the_sandbox():
    import platformdirs

    from hpgjournal.logsetup import log_file
    from hpgjournal.paths import data_dir, default_journal

    for path in (data_dir(), default_journal(), log_file(),
                 platformdirs.user_log_dir("hpgjournal", appauthor=False),
                 platformdirs.user_config_dir("hpgjournal", appauthor=False)):
        assert _inside(path), path


def test_qt_settings_and_standard_paths_are_in_the_sandbox(qapp):
    from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

    QCoreApplication.setOrganizationName("hpgjournal")
    QCoreApplication.setApplicationName("hpgjournal")
    assert _inside(QSettings().fileName())
    for kind in (QStandardPaths.StandardLocation.AppDataLocation,
                 QStandardPaths.StandardLocation.ConfigLocation,
                 QStandardPaths.StandardLocation.CacheLocation):
        assert _inside(QStandardPaths.writableLocation(kind)), kind


def test_a_process_started_by_a_test_writes_its_log_in_the_sandbox(tmp_path):
    journal = tmp_path / "demo.hpgjournal"
    before = user_folders_snapshot()
    proc = subprocess.run([sys.executable, "-m", "hpgjournal", "demo", "--no-gui", "--journal",
                           str(journal)], capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr
    log = Path(os.environ["HPGJOURNAL_DATA_DIR"]) / "logs" / "hpgjournal.log"
    assert log.is_file() and _inside(log)
    assert user_folders_snapshot() == before


def test_the_snapshot_sees_a_new_log_file(tmp_path):
    """The end-of-run guard would notice a write: its snapshot changes when a log appears."""
    home = tmp_path / "home"
    before = user_folders_snapshot(home)
    log = home / ".local" / "state" / "hpgjournal" / "log" / "hpgjournal.log"
    log.parent.mkdir(parents=True)
    log.write_text("written\n")
    after = user_folders_snapshot(home)
    assert before == {} and str(log) in after
    settings = home / ".config" / "hpgjournal" / "hpgjournal.conf"
    settings.parent.mkdir(parents=True)
    settings.write_text("[General]\n")
    assert str(settings) in user_folders_snapshot(home)
