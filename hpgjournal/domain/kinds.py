"""The kinds of record a journal holds: one registry, from which every per-kind map is made.

Each :class:`RecordKind` names a record dataclass (``domain/records.py``), the journal table
that stores it, its name in an export (``hpgjournal export``, the ``export all`` document),
the fields its records are listed in order of, and the words the window and the command line
use for one record and for several. The store, the export, the importers and the window derive
their maps from :data:`KINDS` (or look a kind up with :func:`kind_of` / :func:`kind_of_table`);
none keeps its own list.

The order of :data:`KINDS` is the export's order: lab results, then the other records in the
order an import writes them (regimens before the doses that point to them), import batches
last. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from hpgjournal.domain.records import (
    Batch,
    Dose,
    LabResult,
    Measure,
    Medication,
    Note,
    Phase,
    Questionnaire,
)

__all__ = ["KINDS", "Profile", "RecordKind", "kind_of", "kind_of_export", "kind_of_table"]


@dataclass(frozen=True)
class RecordKind:
    """One kind of record.

    ``order`` are the fields its records are listed by (oldest first, the id last, so that the
    order is total); ``noun``/``plural`` what a user calls one and several (``check-in``,
    ``import batches``); ``short`` the noun of a record in a question about it ("Delete the
    result ...?"). ``batched``: its records belong to the import batch that added them.
    """

    record: type
    table: str
    export_name: str
    order: tuple[str, ...]
    noun: str
    plural: str
    short: str
    batched: bool = True


KINDS: tuple[RecordKind, ...] = (
    RecordKind(LabResult, "lab_results", "labs", ("taken_at", "analyte", "id"),
               "lab result", "lab results", "result"),
    RecordKind(Medication, "medications", "medications", ("start_date", "id"),
               "regimen", "regimens", "regimen"),
    RecordKind(Dose, "doses", "doses", ("taken_at", "id"), "dose", "doses", "dose"),
    RecordKind(Phase, "phases", "phases", ("start_date", "id"), "phase", "phases", "phase"),
    RecordKind(Note, "notes", "notes", ("noted_at", "id"), "check-in", "check-ins", "check-in"),
    RecordKind(Measure, "measures", "measures", ("measured_at", "id"),
               "measure", "measures", "measure"),
    RecordKind(Questionnaire, "questionnaires", "questionnaires", ("taken_at", "id"),
               "questionnaire", "questionnaires", "questionnaire"),
    RecordKind(Batch, "batches", "batches", ("imported_at", "id"),
               "import batch", "import batches", "import batch", batched=False),
)

_BY_RECORD = {k.record: k for k in KINDS}
_BY_TABLE = {k.table: k for k in KINDS}
_BY_EXPORT = {k.export_name: k for k in KINDS}


def kind_of(record_type: type) -> RecordKind:
    """The kind of a record class (KeyError for a class that is not a record)."""
    return _BY_RECORD[record_type]


def kind_of_table(table: str) -> RecordKind:
    """The kind a journal table stores (KeyError for a table that holds no records)."""
    return _BY_TABLE[table]


def kind_of_export(name: str) -> RecordKind:
    """The kind of an export name (``labs``, ``doses``...; KeyError for another name)."""
    return _BY_EXPORT[name]


class Profile:
    """Stands for the journal's profile (name, date of birth, clinician, goal) in a set of
    changed kinds: it is not a record type, but the pages that show the age reload on it."""
