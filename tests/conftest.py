"""Test set-up shared by every test: isolated data folders, offscreen Qt, a demo journal."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("MPLBACKEND", "Agg")

DEMO_TODAY = date(2026, 11, 1)

# The user's own folders, as the app would find them before the tests move everything away.
REAL_HOME = Path.home()
_USER_GLOBS = (
    ".local/share/hpgjournal*", ".local/state/hpgjournal*", ".config/hpgjournal*",
    ".cache/hpgjournal*", ".local/share/applications/*hpgjournal*", ".local/bin/hpgjournal",
    ".local/lib/hpgjournal", ".local/share/icons/hicolor/*/apps/*hpgjournal*",
    "Library/Application Support/hpgjournal", "Library/Logs/hpgjournal",
    "Library/Preferences/*hpgjournal*", "AppData/Local/hpgjournal",
)


def user_folders_snapshot(home: Path = REAL_HOME) -> dict[str, tuple[int, int]]:
    """Every file of the app's under ``home``, with its size and modification time."""
    seen: dict[str, tuple[int, int]] = {}
    for pattern in _USER_GLOBS:
        for top in home.glob(pattern):
            for path in [top, *top.rglob("*")] if top.is_dir() else [top]:
                try:
                    info = path.lstat()
                except OSError:
                    continue
                seen[str(path)] = (info.st_size, info.st_mtime_ns)
    return seen


# Every test, and every process a test starts, lives in one throw-away home: the data, log,
# config, cache and Qt settings folders of the app and of its libraries all point into it.
# Set at import, before any fixture (module-scoped ones run before the per-test fixture below).
SANDBOX = Path(tempfile.mkdtemp(prefix="hpgjournal-tests-"))
_SANDBOX_ENV = {
    "HOME": "home", "XDG_CONFIG_HOME": "home/.config", "XDG_DATA_HOME": "home/.local/share",
    "XDG_STATE_HOME": "home/.local/state", "XDG_CACHE_HOME": "home/.cache",
    "XDG_RUNTIME_DIR": "runtime", "HPGJOURNAL_DATA_DIR": "data", "MPLCONFIGDIR": "mplconfig",
}
if sys.platform == "win32":
    _SANDBOX_ENV |= {"APPDATA": "home/AppData/Roaming", "LOCALAPPDATA": "home/AppData/Local",
                     "USERPROFILE": "home"}
for _var, _sub in _SANDBOX_ENV.items():
    (SANDBOX / _sub).mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ[_var] = str(SANDBOX / _sub)
# The system keyring is never reached: a remembered passphrase goes to a keyring that keeps
# nothing, unless a test sets up the in-memory one (``memory_keyring``).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
_BEFORE = user_folders_snapshot()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when anything of the app's under the real home changed while it ran."""
    import shutil

    after = user_folders_snapshot()
    changed = sorted(k for k in after.keys() | _BEFORE.keys() if after.get(k) != _BEFORE.get(k))
    if changed and not hasattr(session.config, "workerinput"):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["the tests changed the user's own folders:", *changed[:20]]
        if reporter is not None:
            reporter.write_line("\n".join(lines), red=True)
        else:
            print("\n".join(lines), file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    shutil.rmtree(SANDBOX, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_dirs(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder and settings inside the sandbox, never the user's."""
    base = Path(tempfile.mkdtemp(prefix="userdata-", dir=SANDBOX))
    # hpgjournal.cli.main makes the process's files private (umask 077); a test that called it
    # must not hide from the next one whether a file is private by itself.
    os.umask(0o022)
    monkeypatch.setenv("HPGJOURNAL_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdgdata"))
    return base


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo journal built once per session; tests copy it."""
    from hpgjournal.demo import build_demo
    from hpgjournal.store.journal import Journal

    path = tmp_path_factory.mktemp("template") / "demo.hpgjournal"
    with Journal.open(path) as journal:
        build_demo(journal, today=DEMO_TODAY)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "demo.hpgjournal"
    shutil.copy(demo_template, target)
    return target


@pytest.fixture
def journal(tmp_path: Path):
    from hpgjournal.store.journal import Journal

    with Journal.open(tmp_path / "j.hpgjournal") as j:
        yield j


# Values no entry path accepts any more, written by SQL as an old hpgjournal or a hand could:
# (analyte, SQL that sets the value of its newest result). SQLite keeps 'NaN' as text.
IMPOSSIBLE_BY_SQL = (
    ("testosterone_total", "value = 1e308, reported_value = '1e308'"),
    ("estradiol", "value = 9e999"),  # inf
    ("lh", "value = 'NaN', reported_value = 'NaN'"),
    ("hematocrit", "value = -5, reported_value = '-5'"),
    ("fsh", "taken_at = '0001-01-01'"),
    ("shbg", "value = -9e999"),  # -inf
    ("sperm_concentration", "value = 'NaN', reported_value = 'NaN'"),
)


@pytest.fixture
def broken_demo_path(demo_path: Path) -> Path:
    """The demo journal with impossible values written into it directly (see above), and a
    testicular volume that is not finite."""
    import sqlite3

    conn = sqlite3.connect(demo_path)
    try:
        for analyte, change in IMPOSSIBLE_BY_SQL:
            conn.execute(f"UPDATE lab_results SET {change} WHERE id = (SELECT id FROM lab_results "
                         "WHERE analyte = ? ORDER BY taken_at DESC LIMIT 1)", [analyte])
        conn.execute("UPDATE measures SET testis_left_ml = 9e999 WHERE id = (SELECT max(id) "
                     "FROM measures)")
        conn.commit()
    finally:
        conn.close()
    return demo_path


@pytest.fixture
def memory_keyring():
    """A system keyring that keeps secrets in this process only (for "remember" tests)."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.kept: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            from keyring.errors import PasswordDeleteError

            if self.kept.pop((service, username), None) is None:
                raise PasswordDeleteError("not kept")

    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)
