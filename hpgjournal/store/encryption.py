"""Converting a journal between plain and encrypted, and changing its passphrase (issue 16).

Each conversion takes the journal's lock (so neither the window nor a command has it open),
then:

1. checkpoints and closes the journal, so that the whole journal is in its main file and no
   ``-wal`` or ``-shm`` is left beside it;
2. writes the converted journal into a private temporary sibling (``store/files.py``):
   ``sqlcipher_export`` into a database attached with the new key (encrypting, decrypting), or
   a copy of the encrypted file re-encrypted in place by ``PRAGMA rekey`` (a new passphrase);
3. opens that copy with the new key and runs :func:`~hpgjournal.store.check.check` on it: it
   must find exactly what it finds in the original, with the same record counts;
4. flushes the copy to the disk and renames it over the original (then flushes the folder),
   and overwrites the replaced file's blocks with zeros through a descriptor kept open on it,
   so that the plain bytes are not left in the folder's free space as far as the file system
   lets a program reach them (an SSD or a copy-on-write file system may keep older blocks).

A kill at any moment therefore leaves the old journal or the new one, each complete; a killed
conversion's ``.partial`` files are removed by the next one.

The rotating backups beside the journal follow it: encrypting converts the plain ones with the
same passphrase, a new passphrase re-keys those that opened with the old one. Removing the
encryption leaves the backups encrypted (they restore with the passphrase they were made with).
Encrypting a journal that is already encrypted with that passphrase only finishes its backups
(what a killed run left plain).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hpgjournal.domain.errors import JournalError
from hpgjournal.store import schema
from hpgjournal.store.cipher import (
    Passphrase,
    as_passphrase,
    cipher_connect,
    looks_encrypted,
    rekey,
)
from hpgjournal.store.files import finish, remove_stale_partials, temporary_sibling

log = logging.getLogger("hpgjournal.store")

__all__ = ["Converted", "change_passphrase", "decrypt_journal", "encrypt_journal",
           "is_encrypted"]


@dataclass(frozen=True)
class Converted:
    """What an encryption change did to the journal and its backups."""
    path: Path
    changed: bool  # False: the journal was already as asked (only backups were converted)
    backups: list[Path] = field(default_factory=list)  # the backups converted with it
    left: list[Path] = field(default_factory=list)  # backups that could not be converted


def is_encrypted(path: Path | str) -> bool:
    """Whether the file looks like an encrypted journal (no SQLite header; see store/cipher)."""
    return looks_encrypted(Path(path).expanduser())


def _required(passphrase: str | Passphrase | None) -> Passphrase:
    key = as_passphrase(passphrase)
    if key is None:
        raise TypeError("a passphrase is needed")
    return key


def encrypt_journal(path: Path | str, passphrase: str | Passphrase) -> Converted:
    """Encrypt a plain journal in place with ``passphrase`` (see the module for how)."""
    from hpgjournal.store.journal import Journal

    key = _required(passphrase)
    path = _existing(path)
    with _locked(path) as lock:
        if looks_encrypted(path):
            Journal.open(path, create=False, locked=lock, passphrase=key).close()  # the key
            done, left = _follow_backups(path, None, key)
            return Converted(path, False, done, left)
        with Journal.open(path, create=False, locked=lock) as plain:
            expected = _fingerprint(plain)
            _settle(plain)
        _replace(path, lambda partial: _export(path, None, partial, key), key, expected)
        log.info("encrypted %s", path.name)
        done, left = _follow_backups(path, None, key)
    return Converted(path, True, done, left)


def decrypt_journal(path: Path | str, passphrase: str | Passphrase) -> Converted:
    """Remove the encryption of a journal (its passphrase needed); backups stay encrypted."""
    from hpgjournal.store.journal import Journal

    key = _required(passphrase)
    path = _existing(path)
    with _locked(path) as lock:
        with Journal.open(path, create=False, locked=lock, passphrase=key) as journal:
            if not journal.encrypted:
                return Converted(path, False)
            expected = _fingerprint(journal)
            _settle(journal)
        _replace(path, lambda partial: _export(path, key, partial, None), None, expected)
        log.info("removed the encryption of %s", path.name)
    return Converted(path, True)


def change_passphrase(path: Path | str, old: str | Passphrase,
                      new: str | Passphrase) -> Converted:
    """Re-encrypt an encrypted journal (``PRAGMA rekey`` on a copy) and its backups that
    opened with ``old``, with ``new``."""
    from hpgjournal.store.journal import Journal

    old_key, new_key = _required(old), _required(new)
    path = _existing(path)
    with _locked(path) as lock:
        with Journal.open(path, create=False, locked=lock, passphrase=old_key) as journal:
            if not journal.encrypted:
                raise JournalError(f"{path} is not encrypted: encrypt it with 'hpgjournal "
                                   "encrypt' instead")
            expected = _fingerprint(journal)
            _settle(journal)
        _replace(path, lambda partial: _rekeyed(path, old_key, partial, new_key), new_key,
                 expected)
        log.info("changed the passphrase of %s", path.name)
        done, left = _follow_backups(path, old_key, new_key)
    return Converted(path, True, done, left)


# ---------------------------------------------------------------------------- the steps
def _existing(path: Path | str) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        raise JournalError(f"there is no journal at {path}: check the path")
    return path


class _locked:
    """The journal's lock, held for the whole conversion."""

    def __init__(self, path: Path) -> None:
        from hpgjournal.store.lock import JournalLock

        self.lock = JournalLock(path)

    def __enter__(self) -> Any:
        self.lock.acquire()
        try:
            self.lock.acquire_identity()
        except BaseException:
            self.lock.release()
            raise
        return self.lock

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def _fingerprint(journal: Any) -> tuple[dict[str, int], list[str], int]:
    """What the copy must show too: the record counts, what ``check`` finds, the version."""
    from hpgjournal.store.check import check

    problems = [str(p) for p in check(journal)]
    return journal.counts(), problems, journal.version


def _settle(journal: Any) -> None:
    """Move the whole journal into its main file (nothing left in the -wal)."""
    journal._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _export(source: Path, source_key: Passphrase | None, target: Path,
            target_key: Passphrase | None) -> None:
    """``sqlcipher_export`` of ``source`` into ``target`` attached with ``target_key`` (no key:
    plain), with the journal's version and application id."""
    conn = cipher_connect(source, source_key)
    try:
        secret = target_key.reveal() if target_key is not None else ""
        conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), secret))
        del secret
        version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
        conn.execute("SELECT sqlcipher_export('converted')")
        conn.execute(f"PRAGMA converted.user_version = {version:d}")
        conn.execute(f"PRAGMA converted.application_id = {schema.APPLICATION_ID:d}")
        conn.commit()
        conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()


def _rekeyed(source: Path, old: Passphrase, target: Path, new: Passphrase) -> None:
    """A byte copy of the (encrypted, settled) ``source`` in ``target``, re-keyed to ``new``."""
    with open(source, "rb") as inp, open(target, "wb") as out:
        while chunk := inp.read(1 << 20):
            out.write(chunk)
    conn = cipher_connect(target, old)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # no -wal beside the copy
        rekey(conn, new)
    finally:
        conn.close()


def _leftovers(partial: Path) -> list[Path]:
    return [partial, *(partial.with_name(partial.name + s) for s in ("-journal", "-wal", "-shm"))]


def _replace(path: Path, write: Callable[[Path], None], key: Passphrase | None,
             expected: tuple[dict[str, int], list[str], int]) -> None:
    """Write the converted journal beside ``path``, check it, then put it in its place."""
    from hpgjournal.store.journal import Journal

    remove_stale_partials(path.parent)
    for suffix in ("-wal", "-shm"):  # a reader still open would keep them: refuse then
        beside = path.with_name(path.name + suffix)
        if beside.exists() and beside.stat().st_size and suffix == "-wal":
            raise JournalError(f"{path} is still being read by another program ({beside.name} "
                               "is not empty): close it, then try again")
    partial = temporary_sibling(path)
    try:
        write(partial)
        if (key is not None) != looks_encrypted(partial):
            raise JournalError(f"the converted copy of {path} is not what was asked; "
                               "nothing was changed")
        with Journal.open(partial, readonly=True, passphrase=key) as copy:
            found = _fingerprint(copy)
        if found != expected:
            raise JournalError(f"the converted copy of {path} does not match it ({found[0]} "
                               f"against {expected[0]}); nothing was changed")
        old = os.open(path, os.O_RDWR)
        try:
            finish(partial, path)
            for suffix in ("-wal", "-shm"):  # empty ones of a reader of the old file
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            _blank(old)
        finally:
            os.close(old)
    finally:
        for leftover in _leftovers(partial):
            leftover.unlink(missing_ok=True)


def _blank(fd: int) -> None:
    """Overwrite the replaced file (no longer in any folder) with zeros, and flush them."""
    info = os.fstat(fd)
    if info.st_nlink:  # another name still holds it (a hard link): it is not ours to blank
        log.warning("the replaced journal file has another name; its bytes were kept")
        return
    block = b"\0" * (1 << 20)
    os.lseek(fd, 0, os.SEEK_SET)
    left = info.st_size
    while left > 0:
        left -= os.write(fd, block[: min(left, len(block))])
    os.fsync(fd)


def _follow_backups(path: Path, old: Passphrase | None,
                    new: Passphrase) -> tuple[list[Path], list[Path]]:
    """Encrypt the plain backups (``old`` None), or re-key those that open with ``old``."""
    from hpgjournal.store.backup import backups_of
    from hpgjournal.store.journal import Journal

    done: list[Path] = []
    left: list[Path] = []
    for backup in backups_of(path):
        encrypted = looks_encrypted(backup)
        if encrypted != (old is not None):
            continue  # already encrypted (old None), or plain when re-keying
        try:
            with Journal.open(backup, readonly=True, passphrase=old) as copy:
                expected = _fingerprint(copy)
            _replace(backup, _backup_writer(backup, old, new), new, expected)
            done.append(backup)
        except JournalError as exc:  # damaged, or made with another passphrase
            log.warning("backup %s kept as it was: %s", backup.name, type(exc).__name__)
            left.append(backup)
    return done, left


def _backup_writer(backup: Path, old: Passphrase | None,
                   new: Passphrase) -> Callable[[Path], None]:
    """How a backup's converted copy is written: exported (it was plain) or re-keyed."""
    def write(partial: Path) -> None:
        if old is None:
            _export(backup, None, partial, new)
        else:
            _rekeyed(backup, old, partial, new)
    return write
