"""Wide tables: one row per date and one column per marker, or the same turned on its side.

``Date,Total T (ng/dL),E2 (pg/mL),Hct (%)`` with one draw per row is how people keep their
own sheets (and how some apps export); the unit sits in the header. The transposed sheet has
one row per marker and one column per date: ``Marker,Unit,2024-01-05,2024-04-02``.

A column whose header is no known marker is kept as a custom marker when it holds numbers;
a column of text with an unknown header (``Phase``, ``Comment``) is not a result and is left
out, with a warning saying so.
"""

from __future__ import annotations

from collections.abc import Iterator

from hpgjournal.domain.values import parse_value
from hpgjournal.importers.dates import DateError, parse_shape
from hpgjournal.importers.formats.base import (
    Format,
    Probe,
    Reading,
    column_labels,
    marker_indexes,
    not_recognised,
    resolve_columns,
)
from hpgjournal.importers.mapping import ColumnMapping, match_columns
from hpgjournal.importers.names import FORMAT_LABELS
from hpgjournal.importers.normalise import resolve_name, split_name_unit
from hpgjournal.importers.rows import Candidate, Ignored, Item, RowError
from hpgjournal.importers.table import SHARED_TEXTS, Table

__all__ = ["WIDE", "WideFormat"]

_META = ("date", "time", "lab", "note")


def _is_marker(header: str) -> bool:
    """Is a column header the name of a catalogue marker (with or without its unit)?"""
    bare, _unit = split_name_unit(header)
    if not bare:
        return False
    try:
        return not resolve_name(header).key.startswith("custom:")
    except RowError:
        return True  # a known marker with a unit that does not fit: a marker all the same


def _is_date(text: str) -> bool:
    try:
        parse_shape(text)
    except DateError:
        return False
    return True


def _numeric_share(table: Table, after: int, index: int) -> float:
    cells = [cells[index] for line, cells in table.head
             if line > after and index < len(cells) and cells[index]]
    if not cells:
        return 0.0
    return sum(1 for c in cells if parse_value(c).number is not None) / len(cells)


def _by_date_header(table: Table) -> tuple[int, list[str], dict[str, int], list[int]] | None:
    """Header of a one-row-per-date table: (line, labels, meta fields, marker columns)."""
    best = None
    for line, cells in table.head:
        meta = match_columns(cells, only=_META)
        if "date" not in meta:
            continue
        markers = [i for i, c in enumerate(cells) if c and i not in meta.values() and _is_marker(c)]
        if len(markers) >= 2 and (best is None or len(markers) > len(best[3])):
            best = (line, column_labels(cells), meta, markers)
    return best


def _by_marker_header(table: Table) -> tuple[int, list[str], dict[str, int], list[int]] | None:
    """Header of a one-row-per-marker table: (line, labels, fields, date columns)."""
    for line, cells in table.head:
        dates = [i for i, c in enumerate(cells) if c and _is_date(c)]
        if len(dates) < 2:
            continue
        others = [c if i not in dates else "" for i, c in enumerate(cells)]
        found = match_columns(others, only=("marker", "unit", "range", "low", "high", "note"))
        if "marker" not in found:
            first = next((i for i in range(len(cells)) if i not in dates), None)
            if first is None:
                continue
            found["marker"] = first
        return line, column_labels(cells), found, dates
    return None


class WideFormat(Format):
    """One row per date, one column per marker (or one row per marker, one column per date)."""

    name = "wide"
    label = FORMAT_LABELS["wide"]
    takes_mapping = True

    def score(self, probe: Probe) -> float:
        table = probe.table
        if table is None:
            return 0.0
        header = _by_date_header(table)
        if header is not None:
            line, labels, meta, markers = header
            others = len([c for i, c in enumerate(labels) if i not in meta.values()])
            return 0.45 + 0.45 * len(markers) / max(others, 1)
        turned = _by_marker_header(table)
        if turned is not None:
            line, labels, found, _dates = turned
            names = [cells[found["marker"]] for row_line, cells in table.head
                     if row_line > line and found["marker"] < len(cells) and cells[found["marker"]]]
            known = sum(1 for n in names if _is_marker(n))
            return 0.4 + 0.45 * known / max(len(names), 1) if known >= 2 else 0.0
        return 0.0

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        table = probe.table
        if table is None:
            raise not_recognised(probe, "this is not a table")
        if mapping is not None:
            line, labels, meta = resolve_columns(probe, mapping)
            if "date" not in meta:
                raise not_recognised(probe, "a wide table needs a date column")
            markers = marker_indexes(probe, labels, mapping) or [
                i for i in range(len(labels)) if i not in meta.values()]
            return self._by_date(table, line, labels, meta, markers, explicit=True)
        header = _by_date_header(table)
        if header is not None:
            line, labels, meta, markers = header
            extra = [i for i in range(len(labels)) if i not in meta.values() and i not in markers]
            return self._by_date(table, line, labels, meta, markers + extra, explicit=False)
        turned = _by_marker_header(table)
        if turned is not None:
            return self._by_marker(table, *turned)
        raise not_recognised(probe, "no date column with marker columns beside it was found")

    # -- one row per date
    def _by_date(self, table: Table, line: int, labels: list[str], meta: dict[str, int],
                 columns: list[int], *, explicit: bool) -> Reading:
        warnings: list[str] = []
        markers: list[int] = []
        for index in sorted(set(columns)):
            header = labels[index]
            if explicit or _is_marker(header) or _numeric_share(table, line, index) >= 0.5:
                markers.append(index)
            elif not header.startswith("Column ") or any(
                    index < len(cells) and cells[index] for ln, cells in table.head if ln > line):
                warnings.append(f"column {header!r} was not imported: it is not a known marker "
                                "and holds text, not results (choose it in the column mapping "
                                "to import it)")
        used = ColumnMapping(**{f: labels[i] for f, i in meta.items()}, layout="wide",
                             markers=tuple(labels[i] for i in markers), header_line=line)
        reading = Reading(items=(), layout=self.label, columns=tuple(labels), header_line=line,
                          mapping=used, warnings=warnings)
        reading.items = self._date_rows(table, line, labels, meta, markers)
        return reading

    def _date_rows(self, table: Table, header_line: int, labels: list[str], meta: dict[str, int],
                   markers: list[int]) -> Iterator[Item]:
        date_at = meta["date"]
        get = {f: i for f, i in meta.items() if f != "date"}
        # each result's raw cells: its date and value after their two column names (a tuple
        # for each marker column, shared by its results; a dict a result costs three times it)
        names = {i: (labels[date_at], labels[i]) for i in markers}
        kept: dict[str, str] = {}
        keep = kept.setdefault
        for line, cells in table.rows(header_line):
            if not any(cells):
                continue
            date = cells[date_at] if date_at < len(cells) else ""
            extra = {f: (cells[i] if i < len(cells) else "") for f, i in get.items()}
            values = [(i, cells[i]) for i in markers if i < len(cells) and cells[i]]
            if not values:
                yield Ignored(line, " ".join(c for c in cells if c), "no results on this row")
                continue
            if not date:
                yield Ignored(line, " ".join(c for c in cells if c),
                              "no date on this row (a note or footnote)")
                continue
            if len(kept) > SHARED_TEXTS:
                kept.clear()
            for index, cell in values:
                cell = keep(cell, cell)  # values often repeat: each kept once
                yield Candidate(line, (names[index], date, cell), date, labels[index], cell,
                                time=extra.get("time", ""), lab=extra.get("lab", ""),
                                note=extra.get("note", ""))

    # -- one row per marker
    def _by_marker(self, table: Table, line: int, labels: list[str], found: dict[str, int],
                   dates: list[int]) -> Reading:
        used = ColumnMapping(**{f: labels[i] for f, i in found.items()}, layout="wide",
                             markers=(), header_line=line)
        reading = Reading(items=(), layout="Wide table turned (one row per marker, one column "
                                           "per date)", columns=tuple(labels), header_line=line,
                          mapping=used)
        reading.items = self._marker_rows(table, line, labels, found, dates)
        return reading

    def _marker_rows(self, table: Table, header_line: int, labels: list[str],
                     found: dict[str, int], dates: list[int]) -> Iterator[Item]:
        # each result's raw cells after their column names, shared (see _date_rows)
        names = {i: (labels[found["marker"]], labels[i]) for i in dates}
        with_unit = {i: (*pair, labels[found["unit"]]) for i, pair in names.items()} \
            if "unit" in found else {}
        for line, cells in table.rows(header_line):
            if not any(cells):
                continue
            get = {f: (cells[i] if i < len(cells) else "") for f, i in found.items()}
            marker = get.get("marker", "")
            values = [(i, cells[i]) for i in dates if i < len(cells) and cells[i]]
            if not marker or not values:
                yield Ignored(line, " ".join(c for c in cells if c),
                              "no marker name" if values else "no results on this row")
                continue
            unit = get.get("unit", "")
            for index, cell in values:
                raw = (with_unit[index], marker, cell, unit) if unit else (names[index], marker, cell)
                yield Candidate(line, raw, labels[index], marker, cell, unit=unit,
                                range=get.get("range", ""), note=get.get("note", ""))


WIDE = WideFormat()
