"""Advisory locks that tell a second writer the journal is open, whatever name it uses.

Two locks are taken, both released by the operating system when the process ends (even after a
crash, so a stale lock file never blocks anyone):

- one beside the journal's *real* path (symbolic links resolved), which also works between
  users and between programs that keep their data in different folders;
- one keyed on the file itself (device and inode) in the user's lock folder, so that a hard
  link, a second mount or a bind mount of the same file reaches the same lock.

Each lock file holds who holds it ("the window", "the command import"), for the message.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from hpgjournal.domain.errors import JournalError, JournalLocked

_holder = "hpgjournal"  # what this process is, for the message a second opener reads


def set_holder(label: str) -> None:
    """Name this process in its locks: ``"the window"``, ``"the command import"``..."""
    global _holder
    _holder = label


def lock_path(journal: Path) -> Path:
    real = journal.resolve()
    return real.with_name(real.name + ".lock")


def identity_lock_path(journal: Path) -> Path:
    """The lock of the file itself, the same for every name (hard link, symlink) it has."""
    from hpgjournal.paths import data_dir

    info = os.stat(journal)
    return data_dir() / "locks" / f"{info.st_dev}-{info.st_ino}.lock"


class JournalLock:
    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self.path = lock_path(journal)
        self._fds: list[int] = []

    def acquire(self) -> None:
        """Take the lock beside the journal; :meth:`acquire_identity` once the file exists."""
        self._take(self.path, beside=True)

    def acquire_identity(self) -> None:
        try:
            target = identity_lock_path(self.journal)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:  # no lock folder: the lock beside the journal still holds
            import logging

            logging.getLogger("hpgjournal.store").warning(
                "cannot keep the journal's lock in the data folder: %s", exc)
            return
        try:
            self._take(target, beside=False)
        except BaseException:
            self.release()
            raise

    def _take(self, path: Path, *, beside: bool) -> None:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError as exc:
            if beside and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise JournalError(
                    f"cannot write in {path.parent} ({exc.strerror}), so the journal there cannot "
                    "be changed: copy it to a folder you can write to, or open it read-only "
                    "with a command such as hpgjournal check or export") from None
            raise
        try:
            _lock(fd)
        except OSError:
            holder = _holder_of(fd)
            os.close(fd)
            raise JournalLocked(
                f"the journal {self.journal.name} is open in another hpgjournal"
                f"{f' ({holder})' if holder else ''}: close it there, or wait for the command "
                "to finish, then try again") from None
        os.ftruncate(fd, 0)
        host = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
        os.write(fd, f"{_holder}, pid {os.getpid()} on {host}".encode())
        self._fds.append(fd)

    def release(self) -> None:
        while self._fds:
            fd = self._fds.pop()
            try:
                _unlock(fd)
            finally:
                os.close(fd)
        # The files stay: removing one would let a waiting opener lock an unlinked inode.


def _holder_of(fd: int, tries: int = 10) -> str:
    """Who holds the lock, as it wrote itself into the file. A holder that has just taken the
    lock writes its name a moment later (the file is empty until then): read again for up to
    0.2 s before saying no name."""
    import time

    for _ in range(tries - 1):
        found = _read(fd)
        if found:
            return found
        time.sleep(0.02)
    return _read(fd)


def _read(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 200).decode(errors="replace").strip()
    except OSError:
        return ""


if sys.platform == "win32":  # pragma: no cover - here, tests/test_platform_branches.py runs a copy
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
