"""Backups with SQLite's online backup API: consistent even while the journal is open."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hpgjournal.domain.errors import JournalError
from hpgjournal.paths import JOURNAL_SUFFIX, backup_dir

if TYPE_CHECKING:
    from hpgjournal.store.journal import Journal

KEEP = 10  # automatic backups kept per journal; the oldest go first
_STAMP = "%Y%m%d-%H%M%S-%f"  # fixed width, so names sort by time


def _copy(source: sqlite3.Connection, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".partial")
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    dest = sqlite3.connect(partial)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
    finally:
        dest.close()
    os.replace(partial, target)


def backup(journal: Journal, out: Path | None = None, *, reason: str = "") -> Path:
    """Copy the journal to ``out`` or to a new rotating file in the backups folder."""
    if out is None:
        folder = backup_dir(journal.path)
        label = f"-{reason}" if reason else ""
        moment = datetime.now()
        out = folder / f"{journal.path.stem}-{moment.strftime(_STAMP)}{label}{JOURNAL_SUFFIX}"
        while out.exists():  # two backups within one microsecond: take the next one
            moment += timedelta(microseconds=1)
            out = folder / f"{journal.path.stem}-{moment.strftime(_STAMP)}{label}{JOURNAL_SUFFIX}"
        _copy(journal.conn, out)
        rotate(journal.path)
        return out
    out = Path(out).expanduser()
    if out.resolve() == journal.path.resolve():
        raise JournalError("the backup cannot overwrite the journal itself: choose another file")
    if out.is_dir():
        out = out / f"{journal.path.stem}-{datetime.now().strftime(_STAMP)}{JOURNAL_SUFFIX}"
    _copy(journal.conn, out)
    return out


def backups_of(journal_path: Path) -> list[Path]:
    """The rotating backups of a journal, newest first."""
    folder = backup_dir(journal_path)
    pattern = re.compile(re.escape(journal_path.stem) + r"-\d{8}-\d{6}-\d{6}")
    found = [p for p in folder.glob(f"*{JOURNAL_SUFFIX}") if pattern.match(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def rotate(journal_path: Path, keep: int = KEEP) -> None:
    for old in backups_of(journal_path)[keep:]:
        old.unlink(missing_ok=True)


def backup_if_due(journal: Journal, every: timedelta = timedelta(days=1)) -> Path | None:
    """Make an automatic backup when the newest one is older than ``every``."""
    existing = backups_of(journal.path)
    if existing:
        age = datetime.now() - datetime.fromtimestamp(existing[0].stat().st_mtime)
        if age < every:
            return None
    if journal.is_empty():
        return None
    return backup(journal)


def restore(backup_path: Path, journal_path: Path) -> None:
    """Replace a (closed) journal by a backup; the current file is itself backed up first."""
    from hpgjournal.store.journal import Journal

    with Journal.open(backup_path, readonly=True) as source:  # refuses files that are not journals
        if journal_path.exists():
            with Journal.open(journal_path, create=False) as current:
                backup(current, reason="before-restore")
                source.conn.backup(current.conn)
        else:
            _copy(source.conn, journal_path)
