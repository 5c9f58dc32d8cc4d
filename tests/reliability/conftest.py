"""Faults users meet, made real: small full disks, read-only mounts, damaged and linked files.

A full disk is a tmpfs of a few hundred kilobytes; a read-only journal sits on a read-only bind
mount (root can write any file whose mode says read-only, not a read-only mount). Both need
``mount``; where it is not allowed the tests that need it say so and skip.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def run(*args: str, timeout: float = 120, umask: int | None = None,
        **popen: object) -> subprocess.CompletedProcess[str]:
    """``python -m hpgjournal ARGS`` as a real process (with the given umask, if any)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def before() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run([sys.executable, "-m", "hpgjournal", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, check=False,
                          preexec_fn=before, **popen)  # type: ignore[call-overload]


def error_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The one line a failing command printed; it must not be a traceback or a bug report."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("hpgjournal: error:")]
    assert len(lines) == 1, proc.stderr
    assert "internal error" not in proc.stderr and "please report" not in proc.stderr
    return lines[0]


def lab_csv(path: Path, rows: int, seed: int = 1, year: int = 2001) -> Path:
    """A plain long-layout lab table of ``rows`` testosterone results, one an hour from ``year``."""
    from datetime import datetime, timedelta

    rng = random.Random(seed)
    start = datetime(year, 1, 1)
    with open(path, "w", encoding="utf-8") as out:
        out.write("Collection Date,Test Name,Result,Units\n")
        for i in range(rows):
            stamp = (start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M")
            out.write(f"{stamp},Testosterone,{rng.uniform(100, 900):.1f},ng/dL\n")
    return path


def results_in(journal: Path) -> int:
    conn = sqlite3.connect(f"{journal.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM lab_results").fetchone()[0])
    finally:
        conn.close()


def assert_sound(journal: Path) -> None:
    """``hpgjournal check`` passes on the journal (a real process)."""
    proc = run("check", "--journal", str(journal))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ": ok (" in proc.stdout


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


def _can_mount() -> str | None:
    if os.name != "posix" or shutil.which("mount") is None:
        return "no mount command on this system"
    if os.geteuid() != 0:
        return "mounting a small tmpfs or a read-only bind mount needs root"
    return None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs: a disk that a test can fill."""
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    disk = tmp_path / "disk"
    disk.mkdir()
    proc = _mount("-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(disk))
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk until at most ``leave`` bytes are free; returns the filler file."""
    filler = disk / "filler"
    with open(filler, "ab") as out:
        block = b"\0" * 65536
        while True:
            free = shutil.disk_usage(disk).free
            if free <= leave:
                break
            try:
                out.write(block[: max(1, min(len(block), free - leave))])
                out.flush()
            except OSError:
                break
    return filler


@pytest.fixture
def read_only_view(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A folder and a read-only view of it (a bind mount remounted read-only)."""
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    source, view = tmp_path / "rw", tmp_path / "ro"
    source.mkdir()
    view.mkdir()
    proc = _mount("--bind", str(source), str(view))
    if proc.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {proc.stderr.strip()}")
    try:
        proc = _mount("-o", "remount,bind,ro", str(view))
        if proc.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {proc.stderr.strip()}")
        yield source, view
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)
