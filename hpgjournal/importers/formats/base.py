"""What every source format provides: a name, a ``score`` for sniffing, and a reader."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hpgjournal.importers.errors import LayoutNotRecognised, UnknownFormatError
from hpgjournal.importers.formats.xmldoc import XmlDocument, looks_like_xml, parse_xml
from hpgjournal.importers.jsonlines import parse_json_lines
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.rows import Item
from hpgjournal.importers.source import SourceFile, leading_space
from hpgjournal.importers.table import Table, sniff_table

__all__ = ["Format", "Probe", "Reading", "make_probe", "resolve_columns"]


@dataclass
class Probe:
    """A decoded file as the formats see it when sniffing: parsed JSON, parsed XML (an
    :class:`~hpgjournal.importers.formats.xmldoc.XmlDocument`), or a table's first rows."""

    source: SourceFile
    document: Any = None
    table: Table | None = None

    @property
    def kind(self) -> str:
        if self.table is not None:
            return "csv"
        if isinstance(self.document, XmlDocument):  # C-CDA (issue 14): an XML document
            return "xml"
        # an archive (importers.archive) says what it is: "zip"; a PDF's lines: "pdf"
        return getattr(self.document, "probe_kind", "json")


def make_probe(source: SourceFile) -> Probe:
    """Parse a JSON or XML document, or sniff the delimiter and first rows of a table."""
    archive = getattr(source, "archive", None)  # an export.zip (importers.archive)
    if archive is not None:
        return Probe(source, document=archive)
    pdf = getattr(source, "pdf", None)  # a lab report PDF's lines (importers.pdf)
    if pdf is not None:
        return Probe(source, document=pdf)
    text = source.text
    start = leading_space(text)
    first = text[start:start + 1]
    if first in ("{", "["):
        try:
            return Probe(source, document=json.loads(text[start:] if start else text))
        except (ValueError, RecursionError):
            # NDJSON (a FHIR bulk export: one JSON object a line) is read by the FHIR format
            lines = parse_json_lines(text) if first == "{" else None
            if lines is not None:
                return Probe(source, document=lines)
            if first == "{":
                raise UnknownFormatError(source.path, f"{source.name} starts like JSON but is not "
                                                      "valid JSON: export it again") from None
    if looks_like_xml(text, start):  # C-CDA (issue 14): XML is parsed, never read as a table
        return Probe(source, document=parse_xml(source))
    return Probe(source, table=sniff_table(source))


@dataclass
class Reading:
    """What a format found in a file: the items in file order, and how it read them.

    ``items`` may be a generator; ``warnings`` can grow while it runs. ``date_order`` is the
    order the format is known to write (None: the file's evidence decides). ``contents`` says
    what the file holds, in words ("FHIR R4 bundle, 193 observations, 41 lab results"; the
    label of the format when empty). ``expected`` is the number of items a document will
    give (the plan's progress counts them instead of the file's lines).
    """

    items: Iterable[Item]
    layout: str
    columns: tuple[str, ...] = ()
    header_line: int | None = None
    mapping: ColumnMapping | None = None
    date_order: str | None = None
    lab: str = ""
    warnings: list[str] = field(default_factory=list)
    profile: dict[str, str] = field(default_factory=dict)
    needs_decimal_decision: bool = True
    contents: str = ""
    expected: int | None = None  # how many items a document holds, for progress (tables: None)


class Format(ABC):
    """A source format. Subclasses set the class attributes and implement the two methods.

    ``score`` returns a confidence from 0 (certainly not this format) to 1 (certainly it),
    from the probe alone; ``read`` reads the whole file (``mapping`` is the user's column
    choice, for the table layouts that take one).
    """

    name: str = ""
    label: str = ""
    kind: str = "csv"
    takes_mapping: bool = False

    @abstractmethod
    def score(self, probe: Probe) -> float:
        """Confidence from 0 to 1 that the probed file is in this format."""

    @abstractmethod
    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        """Read the whole file into rows (or raise a UserError subclass)."""


def column_labels(cells: Sequence[str]) -> list[str]:
    """Unique, non-empty column names (``Column 3`` for an empty header cell)."""
    labels: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells, start=1):
        label = " ".join(cell.split()) or f"Column {index}"
        if label in seen:
            label = f"{label} ({index})"
        seen.add(label)
        labels.append(label)
    return labels


def guess_header(table: Table) -> tuple[int, list[str]]:
    """The likeliest header row of an unrecognised table: ``(line, labels)``; line 0 if none."""
    widths = [len(cells) for _, cells in table.head]
    width = max(set(widths), key=widths.count) if widths else 0
    for line, cells in table.head:
        filled = [c for c in cells if c]
        if len(cells) == width and len(filled) >= 2 and not any(_numberish(c) for c in filled):
            return line, column_labels(cells)
    return 0, [f"Column {i}" for i in range(1, width + 1)]


def _numberish(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and sum(ch.isalpha() for ch in text) <= 2


def not_recognised(probe: Probe, why: str) -> LayoutNotRecognised:
    """The error that sends the user to the column-mapping step."""
    table = probe.table
    assert table is not None
    line, labels = guess_header(table)
    sample = [cells for row_line, cells in table.head if row_line > line][:8]
    return LayoutNotRecognised(
        table.path,
        f"{table.path.name}: {why} (columns: {', '.join(labels[:12])}"
        f"{', ...' if len(labels) > 12 else ''}): choose the columns in the import dialog, "
        "rename the header to Date, Marker, Value, Unit, or choose a --format",
        columns=labels, header_line=line, sample=sample, delimiter=table.delimiter,
        encoding=table.source.encoding,
    )


def resolve_columns(probe: Probe, mapping: ColumnMapping) -> tuple[int, list[str], dict[str, int]]:
    """Apply a user's mapping to a table: ``(header line, column labels, field -> index)``.

    Column names are matched exactly, then without case and spacing; numbers are positions.
    Raises LayoutNotRecognised naming a column that is not in the table.
    """
    table = probe.table
    assert table is not None
    named = [c for c in (*mapping.assigned().values(), *mapping.markers) if isinstance(c, str)]
    line, labels = _mapping_header(table, mapping, named)
    wanted = {" ".join(label.split()).casefold(): i for i, label in enumerate(labels)}
    indexes: dict[str, int] = {}
    for field_name, column in mapping.assigned().items():
        indexes[field_name] = _index_of(probe, labels, wanted, column)
    return line, labels, indexes


def marker_indexes(probe: Probe, labels: list[str], mapping: ColumnMapping) -> list[int]:
    wanted = {" ".join(label.split()).casefold(): i for i, label in enumerate(labels)}
    return [_index_of(probe, labels, wanted, column) for column in mapping.markers]


def _index_of(probe: Probe, labels: list[str], wanted: dict[str, int], column: str | int) -> int:
    if isinstance(column, int):
        if 0 <= column < len(labels):
            return column
        raise not_recognised(probe, f"column number {column} is not in the table (it has "
                                    f"{len(labels)} columns, numbered from 0)")
    if column in labels:
        return labels.index(column)
    index = wanted.get(" ".join(column.split()).casefold())
    if index is None:
        raise not_recognised(probe, f"there is no column {column!r}")
    return index


def _mapping_header(table: Table, mapping: ColumnMapping, named: list[str]
                    ) -> tuple[int, list[str]]:
    width = max((len(cells) for _, cells in table.head), default=0)
    if mapping.header_line == 0:
        return 0, [f"Column {i}" for i in range(1, width + 1)]
    if mapping.header_line is not None:
        for line, cells in table.head:
            if line == mapping.header_line:
                return line, column_labels(cells)
        for line, cells in table.rows(mapping.header_line - 1):
            return line, column_labels(cells)
        return 0, [f"Column {i}" for i in range(1, width + 1)]
    if named:
        folded = {" ".join(n.split()).casefold() for n in named}
        for line, cells in table.head:
            labels = column_labels(cells)
            if folded <= {label.casefold() for label in labels}:
                return line, labels
    line, labels = guess_header(table)
    return line, labels
