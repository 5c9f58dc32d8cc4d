"""The open journal as the window sees it: every edit is an undoable command.

Each command writes in one transaction and then announces which kinds of record changed, so
that every view showing them refreshes (``JournalSession.changed``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from hpgjournal.domain.records import Batch, Dose, LabResult, Medication
from hpgjournal.store.journal import Journal

log = logging.getLogger("hpgjournal.ui")


class JournalSession(QObject):
    """Owns the journal and its undo stack while the journal is open in the window."""

    changed = Signal(object)  # a frozenset of record types that changed

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.undo_stack = QUndoStack(self)

    # Each method writes at once (raising if the journal refuses), then records the command.
    def add(self, records: Sequence[Any], text: str) -> list[Any]:
        """Add records; returns them with their new ids."""
        command = _Add(self, list(records), text)
        self.undo_stack.push(command)
        return command.records

    def edit(self, old: Any, new: Any, text: str) -> None:
        if old == new:
            return
        self.undo_stack.push(_Edit(self, old, new, text))

    def delete(self, records: Sequence[Any], text: str) -> None:
        if records:
            self.undo_stack.push(_Delete(self, list(records), text))

    def set_profile(self, values: dict[str, str], text: str = "Edit the profile") -> None:
        """Change the profile (name, date of birth, clinician, goal) as one undoable step."""
        before = {k: self.journal.profile().get(k, "") for k in values}
        if before == values:
            return
        self.journal.set_profile(**values)
        self.undo_stack.push(_Profile(self, before, dict(values), text))
        self.announce({Profile})

    def run(self, command: QUndoCommand) -> None:
        """Push a command of another module (e.g. undo of an import batch)."""
        self.undo_stack.push(command)

    def announce(self, kinds: set[type]) -> None:
        self.changed.emit(frozenset(kinds))


class SessionCommand(QUndoCommand):
    """A command whose first redo happened when it was created (so errors surface at once)."""

    def __init__(self, session: JournalSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self._done = True

    @property
    def journal(self) -> Journal:
        return self.session.journal

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.apply()  # type: ignore[attr-defined]
        self.session.announce(self.kinds())  # type: ignore[attr-defined]

    def undo(self) -> None:
        self.revert()  # type: ignore[attr-defined]
        self.session.announce(self.kinds())  # type: ignore[attr-defined]

    # Subclasses define apply() (do again), revert() (undo) and kinds() (what they touch).


class _Add(SessionCommand):
    def __init__(self, session: JournalSession, records: list[Any], text: str) -> None:
        super().__init__(session, text)
        with session.journal.transaction():
            ids = session.journal.add_many(records)
        self.records = [replace(r, id=i) for r, i in zip(records, ids, strict=True)]
        session.announce(self.kinds())

    def apply(self) -> None:
        with self.journal.transaction():
            for record in self.records:
                self.journal.restore(record)

    def revert(self) -> None:
        with self.journal.transaction():
            for record in self.records:
                self.journal.delete(type(record), record.id)

    def kinds(self) -> set[type]:
        return {type(r) for r in self.records}


class _Edit(SessionCommand):
    def __init__(self, session: JournalSession, old: Any, new: Any, text: str) -> None:
        super().__init__(session, text)
        self.old, self.new = old, new
        session.journal.update(new)
        session.announce(self.kinds())

    def apply(self) -> None:
        self.journal.update(self.new)

    def revert(self) -> None:
        self.journal.update(self.old, guarded=False)  # what was there, even if impossible

    def kinds(self) -> set[type]:
        return {type(self.new)}


class _Delete(SessionCommand):
    def __init__(self, session: JournalSession, records: list[Any], text: str) -> None:
        super().__init__(session, text)
        self.records = records
        # Doses keep a link to their regimen; remember it so that undo restores it.
        med_ids = [r.id for r in records if isinstance(r, Medication)]
        self.linked = [d for d in session.journal.all(Dose) if d.medication_id in med_ids] \
            if med_ids else []
        self.apply()
        session.announce(self.kinds())

    def apply(self) -> None:
        with self.journal.transaction():
            for record in self.records:
                self.journal.delete(type(record), record.id)

    def revert(self) -> None:
        with self.journal.transaction():
            for record in self.records:
                self.journal.restore(record)
            for dose in self.linked:
                self.journal.update(dose, guarded=False)

    def kinds(self) -> set[type]:
        return {type(r) for r in self.records} | ({Dose} if self.linked else set())


def _restore_batch(journal: Journal, batch: Batch, records: list[Any]) -> None:
    with journal.transaction():
        journal.restore(batch)
        for record in records:  # in batch_records order: medications before their doses
            journal.restore(record)


class ImportBatchCommand(SessionCommand):
    """An import already committed as one batch: undo removes the whole batch, redo restores it."""

    def __init__(self, session: JournalSession, batch_id: int, text: str) -> None:
        super().__init__(session, text)
        self.batch = session.journal.get(Batch, batch_id)
        self.records = session.journal.batch_records(batch_id)
        session.announce(self.kinds())

    def apply(self) -> None:
        _restore_batch(self.journal, self.batch, self.records)

    def revert(self) -> None:
        self.journal.undo_batch(self.batch.id)

    def kinds(self) -> set[type]:
        return {Batch, LabResult, *(type(r) for r in self.records)}


class RemoveBatchCommand(SessionCommand):
    """Take an earlier import out of the journal (from the import history); undo puts it back."""

    def __init__(self, session: JournalSession, batch_id: int, text: str) -> None:
        super().__init__(session, text)
        self.batch = session.journal.get(Batch, batch_id)
        self.records = session.journal.batch_records(batch_id)
        self.apply()
        session.announce(self.kinds())

    def apply(self) -> None:
        self.journal.undo_batch(self.batch.id)

    def revert(self) -> None:
        _restore_batch(self.journal, self.batch, self.records)

    def kinds(self) -> set[type]:
        return {Batch, LabResult, *(type(r) for r in self.records)}


class _Profile(SessionCommand):
    def __init__(self, session: JournalSession, before: dict[str, str], after: dict[str, str],
                 text: str) -> None:
        super().__init__(session, text)
        self.before, self.after = before, after

    def apply(self) -> None:
        self.journal.set_profile(**self.after)

    def revert(self) -> None:
        self.journal.set_profile(**self.before)

    def kinds(self) -> set[type]:
        return {Profile}


class Profile:
    """Stands for the profile in ``JournalSession.changed`` (it is not a record type)."""
