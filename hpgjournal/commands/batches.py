"""Import batches as steps: an import that has landed, and an earlier import taken out."""

from __future__ import annotations

from typing import Any

from hpgjournal.commands.base import Change, Command, doses_linked_to
from hpgjournal.domain.records import Batch, Dose
from hpgjournal.store.journal import Journal


class _BatchStep(Command):
    """Puts a whole import batch back, or takes it out, with what it added.

    Doses entered by hand against one of the batch's regimens are unlinked when the batch goes
    (the regimen is gone) and linked again when it comes back.
    """

    def __init__(self, batch_id: int, text: str) -> None:
        super().__init__(text)
        self.batch_id = batch_id
        self.batch: Batch | None = None
        self.records: list[Any] = []
        self.linked: list[Dose] = []

    def _capture(self, journal: Journal) -> Batch:
        batch = journal.get(Batch, self.batch_id)
        if batch is None:
            raise LookupError(f"import batch {self.batch_id} is not in this journal "
                              "(it may have been taken out already)")
        self.batch = batch
        self.records = journal.batch_records(self.batch_id)
        return batch

    def _take_out(self, journal: Journal) -> Change:
        with journal.transaction():
            self.linked = doses_linked_to(journal, self.records, outside_batch=self.batch_id)
            journal.undo_batch(self.batch_id)
        return Change.of(self._kinds())

    def _put_back(self, journal: Journal) -> Change:
        assert self.batch is not None, "a batch is put back only after it was captured"
        with journal.transaction():
            journal.restore(self.batch)
            for record in self.records:  # batch_records order: medications before doses
                journal.restore(record)
            for dose in self.linked:
                journal.update(dose, guarded=False)
        return Change.of(self._kinds(), self.records)

    def _kinds(self) -> set[type]:
        kinds: set[type] = {Batch, *(type(r) for r in self.records)}
        return kinds | ({Dose} if self.linked else set())


class ImportBatch(_BatchStep):
    """An import the importer has already written as one batch (``importers.commit``): doing it
    writes nothing more; undo takes the whole batch out, redo puts it back."""

    def do(self, journal: Journal) -> Change:
        self._capture(journal)
        return Change.of(self._kinds(), self.records)

    def undo(self, journal: Journal) -> Change:
        return self._take_out(journal)

    def redo(self, journal: Journal) -> Change:
        return self._put_back(journal)


class RemoveBatch(_BatchStep):
    """An earlier import taken out of the journal with everything it added (the import
    history's Remove); undo puts it back under the same ids."""

    def do(self, journal: Journal) -> Change:
        with journal.transaction():
            self._capture(journal)
            return self._take_out(journal)

    def undo(self, journal: Journal) -> Change:
        return self._put_back(journal)

    def redo(self, journal: Journal) -> Change:
        return self._take_out(journal)
