"""Backups with SQLite's online backup API: consistent even while the journal is open.

Every backup is written under a temporary name, checked (SQLite's integrity check on the
copy), flushed to the disk and only then given its name, so a backup that exists is a good one.
Rotation keeps the newest :data:`KEEP`, and never deletes older ones while fewer than
:data:`MIN_GOOD` of those kept pass the integrity check.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hpgjournal.domain.errors import (
    JournalDamaged,
    JournalError,
    JournalTooNew,
    PassphraseNeeded,
    UserError,
    WrongPassphrase,
)
from hpgjournal.paths import JOURNAL_SUFFIX, backup_dir
from hpgjournal.store.cipher import Passphrase, as_passphrase, connect, database_errors, sql_errors
from hpgjournal.store.faults import integrity_problems
from hpgjournal.store.files import fsync_folder, remove_stale_partials, temporary_sibling

if TYPE_CHECKING:
    import sqlite3

    from hpgjournal.store.journal import Journal

log = logging.getLogger("hpgjournal.store")

KEEP = 10  # automatic backups kept per journal; the oldest go first
MIN_GOOD = 3  # ...but never fewer than this many that pass the integrity check
_STAMP = "%Y%m%d-%H%M%S-%f"  # fixed width, so names sort by time


@dataclass(frozen=True)
class GoodBackup:
    """A backup that passed the check, with the line that describes it."""
    path: Path
    summary: str  # "made 2026-11-30 21:04, 150 lab results"


class _CopyDamaged(Exception):
    """The copy failed SQLite's check (the journal copied from is damaged)."""


def _copy(source: sqlite3.Connection, target: Path, key: Passphrase | None = None) -> None:
    """Write a checked, self-contained copy of ``source`` to ``target`` (atomically); the copy
    of an encrypted journal is encrypted with the same passphrase ``key`` (a salt of its own)."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    remove_stale_partials(target.parent)
    partial = temporary_sibling(target)
    try:
        dest = connect(partial, key, journal=partial)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            problems = integrity_problems(dest)
        finally:
            dest.close()
        if problems:
            raise _CopyDamaged(f"database disk image is malformed ({problems[0]})")
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        fsync_folder(target.parent)
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            if leftover.exists():
                leftover.unlink()


def _copy_errors() -> tuple[type[Exception], ...]:
    return (_CopyDamaged, *database_errors())


def _summary_errors() -> tuple[type[Exception], ...]:
    return (UserError, OSError, *sql_errors())


def backup(journal: Journal, out: Path | None = None, *, reason: str = "") -> Path:
    """Copy the journal to ``out`` or to a new rotating file in the backups folder.

    A damaged journal is not copied: :class:`JournalDamaged` names the newest good backup.
    """
    if out is None:
        folder = backup_dir(journal.path)
        label = f"-{reason}" if reason else ""
        moment = datetime.now()
        out = folder / f"{journal.path.stem}-{moment.strftime(_STAMP)}{label}{JOURNAL_SUFFIX}"
        while out.exists():  # two backups within one microsecond: take the next one
            moment += timedelta(microseconds=1)
            out = folder / f"{journal.path.stem}-{moment.strftime(_STAMP)}{label}{JOURNAL_SUFFIX}"
        _checked_copy(journal, out)
        rotate(journal.path, passphrase=journal._key)
        return out
    out = Path(out).expanduser()
    if out.exists() and out.resolve() == journal.path.resolve():
        raise JournalError("the backup cannot overwrite the journal itself: choose another file")
    if out.is_dir():
        out = out / f"{journal.path.stem}-{datetime.now().strftime(_STAMP)}{JOURNAL_SUFFIX}"
    _checked_copy(journal, out)
    return out


def _checked_copy(journal: Journal, out: Path) -> None:
    from hpgjournal.store.faults import damaged, is_damage

    try:
        _copy(journal._conn, out, journal._key)
    except _copy_errors() as exc:
        if isinstance(exc, _CopyDamaged) or is_damage(exc):
            raise damaged(journal.path, f"{exc}; no backup was made",
                          passphrase=journal._key) from None
        raise


def backups_of(journal_path: Path) -> list[Path]:
    """The rotating backups of a journal, newest first."""
    folder = backup_dir(journal_path)
    pattern = re.compile(re.escape(journal_path.stem) + r"-\d{8}-\d{6}-\d{6}")
    found = [p for p in folder.glob(f"*{JOURNAL_SUFFIX}") if pattern.match(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def is_good(path: Path, passphrase: Passphrase | None = None) -> bool:
    return _summary(path, passphrase) is not None


def _summary(path: Path, passphrase: Passphrase | None = None) -> str | None:
    """``"made ..., N lab results"`` for a backup that opens (with ``passphrase``, if it is
    encrypted) and passes the check, else None."""
    from hpgjournal.store.journal import Journal

    try:
        with Journal.open(path, readonly=True, passphrase=passphrase) as copy:
            if integrity_problems(copy._conn):
                return None
            results = copy.count_of("lab_results")
    except _summary_errors():
        return None
    made = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return f"made {made}, {results} lab results"


def newest_good_backup(journal_path: Path, *,
                       passphrase: Passphrase | None = None) -> GoodBackup | None:
    for candidate in backups_of(journal_path):
        summary = _summary(candidate, passphrase)
        if summary is not None:
            return GoodBackup(candidate, summary)
    return None


def rotate(journal_path: Path, keep: int = KEEP, min_good: int = MIN_GOOD, *,
           passphrase: Passphrase | None = None) -> None:
    """Delete the oldest backups beyond ``keep``, unless too few of those kept are good (an
    encrypted journal's backups are checked with its ``passphrase``)."""
    existing = backups_of(journal_path)
    if len(existing) <= keep:
        return
    good = 0
    cut = len(existing)
    for n, candidate in enumerate(existing):
        if good >= min_good and n >= keep:
            cut = n
            break
        if is_good(candidate, passphrase):
            good += 1
    for old in existing[cut:]:
        old.unlink(missing_ok=True)
    if cut > keep:
        log.warning("kept %d backups of %s (more than %d) because only %d pass the check",
                    cut, journal_path, keep, good)


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


def _aside(path: Path, label: str) -> Path:
    """Rename a file out of the way (kept, never deleted); the new name says why and when."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
    os.replace(path, target)
    return target


@dataclass(frozen=True)
class Restored:
    """What a restore did: the results it brought back and the files it moved aside."""
    results: int
    before: Path | None  # the backup made of the journal that was there, if it was sound
    kept: list[Path]  # files moved aside: a damaged journal, stale -wal/-shm


def restore(backup_path: Path, journal_path: Path,
            passphrase: str | Passphrase | None = None) -> Restored:
    """Replace a closed journal by a backup.

    An encrypted backup is restored only with its ``passphrase`` (and stays encrypted with it);
    an encrypted journal there is opened with the same one to back it up first.

    The backup must pass the integrity check. A sound current journal is backed up first; a
    damaged or empty one is renamed aside, and so are a ``-wal``/``-shm`` left beside a journal
    that is gone (SQLite would otherwise replay them into the restored file). The restored
    journal is checked before this returns.
    """
    from hpgjournal.store.faults import is_damage
    from hpgjournal.store.journal import Journal
    from hpgjournal.store.lock import JournalLock

    key = as_passphrase(passphrase)
    summary = _summary(backup_path, key)
    if summary is None:
        # says why: a passphrase needed or wrong, or not a journal at all
        with Journal.open(backup_path, readonly=True, passphrase=key):
            pass
        good = newest_good_backup(journal_path, passphrase=key)
        raise JournalDamaged(backup_path, good.path if good else None,
                             f"the backup {backup_path} is itself damaged, so nothing was "
                             "restored" + (f": the newest good backup is {good.path} "
                                           f"({good.summary})" if good else ""))
    journal_path = journal_path.expanduser()
    if journal_path.exists() and journal_path.resolve() == backup_path.resolve():
        raise JournalError("the backup is the journal itself: choose a backup file")
    lock = JournalLock(journal_path)
    lock.acquire()  # no window or command has it open from here on
    try:
        kept: list[Path] = []
        before = None
        if journal_path.exists():
            try:
                with Journal.open(journal_path, create=False, locked=lock,
                                  passphrase=key) as current:
                    before = backup(current, reason="before-restore")
                    current._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (PassphraseNeeded, WrongPassphrase):
                raise  # an encrypted journal is not damaged: restore needs its passphrase
            except JournalError as exc:  # damaged, empty or newer: keep it as it is, beside
                log.info("restore: the journal there is kept aside: %s", exc)
                label = "newer" if isinstance(exc, JournalTooNew) else "damaged"
                kept.append(_aside(journal_path, label))
            except database_errors() as exc:
                if not is_damage(exc):
                    raise
                kept.append(_aside(journal_path, "damaged"))
        for suffix in ("-wal", "-shm"):
            leftover = journal_path.with_name(journal_path.name + suffix)
            if not leftover.exists():
                continue
            if suffix == "-shm" or leftover.stat().st_size == 0:
                leftover.unlink()  # an index SQLite rebuilds, or an empty log: no data in it
            else:
                kept.append(_aside(leftover, "stale"))  # changes of a journal that is gone
        with Journal.open(backup_path, readonly=True, passphrase=key) as source:
            _copy(source._conn, journal_path, source._key)
            expected = source.count_of("lab_results")
        with Journal.open(journal_path, create=False, locked=lock, passphrase=key) as restored:
            problems = integrity_problems(restored._conn, quick=False)
            results = restored.count_of("lab_results")
        if problems or results != expected:
            raise JournalError(f"the restored journal {journal_path} does not match the backup "
                               f"({problems[0] if problems else f'{results} of {expected} results'}"
                               f"): restore again from {backup_path}")
        return Restored(results, before, kept)
    finally:
        lock.release()
