"""Journals reached through a second name, or left empty, cut short or damaged: nothing lost.

Each test repeats a trial of issue 12 and asserts the exact words a user reads, that the
journal and its newest good backup pass ``hpgjournal check`` afterwards, and that no committed
result is missing.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hpgjournal.domain.errors import JournalDamaged, JournalLocked
from hpgjournal.store.backup import backup, backups_of, is_good, newest_good_backup, rotate
from hpgjournal.store.journal import Journal
from hpgjournal.store.lock import set_holder
from tests.reliability.conftest import assert_sound, error_line, lab_csv, results_in, run


@pytest.fixture
def journal_with_backup(demo_path: Path) -> tuple[Path, Path]:
    with Journal.open(demo_path) as journal:
        made = backup(journal)
    return demo_path, made


# ------------------------------------------------------------------ 1. hard links, symlinks
@pytest.mark.parametrize("kind", ["hard link", "symbolic link"])
def test_a_second_name_reaches_the_same_lock(demo_path, tmp_path, kind):
    other = tmp_path / "elsewhere" / "same.hpgjournal"
    other.parent.mkdir()
    if kind == "hard link":
        os.link(demo_path, other)
    else:
        other.symlink_to(demo_path)
    set_holder("the command import")
    try:
        with Journal.open(demo_path):
            proc = run("import", str(lab_csv(tmp_path / "a.csv", 10)), "--journal", str(other))
            line = error_line(proc)
            assert "is open in another hpgjournal (the command import, pid" in line
            with pytest.raises(JournalLocked):
                Journal.open(other)
    finally:
        set_holder("hpgjournal")


@pytest.mark.slow
def test_two_imports_through_two_names_lose_nothing(demo_path, tmp_path):
    """The trial that lost 80,000 results: both imports run at once, one through a hard link."""
    link = tmp_path / "link.hpgjournal"
    os.link(demo_path, link)
    before = results_in(demo_path)
    files = [lab_csv(tmp_path / "a.csv", 30_000, seed=1, year=1950),
             lab_csv(tmp_path / "b.csv", 30_000, seed=2, year=1980)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    procs = [subprocess.Popen([sys.executable, "-m", "hpgjournal", "import", str(f), "--journal",
                               str(j)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for f, j in zip(files, (demo_path, link), strict=True)]
    outcomes = [p.communicate(timeout=300) for p in procs]
    added = 0
    for proc, (out, err) in zip(procs, outcomes, strict=True):
        if proc.returncode == 0:
            added += int(out.split("imported ")[1].split()[0])
        else:
            assert "is open in another hpgjournal (the command import" in err, err
    assert added >= 30_000  # at least one ran; a refused one said why
    assert results_in(demo_path) == before + added  # nothing a success reported is missing
    assert_sound(demo_path)


# ------------------------------------------------------------------ 2. empty journal
def test_an_empty_journal_is_not_taken_for_a_new_one(journal_with_backup):
    path, good = journal_with_backup
    path.write_bytes(b"")
    for command in (["check"], ["import", "x.csv"], ["backup"], ["export", "labs"], ["assess"]):
        line = error_line(run(*command, "--journal", str(path)))
        assert line == (
            f"hpgjournal: error: {path} is damaged (the file is empty (0 bytes), so it holds no "
            f"journal): the newest good backup is {good} (made "
            f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(good.stat().st_mtime))}, 150 lab "
            f"results): restore it with 'hpgjournal restore {good} --journal {path}' or File > "
            "Restore backup... (the damaged file is kept beside it)"), command
    assert path.stat().st_size == 0  # nothing wrote into it or made it a new journal
    assert backups_of(path) == [good]


def test_an_empty_journal_without_backups_says_what_to_do(tmp_path):
    path = tmp_path / "copy.hpgjournal"
    path.write_bytes(b"")
    line = error_line(run("check", "--journal", str(path)))
    assert line.endswith(
        f"there is no backup of it in {tmp_path / 'backups'}; a copy kept elsewhere can be "
        f"restored with 'hpgjournal restore COPY --journal {path}', or delete the empty file to "
        "start a new journal there")


def test_ten_days_of_an_empty_journal_keep_every_good_backup(journal_with_backup, monkeypatch):
    """Each day's automatic backup used to rotate out one good backup of an emptied journal."""
    path, _ = journal_with_backup
    with Journal.open(path) as journal:
        for _ in range(4):
            backup(journal)
    good = backups_of(path)
    path.write_bytes(b"")
    for _day in range(10):
        with pytest.raises(JournalDamaged):
            Journal.open(path)  # what the window does at each start
    assert backups_of(path) == good
    assert all(results_in(b) == 150 for b in good)


def test_rotation_keeps_good_backups_when_the_newer_ones_are_damaged(journal_with_backup):
    path, _ = journal_with_backup
    with Journal.open(path) as journal:
        for _ in range(9):
            backup(journal)
    names = backups_of(path)
    assert len(names) == 10
    for rotten in names[:6]:  # the six newest rot on the disk
        rotten.write_bytes(rotten.read_bytes()[:4096] + b"\xff" * 4096)
    rotate(path, keep=5, min_good=3)
    kept = backups_of(path)
    assert kept == names[:9]  # the three good ones after the rotten six stay; the oldest goes
    assert [is_good(b) for b in kept] == [False] * 6 + [True] * 3
    assert newest_good_backup(path).path == names[6]
    rotate(path, keep=5, min_good=4)  # fewer good ones than asked for: nothing is deleted
    assert backups_of(path) == names[:9]


# ------------------------------------------------------------------ 3. truncated, damaged
def test_a_truncated_journal_names_its_backup_and_restore_brings_it_back(journal_with_backup):
    path, good = journal_with_backup
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 3])
    line = error_line(run("check", "--journal", str(path)))
    assert f"{path} is damaged (the file is cut short: {len(whole) // 3:,} of its " in line
    assert f"the newest good backup is {good}" in line
    proc = run("restore", str(good), "--journal", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        f"{path} restored from {good} (150 lab results; it passes the check)")
    kept = [Path(line.split(": ", 1)[1]) for line in proc.stdout.splitlines()
            if line.startswith("kept, not used: ")]
    assert len(kept) == 1 and kept[0].name.startswith(f"{path.name}.damaged-")
    assert kept[0].read_bytes() == whole[: len(whole) // 3]  # the damaged file is kept as it was
    assert_sound(path)
    assert results_in(path) == 150


def damage_a_page(path: Path, table: str = "lab_results") -> None:
    """Overwrite one page of a table's b-tree with garbage, as a failing disk would."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d" + os.urandom(page_size - 1))


def test_a_damaged_page_is_reported_by_check_not_crashed_on(journal_with_backup):
    path, good = journal_with_backup
    damage_a_page(path)
    proc = run("check", "--journal", str(path))
    assert proc.returncode == 1
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout.startswith("error: ")  # its own findings are shown
    line = error_line(proc)
    assert f"{path} is damaged (SQLite's integrity check fails: " in line
    assert f"the newest good backup is {good}" in line


def test_import_and_backup_refuse_to_write_into_or_copy_a_damaged_journal(journal_with_backup,
                                                                          tmp_path):
    path, good = journal_with_backup
    damage_a_page(path)
    damaged_bytes = path.read_bytes()
    line = error_line(run("import", str(lab_csv(tmp_path / "a.csv", 5)), "--journal", str(path)))
    assert f"{path} is damaged (" in line and f"the newest good backup is {good}" in line
    line = error_line(run("backup", "--journal", str(path)))
    assert "no backup was made" in line and f"the newest good backup is {good}" in line
    assert path.read_bytes() == damaged_bytes
    assert backups_of(path) == [good]  # no damaged copy joined the rotation
    assert not list(good.parent.glob("*.partial"))


def test_restore_refuses_a_damaged_backup(journal_with_backup, tmp_path):
    path, good = journal_with_backup
    bad = tmp_path / "bad.hpgjournal"
    shutil.copy(good, bad)
    damage_a_page(bad)
    before = path.read_bytes()
    line = error_line(run("restore", str(bad), "--journal", str(path)))
    assert line == (f"hpgjournal: error: the backup {bad} is itself damaged, so nothing was "
                    f"restored: the newest good backup is {good} ("
                    + line.split(f"the newest good backup is {good} (")[1])
    assert path.read_bytes() == before


# ------------------------------------------------------------------ 4. restore and a stale WAL
def _crash_with_unwritten_log(path: Path, rows: int) -> None:
    """Add rows in WAL mode, then die before any checkpoint: the -wal holds them all."""
    code = f"""
import os, signal, sqlite3
conn = sqlite3.connect({str(path)!r})
conn.execute("PRAGMA wal_autocheckpoint = 0")
cols = [d[0] for d in conn.execute("SELECT * FROM lab_results LIMIT 1").description]
row = list(conn.execute("SELECT * FROM lab_results LIMIT 1").fetchone())
rows = []
for i in range({rows}):
    copy = list(row); copy[0] = None; copy[cols.index("taken_at")] = f"1990-01-01T{{i % 24:02d}}:00"
    rows.append(copy)
conn.executemany(f"INSERT INTO lab_results VALUES ({{','.join('?' * len(cols))}})", rows)
conn.commit()
os.kill(os.getpid(), signal.SIGKILL)
"""
    proc = subprocess.run([sys.executable, "-c", code], check=False)
    assert proc.returncode == -signal.SIGKILL
    assert path.with_name(path.name + "-wal").stat().st_size > 100_000


def test_restore_moves_a_stale_wal_aside(journal_with_backup):
    """The trial that gave 53,434 results instead of 150 and integrity errors."""
    path, good = journal_with_backup
    _crash_with_unwritten_log(path, 50_000)
    path.rename(path.with_name("damaged-moved-aside.hpgjournal"))  # what a user did
    wal = path.with_name(path.name + "-wal")
    log_bytes = wal.read_bytes()
    proc = run("restore", str(good), "--journal", str(path))
    assert proc.returncode == 0, proc.stderr
    stale = [Path(line.split(": ", 1)[1]) for line in proc.stdout.splitlines()
             if line.startswith("kept, not used: ")]
    assert [p.name.split("-2")[0] for p in stale] == [f"{path.name}-wal.stale"]
    assert stale[0].read_bytes() == log_bytes  # kept, not deleted
    assert results_in(path) == 150
    assert_sound(path)
    assert_sound(good)


def test_restore_over_a_sound_journal_backs_it_up_first(journal_with_backup, tmp_path):
    path, good = journal_with_backup
    run("import", str(lab_csv(tmp_path / "a.csv", 40)), "--journal", str(path))
    assert results_in(path) == 190
    proc = run("restore", str(good), "--journal", str(path))
    assert proc.returncode == 0, proc.stderr
    before = Path(proc.stdout.splitlines()[1].split("backed up to ")[1])
    assert "before-restore" in before.name and results_in(before) == 190
    assert results_in(path) == 150
    assert_sound(path)


def test_restore_refuses_while_the_journal_is_open(journal_with_backup):
    path, good = journal_with_backup
    set_holder("the window")
    try:
        with Journal.open(path):
            line = error_line(run("restore", str(good), "--journal", str(path)))
    finally:
        set_holder("hpgjournal")
    assert "is open in another hpgjournal (the window, pid" in line


# ------------------------------------------------------------------ kills leave no litter
@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_backups_leave_no_partial_files_behind(tmp_path):
    path = tmp_path / "big.hpgjournal"
    assert run("import", str(lab_csv(tmp_path / "a.csv", 60_000)), "--journal",
               str(path)).returncode == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    folder = path.parent / "backups"
    kills = 0
    left = set()
    for delay in (0.0, 0.005, 0.02, 0.05, 0.1):  # killed while the copy is being written
        proc = subprocess.Popen([sys.executable, "-m", "hpgjournal", "backup", "--journal",
                                 str(path)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not (folder.exists() and any("partial" in p.name for p in folder.iterdir())):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.001)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += proc.returncode == -signal.SIGKILL
        left |= {p.name for p in folder.iterdir() if "partial" in p.name}
    assert kills == 5
    assert any(name.endswith("-journal") for name in left)  # SQLite's own file of the copy
    proc = run("backup", "--journal", str(path))
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in folder.iterdir() if "partial" in p.name] == []
    for made in backups_of(path):
        assert_sound(made)
        assert results_in(made) == 60_000
    assert_sound(path)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_reports_leave_no_partial_files_behind(demo_path, tmp_path):
    out = tmp_path / "out" / "report.pdf"
    out.parent.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(3):  # killed while the PDF is being written: a partial file is left
        proc = subprocess.Popen([sys.executable, "-m", "hpgjournal", "report", "--journal",
                                 str(demo_path), "-o", str(out)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not any("partial" in p.name for p in out.parent.iterdir()):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # each new report removed the partial of the one killed before it; the last one is left
    assert len([p for p in out.parent.iterdir() if "partial" in p.name]) == 1
    assert not out.exists()
    proc = run("report", "--journal", str(demo_path), "-o", str(out), timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in out.parent.iterdir()] == ["report.pdf"]
    assert out.read_bytes().rstrip().endswith(b"%%EOF")


def test_a_lock_taken_a_moment_ago_still_names_its_holder(tmp_path):
    """A holder writes its name into the lock file just after taking the lock: an opener that
    comes in between waits for the name (a fresh machine once printed no name here)."""
    import fcntl
    import threading

    from hpgjournal.store.lock import lock_path

    path = tmp_path / "j.hpgjournal"
    Journal.open(path).close()
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held, its name not written yet
    os.ftruncate(fd, 0)
    late = threading.Timer(0.06, lambda: os.write(fd, b"the command import, pid 1 on here"))
    late.start()
    try:
        with pytest.raises(JournalLocked, match=r"is open in another hpgjournal \(the command "
                                                r"import, pid 1 on here\)"):
            Journal.open(path)
    finally:
        late.join()
        os.close(fd)
