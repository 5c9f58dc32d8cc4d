"""Writing files a user keeps: private, atomic, never through a planted link, checked.

Everything the app writes for the user (exports, report PDFs, chart images, backups) is
written to a temporary sibling created with ``O_EXCL`` and mode 0600, flushed to the disk,
optionally checked (a PDF must be complete), and only then renamed to its final name. A
rename replaces a symbolic link at the final name instead of writing through it. A killed
write leaves a ``.partial`` sibling whose name carries the writer's process id; the next
write in that folder removes the ones whose writer is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

_PARTIAL = re.compile(r"\.(\d+)\.[a-z0-9_]{6,}\.partial(-journal|-wal|-shm)?$")
_STALE_AGE = 24 * 3600  # where a process cannot be asked about, a day-old partial is stale


def temporary_sibling(target: Path) -> Path:
    """A new, empty, private file beside ``target`` (created, never followed if it exists)."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".partial",
                                dir=target.parent)
    os.close(fd)
    return Path(name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # no safe probe without extra modules
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_partials(folder: Path) -> int:
    """Delete the ``.partial`` files that killed writers left in ``folder``; how many went."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        match = _PARTIAL.search(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        try:
            stale = not _alive(int(match.group(1))) or now - entry.stat().st_mtime > _STALE_AGE
            if stale:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(target: Path, mode: str = "wb", *, encoding: str | None = None,
                 newline: str | None = None,
                 verify: Callable[[Path], str | None] | None = None) -> Iterator[IO[Any]]:
    """Open a private temporary file; on success it becomes ``target``, else it is removed.

    ``verify`` reads the finished temporary file and returns a problem (the file is then
    discarded and OSError raised) or None.
    """
    target = Path(target)
    remove_stale_partials(target.parent)
    partial = temporary_sibling(target)
    try:
        with open(partial, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        finish(partial, target, verify)
    finally:
        if partial.exists():
            partial.unlink()


def finish(partial: Path, target: Path,
           verify: Callable[[Path], str | None] | None = None) -> None:
    """Give a completely written temporary file its final name (after ``verify``)."""
    if verify is not None:
        problem = verify(partial)
        if problem:
            import errno
            import shutil

            if shutil.disk_usage(partial.parent).free < 1024 * 1024:  # the usual cause
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
            raise OSError(errno.EIO, f"{target.name} was not written completely ({problem})",
                          str(target))
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    fsync_folder(target.parent)


def pdf_problem(path: Path) -> str | None:
    """Why a file is not a complete PDF (header, end marker, cross-reference offset)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
            handle.seek(max(0, size - 1024))
            tail = handle.read()
            if not head.startswith(b"%PDF-"):
                return "no PDF header"
            if b"%%EOF" not in tail:
                return "the end of the file is missing"
            found = re.search(rb"startxref\s+(\d+)\s+%%EOF", tail)
            if not found:
                return "no cross-reference offset"
            offset = int(found.group(1))
            if offset >= size:
                return "the cross-reference table is missing"
            handle.seek(offset)
            chunk = handle.read(24)
            if not chunk.startswith(b"xref") and b" obj" not in chunk:
                return "the cross-reference table is damaged"
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def png_problem(path: Path) -> str | None:
    """Why a file is not a complete PNG (signature and the closing IEND chunk)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(8) != b"\x89PNG\r\n\x1a\n":
                return "no PNG signature"
            handle.seek(-12, os.SEEK_END)
            if handle.read(12)[4:8] != b"IEND":
                return "the end of the image is missing"
    except OSError as exc:
        return exc.strerror or str(exc)
    return None
