"""``hpgjournal import FILE...`` (DESIGN.md section 5).

Exit status: 0 when every readable row was imported (or was already there); 3 when unreadable
rows were skipped (each listed on stderr as ``file:line: reason``); 1 with one line on stderr
when a file cannot be read, the dates are ambiguous, or ``--strict`` refused the import.
``--dry-run`` plans and reports but writes nothing; ``--json`` prints one JSON document on
stdout whatever happens: the summary, with ``"ok": true``, or ``"ok": false`` with ``error``
(the message also printed on stderr) and ``file`` (the file it is about, or null).

This module is imported when the command line is built, so it loads nothing heavy itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hpgjournal.domain.display import count_of, record_word
from hpgjournal.importers.names import DATE_ORDER_CHOICES, FORMAT_LABELS, FORMAT_NAMES

if TYPE_CHECKING:
    from hpgjournal.domain.errors import UserError
    from hpgjournal.importers.commit import CommitResult
    from hpgjournal.importers.plan import ImportPlan
    from hpgjournal.store.journal import Journal

__all__ = ["EXIT_SKIPPED", "add_import_options", "cmd_import"]

EXIT_SKIPPED = 3


class _LinesFormatter(argparse.HelpFormatter):
    """Wraps each line of an option's help on its own, so that a list stays one item a line."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for number, part in enumerate(text.splitlines()):
            if not number:  # the sentence; then the items, their next lines indented
                lines += super()._split_lines(part, width)
                continue
            first, *more = super()._split_lines(part, width - 2) or [""]
            lines += [first, *(f"  {line}" for line in more)]
        return lines


def _format_help() -> str:
    """The help of ``--format``: each accepted value with what it reads."""
    listed = "\n".join(f"{name}: {label}" for name, label in FORMAT_LABELS.items())
    return f"read the files as this format instead of detecting it; NAME is one of:\n{listed}"


def add_import_options(p: argparse.ArgumentParser) -> None:
    """Give the ``import`` command's parser its description and options."""
    p.formatter_class = _LinesFormatter
    p.description = (
        "Import lab results from CSV exports (long or wide tables, WHOOP, Function Health, "
        "hpgjournal's own exports), spreadsheet workbooks (.xlsx, .xlsm, .ods, .xls: every "
        "sheet that holds a table), lab report PDFs with text (Quest, Labcorp, European labs; "
        "not scans), FHIR files (bundles, observations, NDJSON bulk exports), C-CDA documents "
        "(CCDs, MyChart's IHE-XDM zip) and Apple Health's export.zip as one batch. Unreadable "
        "rows are listed and skipped (exit status 3); importing the same file again adds "
        "nothing.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the files to import")
    p.add_argument("--format", choices=FORMAT_NAMES, default=None, metavar="NAME",
                   help=_format_help())
    p.add_argument("--date-order", choices=DATE_ORDER_CHOICES, default="auto",
                   help="how to read dates like 03/04/2024: mdy (month first), dmy (day first), "
                        "ymd; auto (default) decides from the file and asks when it cannot")
    p.add_argument("--encoding", metavar="NAME", default=None,
                   help="the text encoding (default: detected; e.g. utf-8, cp1252, latin-1)")
    p.add_argument("--dry-run", action="store_true", help="show what would be imported, write nothing")
    p.add_argument("--strict", action="store_true",
                   help="import nothing if any row is unreadable")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")


@contextmanager
def _journal_for(path: Path, dry_run: bool, passphrase: Any = None) -> Iterator[Journal]:
    """The journal to import into; a dry run only reads it (or an empty one if there is none).

    The plan is kept in memory: nothing of the files read is written anywhere but the journal.
    """
    from hpgjournal.store.journal import Journal

    if not dry_run:
        with Journal.open(path, passphrase=passphrase) as journal:
            yield journal
        return
    if path.exists():
        with Journal.open(path, readonly=True, passphrase=passphrase) as journal:
            yield journal
        return
    with tempfile.TemporaryDirectory(prefix="hpgjournal-dry-run-") as folder, \
            Journal.open(Path(folder) / "empty.hpgjournal") as journal:
        yield journal


def _print_rows(plan: ImportPlan) -> None:
    for file in plan.files:
        for warning in (*file.warnings, file.names_warning()):
            if warning:
                print(f"{file.path}: warning: {warning}", file=sys.stderr)
    for row in plan.error_rows():
        print(f"{row.file}:{row.line}: {row.reason}", file=sys.stderr)
    for record in plan.records:
        if record.status == "error":
            print(f"{record.file}: {record_word(record.table)} {record.line}: {record.reason}",
                  file=sys.stderr)


def _print_summary(plan: ImportPlan, result: CommitResult | None, dry_run: bool) -> None:
    for file in plan.files:
        print(f"{file.path}: {file.describe()}")
        counts = file.counts
        line = (f"  {counts['new']} new, {count_of(counts['duplicate'], 'duplicate')}, "
                f"{counts['error']} unreadable")
        if file.ignored:
            line += f", {len(file.ignored)} skipped (not a lab result)"
        print(line)
        if file.previous_batches and counts["new"] == 0:
            print(f"  this file was imported before (batch {', '.join(map(str, file.previous_batches))})")
    new = plan.count("new")
    records = sum(1 for r in plan.records if r.status == "new")
    extra = f" and {count_of(records, 'other record')}" if records else ""
    if dry_run:
        print(f"dry run: nothing written; {count_of(new, 'result')}{extra} would be imported")
    elif result is None or result.batch_id is None:
        print("nothing new to import: every readable result is already in the journal")
    else:
        print(f"imported {count_of(result.added, 'result')}{extra} as batch {result.batch_id}")


def _summary(plan: ImportPlan, result: CommitResult | None, args: argparse.Namespace,
             journal: Path, error: UserError | None = None) -> dict[str, Any]:
    summary: dict[str, Any] = {"ok": error is None}
    if error is not None:
        summary.update(_error_fields(error))
    summary.update(plan.summary())
    summary.update(_outcome(result, args, journal))
    return summary


def _outcome(result: CommitResult | None, args: argparse.Namespace,
             journal: Path) -> dict[str, Any]:
    return {
        "journal": str(journal), "dry_run": bool(args.dry_run), "strict": bool(args.strict),
        "committed": result is not None and result.batch_id is not None,
        "batch_id": result.batch_id if result else None,
        "added": result.added if result else 0,
    }


def _error_fields(error: UserError) -> dict[str, Any]:
    """``error``: the one-line message; ``file``: the file it is about (None: no one file)."""
    path = getattr(error, "path", None)
    paths: Sequence[Any] = getattr(error, "paths", ())
    if path is None and len(paths) == 1:
        path = paths[0]
    return {"error": str(error), "file": None if path is None else str(path)}


def _failure(args: argparse.Namespace, journal: Path, error: UserError) -> dict[str, Any]:
    """The ``--json`` document of an import that stopped before it had a plan (a file that
    cannot be read, a journal that cannot be opened): the same fields as a summary."""
    return {"ok": False, **_error_fields(error), "files": [], "new": 0, "duplicates": 0,
            "errors": [], "warnings": [],
            "records": {status: 0 for status in ("new", "duplicate", "error")},
            **_outcome(None, args, journal)}


def _commit(args: argparse.Namespace, plan: ImportPlan, journal: Journal) -> CommitResult | None:
    """Commit the plan (nothing on a dry run); raise when it must not be."""
    from hpgjournal.importers.commit import ambiguity_message, commit_plan, strict_message
    from hpgjournal.importers.errors import AmbiguousDatesError, StrictImportRefused

    if plan.ambiguous_files():
        raise AmbiguousDatesError(ambiguity_message(plan), [f.path for f in plan.ambiguous_files()])
    if not args.dry_run:
        return commit_plan(plan, journal, strict=args.strict)
    if args.strict and plan.error_rows():
        raise StrictImportRefused(strict_message(plan.error_rows()), plan.error_rows())
    return None


def cmd_import(args: argparse.Namespace) -> int:
    """Run ``hpgjournal import``; see the module docstring for the exit status."""
    from hpgjournal.domain.errors import UserError
    from hpgjournal.importers.plan import plan_import
    from hpgjournal.paths import default_journal

    path = Path(args.journal) if getattr(args, "journal", None) else default_journal()
    plan = None
    try:
        with _journal_for(path, args.dry_run, getattr(args, "passphrase", None)) as journal:
            plan = plan_import(args.files, journal, format=args.format,
                               date_order=args.date_order, encoding=args.encoding)
            result = _commit(args, plan, journal)
    except UserError as exc:
        if args.json:  # one JSON document on stdout whatever stopped it; the line on stderr too
            document = _failure(args, path, exc) if plan is None \
                else _summary(plan, None, args, path, exc)
            print(json.dumps(document, indent=1))
        raise
    _print_rows(plan)
    if args.json:
        print(json.dumps(_summary(plan, result, args, path), indent=1))
    else:
        _print_summary(plan, result, args.dry_run)
    skipped = len(plan.error_rows()) + sum(1 for r in plan.records if r.status == "error")
    if skipped:
        print(f"hpgjournal: {skipped} unreadable rows were skipped (listed above); fix them and "
              "import the file again: rows already imported are not added twice", file=sys.stderr)
        return EXIT_SKIPPED
    return 0
