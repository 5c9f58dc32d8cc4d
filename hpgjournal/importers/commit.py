"""Writing a plan: one import batch, in one transaction, all of it or nothing.

Duplicates are checked again inside the transaction (the journal may have changed since the
plan was made), so importing the same file twice adds nothing the second time. The batch
records the files' names, formats and SHA-256 checksums; undoing it is
``journal.undo_batch(batch_id)``.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from hpgjournal.domain.errors import RecordRefused
from hpgjournal.domain.records import Dose, Medication
from hpgjournal.importers.errors import (
    AmbiguousDatesError,
    ImportCancelled,
    ImportProblem,
    StrictImportRefused,
)
from hpgjournal.importers.names import OTHER_TABLES
from hpgjournal.importers.plan import (
    ImportPlan,
    PlannedRecord,
    PlannedRow,
    PlannedRows,
    Progress,
    existing_keys,
    paused_gc,
    record_key,
)
from hpgjournal.store.export import TABLES
from hpgjournal.store.journal import Journal

__all__ = ["CommitResult", "commit_plan"]

_CHUNK = 5000
_RECORD_ORDER = OTHER_TABLES


@dataclass(frozen=True)
class CommitResult:
    """What a commit wrote: the new batch (None when nothing was new) and the counts.

    ``added`` results were written; ``duplicates`` were already there; ``errors`` rows were
    unreadable and skipped; ``records`` counts other records (medications, doses...) written.
    """

    batch_id: int | None
    added: int
    duplicates: int
    errors: int
    records: int = 0


def ambiguity_message(plan: ImportPlan) -> str:
    """The one-line question to the user when a file's date order is not known."""
    files = plan.ambiguous_files()
    example = next((e for f in files for e in f.date_examples), "03/04/2024")
    names = ", ".join(f.path.name for f in files)
    return (f"the dates in {names} (such as {example}) read both day-first and month-first, and "
            "nothing in the file tells which: choose the date order (--date-order dmy for "
            "day/month/year, --date-order mdy for month/day/year)")


def strict_message(errors: list[PlannedRow]) -> str:
    first = errors[0]
    more = f" (and {len(errors) - 1} more unreadable rows)" if len(errors) > 1 else ""
    return (f"{first.file.name}:{first.line}: {first.reason}{more}: nothing was imported because "
            "of --strict; fix the rows, or import without --strict to skip them")


def _batch_fields(plan: ImportPlan) -> tuple[str, str, str, str]:
    names = ", ".join(f.path.name for f in plan.files)
    formats = ", ".join(dict.fromkeys(f.format for f in plan.files))
    checksums = ",".join(f.sha256 for f in plan.files)
    note = "; ".join(
        f"{f.path.name}: {f.format}, {f.encoding}, dates {f.date_order}, "
        f"{f.counts.get('new', 0)} new, {f.counts.get('duplicate', 0)} duplicates, "
        f"{f.counts.get('error', 0)} unreadable" for f in plan.files)
    return names[:500], formats, checksums, note[:2000]


def commit_plan(
    plan: ImportPlan,
    journal: Journal,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CommitResult:
    """Write the plan's new rows as one import batch, in one transaction.

    With ``strict``, any unreadable row refuses the whole import
    (:class:`StrictImportRefused`). A file whose date order is ambiguous refuses it too
    (:class:`AmbiguousDatesError`): plan again with a ``date_order``. ``progress(done, total)``
    is called per chunk of rows; when ``cancelled()`` returns True the transaction is rolled
    back and :class:`ImportCancelled` raised. Whatever goes wrong, the journal is left as it
    was. When nothing is new, no batch is created and ``batch_id`` is None.
    """
    errors = plan.error_rows()
    duplicates = plan.count("duplicate")
    if plan.ambiguous_files():
        raise AmbiguousDatesError(ambiguity_message(plan), [f.path for f in plan.ambiguous_files()])
    if strict and errors:
        raise StrictImportRefused(strict_message(errors), errors)
    record_errors = [r for r in plan.records if r.status == "error"]
    if strict and record_errors:
        first = record_errors[0]
        raise StrictImportRefused(f"{first.file.name}: {first.table} #{first.line}: {first.reason}: "
                                  "nothing was imported because of --strict", record_errors)
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    rows = plan.rows
    # the rows' places, not their results: a result is made from its row's parts when written
    new = rows.positions("new")
    records = [r for r in plan.records if r.status == "new"]
    if not new and not records and not plan.profile:
        return CommitResult(None, 0, duplicates, len(errors))
    try:
        with paused_gc(), journal.transaction():
            present = existing_keys(journal)
            fresh = array("q", (i for i in new if rows.key(i) not in present)) if present else new
            late = len(new) - len(fresh)
            written_records = _fresh_records(journal, records)
            if not fresh and not written_records:
                if plan.profile:
                    _set_profile(journal, plan.profile)
                return CommitResult(None, 0, duplicates + late, len(errors))
            batch_id = journal.start_batch(*_batch_fields(plan))
            _insert_results(journal, rows, fresh, batch_id, progress, cancelled)
            count = _insert_records(journal, written_records, plan.records, batch_id)
            if plan.profile:
                _set_profile(journal, plan.profile)
            journal.set_batch_rows(batch_id, len(fresh))
            if cancelled is not None and cancelled():
                raise ImportCancelled()
    except RecordRefused as exc:
        raise ImportProblem(f"{exc} (nothing was imported); please report this with the "
                            "file") from None
    return CommitResult(batch_id, len(fresh), duplicates + late, len(errors), count)


def _insert_results(journal: Journal, rows: PlannedRows, positions: array[int], batch_id: int,
                    progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
    values = rows.values
    total = len(positions)
    for start in range(0, total, _CHUNK):
        chunk = positions[start:start + _CHUNK]
        journal.insert_lab_values(batch_id, list(map(values, chunk)))
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None:
            progress(min(start + len(chunk), total), total)
    if progress is not None and total == 0:
        progress(0, 0)


def _fresh_records(journal: Journal, records: list[PlannedRecord]) -> list[PlannedRecord]:
    if not records:
        return []
    present = {table: {record_key(r) for r in journal.all(TABLES[table])} for table in _RECORD_ORDER}
    fresh = []
    for planned in records:
        key = record_key(planned.record)
        if key not in present[planned.table]:
            present[planned.table].add(key)
            fresh.append(planned)
    return fresh


def _insert_records(journal: Journal, records: list[PlannedRecord],
                    planned: list[PlannedRecord], batch_id: int) -> int:
    """Write medications first, so that doses can point to their new ids.

    A dose whose medication is already in the journal points to that medication.
    """
    medication_ids: dict[int, int | None] = {}
    known = {record_key(m): m.id for m in journal.all(Medication)}
    for other in planned:
        if other.table == "medications" and other.record is not None and \
                other.source_id is not None and record_key(other.record) in known:
            medication_ids[other.source_id] = known[record_key(other.record)]
    for table in _RECORD_ORDER:
        for entry in (r for r in records if r.table == table):
            record: Any = replace(entry.record, batch_id=batch_id)
            if isinstance(record, Dose):
                old = record.medication_id
                record = replace(record, medication_id=medication_ids.get(old) if old else None)
            new_id = journal.add(record)
            if table == "medications" and entry.source_id is not None:
                medication_ids[entry.source_id] = new_id
    return len(records)


def _set_profile(journal: Journal, profile: dict[str, str]) -> None:
    current = journal.profile()
    missing = {k: v for k, v in profile.items() if k not in current}
    if missing:
        journal.set_profile(**missing)
