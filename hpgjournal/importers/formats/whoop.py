"""WHOOP Advanced Labs biomarker CSV (``research/formats.md`` section 1.8).

Header ``"Biomarker Name",Value,Status,"Recorded On Date"``. The value cell holds the number
and the unit together, with thousands separators (``"1,050 ng/mL"``); names may contain
commas and are then quoted (``"1,5-Anhydroglucitol (1,5-AG)"``); markers that were not
measured show ``--`` or ``No Data Available``; dates are US month-first with a two-digit year
(``7/2/26``); ``Status`` is WHOOP's own grading (Optimal, Sufficient, Out of Range...).
"""

from __future__ import annotations

from collections.abc import Iterator

from hpgjournal.importers.formats.base import Format, Probe, Reading, column_labels, not_recognised
from hpgjournal.importers.mapping import ColumnMapping, norm_header
from hpgjournal.importers.names import FORMAT_LABELS
from hpgjournal.importers.rows import Candidate, Failed, Ignored, Item
from hpgjournal.importers.table import Table, filled_width

__all__ = ["WHOOP", "WhoopFormat"]

_COLUMNS = ("biomarker name", "value", "status", "recorded on date")
_NOT_MEASURED = frozenset({"--", "-", "no data available", "n/a", "na", "not available", ""})
# WHOOP grades against its own optimal bands, not the lab's range: only "out of range" says
# the value is abnormal (without saying which side).
_STATUS_FLAGS = {"optimal": "", "sufficient": "", "normal": "", "in range": "",
                 "out of range": "A", "high": "H", "low": "L"}


def _header(table: Table) -> tuple[int, list[str], dict[str, int]] | None:
    for line, cells in table.head:
        names = [norm_header(c) for c in cells]
        if all(c in names for c in _COLUMNS):
            return line, column_labels(cells), {c: names.index(c) for c in _COLUMNS}
    return None


class WhoopFormat(Format):
    """WHOOP Advanced Labs biomarker export."""

    name = "whoop"
    label = FORMAT_LABELS["whoop"]

    def score(self, probe: Probe) -> float:
        if probe.table is None:
            return 0.0
        header = _header(probe.table)
        if header is None:
            return 0.0
        return 0.98 if len(header[1]) == len(_COLUMNS) else 0.9

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        table = probe.table
        header = _header(table) if table is not None else None
        if table is None or header is None:
            raise not_recognised(probe, "the WHOOP columns Biomarker Name, Value, Status and "
                                        "Recorded On Date were not found")
        line, labels, at = header
        used = ColumnMapping(marker=labels[at["biomarker name"]], value=labels[at["value"]],
                             flag=labels[at["status"]], date=labels[at["recorded on date"]],
                             header_line=line)
        return Reading(items=self._items(table, line, labels, at), layout=self.label,
                       columns=tuple(labels), header_line=line, mapping=used, date_order="mdy",
                       lab="WHOOP Advanced Labs")

    def _items(self, table: Table, header_line: int, labels: list[str], at: dict[str, int]
               ) -> Iterator[Item]:
        for line, cells in table.rows(header_line):
            if not any(cells):
                continue
            cell = {name: (cells[i] if i < len(cells) else "") for name, i in at.items()}
            raw = dict(zip(labels, cells, strict=False))
            name, value = cell["biomarker name"], cell["value"]
            if len(cells) > len(labels) and any(cells[len(labels):]):
                yield Failed(line, raw, f"{filled_width(cells)} cells but the header has "
                                        f"{len(labels)} columns: a name probably holds an "
                                        "unquoted comma; put it in quotes")
                continue
            if value.casefold() in _NOT_MEASURED:
                yield Ignored(line, name or " ".join(cells), "not measured")
                continue
            status = " ".join(cell["status"].split()).casefold()
            flag = _STATUS_FLAGS.get(status)
            note = "" if flag is not None or not status else f"WHOOP status: {cell['status']}"
            yield Candidate(line, raw, cell["recorded on date"], name, value, flag=flag or "",
                            note=note)


WHOOP = WhoopFormat()
