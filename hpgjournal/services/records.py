"""The journal's records read once, as plain lists, for the report (issue 20)."""

from __future__ import annotations

from dataclasses import dataclass

from hpgjournal.domain.records import (
    Dose,
    LabResult,
    Measure,
    Medication,
    Note,
    Phase,
    Questionnaire,
)
from hpgjournal.store.journal import Journal

__all__ = ["JournalRecords", "read_records"]


@dataclass(frozen=True)
class JournalRecords:
    """Every record the report reads, in the store's order; ``profile`` is the profile's fields."""

    results: list[LabResult]
    phases: list[Phase]
    medications: list[Medication]
    doses: list[Dose]
    notes: list[Note]
    measures: list[Measure]
    questionnaires: list[Questionnaire]
    profile: dict[str, str]


def read_records(journal: Journal) -> JournalRecords:
    """One read of the journal for the report."""
    return JournalRecords(
        results=journal.lab_results(), phases=journal.all(Phase),
        medications=journal.all(Medication), doses=journal.all(Dose), notes=journal.all(Note),
        measures=journal.all(Measure), questionnaires=journal.all(Questionnaire),
        profile=journal.profile())
