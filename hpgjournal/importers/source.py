"""Reading a file a user brings: size, kind (text or not), encoding and checksum.

Text is decoded by a fixed chain, because guessing encodings from a few hundred bytes is
unreliable: a byte-order mark decides first (UTF-8 as Excel's "CSV UTF-8" writes it, or
UTF-16 as its "Unicode text" does), then strict UTF-8, then Windows-1252 (Excel's "CSV (Comma
delimited)" on Windows), then Latin-1 for the five bytes Windows-1252 leaves undefined. The
user can name the encoding instead.

Only regular files are read (not folders, devices, pipes or sockets), and no more than
``MAX_FILE_BYTES`` of them. Files that are not text are refused with a message naming what
they are: a workbook saved with a ``.csv`` name, a PDF, an image, a database, a zip archive
or random bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hpgjournal.importers.errors import (
    BinaryFileError,
    EmptyFileError,
    FileTooLargeError,
    NotAFileError,
    SpreadsheetFileError,
    UnreadableTextError,
)

__all__ = [
    "MAX_FILE_BYTES",
    "OPEN_FLAGS",
    "SourceFile",
    "decode",
    "leading_space",
    "open_regular",
    "read_bytes",
    "read_head",
    "read_source",
]

# A lab history of a lifetime is a few megabytes; the benchmark's 100,000 results are 7 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# read_source reads text; a workbook's sheets are read by importers.workbook (issue 15)
_SAVE_AS_CSV = "import it as a workbook (hpgjournal import reads its sheets), not as text"
# Control characters that never occur in a text table (tab, newlines and form feed do).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceFile:
    """A file's decoded text and what is known about it."""

    path: Path
    text: str
    encoding: str
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


_SPACE_RE = re.compile(r"\s*")


def leading_space(text: str) -> int:
    """How many white-space characters ``text`` starts with (lstrip() would copy the text)."""
    # (type: ignore below: \s* matches every text)
    return _SPACE_RE.match(text).end()  # type: ignore[union-attr]


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _refuse_non_text(path: Path, head: bytes | bytearray) -> None:
    """Raise a clear error when the first bytes show a known binary kind of file."""
    name = path.name
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if b"word/" in head:
            raise BinaryFileError(path, f"{name} is a Word document, not a CSV file: choose the CSV "
                                        "export of your results")
        if b"xl/" in head or b"[Content_Types].xml" in head:
            raise SpreadsheetFileError(path, f"{name} is an Excel workbook (.xlsx), not a text file: "
                                             f"{_SAVE_AS_CSV}")
        if b"opendocument.spreadsheet" in head:
            raise SpreadsheetFileError(path, f"{name} is an OpenDocument spreadsheet (.ods), not a "
                                             f"CSV file: {_SAVE_AS_CSV}")
        raise BinaryFileError(path, f"{name} is a zip archive, not a CSV file: unzip it and import "
                                    "the CSV inside (a MyChart record is read from the zip "
                                    "with its IHE_XDM folder, a Health export as export.zip)")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise SpreadsheetFileError(path, f"{name} is an Excel 97-2003 workbook (.xls), not a CSV "
                                         f"file: {_SAVE_AS_CSV}")
    kinds = (
        (b"%PDF", "a PDF document", "import it as a lab report (hpgjournal import reads a "
                                    "PDF's text), not as a CSV file"),
        (b"SQLite format 3\x00", "an SQLite database (perhaps a journal)",
         "to open a journal use --journal or File > Open; to import, choose a CSV file"),
        (b"\x89PNG", "a PNG image", "choose the CSV export of your results"),
        (b"\xff\xd8\xff", "a JPEG image", "choose the CSV export of your results"),
        (b"GIF8", "a GIF image", "choose the CSV export of your results"),
        (b"\x1f\x8b", "a gzip-compressed file", "decompress it first, then import the CSV"),
        (b"7z\xbc\xaf", "a 7-Zip archive", "extract it first, then import the CSV"),
        (b"Rar!", "a RAR archive", "extract it first, then import the CSV"),
    )
    for magic, what, fix in kinds:
        if head.startswith(magic):
            raise BinaryFileError(path, f"{name} is {what}, not a CSV file: {fix}")


def _looks_utf16(head: bytes | bytearray) -> str | None:
    """``utf-16-le``/``-be`` for BOM-less UTF-16 text (every other byte zero), else None."""
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(path: Path, data: bytes | bytearray, encoding: str | None = None
           ) -> tuple[str, str]:
    """Decode ``data`` by the chain described above; return ``(text, encoding used)``.

    ``encoding`` names the user's choice; it must decode the whole file without errors.
    """
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise UnreadableTextError(path, f"unknown encoding {encoding!r}: use utf-8, cp1252, "
                                            "latin-1, utf-16 or mac-roman") from None
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise UnreadableTextError(
                path, f"{path.name} is not valid {codec} text (byte 0x{data[exc.start]:02x} on line "
                      f"{line}): choose another encoding, or let hpgjournal detect it"
            ) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise BinaryFileError(path, f"{path.name} starts like {codec} text but is not: "
                                            "choose the CSV export of your results") from None
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _what_it_is(mode: int) -> tuple[str, str] | None:
    """``(what, what to do)`` for a path that is not a regular file; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder", "choose a CSV file inside it"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file", "choose the CSV export of your results"
    if stat.S_ISFIFO(mode):
        return "a pipe, not a file", "save what it gives to a file and import that file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file", "choose the CSV export of your results"
    return "not a regular file", "choose the CSV export of your results"


def _refuse_special(path: Path, mode: int) -> None:
    found = _what_it_is(mode)
    if found is not None:
        what, fix = found
        raise NotAFileError(path, f"{path} is {what}: {fix}")


def _over_the_limit(size: int) -> tuple[str, str]:
    """A size above the limit and the limit, printed so that the first visibly exceeds the
    second: in whole megabytes, else with one or two decimals (rounded down), else in bytes."""
    mb = 1024 * 1024
    for digits in (0, 1, 2):
        scale = 10**digits
        shown = size * scale // mb
        if shown * mb > MAX_FILE_BYTES * scale:
            return f"{shown / scale:.{digits}f} MB", f"{MAX_FILE_BYTES / mb:g} MB"
    return f"{size:,} bytes", f"{MAX_FILE_BYTES:,} bytes"


def _too_large(path: Path, size: int) -> FileTooLargeError:
    shown, limit = _over_the_limit(size)
    return FileTooLargeError(
        path, f"{path.name} is {shown}, far larger than any lab export (the limit is {limit}): "
              "check that it is the right file, or split it")


# Opened without blocking (a pipe swapped in after the check would wait for a writer forever)
# and without becoming the controlling terminal (a terminal swapped in); in binary on Windows.
OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_CHUNK = 1024 * 1024


_HEAD = 65536


def open_regular(path: Path) -> BinaryIO | None:
    """``path`` opened for reading when it is a regular file, checked again once open (a
    pipe or device swapped in meanwhile is not read, and a pipe never blocks the opening);
    None otherwise, or when it cannot be opened (the reader that reads it says why). The
    caller closes it."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, OPEN_FLAGS)
    except OSError:
        return None
    file = open(fd, "rb", buffering=0)  # noqa: SIM115 - handed to the caller, which closes it
    try:
        if stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return file
    except OSError:
        pass
    file.close()
    return None


def read_head(path: Path) -> bytes | None:
    """The first 64 KB of a regular file (to tell what kind of file it is); None when the path
    is not a regular file or cannot be read."""
    file = open_regular(path)
    if file is None:
        return None
    try:
        with file:
            return file.read(_HEAD)
    except OSError:
        return None

def read_bytes(path: Path) -> bytearray:
    """The bytes of a regular file, never more than ``MAX_FILE_BYTES`` of them.

    The path is checked before it is opened (a pipe blocks the opening, a device never ends),
    the open file again (the path may have been swapped meanwhile), and the size limit while
    reading: a file that grows, or whose size was misreported, stops at the limit.
    """
    try:
        found = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise EmptyFileError(path, f"there is no file {path}: check the name and folder") from None
    except OSError as exc:
        raise BinaryFileError(path, f"cannot read {path}: {exc.strerror}") from None
    _refuse_special(path, found.st_mode)
    if found.st_size > MAX_FILE_BYTES:
        raise _too_large(path, found.st_size)
    try:
        fd = os.open(path, OPEN_FLAGS)
    except FileNotFoundError:
        raise EmptyFileError(path, f"there is no file {path}: check the name and folder") from None
    except OSError as exc:
        raise BinaryFileError(path, f"cannot read {path}: {exc.strerror}") from None
    with open(fd, "rb", buffering=0) as file:
        opened = os.fstat(file.fileno())
        _refuse_special(path, opened.st_mode)
        if opened.st_size > MAX_FILE_BYTES:
            raise _too_large(path, opened.st_size)
        data = bytearray()
        try:
            while chunk := file.read(min(_CHUNK, MAX_FILE_BYTES + 1 - len(data))):
                data += chunk
                if len(data) > MAX_FILE_BYTES:
                    raise FileTooLargeError(
                        path, f"{path.name} grew past {_human_size(MAX_FILE_BYTES)} while it was "
                              "read, far larger than any lab export: check that it is the right "
                              "file, or split it")
        except OSError as exc:
            raise BinaryFileError(path, f"cannot read {path}: {exc.strerror}") from None
    return data


def read_source(path: Path, encoding: str | None = None) -> SourceFile:
    """Read and decode a file, refusing what is not a regular file, empty, too large or not text."""
    path = Path(path)
    # An Apple Health export.zip is streamed by importers.archive, never read whole (hook).
    from hpgjournal.importers.archive import open_archive

    if (archive := open_archive(path)) is not None:
        return archive
    data = read_bytes(path)
    if not data or data.isspace():
        raise EmptyFileError(path, f"{path.name} is empty: export your results again, or choose "
                                   "another file")
    _refuse_non_text(path, data[:65536])
    text, used = decode(path, data, encoding)
    checksum, size = hashlib.sha256(data).hexdigest(), len(data)
    del data
    if text.startswith("\ufeff"):
        text = text[1:]
    _refuse_control_characters(path, text)
    if not text or text.isspace():  # (not strip(): a copy of the text)
        raise EmptyFileError(path, f"{path.name} holds no text: export your results again, or "
                                   "choose another file")
    return SourceFile(path, text, used, checksum, size)


def _refuse_control_characters(path: Path, text: str) -> None:
    sample = text[:65536]
    controls = len(_CONTROL_RE.findall(sample))
    if "\x00" in sample or controls > max(2, len(sample) // 200):
        raise BinaryFileError(path, f"{path.name} is not a text file (it holds binary data): choose "
                                    "the CSV export of your results")
    if "\x00" in text:
        raise BinaryFileError(path, f"{path.name} holds binary data (NUL bytes) after its first "
                                    "64 KB: check that it is the right file")
