"""The import plan: what importing some files would do, row by row, before anything is written.

:func:`plan_import` reads each file, detects its format (or takes the one named), decides
its encoding, delimiter, decimal mark and date order, normalises every row and compares the
results with the journal: each row is ``new``, a ``duplicate`` (already in the journal, or
earlier in the same files) or an ``error`` with its reason. The import dialog shows the plan;
:func:`hpgjournal.importers.commit.commit_plan` writes it.

The plan's rows are a :class:`~hpgjournal.importers.planned.PlannedRows`, kept by column, and a
file's text is let go once its rows are read: the plan of a large file needs a few times the
file's size (``bench/import_csv.py`` measures it).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from hpgjournal.domain import analytes
from hpgjournal.domain.analytes import CUSTOM_PREFIX, fold_name
from hpgjournal.domain.display import count_of
from hpgjournal.importers.dates import DateError, DateOrder, DateShape, decide_order, parse_shape
from hpgjournal.importers.errors import ImportCancelled, ImportProblem, UnknownFormatError
from hpgjournal.importers.formats import MIN_CONFIDENCE, Format, get_format, make_probe, rank
from hpgjournal.importers.formats.base import Probe, Reading, not_recognised
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import DATE_ORDER_CHOICES, OTHER_TABLES, PDF_FORMAT
from hpgjournal.importers.normalise import Context, Normaliser, decide_decimal_comma, key_of
from hpgjournal.importers.pdf import pdf_sources
from hpgjournal.importers.planned import STATUSES, PlannedRow, PlannedRows, SeenResults
from hpgjournal.importers.rows import Ignored, OtherRecord
from hpgjournal.importers.source import SourceFile, read_source
from hpgjournal.importers.table import delimiter_name
from hpgjournal.importers.workbook import workbook_sources
from hpgjournal.importers.xdm import xdm_sources
from hpgjournal.store.export import TABLES
from hpgjournal.store.journal import Journal

__all__ = [
    "STATUSES",
    "FilePlan",
    "ImportPlan",
    "PlannedRecord",
    "PlannedRow",
    "PlannedRows",
    "Progress",
    "existing_keys",
    "plan_import",
    "record_key",
]

Progress = Callable[[int, int], None]
_TICK = 2000


@dataclass(frozen=True, slots=True)
class PlannedRecord:
    """A record other than a lab result (from an ``export all`` JSON document).

    ``table`` is one of :data:`hpgjournal.importers.names.OTHER_TABLES`.
    """

    file: Path
    line: int
    table: str
    status: str
    record: Any
    reason: str = ""
    source_id: int | None = None


@dataclass(frozen=True)
class FilePlan:
    """How one file was read, for the dialog to show and let the user change.

    ``alternatives`` lists every format with its confidence, best first, for a format chooser.
    ``date_order`` is ``mdy``, ``dmy`` or ``ymd``; ``date_order_source`` says what decided it
    (``user``, ``file``, ``format``, ``convention`` or ``guess``) and ``date_order_ambiguous``
    is True when nothing did: the user must then choose before committing. ``ignored`` lists
    lines that hold no result (titles, footnotes, markers with no value) and why.
    ``previous_batches`` are import batches of this very file (same checksum).
    ``unknown_names`` are the printed marker names no marker is known by, with their number
    of rows: they are kept as the user's own markers unless mapped (plan again with
    ``names``); ``renamed`` the names mapped by the user, with the marker (key, method).
    """

    path: Path
    format: str
    format_label: str
    layout: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    encoding: str
    delimiter: str | None
    decimal_comma: bool
    header_line: int | None
    columns: tuple[str, ...]
    mapping: ColumnMapping | None
    date_order: str
    date_order_source: str
    date_order_ambiguous: bool
    date_examples: tuple[str, ...]
    sha256: str
    size: int
    counts: dict[str, int]
    ignored: tuple[Ignored, ...]
    warnings: tuple[str, ...]
    previous_batches: tuple[int, ...] = ()
    unknown_names: tuple[tuple[str, int], ...] = ()
    renamed: tuple[tuple[str, str, str], ...] = ()
    contents: str = ""  # what the file holds, in words (FHIR, Apple Health); "" for tables
    sheet: str = ""  # the sheet of a workbook the table is (issue 15); "" for other files

    def names_warning(self) -> str:
        """A sentence naming the names no marker is known by ("" when there are none)."""
        if not self.unknown_names:
            return ""
        listed = ", ".join(f"{name} ({count_of(n, 'row')})" for name, n in self.unknown_names[:6])
        more = f" and {len(self.unknown_names) - 6} more" if len(self.unknown_names) > 6 else ""
        return (f"{count_of(len(self.unknown_names), 'marker name')} not recognised, kept as "
                "own markers (no chart, overview or report of the known markers shows them): "
                f"{listed}{more}. To say which marker each one is, import the file in the "
                "window (File > Import): its preview remembers the choice for later imports")

    def describe(self, *, names: bool = True) -> str:
        """One line: the format (its label), encoding, delimiter and date order.

        ``names``: the command line's line: when the format was not certain, it names the
        value of ``--format`` that reads the file this way (to import it again so, or to see
        what else ``--format`` offers); the window shows the label only.
        """
        how_sure = f"confidence {self.confidence:.2f}"
        if names and self.confidence < 1.0:
            how_sure += f", as --format {self.format}"
        parts = [f"{self.contents or self.format_label} ({how_sure})"]
        if self.sheet:  # a workbook's cells have no encoding or delimiter
            parts.append(f"sheet {self.sheet!r} of a workbook")
        elif self.format != PDF_FORMAT:  # nor a PDF's lines
            parts.append(f"encoding {self.encoding}")
            if self.delimiter is not None:
                parts.append(f"{delimiter_name(self.delimiter)}-delimited")
        if self.decimal_comma:
            parts.append("decimal comma")
        order = {"mdy": "month first", "dmy": "day first", "ymd": "year first"}[self.date_order]
        how = "ambiguous: choose the date order" if self.date_order_ambiguous \
            else _ORDER_SOURCES.get(self.date_order_source, self.date_order_source)
        parts.append(f"dates {order} ({how})")
        return ", ".join(parts)


# What decided a file's date order, in words (DateOrder.source).
_ORDER_SOURCES = {"user": "as chosen", "file": "from the file",
                  "format": "as this export writes them", "convention": "dotted, so day first"}


@dataclass
class ImportPlan:
    """Everything an import would do. Nothing is written until it is committed.

    ``rows`` is a :class:`PlannedRows` (a sequence of :class:`PlannedRow`; any other
    sequence of them is turned into one).
    """

    files: list[FilePlan]
    rows: PlannedRows
    records: list[PlannedRecord] = field(default_factory=list)
    profile: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.rows, PlannedRows):
            self.rows = PlannedRows(self.rows)

    def count(self, status: str) -> int:
        return self.rows.count_status(status)

    def new_rows(self) -> list[PlannedRow]:
        """The rows a commit would write."""
        return [self.rows[i] for i in self.rows.positions("new")]

    def error_rows(self) -> list[PlannedRow]:
        """The unreadable rows, each with its reason."""
        return [self.rows[i] for i in self.rows.positions("error")]

    def warning_rows(self) -> list[PlannedRow]:
        """The new rows whose values are implausible: imported, with a warning each."""
        return [self.rows[i] for i in self.rows.warned()]

    def unknown_names(self) -> dict[str, int]:
        """Printed names no marker is known by, over all files, with their rows."""
        found: dict[str, int] = {}
        for plan in self.files:
            for name, rows in plan.unknown_names:
                found[name] = found.get(name, 0) + rows
        return found

    def renamed(self) -> dict[str, tuple[str, str]]:
        """Printed names the user's mapping turned into known markers (key, method)."""
        return {name: (key, method) for plan in self.files for name, key, method in plan.renamed}

    def ambiguous_files(self) -> list[FilePlan]:
        """Files whose date order must be chosen (plan again with ``date_order``) to commit."""
        return [f for f in self.files if f.date_order_ambiguous]

    def summary(self) -> dict[str, Any]:
        """A JSON-ready summary (the CLI's ``--json``)."""
        return {
            "files": [_file_summary(f) for f in self.files],
            "new": self.count("new"),
            "duplicates": self.count("duplicate"),
            "errors": [{"file": str(r.file), "line": r.line, "reason": r.reason}
                       for r in self.error_rows()],
            "warnings": [{"file": str(r.file), "line": r.line, "warning": r.warning}
                         for r in self.warning_rows()],
            "records": {status: sum(1 for r in self.records if r.status == status)
                        for status in STATUSES},
        }


def _file_summary(plan: FilePlan) -> dict[str, Any]:
    return {
        "path": str(plan.path), "format": plan.format, "format_label": plan.format_label,
        "layout": plan.layout, "confidence": plan.confidence, "encoding": plan.encoding,
        "delimiter": plan.delimiter, "decimal_comma": plan.decimal_comma,
        "header_line": plan.header_line,
        "mapping": plan.mapping.as_dict() if plan.mapping else None,
        "date_order": plan.date_order, "date_order_source": plan.date_order_source,
        "date_order_ambiguous": plan.date_order_ambiguous,
        "date_examples": list(plan.date_examples), "sha256": plan.sha256,
        "rows": dict(plan.counts),
        "ignored": [{"line": i.line, "text": i.text[:200], "reason": i.reason}
                    for i in plan.ignored],
        "warnings": list(plan.warnings), "previous_batches": list(plan.previous_batches),
        "unknown_names": dict(plan.unknown_names),
        "renamed": {name: key for name, key, _method in plan.renamed},
        "contents": plan.contents, "sheet": plan.sheet,
    }


# ------------------------------------------------------------------------------ progress


class _Ticker:
    """Calls ``progress`` now and then and raises ImportCancelled when ``cancelled()`` says so.

    The loops call :meth:`advance` once per ``_TICK`` rows, so that the check costs nothing.
    """

    def __init__(self, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self.progress = progress
        self.cancelled = cancelled
        self.done = 0
        self.total = 1

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()

    def advance(self, steps: int) -> None:
        self.done += steps
        self.check()
        if self.progress is not None:
            self.progress(min(self.done, self.total - 1), self.total)

    def finish(self) -> None:
        self.check()
        if self.progress is not None:
            self.progress(self.total, self.total)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during bulk work.

    A plan creates a few hundred thousand small objects and no reference cycles; with the
    collector on, it rescans the growing heap again and again (a third of the time of a large
    import). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ------------------------------------------------------------------------------ journal keys


def existing_keys(journal: Journal) -> set[tuple[object, ...]]:
    """The duplicate keys of every result in the journal.

    Times and markers repeat from result to result: each text is kept once (the database
    gives a new string a row).
    """
    rows = journal.result_keys()
    texts: dict[str, str] = {}
    share = texts.setdefault
    return {key_of(share(taken_at, taken_at), share(analyte, analyte), method, comparator, value,
                   reported) for taken_at, analyte, method, comparator, value, reported in rows}


def record_key(record: Any) -> tuple[object, ...]:
    """What makes two non-lab records the same: every field but ids."""
    values = asdict(record)
    return tuple(sorted((k, v) for k, v in values.items()
                        if k not in ("id", "medication_id", "batch_id")))


def _existing_records(journal: Journal) -> dict[str, set[tuple[object, ...]]]:
    return {table: {record_key(r) for r in journal.all(TABLES[table])}
            for table in OTHER_TABLES}


# ------------------------------------------------------------------------------ one file


@dataclass
class _Staged:
    """One file read: its rows ``start:end`` of the plan's rows are pending, not yet planned.
    ``source`` no longer holds the text."""

    source: SourceFile
    delimiter: str | None
    format: Format
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    reading: Reading
    decimal_comma: bool
    order: DateOrder
    start: int
    end: int
    normaliser: Normaliser
    others: list[OtherRecord]
    ignored: list[Ignored]
    has_candidates: bool


def _choose(probe: Probe, wanted: Format | None, mapping: ColumnMapping | None
            ) -> tuple[Format, float, tuple[tuple[str, float], ...]]:
    ranking = rank(probe)
    alternatives = tuple((f.name, score) for f, score in ranking)
    scores = dict(alternatives)
    if wanted is not None:
        if wanted.kind != probe.kind:
            kind = {"json": "a JSON document", "zip": "a zip archive", "xml": "an XML document",
                    "pdf": "a PDF document"}.get(probe.kind, "a table (CSV)")
            raise UnknownFormatError(probe.source.path, f"{probe.source.name} is {kind}, and the "
                                     f"format {wanted.name} reads {wanted.kind.upper()} files: "
                                     "choose another format, or let hpgjournal detect it")
        return wanted, scores.get(wanted.name, 0.0), alternatives
    if mapping is not None:
        chosen = get_format("wide" if mapping.layout == "wide" else "long")
        if probe.kind != "csv":
            raise UnknownFormatError(probe.source.path, f"{probe.source.name} is a JSON document: "
                                     "a column mapping applies to tables only")
        return chosen, 1.0, alternatives
    best, score = ranking[0] if ranking else (None, 0.0)
    if best is None or score < MIN_CONFIDENCE:
        if probe.kind == "json":
            raise UnknownFormatError(probe.source.path, f"{probe.source.name} is a JSON document "
                                     "but not a known export (hpgjournal, Function Health, "
                                     "FHIR): export your results as CSV instead")
        raise not_recognised(probe, "the columns were not recognised")
    return best, score, alternatives


def _shapes(texts: Iterable[str]) -> dict[str, DateShape]:
    shapes: dict[str, DateShape] = {}
    for text in texts:
        if text in shapes:
            continue
        try:
            shapes[text] = parse_shape(text)
        except DateError:
            continue
    return shapes


def _stage_file(source: SourceFile, wanted: Format | None, mapping: ColumnMapping | None,
                date_order: str, ticker: _Ticker, rows: PlannedRows,
                names: Mapping[str, tuple[str, str]]) -> _Staged:
    """Read one file into pending ``rows`` and decide how to read its values and dates
    (nothing normalised yet)."""
    probe = make_probe(source)
    fmt, confidence, alternatives = _choose(probe, wanted, mapping)
    reading = fmt.read(probe, mapping if fmt.takes_mapping else None)
    reading.warnings.extend(getattr(source, "notes", ()))  # a workbook's sheets skipped
    if reading.expected is not None:  # a document's lines are no measure of its results
        ticker.total = max(ticker.total + 2 * (reading.expected - source.text.count("\n") - 1), 2)
    start = len(rows)
    taken = rows.take(reading.items, rows.file_number(source.path), ticker.advance, _TICK)
    end = len(rows)
    delimiter = probe.table.delimiter if probe.table is not None else None
    decimal_comma = reading.needs_decimal_decision and decide_decimal_comma(
        chain(rows.pending_values(start, end), (cells[4] for cells in taken.contexts)), delimiter)
    shapes = _shapes(taken.dates)
    guess = "dmy" if decimal_comma or delimiter == ";" else "mdy"
    order = decide_order(shapes.values(), user=date_order, format_default=reading.date_order,
                         guess=guess)
    if order.conflict:
        reading.warnings.append("some dates can only be day-first and others only month-first: "
                                f"they were read {order.order}, and the rows that do not fit "
                                "are listed as unreadable")
    # files that print 00:00 on every date (a spreadsheet's date cells) mean dates, not midnight
    keep_time = any(s.time and s.time != "00:00" for s in shapes.values()) or taken.timed
    normaliser = Normaliser(decimal_comma=decimal_comma, order=order, source=source.name,
                            lab=reading.lab, keep_time=keep_time, shapes=shapes, names=names)
    # the text and the table are no longer needed: the rows hold what they need of them
    return _Staged(replace(source, text=""), delimiter, fmt, confidence, alternatives, reading,
                   decimal_comma, order, start, end, normaliser, taken.others, taken.ignored,
                   bool(taken.candidates))


_LISTED_WARNINGS = 20  # implausible rows listed one by one among a file's warnings


def _list_implausible(reading: Reading, rows: PlannedRows, start: int, end: int) -> None:
    """Name the new rows whose values are implausible among the file's warnings (the command
    line prints those, the dialog shows them above the rows)."""
    implausible = rows.warned(start, end)
    for index in implausible[:_LISTED_WARNINGS]:
        row = rows[index]
        reading.warnings.append(f"line {row.line}: kept, but {row.warning}")
    if len(implausible) > _LISTED_WARNINGS:
        reading.warnings.append(f"{len(implausible) - _LISTED_WARNINGS} more rows have "
                                "implausible values (kept): see the rows' warnings")


def _warn_about_results(reading: Reading, rows: PlannedRows, start: int, end: int) -> None:
    no_unit: dict[str, str] = {}
    for made in rows.made_between(start, end):
        if made is None:
            continue
        if made.__class__ is Context:  # the rows of plain numbers it is the context of
            if not made.unit and not analytes.is_custom(made.key) and made.stored_unit:
                no_unit.setdefault(analytes.get_analyte(made.key).short, made.stored_unit)
            continue
        if made.value is not None and not made.reported_unit and \
                not analytes.is_custom(made.analyte) and made.unit:
            no_unit.setdefault(analytes.get_analyte(made.analyte).short, made.unit)
    if no_unit:
        listed = ", ".join(f"{name} as {unit}" for name, unit in sorted(no_unit.items())[:8])
        reading.warnings.append(f"some values have no unit and were read in their marker's usual "
                                f"unit ({listed}): check them")


# ------------------------------------------------------------------------------ the plan


def plan_import(
    paths: Sequence[Path | str],
    journal: Journal,
    *,
    format: str | None = None,
    date_order: str = "auto",
    encoding: str | None = None,
    mapping: ColumnMapping | None = None,
    names: Mapping[str, tuple[str, str]] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Read ``paths`` and plan their import into ``journal``, writing nothing.

    ``format`` names a format (see :data:`hpgjournal.importers.FORMAT_NAMES`) instead of
    detecting it; ``date_order`` is ``auto``, ``mdy``, ``dmy`` or ``ymd``; ``encoding``
    overrides the detected text encoding; ``mapping`` says which columns hold what in a table
    whose layout was not recognised (:class:`ColumnMapping`); ``names`` what printed marker
    names no marker is known by mean (folded name -> analyte key, method; by default the
    names the user mapped before, ``journal.marker_names()``). ``progress(done, total)`` is
    called now and then, ending with ``done == total``; when ``cancelled()`` returns True the
    planning stops with :class:`ImportCancelled`. May be called from a worker thread: it only
    reads from the journal.

    Raises a :class:`~hpgjournal.domain.errors.UserError` subclass for a file that cannot be
    read at all (empty, binary, a workbook, too large, unknown JSON) and
    :class:`LayoutNotRecognised` for a table whose columns need a mapping.
    """
    if date_order not in DATE_ORDER_CHOICES:
        raise ImportProblem(f"date order must be one of {', '.join(DATE_ORDER_CHOICES)}, not "
                            f"{date_order!r}")
    if not paths:
        raise ImportProblem("no file to import: choose one or more CSV files")
    wanted = get_format(format) if format else None
    ticker = _Ticker(progress, cancelled)
    ticker.check()
    sources: list[SourceFile] = []
    for path in paths:
        # C-CDA (issue 14, part 3): a MyChart IHE-XDM zip gives its documents, one source each
        documents = xdm_sources(Path(path), encoding)
        if documents is None:  # issue 15: a workbook gives its sheets that hold a table
            documents = workbook_sources(Path(path))
        if documents is None:  # issue 15: a lab report PDF gives its lines
            documents = pdf_sources(Path(path), ticker.check)
        sources.extend(documents if documents is not None else [read_source(Path(path), encoding)])
        ticker.check()
    # an archive (importers.archive) has no text: it says how many records it holds
    ticker.total = max(2 * sum(getattr(s, "records", None) or s.text.count("\n") + 1
                               for s in sources), 2)
    names = {fold_name(k): v for k, v in
             (journal.marker_names() if names is None else names).items()}
    rows = PlannedRows()
    with paused_gc():
        staged = []
        sources.reverse()
        while sources:  # each file's text is let go once the file is staged
            staged.append(_stage_file(sources.pop(), wanted, mapping, date_order, ticker, rows,
                                      names))
        plan = _compare(staged, rows, journal, ticker)
    plan.options = {"format": format, "date_order": date_order, "encoding": encoding,
                    "mapping": mapping, "names": dict(names)}
    ticker.finish()
    return plan


def _compare(staged: list[_Staged], rows: PlannedRows, journal: Journal,
             ticker: _Ticker) -> ImportPlan:
    """Normalise every row, mark duplicates (of the journal, or of earlier rows of these
    files) and build the plan."""
    existing = existing_keys(journal)
    seen = SeenResults(len(rows))
    for stage in staged:
        rows.settle(stage.start, stage.end, stage.normaliser.prepare, existing, seen,
                    ticker.advance, _TICK)
    rows.settle_duplicates(seen)
    del seen
    files: list[FilePlan] = []
    batches = _batches_by_checksum(journal)
    for stage in staged:
        if stage.has_candidates:
            _warn_about_results(stage.reading, rows, stage.start, stage.end)
        _list_implausible(stage.reading, rows, stage.start, stage.end)
        counts = {status: rows.count_status(status, stage.start, stage.end)
                  for status in STATUSES}
        files.append(_file_plan(stage, counts, batches.get(stage.source.sha256, ()), rows))
    records = _compare_records(staged, journal)
    profile: dict[str, str] = {}
    current = journal.profile()
    for stage in staged:
        for key, value in stage.reading.profile.items():
            if key not in current and key not in profile:
                profile[key] = value
    return ImportPlan(files, rows, records, profile)


def _batches_by_checksum(journal: Journal) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for batch_id, checksums in journal.batch_checksums():
        for checksum in dict.fromkeys(checksums.split(",")):  # a workbook's sheets share one
            if checksum:
                found.setdefault(checksum, []).append(batch_id)
    return {k: tuple(v) for k, v in found.items()}


def _compare_records(staged: list[_Staged], journal: Journal) -> list[PlannedRecord]:
    if not any(stage.others for stage in staged):
        return []
    existing = _existing_records(journal)
    planned: list[PlannedRecord] = []
    for stage in staged:
        for other in stage.others:
            path = stage.source.path
            if other.record is None:
                planned.append(PlannedRecord(path, other.line, other.table, "error", None,
                                             other.reason, other.source_id))
                continue
            key = record_key(other.record)
            status = "duplicate" if key in existing[other.table] else "new"
            existing[other.table].add(key)
            planned.append(PlannedRecord(path, other.line, other.table, status, other.record,
                                         "already in the journal" if status == "duplicate" else "",
                                         other.source_id))
    return planned


def _unknown_rows(stage: _Staged, rows: PlannedRows) -> tuple[tuple[str, int], ...]:
    """The file's names kept as own markers because no marker is known by them, with the
    number of their readable rows."""
    unknown = stage.normaliser.unknown
    if not unknown:
        return ()
    counts = rows.count_markers(stage.start, stage.end, (CUSTOM_PREFIX + n for n in unknown))
    return tuple((name, counts[CUSTOM_PREFIX + name]) for name in sorted(unknown))


def _file_plan(stage: _Staged, counts: dict[str, int], previous: tuple[int, ...],
               rows: PlannedRows) -> FilePlan:
    reading = stage.reading
    unknown = _unknown_rows(stage, rows)
    return FilePlan(
        path=stage.source.path, format=stage.format.name, format_label=stage.format.label,
        layout=reading.layout, confidence=stage.confidence, alternatives=stage.alternatives,
        encoding=stage.source.encoding,
        delimiter=stage.delimiter,
        decimal_comma=stage.decimal_comma, header_line=reading.header_line,
        columns=reading.columns, mapping=reading.mapping, date_order=stage.order.order,
        date_order_source=stage.order.source, date_order_ambiguous=stage.order.ambiguous,
        date_examples=stage.order.examples, sha256=stage.source.sha256, size=stage.source.size,
        counts=counts, ignored=tuple(stage.ignored), warnings=tuple(reading.warnings),
        previous_batches=previous, unknown_names=unknown,
        renamed=tuple((name, key, method) for name, (key, method)
                      in sorted(stage.normaliser.renamed.items())),
        contents=reading.contents, sheet=getattr(stage.source, "sheet", ""),
    )
