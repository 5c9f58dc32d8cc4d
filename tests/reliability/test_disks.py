"""Full disks, read-only journals and files other users could read: one line, nothing lost."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    assert_sound,
    error_line,
    fill,
    lab_csv,
    results_in,
    run,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# ------------------------------------------------------------------ full disk
@pytest.fixture
def journal_on_small_disk(small_disk: Path, demo_path: Path) -> Path:
    path = small_disk / "j.hpgjournal"
    shutil.copy(demo_path, path)
    assert run("check", "--journal", str(path)).returncode == 0  # lock files, -shm made now
    return path


def test_import_on_a_full_disk_changes_nothing_and_says_so(journal_on_small_disk, tmp_path):
    path = journal_on_small_disk
    fill(path.parent, leave=8192)
    line = error_line(run("import", str(lab_csv(tmp_path / "a.csv", 3000)), "--journal",
                          str(path)))
    assert line == (f"hpgjournal: error: the disk holding {path} is full, so nothing was "
                    "changed: free some space, then try again")
    (path.parent / "filler").unlink()
    assert results_in(path) == 150
    assert_sound(path)


def test_report_on_a_full_disk_writes_no_truncated_pdf(demo_path, small_disk):
    out = small_disk / "report.pdf"
    fill(small_disk, leave=20_000)
    proc = run("report", "--journal", str(demo_path), "-o", str(out), timeout=240)
    line = error_line(proc)
    assert line == f"hpgjournal: error: cannot write {out}: the disk is full; free some space, " \
                   "then try again"
    assert "pages written" not in proc.stderr
    assert not out.exists()
    assert [p.name for p in small_disk.iterdir()] == ["filler"]  # no partial left either


@pytest.mark.parametrize("command", [["export", "labs"], ["chart", "testosterone_total"],
                                     ["backup"]])
def test_every_writing_command_on_a_full_disk(demo_path, small_disk, command):
    suffix = {"export": ".csv", "chart": ".png", "backup": ".hpgjournal"}[command[0]]
    out = small_disk / f"out{suffix}"
    fill(small_disk, leave=4096)
    line = error_line(run(*command, "--journal", str(demo_path), "-o", str(out)))
    assert "the disk" in line and "full" in line, line
    assert not out.exists()
    assert [p.name for p in small_disk.iterdir()] == ["filler"]


# ------------------------------------------------------------------ read-only
def test_a_journal_on_a_read_only_disk(read_only_view, demo_path, tmp_path):
    source, view = read_only_view
    shutil.copy(demo_path, source / "j.hpgjournal")
    path = view / "j.hpgjournal"
    line = error_line(run("import", str(lab_csv(tmp_path / "a.csv", 10)), "--journal", str(path)))
    assert line == (f"hpgjournal: error: cannot write in {view} (Read-only file system), so the "
                    "journal there cannot be changed: copy it to a folder you can write to, or "
                    "open it read-only with a command such as hpgjournal check or export")
    line = error_line(run("profile", "--name", "A", "--journal", str(path)))
    assert "Read-only file system" in line
    proc = run("export", "labs", "--journal", str(path))  # reading still works
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 151
    assert results_in(source / "j.hpgjournal") == 150


def test_a_read_only_journal_file_in_a_writable_folder(demo_path, tmp_path):
    """As a user (not root, who may write anything), a journal whose file is read-only."""
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files; the read-only disk test covers root")
    demo_path.chmod(0o400)
    line = error_line(run("import", str(lab_csv(tmp_path / "a.csv", 10)), "--journal",
                          str(demo_path)))
    assert "cannot be written (the file or its disk is read-only), so nothing was changed" in line


# ------------------------------------------------------------------ private files
@pytest.mark.parametrize("command, name", [
    (["export", "labs"], "labs.csv"),
    (["chart", "testosterone_total"], "t.png"),
    (["report"], "report.pdf"),
    (["backup"], "copy.hpgjournal"),
])
def test_files_written_for_the_user_are_private_under_umask_022(demo_path, tmp_path, command,
                                                                  name):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    proc = run(*command, "--journal", str(demo_path), "-o", str(out), umask=0o022, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert mode(out) == 0o600


def test_data_folder_and_logs_are_private_under_umask_022(tmp_path, monkeypatch):
    data = tmp_path / "fresh" / "data"
    monkeypatch.setenv("HPGJOURNAL_DATA_DIR", str(data))
    proc = run("demo", "--no-gui", umask=0o022)
    assert proc.returncode == 0, proc.stderr
    assert mode(data) == 0o700
    assert mode(data / "demo.hpgjournal") == 0o600
    assert mode(data / "logs") == 0o700


def test_a_read_only_command_leaves_private_wal_and_shm(demo_path):
    demo_path.chmod(0o644)  # a journal copied in by hand
    for extra in ("-wal", "-shm"):
        demo_path.with_name(demo_path.name + extra).unlink(missing_ok=True)
    assert run("check", "--journal", str(demo_path), umask=0o022).returncode == 0
    assert mode(demo_path) == 0o600
    for extra in ("-wal", "-shm"):
        side = demo_path.with_name(demo_path.name + extra)
        if side.exists():
            assert mode(side) == 0o600, extra


def test_output_never_goes_through_a_planted_symlink(demo_path, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "labs.csv"
    (tmp_path / "labs.csv.partial").symlink_to(victim)
    proc = run("export", "labs", "--journal", str(demo_path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text() == "keep me"
    assert out.read_text().startswith("taken_at,")
    # a link planted at the output name itself is replaced, not written through
    out.unlink()
    out.symlink_to(victim)
    assert run("export", "labs", "--journal", str(demo_path), "-o", str(out)).returncode == 0
    assert victim.read_text() == "keep me" and not out.is_symlink()


def test_the_settings_file_with_recent_journals_becomes_private(demo_path, tmp_path,
                                                                monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    settings = config / "hpgjournal" / "hpgjournal.conf"
    settings.parent.mkdir(parents=True)
    settings.write_text(f"[General]\nrecent={demo_path}\n")
    settings.chmod(0o644)
    proc = run("--journal", str(demo_path), "--exit-after-startup", umask=0o022)
    assert proc.returncode == 0, proc.stderr
    assert mode(settings) == 0o600
