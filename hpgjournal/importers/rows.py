"""What a format's reader yields for each row of a file, before normalisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hpgjournal.domain.records import LabResult

__all__ = ["Candidate", "Failed", "Ignored", "Item", "OtherRecord", "Ready", "RowError",
           "cells_by_name"]


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


Item = Candidate | Ready | Failed | Ignored | OtherRecord
