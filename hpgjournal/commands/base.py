"""What every command is, and what it says it changed."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hpgjournal.domain.display import marker_name
from hpgjournal.domain.phases import phase_label
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


@dataclass(frozen=True)
class Change:
    """What one step of a command did: the kinds of record it touched (record types, and
    :class:`~hpgjournal.domain.kinds.Profile` for the profile) and the records it added, with
    the ids the journal gave them (empty for undo, edits and deletions)."""

    kinds: frozenset[type] = frozenset()
    added: tuple[Any, ...] = field(default=())

    @classmethod
    def of(cls, kinds: Iterable[type], added: Iterable[Any] = ()) -> Change:
        return cls(frozenset(kinds), tuple(added))


class Command(ABC):
    """One edit of a journal; ``text`` names it as Edit > Undo does ("Undo Add check-in").

    :meth:`do` runs it the first time (and may refuse, raising, with nothing written);
    :meth:`undo` takes it back; :meth:`redo` runs it again after an undo, giving back the same
    ids. Each runs in one transaction. :meth:`needed` is False for a command that would change
    nothing (an edit that keeps every field), which the session then does not run at all.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def needed(self, journal: Journal) -> bool:
        return True

    @abstractmethod
    def do(self, journal: Journal) -> Change: ...

    @abstractmethod
    def undo(self, journal: Journal) -> Change: ...

    def redo(self, journal: Journal) -> Change:
        return self.do(journal)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.text!r}>"


def doses_linked_to(journal: Journal, records: Iterable[Any], *,
                    outside_batch: int | None = None) -> list[Dose]:
    """The doses logged against the regimens among ``records`` (those of import batch
    ``outside_batch`` left out): what taking the regimens away unlinks, and undo links again."""
    regimens = {r.id for r in records if isinstance(r, Medication)}
    if not regimens:
        return []
    return [d for d in journal.all(Dose) if d.medication_id in regimens
            and (outside_batch is None or d.batch_id != outside_batch)]


def describe(record: Any) -> str:
    """A record in the words of a menu item or a question: "Testosterone 14.2 on 2026-03-01"."""
    if isinstance(record, LabResult):
        return f"{marker_name(record.analyte)} {record.reported_value} on {record.taken_at[:10]}"
    if isinstance(record, Medication):
        return f"{record.drug} from {record.start_date}"
    if isinstance(record, Dose):
        return f"{record.drug} on {record.taken_at.replace('T', ' ')}"
    if isinstance(record, Phase):
        return f"{phase_label(record.kind)} from {record.start_date}"
    if isinstance(record, Note):
        return f"check-in of {record.noted_at.replace('T', ' ')}"
    if isinstance(record, Measure):
        return f"measures of {record.measured_at}"
    if isinstance(record, Questionnaire):
        return f"AMS questionnaire of {record.taken_at}"
    return str(record)
