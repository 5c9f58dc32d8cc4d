"""The open journal as the window sees it: every edit is an undoable command.

The edits themselves are the plain commands of :mod:`hpgjournal.commands`; this module only
puts each on a ``QUndoStack`` (so Edit > Undo and Redo run it) and announces what each step
changed, so that the pages showing those kinds reload (``JournalSession.changed``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from hpgjournal.commands import (
    AddRecords,
    Change,
    Command,
    DeleteRecords,
    EditAndAdd,
    EditRecord,
    SetProfile,
)
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

    def run(self, command: Command) -> Change:
        """Run a command now (raising, with nothing written, if the journal refuses it) and put
        it on the undo stack. A command that would change nothing is neither run nor kept."""
        if not command.needed(self.journal):
            return Change()
        step = UndoStep(self, command)  # runs it
        self.undo_stack.push(step)
        return step.change

    # The edits the record pages make, by name.
    def add(self, records: Sequence[Any], text: str) -> list[Any]:
        """Add records; returns them with their new ids."""
        return list(self.run(AddRecords(records, text)).added)

    def edit(self, old: Any, new: Any, text: str) -> None:
        self.run(EditRecord(old, new, text))

    def delete(self, records: Sequence[Any], text: str) -> None:
        self.run(DeleteRecords(records, text))

    def edit_and_add(self, edits: Sequence[tuple[Any, Any]], records: Sequence[Any],
                     text: str) -> list[Any]:
        """Several edits and additions as one transaction and one undoable step."""
        return list(self.run(EditAndAdd(edits, records, text)).added)

    def set_profile(self, values: dict[str, str], text: str = "Edit the profile") -> None:
        """Change the profile (name, date of birth, clinician, goal) as one undoable step."""
        self.run(SetProfile(values, text))

    def announce(self, kinds: frozenset[type] | set[type]) -> None:
        self.changed.emit(frozenset(kinds))

    def step_failed(self, step: QUndoCommand, direction: str, exc: Exception) -> None:
        """An undo or redo could not be written: say so, and put the stack back."""
        stack = self.undo_stack
        # QUndoStack moves its index once this returns: move it back to where it is now
        target = stack.index()
        QTimer.singleShot(0, lambda: stack.setIndex(target))
        log.warning("%s of %r failed: %r", direction, step.text(), exc)
        self.failed.emit(f"{direction.capitalize()} of \u201c{step.text()}\u201d", exc)


class UndoStep(QUndoCommand):
    """A command on the undo stack. It writes nothing itself: creating it runs the command's
    ``do`` (so a refusal surfaces at once and nothing is pushed), Undo its ``undo``, Redo its
    ``redo``.

    When a later undo or redo fails (a full disk, a read-only journal), its transaction has
    written nothing: the session reports it and moves the stack back to where the journal
    really is, so the next Undo does what its menu text says.
    """

    def __init__(self, session: JournalSession, command: Command) -> None:
        super().__init__(command.text)
        self.session, self.command = session, command
        self.change = command.do(session.journal)
        self._pushed = False  # QUndoStack.push calls redo(): the first one has happened
        self._skip = False
        session.announce(self.change.kinds)

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._step(self.command.redo, "redo")

    def undo(self) -> None:
        self._step(self.command.undo, "undo")

    def _step(self, step: Callable[[Journal], Change], direction: str) -> None:
        if self._skip:  # the stack moving back after a failed step: nothing to write
            self._skip = False
            return
        try:
            change = step(self.session.journal)
        except Exception as exc:
            self._skip = True
            self.session.step_failed(self, direction, exc)
            return
        self.session.announce(change.kinds)
