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
    failed = Signal(str, object)  # what could not be done, and the exception

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

    def edit_and_add(self, edits: Sequence[tuple[Any, Any]], records: Sequence[Any],
                     text: str) -> list[Any]:
        """Several edits and additions as one transaction and one undoable step."""
        command = _EditAndAdd(self, list(edits), list(records), text)
        self.undo_stack.push(command)
        return command.records

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

    def step_failed(self, command: QUndoCommand, direction: str, exc: Exception) -> None:
        """An undo or redo could not be written: say so, and put the stack back."""
        from PySide6.QtCore import QTimer

        stack = self.undo_stack
        # QUndoStack moves its index once this returns: move it back to where it is now
        target = stack.index()
        QTimer.singleShot(0, lambda: stack.setIndex(target))
        log.warning("%s of %r failed: %r", direction, command.text(), exc)
        self.failed.emit(f"{direction.capitalize()} of \u201c{command.text()}\u201d", exc)


class SessionCommand(QUndoCommand):
    """A command whose first redo happened when it was created (so errors surface at once).

    When a later undo or redo fails (a full disk, a read-only journal), the transaction has
    written nothing: the session reports it and moves the stack back to where the journal
    really is, so the next Undo does what its menu text says.
    """

    def __init__(self, session: JournalSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self._done = True
        self._skip = False

    @property
    def journal(self) -> Journal:
        return self.session.journal

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        if self._skip:  # the stack moving back after a failed undo: nothing to write
            self._skip = False
            return
        if self._guarded(self.apply, "redo"):  # type: ignore[attr-defined]
            self.session.announce(self.kinds())  # type: ignore[attr-defined]

    def undo(self) -> None:
        if self._skip:
            self._skip = False
            return
        if self._guarded(self.revert, "undo"):  # type: ignore[attr-defined]
            self.session.announce(self.kinds())  # type: ignore[attr-defined]

    def _guarded(self, step: Any, direction: str) -> bool:
        try:
            step()
        except Exception as exc:
            self._skip = True
            self.session.step_failed(self, direction, exc)
            return False
        return True

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


class _EditAndAdd(SessionCommand):
    def __init__(self, session: JournalSession, edits: list[tuple[Any, Any]],
                 records: list[Any], text: str) -> None:
        super().__init__(session, text)
        self.edits = edits
        with session.journal.transaction():
            for _, new in edits:
                session.journal.update(new)
            ids = session.journal.add_many(records)
        self.records = [replace(r, id=i) for r, i in zip(records, ids, strict=True)]
        session.announce(self.kinds())

    def apply(self) -> None:
        with self.journal.transaction():
            for _, new in self.edits:
                self.journal.update(new)
            for record in self.records:
                self.journal.restore(record)

    def revert(self) -> None:
        with self.journal.transaction():
            for record in self.records:
                self.journal.delete(type(record), record.id)
            for old, _ in self.edits:
                self.journal.update(old)

    def kinds(self) -> set[type]:
        return {type(r) for r in self.records} | {type(new) for _, new in self.edits}


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


def _restore_batch(journal: Journal, batch: Batch, records: list[Any],
                   linked: list[Dose]) -> None:
    with journal.transaction():
        journal.restore(batch)
        for record in records:  # in batch_records order: medications before their doses
            journal.restore(record)
        for dose in linked:  # doses entered by hand against the batch's regimens
            journal.update(dose)


def _linked_doses(journal: Journal, batch_id: int, records: list[Any]) -> list[Dose]:
    """Doses outside the batch that point to one of its regimens (removal unlinks them)."""
    regimens = {r.id for r in records if isinstance(r, Medication)}
    if not regimens:
        return []
    return [d for d in journal.all(Dose)
            if d.medication_id in regimens and d.batch_id != batch_id]


class _BatchCommand(SessionCommand):
    """An import batch put back or taken out; ``removes`` says which the first step did."""

    removes = False

    def __init__(self, session: JournalSession, batch_id: int, text: str) -> None:
        super().__init__(session, text)
        self.batch = session.journal.get(Batch, batch_id)
        self.records = session.journal.batch_records(batch_id)
        self.linked: list[Dose] = []
        if self.removes:
            self.take_out()
        session.announce(self.kinds())

    def put_back(self) -> None:
        _restore_batch(self.journal, self.batch, self.records, self.linked)

    def take_out(self) -> None:
        self.linked = _linked_doses(self.journal, self.batch.id, self.records)
        self.journal.undo_batch(self.batch.id)

    def apply(self) -> None:
        if self.removes:
            self.take_out()
        else:
            self.put_back()

    def revert(self) -> None:
        if self.removes:
            self.put_back()
        else:
            self.take_out()

    def kinds(self) -> set[type]:
        return {Batch, LabResult, Dose, *(type(r) for r in self.records)}


class ImportBatchCommand(_BatchCommand):
    """An import already committed as one batch: undo removes the whole batch, redo restores it."""


class RemoveBatchCommand(_BatchCommand):
    """Take an earlier import out of the journal (from the import history); undo puts it back."""

    removes = True


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
