"""What a format's reader yields for each row of a file, before normalisation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from hpgjournal.domain.records import LabResult

__all__ = ["Candidate", "CandidateRun", "Failed", "Ignored", "Item", "OtherRecord", "Ready",
           "RowError", "cells_by_name"]


class RowError(ValueError):
    """One row cannot become a result; the message is the reason shown to the user."""


@dataclass(slots=True)
class Candidate:
    """One result as printed in a file: text cells, not yet checked or converted.

    ``date`` may carry a time; ``time`` is a separate time cell. ``raw`` holds the cells as
    printed, by column name, as a dict, or as a tuple of the column names (a tuple shared by
    the rows) followed by the row's cells: a reader of large tables gives the tuple, which
    costs a third of the dict. :func:`cells_by_name` gives the dict either way.
    """

    line: int
    raw: dict[str, str] | tuple[Any, ...]
    date: str
    marker: str
    value: str
    time: str = ""
    loinc: str = ""
    method: str = ""
    unit: str = ""
    range: str = ""
    flag: str = ""
    lab: str = ""
    note: str = ""


def cells_by_name(raw: dict[str, str] | tuple[Any, ...]) -> dict[str, str]:
    """A row's cells by column name, from a dict or from ``(column names, *cells)``."""
    if raw.__class__ is tuple:
        return dict(zip(raw[0], raw[1:], strict=False))
    # (type: ignore below: the hot path tells a tuple from a result by its class, which mypy cannot narrow)
    return raw  # type: ignore[return-value]


@dataclass(slots=True)
class Ready:
    """A finished result read from one of hpgjournal's own exports (kept exactly); ``raw`` as
    a Candidate's."""

    line: int
    raw: dict[str, str] | tuple[Any, ...]
    result: LabResult


@dataclass(slots=True)
class Failed:
    """A row that is clearly a result but cannot be read; ``reason`` says why."""

    line: int
    raw: dict[str, str]
    reason: str


@dataclass(frozen=True, slots=True)
class Ignored:
    """A line that holds no result (a title, a footnote, a marker with no value)."""

    line: int
    text: str
    reason: str


@dataclass(slots=True)
class OtherRecord:
    """A record other than a lab result (from hpgjournal's ``export all`` JSON document).

    ``table`` is the export's table name (``medications``, ``doses``...), ``source_id`` the
    record's id in the exporting journal (doses point to medications by it). ``reason`` is set
    when the record cannot be read; ``record`` is then None.
    """

    line: int
    table: str
    record: object | None
    source_id: int | None
    reason: str = ""


@dataclass(slots=True)
class CandidateRun:
    """Consecutive candidates of a table, kept column by column: what a reader of large tables
    gives for a stretch of plain rows, so that :meth:`PlannedRows.take
    <hpgjournal.importers.planned.PlannedRows.take>` adds them at once rather than one object
    a row. Iterating gives the same :class:`Candidate` objects, in order. Every column holds
    one text a row (``raws`` a row's raw cells, as a Candidate's ``raw``).
    """

    lines: Sequence[int]
    raws: Sequence[tuple[Any, ...]]
    dates: Sequence[str]
    markers: Sequence[str]
    values: Sequence[str]
    times: Sequence[str]
    loincs: Sequence[str]
    methods: Sequence[str]
    units: Sequence[str]
    ranges: Sequence[str]
    flags: Sequence[str]
    labs: Sequence[str]
    notes: Sequence[str]

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[Candidate]:
        for line, raw, date, marker, value, time, loinc, method, unit, ref, flag, lab, note in zip(
                self.lines, self.raws, self.dates, self.markers, self.values, self.times,
                self.loincs, self.methods, self.units, self.ranges, self.flags, self.labs,
                self.notes, strict=True):
            yield Candidate(line, raw, date, marker, value, time, loinc, method, unit, ref, flag,
                            lab, note)


Item = Candidate | CandidateRun | Ready | Failed | Ignored | OtherRecord
