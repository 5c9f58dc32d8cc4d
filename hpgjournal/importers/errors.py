"""What can go wrong with an import as a whole, each a :class:`UserError` with a one-line message.

A problem with one row is not an exception: the plan keeps that row with status ``"error"``
and the reason. The exceptions here stop a whole file (or the whole import) and always leave
the journal as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hpgjournal.domain.errors import UserError

__all__ = [
    "AmbiguousDatesError",
    "BinaryFileError",
    "EmptyFileError",
    "FileProblem",
    "FileTooLargeError",
    "ImportCancelled",
    "ImportProblem",
    "LayoutNotRecognised",
    "NotAFileError",
    "NotATableError",
    "PdfFileError",
    "SpreadsheetFileError",
    "StrictImportRefused",
    "UnknownFormatError",
    "UnreadableTextError",
]


class ImportProblem(UserError):
    """An import cannot go on; nothing was written."""


class ImportCancelled(ImportProblem):
    """The user cancelled the import; nothing was written."""

    def __init__(self, message: str = "import cancelled: nothing was written") -> None:
        super().__init__(message)


class FileProblem(ImportProblem):
    """One file cannot be read at all. ``path`` names it (None when no file is concerned)."""

    def __init__(self, path: Path | None, message: str) -> None:
        super().__init__(message)
        self.path = path


class NotAFileError(FileProblem):
    """The path is a folder, a device, a pipe or a socket: only regular files are read."""


class EmptyFileError(FileProblem):
    """The file has no bytes, or no text besides blank lines."""


class BinaryFileError(FileProblem):
    """The file is not text (an image, a database, a PDF, random bytes...)."""


class SpreadsheetFileError(FileProblem):
    """The file is a spreadsheet workbook (xlsx, ods, xls), whatever its name says."""


class FileTooLargeError(FileProblem):
    """The file is far larger than any lab export; it is refused before or while being read."""


class UnreadableTextError(FileProblem):
    """The text cannot be decoded with the encoding the user chose."""


class NotATableError(FileProblem):
    """The text has no columns (no delimiter gives rows of two cells or more)."""


class UnknownFormatError(FileProblem):
    """The file is readable but is not in a format this importer knows (e.g. other JSON)."""


class NoLabResultsError(FileProblem):
    """The file is in a known format but holds no lab results (a C-CDA document without a
    Results section, a portal record whose documents have none)."""


class LayoutNotRecognised(FileProblem):
    """A table whose columns could not be matched to dates, markers and values.

    The import dialog catches it to show the column-mapping step: ``columns`` are the column
    names (``"Column 1"``... when the table has no header row), ``header_line`` the 1-based line
    of the header row (0 when there is none) and ``sample`` the first data rows.
    """

    def __init__(self, path: Path, message: str, *, columns: Sequence[str], header_line: int,
                 sample: Sequence[Sequence[str]], delimiter: str, encoding: str) -> None:
        super().__init__(path, message)
        self.columns = tuple(columns)
        self.header_line = header_line
        self.sample = tuple(tuple(row) for row in sample)
        self.delimiter = delimiter
        self.encoding = encoding


class AmbiguousDatesError(ImportProblem):
    """Dates that read both day-first and month-first, with nothing in the file to decide."""

    def __init__(self, message: str, paths: Sequence[Path]) -> None:
        super().__init__(message)
        self.paths = tuple(paths)


class StrictImportRefused(ImportProblem):
    """``strict`` was asked and some rows are unreadable; ``rows`` are those rows."""

    def __init__(self, message: str, rows: Sequence[object]) -> None:
        super().__init__(message)
        self.rows = tuple(rows)


class PdfFileError(FileProblem):
    """A PDF that cannot be read into lines: a scan (no text), protected by a password,
    damaged, or far longer than a lab report."""
