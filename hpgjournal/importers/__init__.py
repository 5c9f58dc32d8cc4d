"""Importing lab results from the files people bring (pandas and the standard library; no Qt).

The import dialog and the command line use the same three steps::

    from hpgjournal.importers import plan_import, commit_plan

    plan = plan_import([path], journal)            # reads, detects, normalises; writes nothing
    for row in plan.rows: ...                      # "new", "duplicate" or "error" (with reason)
    result = commit_plan(plan, journal)            # one batch, one transaction
    journal.undo_batch(result.batch_id)            # undo the whole import

A table whose columns are not recognised raises :class:`LayoutNotRecognised` (with its
columns and first rows); plan again with ``mapping=ColumnMapping(date=..., marker=...,
value=...)``. Every failure of a whole file is a :class:`~hpgjournal.domain.errors.UserError`
with a one-line message.

This package loads its modules on first use, so importing it costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hpgjournal.importers.names import DATE_ORDER_CHOICES, FORMAT_NAMES

if TYPE_CHECKING:
    from hpgjournal.importers.commit import CommitResult, commit_plan
    from hpgjournal.importers.errors import (
        AmbiguousDatesError,
        BinaryFileError,
        EmptyFileError,
        FileProblem,
        FileTooLargeError,
        ImportCancelled,
        ImportProblem,
        LayoutNotRecognised,
        NoLabResultsError,
        NotAFileError,
        NotATableError,
        SpreadsheetFileError,
        StrictImportRefused,
        UnknownFormatError,
        UnreadableTextError,
    )
    from hpgjournal.importers.mapping import ColumnMapping
    from hpgjournal.importers.plan import FilePlan, ImportPlan, PlannedRecord, PlannedRow, plan_import

_EXPORTS = {
    "plan_import": "plan", "ImportPlan": "plan", "FilePlan": "plan", "PlannedRow": "plan",
    "PlannedRecord": "plan", "commit_plan": "commit", "CommitResult": "commit",
    "ColumnMapping": "mapping",
    **dict.fromkeys((
        "AmbiguousDatesError", "BinaryFileError", "EmptyFileError", "FileProblem",
        "FileTooLargeError", "ImportCancelled", "ImportProblem", "LayoutNotRecognised",
        "NoLabResultsError", "NotAFileError", "NotATableError", "SpreadsheetFileError",
        "StrictImportRefused", "UnknownFormatError", "UnreadableTextError"), "errors"),
}

__all__ = [
    "DATE_ORDER_CHOICES", "FORMAT_NAMES", "AmbiguousDatesError", "BinaryFileError",
    "ColumnMapping", "CommitResult", "EmptyFileError", "FilePlan", "FileProblem",
    "FileTooLargeError", "ImportCancelled", "ImportPlan", "ImportProblem", "LayoutNotRecognised",
    "NoLabResultsError", "NotAFileError", "NotATableError", "PlannedRecord", "PlannedRow",
    "SpreadsheetFileError", "StrictImportRefused", "UnknownFormatError", "UnreadableTextError", "commit_plan",
    "plan_import",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hpgjournal.importers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"hpgjournal.importers.{module}"), name)
    globals()[name] = value
    return value
