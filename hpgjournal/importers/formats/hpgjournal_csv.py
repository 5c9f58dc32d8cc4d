"""hpgjournal's own ``export labs`` CSV (DESIGN.md section 3), read back exactly.

The canonical value, unit, method, comparator, printed value and unit, range bounds, flag,
lab, source and note are taken as they are, so that export then import gives the same rows
(only the printed range text is not in this CSV; the JSON export has it). Cells the export
neutralised for spreadsheets (``'=...``) get their text back.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

from hpgjournal.domain import analytes
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.records import LabResult
from hpgjournal.domain.timestamps import normalise_timestamp
from hpgjournal.domain.values import COMPARATORS
from hpgjournal.importers.errors import UnknownFormatError
from hpgjournal.importers.formats.base import Format, Probe, Reading, not_recognised
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import FORMAT_LABELS
from hpgjournal.importers.rows import Failed, Ignored, Item, Ready, RowError, cells_by_name
from hpgjournal.importers.table import SHARED_TEXTS, Table
from hpgjournal.store.export import LAB_COLUMNS, TABLES, format_cell

__all__ = ["HPGJOURNAL_LABS", "HpgjournalLabsFormat", "own_result"]

_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def unneutralise(text: str) -> str:
    """Undo the export's spreadsheet protection: ``'=HYPERLINK(...)`` -> ``=HYPERLINK(...)``."""
    return text[1:] if text.startswith(_NEUTRALISED) else text


def _text(value: object, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise RowError(f"{name} must be text, not {value!r}")


def _number(value: object, name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowError(f"{name} must be a number, not {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise RowError(f"{name} {value!r} is not a number") from None
    else:
        raise RowError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(number):
        raise RowError(f"{name} {value!r} is not a finite number")
    return number


def own_result(row: Mapping[str, object]) -> LabResult:
    """A result from the fields of an hpgjournal export; raises RowError naming the bad field."""
    try:
        taken_at = normalise_timestamp(_text(row.get("taken_at"), "taken_at"), "taken_at")
    except ValidationError as exc:
        raise RowError(str(exc)) from None
    key = _text(row.get("analyte"), "analyte").strip()
    try:
        marker = analytes.get_analyte(key)
    except KeyError as exc:
        raise RowError(str(exc.args[0]) if exc.args else f"unknown marker {key!r}") from None
    method = _text(row.get("method"), "method").strip()
    if method and method not in marker.methods:
        raise RowError(f"{marker.name} has no method {method!r} (allowed: "
                       f"{', '.join(marker.methods) or 'none'})")
    comparator = _text(row.get("comparator"), "comparator").strip()
    if comparator not in COMPARATORS:
        raise RowError(f"comparator {comparator!r} is not one of < <= > >=")
    value = _number(row.get("value"), "value")
    unit = _text(row.get("unit"), "unit").strip()
    if not analytes.is_custom(key):
        if value is not None and unit and unit != marker.unit:
            try:
                value = analytes.to_canonical(key, value, unit)
            except analytes.UnitError as exc:
                raise RowError(str(exc)) from None
        unit = marker.unit
    reported_value = _text(row.get("reported_value"), "reported_value").strip()
    if not reported_value:
        if value is None:
            raise RowError("no value: both value and reported_value are empty")
        reported_value = format_cell(value)
    return LabResult(
        id=None, taken_at=taken_at, analyte=key, value=value, unit=unit,
        reported_value=reported_value,
        reported_unit=_text(row.get("reported_unit"), "reported_unit").strip(),
        method=method, comparator=comparator,
        ref_low=_number(row.get("ref_low"), "ref_low"),
        ref_high=_number(row.get("ref_high"), "ref_high"),
        ref_text=_text(row.get("ref_text"), "ref_text").strip(),
        flag=_text(row.get("flag"), "flag").strip(), lab=_text(row.get("lab"), "lab").strip(),
        source=_text(row.get("source"), "source").strip() or "import",
        note=_text(row.get("note"), "note").strip(), batch_id=None,
    )


def _header_line(table: Table) -> int | None:
    for line, cells in table.head[:5]:
        if tuple(cells) == LAB_COLUMNS:
            return line
    return None


def refuse_other_exports(probe: Probe) -> None:
    """An hpgjournal CSV export of another table (doses, notes...) is not a lab file."""
    if probe.table is None:
        return
    from dataclasses import fields

    for _line, cells in probe.table.head[:3]:
        for table, kind in TABLES.items():
            names = [f.name for f in fields(kind) if f.name != "id"]
            if table != "labs" and cells == names:
                raise UnknownFormatError(probe.source.path, f"{probe.source.name} is hpgjournal's "
                                         f"export of {table}, not of lab results: only 'labs' "
                                         "and 'all' (JSON) exports can be imported")


class HpgjournalLabsFormat(Format):
    """``hpgjournal export labs --format csv``."""

    name = "hpgjournal-labs"
    label = FORMAT_LABELS["hpgjournal-labs"]

    def score(self, probe: Probe) -> float:
        if probe.table is None:
            return 0.0
        refuse_other_exports(probe)
        return 1.0 if _header_line(probe.table) is not None else 0.0

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        table = probe.table
        line = _header_line(table) if table is not None else None
        if table is None or line is None:
            raise not_recognised(probe, "the header of hpgjournal's lab export was not found")
        used = ColumnMapping(date="taken_at", marker="analyte", value="value", unit="unit",
                             method="method", flag="flag", lab="lab", note="note",
                             low="ref_low", high="ref_high", header_line=line)
        return Reading(items=self._items(table, line), layout=self.label, columns=LAB_COLUMNS,
                       header_line=line, mapping=used, date_order="ymd",
                       needs_decimal_decision=False)

    def _items(self, table: Table, header_line: int) -> Iterator[Item]:
        width = len(LAB_COLUMNS)
        kept: dict[str, str] = {}  # equal cells kept once (see long.py)
        keep = kept.setdefault
        for line, cells in table.rows(header_line):
            if not any(cells):
                continue
            if len(cells) != width:
                if tuple(cells) == LAB_COLUMNS:
                    yield Ignored(line, ",".join(cells), "the header, repeated")
                    continue
                yield Failed(line, dict(zip(LAB_COLUMNS, cells, strict=False)),
                             f"{len(cells)} cells where the export writes {width}")
                continue
            if len(kept) > SHARED_TEXTS:
                kept.clear()
            shared = [keep(cell, cell) for cell in cells]
            raw = (LAB_COLUMNS, *shared)
            fields = {k: unneutralise(v) for k, v in zip(LAB_COLUMNS, shared, strict=True)}
            try:
                yield Ready(line, raw, own_result(fields))
            except RowError as exc:
                yield Failed(line, cells_by_name(raw), str(exc))


HPGJOURNAL_LABS = HpgjournalLabsFormat()
