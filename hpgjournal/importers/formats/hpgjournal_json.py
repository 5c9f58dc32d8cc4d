"""hpgjournal's ``export all --format json`` document, read back without loss.

Every lab result keeps all its fields (the printed range text included); medications, doses,
phases, notes, measures and the profile come along, doses still pointing to their
medication. Ids and import batches belong to the exporting journal: the results become one new
import batch here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import fields
from typing import Any

from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.phases import PHASE_KINDS
from hpgjournal.domain.plausible import impossible_date
from hpgjournal.domain.records import SCORE_NAMES, Note, Phase, from_row
from hpgjournal.domain.timestamps import normalise_timestamp
from hpgjournal.importers.errors import UnknownFormatError
from hpgjournal.importers.formats.base import Format, Probe, Reading
from hpgjournal.importers.formats.hpgjournal_csv import own_result
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import FORMAT_LABELS, OTHER_TABLES
from hpgjournal.importers.rows import Failed, Item, OtherRecord, Ready, RowError
from hpgjournal.store.export import FORMAT_NAME, FORMAT_VERSION, TABLES

__all__ = ["HPGJOURNAL_JSON", "HpgjournalJsonFormat", "check_record"]

_DATE_FIELDS = ("taken_at", "noted_at", "measured_at", "start_date", "end_date")
_POSITIVE = ("interval_days", "weight_kg")
_NOT_NEGATIVE = ("testis_left_ml", "testis_right_ml")


def _raw(entry: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in entry.items()}


def _check_type(name: str, annotation: str, value: Any) -> Any:
    """Check one field against its annotation (``str``, ``float | None``...); return it."""
    optional = "None" in annotation
    if value is None:
        if optional:
            return None
        if annotation == "str":
            return ""
        raise RowError(f"{name} is missing")
    if annotation.startswith("str"):
        if not isinstance(value, str):
            raise RowError(f"{name} must be text, not {value!r}")
        return value
    if annotation.startswith("bool"):
        if value in (0, 1, True, False):
            return bool(value)
        raise RowError(f"{name} must be true or false, not {value!r}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RowError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value):  # JSON as Python reads it allows NaN and Infinity
        raise RowError(f"{name} {value!r} is not a finite number")
    if annotation.startswith("int"):
        if float(value) != int(value):
            raise RowError(f"{name} must be a whole number, not {value!r}")
        return int(value)
    return float(value)


def check_record(kind: type, entry: Mapping[str, Any]) -> Any:
    """A record of ``kind`` from an exported entry, checked as the journal's schema would."""
    values: dict[str, Any] = {}
    for f in fields(kind):
        if f.name == "id":
            continue
        values[f.name] = _check_type(f.name, str(f.type), entry.get(f.name))
    for name in _DATE_FIELDS:
        if values.get(name):
            try:
                values[name] = normalise_timestamp(values[name], name)
            except ValidationError as exc:
                raise RowError(str(exc)) from None
            too_early = impossible_date(values[name], future=False)  # plans may lie ahead
            if too_early:
                raise RowError(f"{name}: {too_early}")
    if values.get("end_date") and values.get("start_date") and values["end_date"] < values[
            "start_date"]:
        raise RowError("end_date is before start_date")
    for name in _POSITIVE:
        if values.get(name) is not None and values[name] <= 0:
            raise RowError(f"{name} must be above 0")
    for name in _NOT_NEGATIVE:
        if values.get(name) is not None and values[name] < 0:
            raise RowError(f"{name} must not be negative")
    if kind is Phase and values["kind"] not in PHASE_KINDS:
        raise RowError(f"unknown phase kind {values['kind']!r}")
    if kind is Note:
        for name in SCORE_NAMES:
            if values.get(name) is not None and not 0 <= values[name] <= 10:
                raise RowError(f"{name} must be between 0 and 10")
    return from_row(kind, {"id": None, **values})


def _is_ours(document: Any) -> bool:
    return isinstance(document, dict) and document.get("format") == FORMAT_NAME


class HpgjournalJsonFormat(Format):
    """``hpgjournal export all --format json`` (or one table as JSON)."""

    name = "hpgjournal-json"
    label = FORMAT_LABELS["hpgjournal-json"]
    kind = "json"

    def score(self, probe: Probe) -> float:
        return 1.0 if _is_ours(probe.document) else 0.0

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        document = probe.document
        path = probe.source.path
        if not _is_ours(document):
            raise UnknownFormatError(path, f"{path.name} is not an hpgjournal export (no "
                                           f"\"format\": \"{FORMAT_NAME}\"): choose another format")
        version = document.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise UnknownFormatError(path, f"{path.name} was written by a newer hpgjournal (export "
                                           f"format {version!r}, this one reads up to "
                                           f"{FORMAT_VERSION}): update hpgjournal to import it")
        profile = document.get("profile") or {}
        reading = Reading(items=(), layout=self.label, date_order="ymd",
                          needs_decimal_decision=False,
                          profile={str(k): str(v) for k, v in profile.items()
                                   if isinstance(v, str | int | float)}
                          if isinstance(profile, dict) else {})
        batches = document.get("batches")
        if isinstance(batches, list) and batches:
            reading.warnings.append(f"the {len(batches)} import batches of the exported journal "
                                    "are not copied: its results form this one new import batch")
        reading.items = self._items(document)
        return reading

    def _items(self, document: dict[str, Any]) -> Iterator[Item]:
        labs = document.get("labs") or []
        for index, entry in enumerate(labs if isinstance(labs, list) else [], start=1):
            if not isinstance(entry, dict):
                yield Failed(index, {"labs": str(entry)[:200]}, "not a lab result record")
                continue
            try:
                yield Ready(index, _raw(entry), own_result(entry))
            except RowError as exc:
                yield Failed(index, _raw(entry), str(exc))
        for table in OTHER_TABLES:
            entries = document.get(table) or []
            for index, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
                source_id = entry.get("id") if isinstance(entry, dict) else None
                if not isinstance(source_id, int) or isinstance(source_id, bool):
                    source_id = None
                try:
                    if not isinstance(entry, dict):
                        raise RowError("not a record")
                    record = check_record(TABLES[table], entry)
                except RowError as exc:
                    yield OtherRecord(index, table, None, source_id, str(exc))
                    continue
                yield OtherRecord(index, table, record, source_id)


HPGJOURNAL_JSON = HpgjournalJsonFormat()
