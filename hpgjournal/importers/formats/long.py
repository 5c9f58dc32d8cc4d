"""Long tables: one result per row, columns named by any of the aliases in use.

``Date,Marker,Value,Unit``, ``Collection Date,Test Name,Result,Units,Reference Range,Flag``,
``test_date,marker,value,unit,ref_low,ref_high,is_abnormal,lab_name`` and the like. The
header may sit below a preamble (patient name, export date); a date printed in the preamble
(``Collected: 03/01/2024``) serves rows that have no date column. Hand-kept sheets leave the
date blank on the rows after the first of a draw: those rows take the date above.

The *packed* variant has no unit column: the unit is in the value cell (``1,050 ng/dL``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice, repeat
from typing import Any

from hpgjournal.domain.analytes import find_analyte
from hpgjournal.domain.values import parse_value
from hpgjournal.importers.dates import DateError, parse_shape
from hpgjournal.importers.formats.base import (
    Format,
    Probe,
    Reading,
    column_labels,
    not_recognised,
    resolve_columns,
)
from hpgjournal.importers.mapping import (
    FIELDS,
    ColumnMapping,
    header_score,
    match_columns,
    norm_header,
)
from hpgjournal.importers.names import FORMAT_LABELS
from hpgjournal.importers.rows import (
    Candidate,
    CandidateRun,
    Failed,
    Ignored,
    Item,
    cells_by_name,
)
from hpgjournal.importers.table import SHARED_TEXTS, Table, delimiter_name, filled_width

__all__ = ["LONG", "PACKED", "LongFormat", "PackedFormat"]

_PREAMBLE_DATE = re.compile(r"(?:collect|draw|drawn|specimen|sample|taken|entnahme|abnahme)[^:]*:"
                            r"\s*(?P<date>.+)$", re.IGNORECASE)


def find_long_header(table: Table) -> tuple[int, list[str], dict[str, int]] | None:
    """The best header row for a long table: ``(line, labels, field -> index)``, or None.

    Remembered per table: sniffing asks for it several times.
    """
    if "long_header" not in table.memo:
        table.memo["long_header"] = _find_long_header(table)
    found = table.memo["long_header"]
    if found is None:
        return None
    line, labels, fields = found
    return line, list(labels), dict(fields)


def _find_long_header(table: Table) -> tuple[int, list[str], dict[str, int]] | None:
    best: tuple[int, int, list[str], dict[str, int]] | None = None
    for line, cells in table.head:
        found = match_columns(cells)
        if "marker" not in found or "value" not in found:
            continue
        score = header_score(cells)
        if best is None or score > best[0]:
            best = (score, line, cells, found)
    if best is None:
        return None
    _score, line, cells, found = best
    return line, column_labels(cells), found


def _packed_share(table: Table, header_line: int, value_index: int) -> float:
    cells = [cells[value_index] for line, cells in table.head
             if line > header_line and value_index < len(cells) and cells[value_index]]
    if not cells:
        return 0.0
    return sum(1 for c in cells if parse_value(c).unit) / len(cells)


def _preamble_date(table: Table, header_line: int) -> str:
    """A collection date printed above the header, as its text ("" if none)."""
    for line, cells in table.head:
        if line >= header_line:
            break
        text = " ".join(c for c in cells if c)
        match = _PREAMBLE_DATE.search(text)
        candidates = [match["date"]] if match else []
        candidates += [c for c in cells if c]
        for candidate in candidates:
            try:
                parse_shape(candidate.strip())
            except DateError:
                continue
            return candidate.strip()
    return ""


class LongFormat(Format):
    """One result per row."""

    name = "long"
    label = FORMAT_LABELS["long"]
    takes_mapping = True
    packed = False

    def score(self, probe: Probe) -> float:
        if probe.table is None:
            return 0.0
        header = find_long_header(probe.table)
        if header is None:
            return 0.0
        line, _labels, found = header
        score = 0.5 + 0.15 * ("date" in found) + 0.1 * ("unit" in found)
        score += 0.05 * bool({"range", "low", "high"} & found.keys()) + 0.05 * ("flag" in found)
        packed = "unit" not in found and _packed_share(probe.table, line, found["value"]) >= 0.5
        if self.packed:
            return min(score + 0.15, 0.9) if packed else 0.0
        return min(score, 0.85)

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        table = probe.table
        if table is None:
            raise not_recognised(probe, "this is not a table")
        if mapping is not None:
            line, labels, found = resolve_columns(probe, mapping)
            if "value" not in found or ("marker" not in found and "loinc" not in found):
                raise not_recognised(probe, "a long table needs a value column and a marker "
                                            "(or LOINC code) column")
        else:
            header = find_long_header(table)
            if header is None:
                raise not_recognised(probe, "no column of marker names and values was found")
            line, labels, found = header
        if self.packed:
            found.pop("unit", None)
        used = ColumnMapping(**{f: labels[i] for f, i in found.items()}, markers=(),
                             header_line=line)
        file_date = "" if "date" in found else _preamble_date(table, line)
        reading = Reading(items=(), layout=self.label, columns=tuple(labels), header_line=line,
                          mapping=used)
        if "date" not in found and not file_date:
            raise not_recognised(probe, "no date column was found (and no collection date "
                                        "above the table)")
        if file_date:
            reading.warnings.append(f"no date column: every result is dated {file_date}, the "
                                    "collection date printed above the table")
        reading.items = self._items(table, line, labels, found, file_date, reading)
        return reading

    def _items(self, table: Table, header_line: int, labels: list[str], found: dict[str, int],
               file_date: str, reading: Reading) -> Iterator[Item]:
        width = len(labels)
        names = tuple(labels)
        header_key = [norm_header(label) for label in labels]
        value_label = labels[found["value"]]
        # Rows are padded to the header's width plus one empty cell, where unmapped fields point.
        at = [found.get(f, width) for f in FIELDS]
        i_date, i_time, i_marker, i_loinc, i_method, i_value, i_unit, i_range, i_low, i_high, \
            i_flag, i_lab, i_note = at
        parts = "low" in found or "high" in found
        informative = [i for f, i in found.items() if f not in ("marker", "date", "time")]
        # Names, units, ranges, dates and often values repeat from row to row: each text is
        # kept once (a large file would otherwise hold a copy a row); notes seldom repeat. Past
        # SHARED_TEXTS different texts (values that do not repeat) they are forgotten.
        repeating = sorted({i for f, i in found.items() if f != "note"})
        kept: dict[str, str] = {}
        keep = kept.setdefault
        pending: tuple[int, str] | None = None
        raw: dict[str, str] | tuple[Any, ...]
        last_date = file_date
        filled = 0
        plain = _PlainRows(names, at, repeating, value_label, parts, file_date, kept)
        for chunk in _chunks(table.rows(header_line), _RUN_ROWS):
            # a stretch of plain rows is read at once, column by column
            run = plain.run(chunk) if pending is None else None
            if run is not None:
                last_date = run.dates[-1]
                yield run
                continue
            for line, cells in chunk:
                count = len(cells)
                if count > width and any(cells[width:]):
                    raw = dict(zip(labels, cells, strict=False))
                    raw.update({f"Column {i + 1}": c for i, c in enumerate(cells) if i >= width})
                    yield Failed(line, raw, f"{filled_width(cells)} cells but the header has "
                                            f"{width} columns: a value probably holds an unquoted "
                                            f"{delimiter_name(table.delimiter)}; put it in quotes")
                    continue
                if not any(cells):
                    continue
                if len(kept) > SHARED_TEXTS:
                    kept.clear()
                for i in repeating:
                    if i < count:
                        text = cells[i]
                        cells[i] = keep(text, text)
                # the cells as read are the row's raw cells; its fields are read from a padded copy
                padded = cells[:width]
                padded += [""] * (width + 1 - len(padded))
                marker, value = padded[i_marker], padded[i_value]
                if value == value_label and \
                        [norm_header(c) for c in padded[:width]] == header_key:
                    yield Ignored(line, " ".join(c for c in cells if c), "the header, repeated")
                    continue
                if not value:
                    if marker and not any(padded[i] for i in informative):
                        if pending is not None:
                            yield Ignored(pending[0], pending[1], "a title or a name with no value")
                        pending = (line, marker)
                    elif marker:
                        yield Ignored(line, marker, "no value")
                    else:
                        yield Ignored(line, " ".join(c for c in cells if c),
                                      "no marker and no value (a note or footnote)")
                    continue
                raw = (names, *cells)
                if pending is not None:
                    joined = f"{pending[1]} {marker}".strip()
                    if not marker or find_analyte(joined) is not None:
                        marker = joined
                        raw = dict(zip(labels, cells, strict=False))
                        raw["name on the line above"] = pending[1]
                    else:
                        yield Ignored(pending[0], pending[1], "a title or a name with no value")
                    pending = None
                if not marker and not padded[i_loinc]:
                    yield Failed(line, cells_by_name(raw), "no marker name on this row")
                    continue
                date = padded[i_date]
                if date:
                    last_date = date
                elif last_date:
                    date = last_date
                    filled += i_date < width
                ref = padded[i_range] or (_range_text(padded[i_low], padded[i_high]) if parts else "")
                yield Candidate(line, raw, date, marker, value, padded[i_time], padded[i_loinc],
                                padded[i_method], padded[i_unit], ref, padded[i_flag], padded[i_lab],
                                padded[i_note])
        if pending is not None:
            yield Ignored(pending[0], pending[1], "a title or a name with no value")
        if filled:
            reading.warnings.append(f"{filled} rows had no date and took the date of the row "
                                    "above (as in a sheet that writes the date once per draw)")


_RUN_ROWS = 512  # rows read at a time: a stretch of plain rows becomes one CandidateRun


def _chunks(rows: Iterator[tuple[int, list[str]]], size: int
            ) -> Iterator[list[tuple[int, list[str]]]]:
    """The rows in lists of ``size`` (one row at a time for 0: no runs)."""
    while chunk := list(islice(rows, size or 1)):
        yield chunk


class _PlainRows:
    """Reads a stretch of a long table's rows as one :class:`CandidateRun` when every row of
    it is plain: as wide as the header, with a value (not the header's own) and a marker name
    and, if the table has a date column, a date. Such rows become candidates in
    ``LongFormat._items`` with nothing else decided (no row above them waits for a value),
    so the run holds the same candidates, made column by column; any other stretch is read
    row by row there."""

    def __init__(self, names: tuple[str, ...], at: list[int], repeating: list[int],
                 value_label: str, parts: bool, file_date: str, kept: dict[str, str]) -> None:
        self.names, self.width, self.at = names, len(names), at
        self.repeating, self.value_label, self.parts = repeating, value_label, parts
        self.file_date, self.kept = file_date, kept

    def run(self, chunk: list[tuple[int, list[str]]]) -> CandidateRun | None:
        width, n = self.width, len(chunk)
        i_date, i_time, i_marker, i_loinc, i_method, i_value, i_unit, i_range, i_low, i_high, \
            i_flag, i_lab, i_note = self.at
        lines, rows = zip(*chunk, strict=True)
        if n < 2 or i_marker >= width or {*map(len, rows)} != {width}:
            return None
        columns = list(zip(*rows, strict=True))
        values, markers = columns[i_value], columns[i_marker]
        if not all(values) or self.value_label in values or not all(markers) or \
                (i_date < width and not all(columns[i_date])):
            return None
        # the repeating texts each kept once, as the rows' own are (see _items)
        kept = self.kept
        if len(kept) > SHARED_TEXTS:
            kept.clear()
        keep = kept.setdefault
        for i in self.repeating:
            columns[i] = tuple(map(keep, columns[i], columns[i]))
        columns.append(("",) * n)  # where unmapped fields point
        dates = columns[i_date] if i_date < width else (self.file_date,) * n
        ranges = columns[i_range]
        if self.parts:
            ranges = tuple(text or _range_text(low, high) for text, low, high
                           in zip(ranges, columns[i_low], columns[i_high], strict=True))
        raws = list(zip(repeat(self.names, n), *columns[:width], strict=True))
        return CandidateRun(lines, raws, dates, columns[i_marker], columns[i_value],
                            columns[i_time], columns[i_loinc], columns[i_method],
                            columns[i_unit], ranges, columns[i_flag], columns[i_lab],
                            columns[i_note])


def _number(cell: str) -> float | None:
    try:
        return float(cell.replace(",", "."))
    except ValueError:
        return None


def _range_text(low: str, high: str) -> str:
    """A range text from separate low and high cells.

    LOW and HIGH both ``0`` mean "no range" (the SMART sample tables write it so, and no
    result is ever in 0-0); a ``0`` HIGH beside a LOW in words (``Negative; Reactive``) is
    the filler of the same tables: the words are the range.
    """
    low_number, high_number = _number(low), _number(high)
    if low_number == 0 and high_number == 0:
        return ""
    if low and high and low_number is None and high_number == 0:
        return low
    if low and high:
        return f"{low} - {high}"
    if high:
        return f"<= {high}"
    if low:
        return f">= {low}"
    return ""


class PackedFormat(LongFormat):
    """A long table whose value cells carry the unit (``1,050 ng/dL``) and no unit column."""

    name = "packed"
    label = FORMAT_LABELS["packed"]
    packed = True


LONG = LongFormat()
PACKED = PackedFormat()
