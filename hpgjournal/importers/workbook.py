"""Workbooks a user brings: Excel (``.xlsx``, ``.xlsm``, ``.xls``) and OpenDocument (``.ods``).

:func:`workbook_sources` gives each sheet that holds a table as a
:class:`~hpgjournal.importers.source.SourceFile` whose text is the sheet written as CSV, so that
every table layout (long, wide, packed...) and the preview read it as they read a CSV file. The
sheets of one workbook are planned as several files of one import, and so commit as one batch.
Each sheet's source is named ``book.xlsx [Sheet]`` (the workbook's own path when it has one
sheet) and carries the checksum of the workbook's bytes; a sheet that holds no table (empty, or
only notes) is skipped, and the first sheet read says so among its warnings.

The cells are read by pandas with the ``calamine`` engine (python-calamine): a date cell
becomes ``YYYY-MM-DD`` (``YYYY-MM-DDTHH:MM`` when it has a time of day), a number is written
without float noise (15 significant digits, ``500.0`` as ``500``), an empty cell stays empty and
text stays as printed (``<5``, ``5,3``). A formula is read as the value it had when the
workbook was last saved. Any other file gives None, for
:func:`~hpgjournal.importers.source.read_source` to read or refuse.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from hpgjournal.importers.errors import FileTooLargeError, NotATableError, SpreadsheetFileError
from hpgjournal.importers.source import MAX_FILE_BYTES, SourceFile, read_bytes, read_head

__all__ = ["MAX_UNPACKED_BYTES", "SheetSource", "cell_text", "workbook_kind", "workbook_sources"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What the members of an .xlsx or .ods zip may unpack to: a workbook of results compresses
# about tenfold; more than this is not a lab history (or is a zip bomb).
MAX_UNPACKED_BYTES = 8 * MAX_FILE_BYTES
_KINDS = {"xlsx": "an Excel workbook (.xlsx)", "ods": "an OpenDocument spreadsheet (.ods)",
          "xls": "an Excel 97-2003 workbook (.xls)"}
_SAVE_AGAIN = ("open it in your spreadsheet program and save it again (or save the sheet as "
               "CSV UTF-8 and import that)")


@dataclass(frozen=True)
class SheetSource(SourceFile):
    """One sheet of a workbook, as CSV text. ``notes`` are what the plan says about the
    workbook as a whole (the sheets skipped), carried by its first sheet read."""

    workbook: Path | None = None
    sheet: str = ""
    notes: tuple[str, ...] = ()


_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _protected(path: Path) -> SpreadsheetFileError:
    return SpreadsheetFileError(path, f"{path.name} is a workbook protected by a password: open "
                                      "it in your spreadsheet program, remove the password "
                                      "(Excel: File > Info > Protect Workbook > Encrypt with "
                                      "Password, emptied) and save it, then import it again")


def workbook_kind(head: bytes | bytearray) -> str | None:
    """``xlsx`` (also .xlsm), ``ods``, ``xls`` or ``encrypted`` from a file's first bytes;
    None for anything else (a Word document or another zip is not a workbook)."""
    if head.startswith(b"PK\x03\x04"):
        if b"opendocument.spreadsheet" in head:
            return "ods"
        if b"word/" in head or b"ppt/" in head:
            return None
        if b"xl/" in head or b"[Content_Types].xml" in head:
            return "xlsx"
        return None
    if head.startswith(_OLE2):
        # an Excel file protected by a password is an OLE2 container of an EncryptedPackage
        if _ENCRYPTED in head or b"EncryptedPackage" in head:
            return "encrypted"
        return "xls"
    return None


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV export would hold."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = format(Decimal(f"{value:.15g}"), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        value = value.replace(tzinfo=None)
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return f"{value:%Y-%m-%dT%H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, dt.timedelta):  # a duration cell, or a time read as one
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value).strip()


def _sheet_rows(frame: Any) -> list[list[str]]:
    """The sheet's cells as text, without the empty rows and columns around the table."""
    rows = [[cell_text(c) for c in row] for row in frame.itertuples(index=False, name=None)]
    width = max((max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) for r in rows),
                default=0)
    rows = [r[:width] for r in rows]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def _holds_table(rows: list[list[str]]) -> bool:
    """A header and at least one row of values: two rows with two filled cells or more."""
    return sum(1 for r in rows if sum(1 for c in r if c.strip()) >= 2) >= 2


def _to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _refuse_bomb(path: Path, data: bytes | bytearray, kind: str) -> None:
    """Refuse a zipped workbook whose members unpack to more than MAX_UNPACKED_BYTES (a
    damaged zip is left to the reader, which says it is damaged)."""
    if kind not in ("xlsx", "ods"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileTooLargeError(path, f"{path.name} unpacks to {unpacked // (1024 * 1024):,} MB, "
                                      "far larger than any lab history: check that it is the "
                                      "right file, or save the results sheet as CSV and import "
                                      "that")


def _read_sheets(path: Path, data: bytes | bytearray, kind: str) -> dict[str, Any]:
    import pandas as pd  # lazily: startup time

    what = _KINDS[kind]
    _refuse_bomb(path, data, kind)
    try:
        return pd.read_excel(io.BytesIO(bytes(data)), sheet_name=None, header=None,
                             engine="calamine", dtype=object, keep_default_na=False,
                             na_filter=False)
    except ImportError:
        raise SpreadsheetFileError(path, f"{path.name} is {what}, and reading workbooks needs "
                                         "the package python-calamine: install it (pip install "
                                         "python-calamine), or save the sheet as CSV UTF-8 and "
                                         "import that") from None
    except Exception as exc:  # calamine's errors are its own classes, zip's and value errors
        reason = " ".join(str(exc).split())[:160] or exc.__class__.__name__
        if "password" in reason.casefold() or "encrypt" in reason.casefold():
            raise _protected(path) from None
        raise SpreadsheetFileError(path, f"{path.name} is {what} that cannot be read, damaged "
                                         f"or incomplete ({reason}): {_SAVE_AGAIN}") from None


def _safe(name: str) -> str:
    """A sheet's name as part of a file name (OpenDocument allows slashes in it)."""
    return name.replace("/", "-").replace("\\", "-").replace("\0", "")


def workbook_sources(path: Path) -> list[SourceFile] | None:
    """The sheets of a workbook that hold a table, as CSV sources; None when ``path`` is not
    a workbook.

    Raises SpreadsheetFileError for a workbook protected by a password or that cannot be read,
    and NotATableError when no sheet holds a table.
    """
    path = Path(path)
    head = read_head(path)
    kind = workbook_kind(head) if head else None
    if kind is None:
        return None
    if kind == "encrypted":
        raise _protected(path)
    data = read_bytes(path)  # the size limit, as for any file
    if kind == "xls" and _ENCRYPTED in data:  # the container's directory past the first bytes
        raise _protected(path)
    import hashlib

    checksum, size = hashlib.sha256(data).hexdigest(), len(data)
    sheets = _read_sheets(path, data, kind)
    del data
    found: list[tuple[str, str]] = []
    notes: list[str] = []
    for name, frame in sheets.items():
        rows = _sheet_rows(frame)
        if _holds_table(rows):
            found.append((str(name), _to_csv(rows)))
        else:
            notes.append(f"sheet {str(name)!r} holds no results table: "
                         f"{'it is empty' if not rows else 'only notes'}, not imported")
    if not found:
        listed = ", ".join(repr(str(n)) for n in sheets) or "none"
        raise NotATableError(path, f"{path.name} is {_KINDS[kind]} with no results table in any "
                                   f"sheet (sheets: {listed}): put the results in a sheet with "
                                   "a header row (Date, Marker, Value, Unit) and import it again")
    one = len(sheets) == 1
    return [SheetSource(path if one else path.with_name(f"{path.name} [{_safe(name)}]"), text,
                        "utf-8", checksum, size, workbook=path, sheet=name,
                        notes=tuple(notes) if i == 0 else ())
            for i, (name, text) in enumerate(found)]
