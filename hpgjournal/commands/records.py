"""Adding, correcting and deleting records, and the profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from hpgjournal.commands.base import Change, Command, doses_linked_to
from hpgjournal.domain.kinds import Profile
from hpgjournal.domain.records import Dose
from hpgjournal.store.journal import Journal


class AddRecords(Command):
    """Records of any kinds added as one step; after :meth:`do`, ``records`` carry their ids."""

    def __init__(self, records: Sequence[Any], text: str) -> None:
        super().__init__(text)
        self.records = list(records)

    def needed(self, journal: Journal) -> bool:
        return bool(self.records)

    def do(self, journal: Journal) -> Change:
        with journal.transaction():
            ids = journal.add_many(self.records)
        self.records = [replace(r, id=i) for r, i in zip(self.records, ids, strict=True)]
        return Change.of(self._kinds(), self.records)

    def undo(self, journal: Journal) -> Change:
        with journal.transaction():
            for record in reversed(self.records):  # doses before the regimens they point to
                journal.delete(type(record), record.id)
        return Change.of(self._kinds())

    def redo(self, journal: Journal) -> Change:
        with journal.transaction():
            for record in self.records:
                journal.restore(record)
        return Change.of(self._kinds(), self.records)

    def _kinds(self) -> set[type]:
        return {type(r) for r in self.records}


class EditAndAdd(Command):
    """Several corrections and additions as one step (a regimen ended and its successor
    started). Each edit is a pair ``(old, new)`` of the same record; undo writes ``old`` back
    exactly as it was, even where it holds a value the journal would now refuse."""

    def __init__(self, edits: Sequence[tuple[Any, Any]], records: Sequence[Any],
                 text: str) -> None:
        super().__init__(text)
        self.edits = [(old, new) for old, new in edits]
        self.records = list(records)

    def needed(self, journal: Journal) -> bool:
        return bool(self.records) or any(old != new for old, new in self.edits)

    def do(self, journal: Journal) -> Change:
        with journal.transaction():
            for _, new in self.edits:
                journal.update(new)
            ids = journal.add_many(self.records)
        self.records = [replace(r, id=i) for r, i in zip(self.records, ids, strict=True)]
        return Change.of(self._kinds(), self.records)

    def undo(self, journal: Journal) -> Change:
        with journal.transaction():
            for record in reversed(self.records):
                journal.delete(type(record), record.id)
            for old, _ in self.edits:
                journal.update(old, guarded=False)
        return Change.of(self._kinds())

    def redo(self, journal: Journal) -> Change:
        with journal.transaction():
            for _, new in self.edits:
                journal.update(new)
            for record in self.records:
                journal.restore(record)
        return Change.of(self._kinds(), self.records)

    def _kinds(self) -> set[type]:
        return {type(r) for r in self.records} | {type(new) for _, new in self.edits}


class EditRecord(EditAndAdd):
    """One record corrected: ``new`` is ``old`` with the user's changes, under the same id."""

    def __init__(self, old: Any, new: Any, text: str) -> None:
        if type(old) is not type(new) or old.id != new.id:
            raise ValueError(f"an edit keeps the record and its id: {old!r} -> {new!r}")
        super().__init__([(old, new)], [], text)


class DeleteRecords(Command):
    """Records deleted as one step. Deleting a regimen unlinks the doses logged against it
    (they stay, without a regimen); undo puts the regimen back and links them again."""

    def __init__(self, records: Sequence[Any], text: str) -> None:
        super().__init__(text)
        self.records = list(records)
        self.linked: list[Dose] = []

    def needed(self, journal: Journal) -> bool:
        return bool(self.records)

    def do(self, journal: Journal) -> Change:
        with journal.transaction():
            self.linked = doses_linked_to(journal, self.records)
            for record in self.records:
                journal.delete(type(record), record.id)
        return Change.of(self._kinds())

    def undo(self, journal: Journal) -> Change:
        with journal.transaction():
            for record in self.records:  # in the order given: regimens before their doses
                journal.restore(record)
            for dose in self.linked:
                journal.update(dose, guarded=False)
        return Change.of(self._kinds())

    def _kinds(self) -> set[type]:
        return {type(r) for r in self.records} | ({Dose} if self.linked else set())


class SetProfile(Command):
    """Fields of the profile (``name``, ``birth_date``, ``clinician``, ``goal``) changed as one
    step; undo gives back what each held (an empty text for a field never set)."""

    def __init__(self, values: dict[str, str], text: str = "Edit the profile") -> None:
        super().__init__(text)
        self.after = dict(values)
        self.before: dict[str, str] = {}

    def needed(self, journal: Journal) -> bool:
        now = journal.profile()
        return any(now.get(k, "") != v for k, v in self.after.items())

    def do(self, journal: Journal) -> Change:
        now = journal.profile()
        self.before = {k: now.get(k, "") for k in self.after}
        journal.set_profile(**self.after)
        return Change.of({Profile})

    def undo(self, journal: Journal) -> Change:
        journal.set_profile(**self.before)
        return Change.of({Profile})

    def redo(self, journal: Journal) -> Change:
        journal.set_profile(**self.after)
        return Change.of({Profile})
