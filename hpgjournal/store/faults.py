"""What a failed read or write means for the user, in one line that says what to do.

SQLite and the operating system report faults as codes (``SQLITE_FULL``, ``ENOSPC``,
``SQLITE_CORRUPT``, ``EROFS``...). :func:`explain` turns the ones a user can act on into a
:class:`~hpgjournal.domain.errors.UserError`; anything else stays a bug and is reported as one.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING

from hpgjournal.domain.errors import JournalDamaged, StorageError, UserError
from hpgjournal.store.cipher import database_errors, sql_errors

if TYPE_CHECKING:
    import sqlite3

    from hpgjournal.store.cipher import Passphrase

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS}
_DENIED = {errno.EACCES, errno.EPERM}


def sqlite_code(exc: BaseException) -> str:
    """``SQLITE_FULL``, ``SQLITE_CORRUPT``... for an sqlite3 error, else ``""``."""
    return str(getattr(exc, "sqlite_errorname", "") or "")


def is_damage(exc: BaseException) -> bool:
    code = sqlite_code(exc)
    if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    # errors raised before the code attribute existed, or re-raised by sqlite3 itself
    text = str(exc)
    return isinstance(exc, database_errors()) and (
        "malformed" in text or "file is not a database" in text)


def damaged(path: Path, reason: str, *, empty: bool = False,
            passphrase: Passphrase | None = None) -> JournalDamaged:
    """The error for a damaged journal, naming its newest good backup and how to restore it
    (the backups of an encrypted journal are tried with its ``passphrase``)."""
    from hpgjournal.store.backup import newest_good_backup

    good = newest_good_backup(path, passphrase=passphrase)
    if good is not None:
        advice = (f"the newest good backup is {good.path} ({good.summary}): restore it with "
                  f"'hpgjournal restore {good.path} --journal {path}' or File > Restore backup... "
                  "(the damaged file is kept beside it)")
    else:
        from hpgjournal.paths import backup_dir

        elsewhere = f"a copy kept elsewhere can be restored with 'hpgjournal restore COPY " \
                    f"--journal {path}'"
        if empty:
            advice = (f"there is no backup of it in {backup_dir(path)}; {elsewhere}, or delete "
                      "the empty file to start a new journal there")
        else:
            advice = (f"there is no good backup of it in {backup_dir(path)}; {elsewhere}, and "
                      f"'hpgjournal check --journal {path}' lists what is damaged")
    return JournalDamaged(path, good.path if good else None,
                          f"{path} is damaged ({reason}): {advice}", reason=reason,
                          summary=good.summary if good else "")


def explain(exc: BaseException, journal: Path | None = None, *,
            passphrase: Passphrase | None = None) -> UserError | None:
    """A one-line error for a fault a user can act on, or None for a bug."""
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, sql_errors()):
        return _explain_sqlite(exc, journal, passphrase)
    if isinstance(exc, OSError):
        return _explain_os(exc)
    if isinstance(exc, MemoryError):
        return StorageError("the computer ran out of memory: close other programs and try again")
    return None


def _explain_sqlite(exc: BaseException, journal: Path | None,
                    passphrase: Passphrase | None) -> UserError | None:
    code = sqlite_code(exc)
    name = str(journal) if journal else "the journal"
    if is_damage(exc):
        return damaged(journal, str(exc), passphrase=passphrase) if journal else StorageError(
            f"a journal file is damaged ({exc}): 'hpgjournal check' lists what is damaged")
    if code == "SQLITE_FULL" or "database or disk is full" in str(exc):
        return StorageError(f"the disk holding {name} is full, so nothing was changed: free "
                            "some space, then try again")
    if code.startswith("SQLITE_READONLY") or "readonly database" in str(exc) or (
            code.startswith("SQLITE_IOERR") and journal is not None and _read_only_disk(journal)):
        return StorageError(f"{name} cannot be written (the file or its disk is read-only), so "
                            "nothing was changed: make it writable, or copy it to a folder you "
                            "can write to")
    if code.startswith("SQLITE_IOERR"):
        return StorageError(f"the disk failed while reading or writing {name} ({code}), so nothing "
                            "was changed: check that the disk is connected and not full, then "
                            "try again")
    if code.startswith("SQLITE_CANTOPEN"):
        return StorageError(f"cannot open {name}: check that its folder exists and that you may "
                            "write in it")
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StorageError(f"{name} is busy in another program: try again in a moment")
    return None


def cannot_write(target: Path, exc: OSError) -> UserError:
    """``cannot write OUT: why; what to do`` for a file the user asked for."""
    reasons = {
        **{n: "the disk is full; free some space, then try again" for n in _FULL},
        errno.EROFS: "the disk is read-only; choose a folder on another disk",
        errno.EACCES: "permission denied; choose a folder you may write in",
        errno.EPERM: "permission denied; choose a folder you may write in",
        errno.ENOENT: f"the folder {target.parent} does not exist; create it or choose another",
        errno.ENOTDIR: f"{target.parent} is not a folder; choose another place",
        errno.EISDIR: "that is a folder; give a file name",
        errno.EFBIG: "the file would exceed this system's file-size limit",
        errno.EIO: "the disk failed; check that it is connected, then try again",
    }
    why = reasons.get(exc.errno or -1) or (exc.strerror or str(exc))
    return StorageError(f"cannot write {target}: {why}")


def _read_only_disk(path: Path) -> bool:
    """Whether the file system holding ``path`` is read-only (e.g. turned so after disk errors).

    ``statvfs`` says so for a read-only mount; ext4 turned read-only by its own errors shows
    it only among the mount's options (``emergency_ro`` on recent Linux).
    """
    import os

    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):
        return False
    try:
        real = os.path.realpath(path)
        best, options = "", ""
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as mounts:
            for line in mounts:
                fields = line.split()
                if len(fields) < 4:
                    continue
                point = fields[1].replace("\\040", " ")
                inside = real == point or real.startswith(point.rstrip("/") + "/")
                if inside and len(point) >= len(best):
                    best, options = point, fields[3]
    except OSError:
        return False
    return bool({"ro", "emergency_ro"} & set(options.split(",")))


def _explain_os(exc: OSError) -> UserError | None:
    where = f" {exc.filename}" if exc.filename else ""
    if exc.errno in _FULL:
        return StorageError(f"the disk is full: could not write{where}; free some space, then "
                            "try again")
    if exc.errno in _READ_ONLY:
        return StorageError(f"the disk is read-only: could not write{where}; choose a folder on "
                            "another disk")
    if exc.errno in _DENIED:
        return StorageError(f"permission denied for{where or ' a file'}: choose a file or folder "
                            "you may write")
    if exc.errno == errno.EFBIG:
        return StorageError(f"the file{where} would grow beyond this system's file-size limit: "
                            "choose another disk or raise the limit")
    if exc.errno == errno.EIO:
        return StorageError(f"the disk failed while reading or writing{where}: check that it is "
                            "connected, then try again")
    return None


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = True) -> list[str]:
    """SQLite's own check of every page (quick: without index contents); [] when sound."""
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}")]
    except database_errors() as exc:
        return [str(exc)]
    if rows == ["ok"]:
        return []
    lines = [line.strip() for row in rows for line in str(row).splitlines()]
    return [line for line in lines if line and not line.startswith("***")]
