"""``hpgjournal encrypt`` killed (SIGKILL) at many moments leaves the plain journal or the
encrypted one, complete, and no plain copy of it beside (issue 16)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hpgjournal.domain.records import Note
from hpgjournal.store.encryption import is_encrypted
from hpgjournal.store.journal import Journal
from tests.reliability.conftest import lab_csv, run

ROWS = 20_000
SECRET = "killed half way 'twice'"
NOTE = "okapi-lantern-8830 only in this journal"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")]


def encrypt_process(journal: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HPGJOURNAL_NEW_PASSPHRASE": SECRET}
    return subprocess.Popen([sys.executable, "-m", "hpgjournal", "encrypt", "--journal",
                             str(journal)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def state_of(journal: Path) -> str:
    """``plain`` or ``encrypted``, after checking that the journal is complete and sound."""
    key = SECRET if is_encrypted(journal) else None
    with Journal.open(journal, readonly=True, passphrase=key) as opened:
        assert opened.count_of("lab_results") == ROWS
        assert [n.text for n in opened.all(Note)] == [NOTE]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if key:
        env["HPGJOURNAL_PASSPHRASE"] = SECRET
    proc = subprocess.run([sys.executable, "-m", "hpgjournal", "check", "--journal",
                           str(journal)], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and ": ok (" in proc.stdout, proc.stdout + proc.stderr
    return "encrypted" if key else "plain"


def no_plain_copy_beside(journal: Path, state: str) -> None:
    """Only a plain journal itself (and its own -wal) may hold the note in plain bytes."""
    allowed = {journal.name, f"{journal.name}-wal"} if state == "plain" else set()
    for file in journal.parent.iterdir():
        if file.is_file() and file.name not in allowed:
            assert NOTE.encode() not in file.read_bytes(), file.name


def fresh(template: Path, journal: Path) -> None:
    """The plain journal and its plain backup, as before any encryption."""
    shutil.rmtree(journal.parent)
    journal.parent.mkdir()
    shutil.copy(template, journal)
    shutil.copytree(template.parent / "backups", journal.parent / "backups")


def test_sigkill_during_encryption_leaves_one_complete_journal(tmp_path):
    template = tmp_path / "template" / "big.hpgjournal"
    template.parent.mkdir()
    assert run("import", str(lab_csv(tmp_path / "a.csv", ROWS)), "--journal",
               str(template)).returncode == 0
    with Journal.open(template) as journal:
        journal.add(Note(None, "2025-02-03", text=NOTE))
    assert run("backup", "--journal", str(template)).returncode == 0  # work after the swap
    folder = tmp_path / "killed"
    folder.mkdir()
    journal = folder / "big.hpgjournal"

    fresh(template, journal)
    started = time.perf_counter()
    assert encrypt_process(journal).wait(timeout=120) == 0
    duration = time.perf_counter() - started
    assert state_of(journal) == "encrypted"

    seed = int(os.environ.get("HPGJOURNAL_KILL_SEED", "20261202"))
    rng = random.Random(seed)
    moments: list[tuple[str, float]] = [("at", duration * rng.uniform(0.1 + 0.11 * n,
                                                                     0.2 + 0.11 * n))
                                        for n in range(8)]
    moments += [("after the copy began", rng.uniform(0, 0.05)) for _ in range(3)]
    moments += [("after the journal was replaced", 0.0) for _ in range(2)]
    outcomes = []
    for how, delay in moments:
        fresh(template, journal)
        process = encrypt_process(journal)
        copying = False
        if how == "at":
            time.sleep(delay)
        elif how == "after the journal was replaced":  # while the backup is converted
            while process.poll() is None and not is_encrypted(journal):
                time.sleep(0.001)
        else:  # wait for the encrypted copy to be written, then kill during it
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if any("partial" in p.name for p in folder.iterdir()):
                    copying = True
                    break
                time.sleep(0.002)
            time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        killed = process.returncode == -signal.SIGKILL
        state = state_of(journal)
        no_plain_copy_beside(journal, state)
        outcomes.append((how, killed, copying, state))
        # the next run finishes the work: one encrypted journal, nothing else beside it
        proc = subprocess.run(
            [sys.executable, "-m", "hpgjournal", "encrypt", "--journal", str(journal)],
            env={**os.environ, "HPGJOURNAL_NEW_PASSPHRASE": SECRET,
                 "HPGJOURNAL_PASSPHRASE": SECRET},
            capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
        assert state_of(journal) == "encrypted"
        beside = {p.name for p in folder.iterdir()}
        assert {"big.hpgjournal", "big.hpgjournal.lock", "backups"} <= beside <= {
            "big.hpgjournal", "big.hpgjournal.lock", "backups",
            "big.hpgjournal-wal", "big.hpgjournal-shm"}  # the encrypted journal's own, if read
        no_plain_copy_beside(journal, "encrypted")
        backups = list((folder / "backups").iterdir())
        assert len(backups) == 1 and is_encrypted(backups[0])  # finished by the second run
        assert NOTE.encode() not in backups[0].read_bytes()
    killed_states = {state for _, killed, _, state in outcomes if killed}
    assert any(killed and copying for _, killed, copying, _ in outcomes), outcomes
    assert "plain" in killed_states, (seed, outcomes)  # killed before the replacement
    assert "encrypted" in killed_states, (seed, outcomes)  # killed after it, backup still plain
