"""Every edit of a journal as a plain object that does, undoes and redoes itself.

A command is built from what the user chose (records, a regimen, an import batch), then run over
an open :class:`~hpgjournal.store.journal.Journal`: :meth:`Command.do` the first time,
:meth:`Command.undo` and :meth:`Command.redo` after. Each step is one transaction (all of it is
written or none of it) and returns a :class:`Change`: which kinds of record it touched and the
records it added, with their ids. The window wraps each command in a ``QUndoCommand``
(``ui/session.py``) and reloads the pages showing the kinds that changed; the command line runs
the same commands without an undo stack. Nothing here imports Qt.
"""

from hpgjournal.commands.base import Change, Command, describe
from hpgjournal.commands.batches import ImportBatch, RemoveBatch
from hpgjournal.commands.records import (
    AddRecords,
    DeleteRecords,
    EditAndAdd,
    EditRecord,
    SetProfile,
)
from hpgjournal.commands.regimens import ChangeRegimen, LogDose, StartPhases, phases_to_start

__all__ = [
    "AddRecords",
    "Change",
    "ChangeRegimen",
    "Command",
    "DeleteRecords",
    "EditAndAdd",
    "EditRecord",
    "ImportBatch",
    "LogDose",
    "RemoveBatch",
    "SetProfile",
    "StartPhases",
    "describe",
    "phases_to_start",
]
