"""What hpgjournal does differently on Windows and macOS, run here with the system faked.

Each branch on ``sys.platform`` or ``os.name`` in the package is exercised on this Linux machine,
so that the first Windows or Mac run does not meet code no test has run: the data and log
folders, the journal lock through ``msvcrt``, the file modes Windows does not have, the probe of
a writer's process, the bundle check that only Linux bundles need, the file-opening flags.
(The report's font on a system without DejaVu Sans, as on Windows and macOS, is tested in
tests/cli/test_demo_and_bundle_checks.py; the packaging scripts' branches in tests/packaging.)
"""

from __future__ import annotations

import errno
import importlib.util
import os
import stat
import sys
import time
import types
from pathlib import Path

import pytest

import hpgjournal
from hpgjournal.domain.errors import JournalLocked

PACKAGE = Path(hpgjournal.__file__).parent


def load_copy(relative: str, name: str) -> types.ModuleType:
    """A fresh copy of a package module, run again under whatever the test faked."""
    spec = importlib.util.spec_from_file_location(name, PACKAGE / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


# ------------------------------------------------------------------------------ folders
def as_windows(monkeypatch: pytest.MonkeyPatch, local_appdata: Path) -> None:
    """platformdirs as it answers on Windows, with %LOCALAPPDATA% at ``local_appdata``."""
    import platformdirs
    import platformdirs.windows as windows

    monkeypatch.setenv("LOCALAPPDATA", str(local_appdata))
    monkeypatch.delenv("HPGJOURNAL_DATA_DIR", raising=False)
    monkeypatch.setattr(platformdirs, "PlatformDirs", windows.Windows)
    # the folder from the environment, as on Windows without the shell's API
    monkeypatch.setattr(windows, "_RESOLVE_WIN_FOLDER", windows.get_win_folder_from_env_vars)


def test_windows_keeps_the_journal_and_logs_in_local_appdata(tmp_path, monkeypatch):
    from hpgjournal.paths import data_dir, default_journal, log_dir

    local = tmp_path / "AppData" / "Local"
    as_windows(monkeypatch, local)
    # not Roaming (a journal must not travel between machines half-written), no author folder
    assert data_dir() == local / "hpgjournal"
    assert log_dir() == local / "hpgjournal" / "Logs"
    assert default_journal() == local / "hpgjournal" / "journal.hpgjournal"


def test_macos_keeps_them_in_the_library_folders(tmp_path, monkeypatch):
    import platformdirs
    from platformdirs.macos import MacOS

    from hpgjournal.paths import data_dir, log_dir

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("HPGJOURNAL_DATA_DIR")
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(platformdirs, "PlatformDirs", MacOS)
    assert data_dir() == tmp_path / "Library" / "Application Support" / "hpgjournal"
    assert log_dir() == tmp_path / "Library" / "Logs" / "hpgjournal"


def test_the_override_wins_on_every_system(tmp_path, monkeypatch):
    from hpgjournal.paths import data_dir, log_dir

    as_windows(monkeypatch, tmp_path / "local")
    monkeypatch.setenv("HPGJOURNAL_DATA_DIR", str(tmp_path / "mine"))
    assert data_dir() == tmp_path / "mine" and log_dir() == tmp_path / "mine" / "logs"


# ------------------------------------------------------------------------------ the lock
class FakeMsvcrt(types.ModuleType):
    """Windows's byte-range locks: a region held by one descriptor refuses every other one."""

    LK_UNLCK, LK_NBLCK = 0, 2

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.held: dict[tuple[int, int, int, int], int] = {}
        self.calls: list[tuple[int, int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        info = os.fstat(fd)
        position = os.lseek(fd, 0, os.SEEK_CUR)  # msvcrt locks from where the file is
        self.calls.append((mode, position, nbytes))
        region = (info.st_dev, info.st_ino, position, nbytes)
        if mode == self.LK_NBLCK:
            if region in self.held:
                raise PermissionError(errno.EACCES, "Permission denied")
            self.held[region] = fd
        elif mode == self.LK_UNLCK:
            if self.held.get(region) != fd:  # unlocking what this descriptor does not hold
                raise PermissionError(errno.EACCES, "Permission denied")
            del self.held[region]
        else:
            raise ValueError(mode)


@pytest.fixture
def windows_lock(monkeypatch):
    """hpgjournal.store.lock as imported on Windows (a copy: the real module stays as it is)."""
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    module = load_copy("store/lock.py", "hpgjournal_store_lock_on_windows")
    monkeypatch.undo()  # the platform back, before anything else runs
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    # Windows has no os.uname and no O_NOFOLLOW
    monkeypatch.delattr(os, "uname")
    monkeypatch.delattr(os, "O_NOFOLLOW", raising=False)
    monkeypatch.setenv("COMPUTERNAME", "TESTPC")
    return module, fake


def test_windows_lock_keeps_a_second_opener_out_and_names_the_holder(windows_lock, tmp_path):
    module, fake = windows_lock
    assert module._lock.__code__.co_names.count("msvcrt") >= 1  # the Windows functions, not flock
    journal = tmp_path / "journal.hpgjournal"
    journal.write_bytes(b"")
    module.set_holder("the window")
    first = module.JournalLock(journal)
    first.acquire()
    first.acquire_identity()
    second = module.JournalLock(journal)
    with pytest.raises(JournalLocked, match=r"open in another hpgjournal \(the window, pid \d+ on TESTPC\)"):
        second.acquire()
    first.release()
    second.acquire()  # free again once released
    second.release()
    assert not fake.held
    # every lock and unlock is of the first byte, whatever was written to the file meanwhile
    assert {(position, nbytes) for _mode, position, nbytes in fake.calls} == {(0, 1)}
    modes = [mode for mode, _, _ in fake.calls]
    assert modes.count(fake.LK_UNLCK) == 3  # first's two locks and second's one


def test_posix_lock_is_flock(tmp_path):
    from hpgjournal.store import lock

    assert "fcntl" in lock._lock.__code__.co_names
    journal = tmp_path / "journal.hpgjournal"
    journal.write_bytes(b"")
    first = lock.JournalLock(journal)
    first.acquire()
    try:
        with pytest.raises(JournalLocked):
            lock.JournalLock(journal).acquire()
    finally:
        first.release()


# ------------------------------------------------------------------------------ processes and folders
def _partial(folder: Path, pid: int, age_s: float) -> Path:
    path = folder / f".report.pdf.{pid}.abcdef12.partial"
    path.write_bytes(b"x")
    when = time.time() - age_s
    os.utime(path, (when, when))
    return path


def _dead_pid() -> int:
    import subprocess

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_on_windows_a_fresh_partial_of_another_process_is_kept(tmp_path, monkeypatch):
    from hpgjournal.store import files

    dead = _dead_pid()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "kill", lambda *a: pytest.fail("os.kill ends a process on Windows"))
    fresh = _partial(tmp_path, dead, age_s=60)
    old = _partial(tmp_path, dead + 1, age_s=2 * 24 * 3600)
    assert files.remove_stale_partials(tmp_path) == 1  # only the day-old one
    assert fresh.exists() and not old.exists()


def test_on_posix_a_dead_writers_partial_goes_at_once(tmp_path):
    from hpgjournal.store import files

    fresh = _partial(tmp_path, _dead_pid(), age_s=60)
    assert files.remove_stale_partials(tmp_path) == 1 and not fresh.exists()


def test_fsync_folder_opens_no_folder_where_folders_cannot_be_opened(tmp_path, monkeypatch):
    from hpgjournal.store import files

    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k))
    files.fsync_folder(tmp_path)
    assert opened == [tmp_path]
    opened.clear()
    monkeypatch.setattr(os, "name", "nt")
    files.fsync_folder(tmp_path)  # Windows: no folder handle to fsync
    monkeypatch.setattr(os, "name", "posix")
    assert opened == []


# ------------------------------------------------------------------------------ file modes
def _world_readable(tmp_path: Path) -> Path:
    path = tmp_path / "journal.hpgjournal"
    path.write_bytes(b"")
    path.chmod(0o644)
    return path


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_journal_file_modes_are_tightened_on_posix_only(tmp_path, monkeypatch):
    from hpgjournal.store import journal

    path = _world_readable(tmp_path)
    monkeypatch.setattr(os, "name", "nt")
    journal._private_file(path)  # Windows: its ACLs, not mode bits, keep the file private
    monkeypatch.setattr(os, "name", "posix")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    journal._private_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_settings_file_is_tightened_on_posix_only(tmp_path, monkeypatch):
    import PySide6.QtCore

    from hpgjournal import app

    settings = _world_readable(tmp_path)
    monkeypatch.setattr(PySide6.QtCore, "QSettings",
                        lambda: types.SimpleNamespace(fileName=lambda: str(settings)))
    native = type(Path())  # Path() itself picks its class from os.name
    monkeypatch.setattr(app, "Path", native)
    monkeypatch.setattr(os, "name", "nt")
    app._private_settings()
    monkeypatch.setattr(os, "name", "posix")
    assert stat.S_IMODE(settings.stat().st_mode) == 0o644
    app._private_settings()
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600


def test_umask_is_set_on_posix_only(monkeypatch):
    from hpgjournal import cli

    masks = []
    monkeypatch.setattr(os, "umask", lambda mask: masks.append(mask) or 0o022)
    monkeypatch.setattr(os, "name", "nt")
    cli._private_by_default()
    monkeypatch.setattr(os, "name", "posix")
    assert masks == []
    cli._private_by_default()
    assert masks == [0o077]


# ------------------------------------------------------------------------------ bundle, open flags
@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_only_a_linux_bundle_checks_the_c_library(tmp_path, monkeypatch, system):
    from hpgjournal import bundle

    (tmp_path / bundle.FLOOR_FILE).write_text("99.0\n", encoding="ascii")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(os, "confstr", lambda name: "glibc 2.17")
    monkeypatch.setattr(sys, "platform", "linux")
    assert bundle.glibc_problem() is not None  # the same bundle on Linux: refused
    monkeypatch.setattr(sys, "platform", system)
    assert bundle.glibc_problem() is None


def test_files_are_read_in_binary_where_os_has_the_flag(tmp_path, monkeypatch):
    """On Windows os.open needs O_BINARY (no CR/LF translation) and has no POSIX-only flags."""
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"):
        monkeypatch.delattr(os, name, raising=False)
    fake_binary = 0x8000  # Windows's value; O_LARGEFILE here, harmless for a read
    monkeypatch.setattr(os, "O_BINARY", fake_binary, raising=False)
    source = load_copy("importers/source.py", "hpgjournal_importers_source_on_windows")
    monkeypatch.undo()
    flags = source.OPEN_FLAGS
    assert flags == os.O_RDONLY | fake_binary
    path = tmp_path / "results.csv"
    path.write_bytes(b"date,marker\r\n2026-01-05,Testosterone\r\n")
    assert bytes(source.read_bytes(path)) == b"date,marker\r\n2026-01-05,Testosterone\r\n"


@pytest.mark.parametrize(("floor", "named"), [
    ("2.35", "(Ubuntu 22.04, Debian 12, Fedora 36 or later)"),  # the hosted ubuntu-22.04 build
    ("2.36", "(Debian 12, Ubuntu 22.10, Fedora 37 or later)"),  # a build on Debian 12
    ("2.99", "2.99 or newer and this system"),  # no systems named for a floor it does not know
])
def test_the_c_library_message_names_systems_that_have_the_floor(tmp_path, monkeypatch, floor, named):
    from hpgjournal import bundle

    (tmp_path / bundle.FLOOR_FILE).write_text(f"{floor}\n", encoding="ascii")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "confstr", lambda name: "glibc 2.31")
    problem = bundle.glibc_problem()
    assert problem is not None and named in problem
