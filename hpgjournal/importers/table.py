"""Rows of a delimited text file, with their line numbers, and the delimiter it uses.

The standard library's ``csv`` reader does the splitting (quoted fields, doubled quotes,
line breaks inside quotes), streaming row by row. pandas' reader is not used here: it cannot
say on which line a record started, and it refuses ragged rows, both of which a user's file
has and the plan must report.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from hpgjournal.importers.errors import NotATableError, UnknownFormatError
from hpgjournal.importers.source import SourceFile, leading_space

__all__ = ["DELIMITERS", "HEAD_ROWS", "SHARED_TEXTS", "Table", "delimiter_name", "filled_width",
           "sniff_table"]

DELIMITERS = (",", ";", "\t", "|")
HEAD_ROWS = 60
_SAMPLE_CHARS = 65536
_CHUNK_CHARS = 1024 * 1024
# How many different cell texts a reader keeps to share equal cells (see formats/long.py).
SHARED_TEXTS = 1 << 16
_SEP_LINE = re.compile(r'^"?sep=(.)"?,*\s*$', re.IGNORECASE)


def delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}.get(delimiter, repr(delimiter))


def filled_width(cells: list[str]) -> int:
    """How many cells a row has up to its last non-empty one: the empty cells a spreadsheet
    writes after the last column do not count, the empty cells between values do."""
    width = len(cells)
    while width and not cells[width - 1]:
        width -= 1
    return width


@dataclass
class Table:
    """A decoded text file read as a table.

    ``head`` holds the first rows that have any text, as ``(line, cells)`` with cells stripped.
    ``skip_lines`` counts lines before the table proper (Excel's ``sep=;`` hint line); ``memo``
    keeps what the formats found while sniffing, so that reading does not search again.
    """

    source: SourceFile
    delimiter: str
    skip_lines: int
    head: list[tuple[int, list[str]]]
    lines: int
    memo: dict[str, Any] = field(default_factory=dict)  # what sniffing found, kept for reading

    @property
    def path(self) -> Path:
        return self.source.path

    def rows(self, after_line: int = 0) -> Iterator[tuple[int, list[str]]]:
        """Every row whose first line comes after ``after_line``, as ``(line, cells)``.

        Cells are stripped; a record spanning several lines (a quoted line break) has the line
        it starts on. Raises NotATableError for text the CSV reader cannot split.
        """
        reader = csv.reader(_lines(self.source.text), delimiter=self.delimiter,
                            skipinitialspace=True, strict=False)
        previous = 0
        first = max(after_line, self.skip_lines) + 1
        strip = str.strip
        try:
            for cells in reader:
                start = previous + 1
                previous = reader.line_num
                if start >= first:
                    yield start, list(map(strip, cells))
        except csv.Error as exc:
            raise NotATableError(self.path, f"{self.path.name} line {previous + 1} cannot be read "
                                            f"as CSV ({exc}): check that it is a text table") from None


def _chunks(text: str) -> Iterator[str]:
    """``text`` in pieces of about a megabyte, each ending where a line ends."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start + _CHUNK_CHARS)
        if stop < 0:  # no \n further on: a lone \r (an old Mac file) ends a line too
            stop = text.find("\r", start + _CHUNK_CHARS)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as a file opened with ``newline=""`` gives them (ending at \\n,
    \\r\\n or \\r). One StringIO of the whole text would hold four bytes a character, so
    there is one a piece."""
    return chain.from_iterable(io.StringIO(piece, newline="") for piece in _chunks(text))


def _count_lines(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _consistency(sample: str, delimiter: str) -> tuple[int, int]:
    """(rows having the most common cell count, that count) for a delimiter; (0, 0) if useless."""
    counts: list[int] = []
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, skipinitialspace=True,
                        strict=False)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                counts.append(len(cells))
    except csv.Error:
        return 0, 0
    wide = [n for n in counts if n >= 2]
    if not wide:
        return 0, 0
    mode, rows = Counter(wide).most_common(1)[0]
    return rows, mode


def sniff_table(source: SourceFile) -> Table:
    """Find the delimiter and the first rows of a text file; refuse text with no columns."""
    text = source.text
    skip = 0
    first_end = text.find("\n", 0, 4096)  # a sep= line is short
    first_line = text[: first_end if first_end >= 0 else 4096]
    sep = _SEP_LINE.match(first_line.strip())
    if sep:
        delimiter, skip = sep.group(1), 1
    else:
        sample = text[:_SAMPLE_CHARS]
        if len(text) > _SAMPLE_CHARS and "\n" in sample:
            sample = sample[: sample.rfind("\n") + 1]
        scored = [(*_consistency(sample, d), -i, d) for i, d in enumerate(DELIMITERS)]
        rows, _width, _pref, delimiter = max(scored)
        if rows == 0:
            start = leading_space(text)
            if text[start:start + 1] == "<":
                raise UnknownFormatError(source.path, f"{source.name} is an XML or HTML document "
                                                      "(MyChart and Apple Health exports are not "
                                                      "supported yet): export the results as CSV")
            raise NotATableError(source.path, f"{source.name} has no columns (no comma, semicolon "
                                              "or tab between values): choose a CSV export of "
                                              "your results")
    table = Table(source, delimiter, skip, [], _count_lines(text))
    head: list[tuple[int, list[str]]] = []
    for line, cells in table.rows():
        if any(cells):
            head.append((line, cells))
            if len(head) >= HEAD_ROWS:
                break
    table.head = head
    return table
