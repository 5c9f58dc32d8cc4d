"""The import plan: what importing some files would do, row by row, before anything is written.

:func:`plan_import` reads each file, detects its format (or takes the one named), decides
its encoding, delimiter, decimal mark and date order, normalises every row and compares the
results with the journal: each row is ``new``, a ``duplicate`` (already in the journal, or
earlier in the same files) or an ``error`` with its reason. The import dialog shows the plan;
:func:`hpgjournal.importers.commit.commit_plan` writes it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from hpgjournal.domain import analytes
from hpgjournal.domain.records import LabResult
from hpgjournal.importers.dates import DateError, DateOrder, DateShape, decide_order, parse_shape
from hpgjournal.importers.errors import ImportCancelled, ImportProblem, UnknownFormatError
from hpgjournal.importers.formats import MIN_CONFIDENCE, Format, get_format, make_probe, rank
from hpgjournal.importers.formats.base import Probe, Reading, not_recognised
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import DATE_ORDER_CHOICES, OTHER_TABLES
from hpgjournal.importers.normalise import (
    Context,
    Normaliser,
    context_cells,
    decide_decimal_comma,
    key_of,
    result_key,
)
from hpgjournal.importers.rows import (
    Candidate,
    Failed,
    Ignored,
    OtherRecord,
    Ready,
    RowError,
    cells_by_name,
)
from hpgjournal.importers.source import SourceFile, read_source
from hpgjournal.importers.table import delimiter_name
from hpgjournal.store.export import TABLES
from hpgjournal.store.journal import Journal

__all__ = [
    "STATUSES",
    "FilePlan",
    "ImportPlan",
    "PlannedRecord",
    "PlannedRow",
    "Progress",
    "existing_keys",
    "plan_import",
    "record_key",
]

STATUSES = ("new", "duplicate", "error")
_row = tuple.__new__  # builds a PlannedRow from a full tuple of its fields (faster in bulk)
Progress = Callable[[int, int], None]
_TICK = 2000


class PlannedRow(tuple):
    """One result of the plan.

    ``status`` is ``new``, ``duplicate`` or ``error``; ``result`` is None for an error and
    ``reason`` says why (for a duplicate: what it duplicates). ``line`` is the 1-based line of
    the file the row starts on (for JSON files: the record's position); ``raw`` holds the cells
    as printed, by column name.

    A plan holds one of these per row of big files, so it is a tuple, like a named tuple, made
    as ``PlannedRow(file, line, status, result, reason, raw)``, which keeps what is large
    apart from few shared parts: a plain result as its :class:`Context` (marker, unit, range,
    the same for many rows), timestamp and printed number; the cells as a tuple after their
    column names. ``result`` and ``raw`` are made from them when asked for, each time.
    """

    __slots__ = ()

    def __new__(cls, file: Path, line: int, status: str, result: LabResult | None,
                reason: str = "", raw: dict[str, str] | None = None) -> PlannedRow:
        return tuple.__new__(cls, (file, line, status, result, reason,
                                   {} if raw is None else raw, None, None))

    file = property(itemgetter(0), doc="the file the row is in (a Path)")
    line = property(itemgetter(1), doc="the line of the file it starts on")
    status = property(itemgetter(2), doc="new, duplicate or error")
    reason = property(itemgetter(4), doc="why it is not new (empty when it is)")

    @property
    def result(self) -> LabResult | None:
        made = self[3]
        if made.__class__ is Context:
            return made.result(self[6], self[7])  # type: ignore[no-any-return]
        return made  # type: ignore[no-any-return]

    @property
    def raw(self) -> dict[str, str]:
        return cells_by_name(self[5])

    @property
    def has_result(self) -> bool:
        return self[3] is not None

    def fields(self) -> dict[str, object]:
        """The fields of the result (``vars(row.result)``), made more cheaply."""
        made = self[3]
        if made.__class__ is Context:
            return made.fields(self[6], self[7])  # type: ignore[no-any-return]
        if made is None:
            raise ValueError(f"line {self.line} has no result: {self.reason}")
        return vars(made)

    def key(self) -> tuple[object, ...]:
        """The duplicate key of the result (:func:`result_key`), made more cheaply."""
        made = self[3]
        if made.__class__ is Context:
            return made.duplicate_key(self[6], self[7])  # type: ignore[no-any-return]
        if made is None:
            raise ValueError(f"line {self.line} has no result: {self.reason}")
        return result_key(made)

    def __repr__(self) -> str:
        return (f"PlannedRow(file={self.file!r}, line={self.line!r}, status={self.status!r}, "
                f"result={self.result!r}, reason={self.reason!r}, raw={self.raw!r})")

    def __reduce__(self) -> tuple[object, ...]:  # copied and pickled in the compact form
        return _planned_row, (tuple(self),)


def _planned_row(items: tuple[object, ...]) -> PlannedRow:
    return tuple.__new__(PlannedRow, items)


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

    def describe(self) -> str:
        """One line: the format, encoding, delimiter and date order."""
        parts = [f"{self.format_label} ({self.format}, confidence {self.confidence:.2f})",
                 f"encoding {self.encoding}"]
        if self.delimiter is not None:
            parts.append(f"{delimiter_name(self.delimiter)}-delimited")
        if self.decimal_comma:
            parts.append("decimal comma")
        order = {"mdy": "month first", "dmy": "day first", "ymd": "year first"}[self.date_order]
        how = "ambiguous: choose the date order" if self.date_order_ambiguous \
            else f"from the {self.date_order_source}"
        parts.append(f"dates {order} ({how})")
        return ", ".join(parts)


@dataclass
class ImportPlan:
    """Everything an import would do. Nothing is written until it is committed."""

    files: list[FilePlan]
    rows: list[PlannedRow]
    records: list[PlannedRecord] = field(default_factory=list)
    profile: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def new_rows(self) -> list[PlannedRow]:
        """The rows a commit would write."""
        return [r for r in self.rows if r.status == "new"]

    def error_rows(self) -> list[PlannedRow]:
        """The unreadable rows, each with its reason."""
        return [r for r in self.rows if r.status == "error"]

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
                       for r in self.rows if r.status == "error"],
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
    """The duplicate keys of every result in the journal."""
    rows = journal.conn.execute(
        "SELECT taken_at, analyte, method, comparator, value, reported_value FROM lab_results")
    return {key_of(*row) for row in rows}


def record_key(record: Any) -> tuple[object, ...]:
    """What makes two non-lab records the same: every field but ids."""
    values = asdict(record)
    return tuple(sorted((k, v) for k, v in values.items()
                        if k not in ("id", "medication_id", "batch_id")))


def _existing_records(journal: Journal) -> dict[str, set[tuple[object, ...]]]:
    return {table: {record_key(r) for r in journal.all(TABLES[table])}
            for table in OTHER_TABLES}


# ------------------------------------------------------------------------------ one file


# A candidate waiting to be planned: (line, raw, date, time, value, context cells, None,
# None), the context cells (normalise.context_cells) shared with the candidates that have the
# same: a large file has a million of them, and a Candidate costs half as much again. The two
# Nones make it the size of a PlannedRow: each row then takes the memory of the candidate it
# replaces (Python's allocator gives a freed block again only to an object of its size).
_Pending = tuple[int, Any, str, str, str, tuple[str, ...], None, None]


@dataclass
class _Staged:
    """One file read, its rows not yet planned. ``source`` no longer holds the text."""

    source: SourceFile
    delimiter: str | None
    format: Format
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    reading: Reading
    decimal_comma: bool
    order: DateOrder
    items: list[_Pending | Ready | Failed]
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
            kind = "a JSON document" if probe.kind == "json" else "a table (CSV)"
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
                                     "but not a known export (hpgjournal, Function Health): "
                                     "export your results as CSV instead")
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
                date_order: str, ticker: _Ticker) -> _Staged:
    """Read one file and decide how to read its values and dates (nothing normalised yet)."""
    probe = make_probe(source)
    fmt, confidence, alternatives = _choose(probe, wanted, mapping)
    reading = fmt.read(probe, mapping if fmt.takes_mapping else None)
    items: list[_Pending | Ready | Failed] = []
    ignored: list[Ignored] = []
    others: list[OtherRecord] = []
    keep = items.append
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    share = shared.setdefault
    pending = 0
    for count, item in enumerate(reading.items, start=1):
        if not count % _TICK:
            ticker.advance(_TICK)
        if item.__class__ is Candidate:
            cells = context_cells(item)  # type: ignore[arg-type]
            keep((item.line, item.raw, item.date, item.time, item.value,  # type: ignore[union-attr]
                  share(cells, cells), None, None))
            pending += 1
        elif isinstance(item, Ignored):
            ignored.append(item)
        elif isinstance(item, OtherRecord):
            others.append(item)
        else:
            keep(item)  # type: ignore[arg-type]
    candidates = [c for c in items if c.__class__ is tuple] if pending < len(items) else items
    delimiter = probe.table.delimiter if probe.table is not None else None
    decimal_comma = reading.needs_decimal_decision and decide_decimal_comma(
        (t for c in candidates for t in (c[4], c[5][4])), delimiter)  # values and ranges
    shapes = _shapes(c[2] for c in candidates)
    guess = "dmy" if decimal_comma or delimiter == ";" else "mdy"
    order = decide_order(shapes.values(), user=date_order, format_default=reading.date_order,
                         guess=guess)
    if order.conflict:
        reading.warnings.append("some dates can only be day-first and others only month-first: "
                                f"they were read {order.order}, and the rows that do not fit "
                                "are listed as unreadable")
    # files that print 00:00 on every date (a spreadsheet's date cells) mean dates, not midnight
    keep_time = any(s.time and s.time != "00:00" for s in shapes.values()) or any(
        c[3] for c in candidates)
    normaliser = Normaliser(decimal_comma=decimal_comma, order=order, source=source.name,
                            lab=reading.lab, keep_time=keep_time, shapes=shapes)
    # the text and the table are no longer needed: the rows hold what they need of them
    return _Staged(replace(source, text=""), delimiter, fmt, confidence, alternatives, reading,
                   decimal_comma, order, items, normaliser, others, ignored, bool(pending))


def _warn_about_results(reading: Reading, rows: Sequence[PlannedRow]) -> None:
    no_unit: dict[str, str] = {}
    future = 0
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    contexts: dict[int, Context] = {}
    for row in rows:
        made = row[3]
        if made is None:
            continue
        if made.__class__ is Context:  # a plain number: the context tells the rest
            if row[6][:10] > tomorrow:
                future += 1
            contexts[id(made)] = made
            continue
        if made.taken_at[:10] > tomorrow:
            future += 1
        if made.value is not None and not made.reported_unit and \
                not analytes.is_custom(made.analyte) and made.unit:
            no_unit.setdefault(analytes.get_analyte(made.analyte).short, made.unit)
    for context in contexts.values():
        if not context.unit and not analytes.is_custom(context.key) and context.stored_unit:
            no_unit.setdefault(analytes.get_analyte(context.key).short, context.stored_unit)
    if no_unit:
        listed = ", ".join(f"{name} as {unit}" for name, unit in sorted(no_unit.items())[:8])
        reading.warnings.append(f"some values have no unit and were read in their marker's usual "
                                f"unit ({listed}): check them")
    if future:
        reading.warnings.append(f"{future} results are dated in the future: check the date order")


# ------------------------------------------------------------------------------ the plan


def plan_import(
    paths: Sequence[Path | str],
    journal: Journal,
    *,
    format: str | None = None,
    date_order: str = "auto",
    encoding: str | None = None,
    mapping: ColumnMapping | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Read ``paths`` and plan their import into ``journal``, writing nothing.

    ``format`` names a format (see :data:`hpgjournal.importers.FORMAT_NAMES`) instead of
    detecting it; ``date_order`` is ``auto``, ``mdy``, ``dmy`` or ``ymd``; ``encoding``
    overrides the detected text encoding; ``mapping`` says which columns hold what in a table
    whose layout was not recognised (:class:`ColumnMapping`). ``progress(done, total)`` is
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
        sources.append(read_source(Path(path), encoding))
        ticker.check()
    ticker.total = max(2 * sum(s.text.count("\n") + 1 for s in sources), 2)
    with paused_gc():
        staged = []
        sources.reverse()
        while sources:  # each file's text is let go once the file is staged
            staged.append(_stage_file(sources.pop(), wanted, mapping, date_order, ticker))
        plan = _compare(staged, journal, ticker)
    plan.options = {"format": format, "date_order": date_order, "encoding": encoding,
                    "mapping": mapping}
    ticker.finish()
    return plan


def _compare(staged: list[_Staged], journal: Journal, ticker: _Ticker) -> ImportPlan:
    """Normalise every row, mark duplicates (of the journal, or of earlier rows of these
    files) and build the plan.

    Each candidate is let go once it is planned, and a plain result is kept as its parts
    (see :class:`PlannedRow`): the plan of a large file needs a few times the file's size.
    """
    existing = existing_keys(journal)
    # The first row of each result, by the hash of its duplicate key: a key tuple a row would
    # cost more than the row's own parts. Two results whose keys share a hash are told apart
    # by the first row's key, made again; the later ones are then held by their keys.
    first_by_hash: dict[int, PlannedRow] = {}
    first_by_key: dict[tuple[object, ...], PlannedRow] = {}
    rows: list[PlannedRow] = []
    add = rows.append
    files: list[FilePlan] = []
    batches = _batches_by_checksum(journal)
    for stage in staged:
        path = stage.source.path
        first = len(rows)
        prepare = stage.normaliser.prepare
        duplicates = errors = 0
        items = stage.items
        for index, item in enumerate(items):
            items[index] = None  # type: ignore[call-overload]
            if not (index + 1) % _TICK:
                ticker.advance(_TICK)
            if item.__class__ is tuple:  # a candidate, see _Pending
                line, raw, date_text, time_text, value_text, cells, _, _ = item
                try:
                    made = prepare(date_text, time_text, value_text, cells)
                except RowError as exc:
                    add(_row(PlannedRow, (path, line, "error", None, str(exc), raw, None, None)))
                    errors += 1
                    continue
            elif isinstance(item, Ready):
                line, raw, made = item.line, item.raw, item.result
            else:
                add(_row(PlannedRow, (path, item.line, "error", None, item.reason, item.raw,
                                      None, None)))
                errors += 1
                continue
            if made.__class__ is tuple:  # a plain number: kept as its context, stamp and text
                kept, stamp, text, number = made
                key = (stamp, kept.key, kept.method, "", round(number, 6))
            else:  # a result made in full
                kept, stamp, text = made, None, None
                value = made.value  # result_key(result), inlined for the common case
                key = (made.taken_at, made.analyte, made.method, made.comparator,
                       round(value, 6)) if value is not None else result_key(made)
            hashed = hash(key)
            earlier = first_by_hash.get(hashed)
            if earlier is not None and earlier.key() != key:
                earlier = first_by_key.get(key)
            if key in existing:
                status, reason = "duplicate", "already in the journal"
                duplicates += 1
            elif earlier is not None:
                status, reason = "duplicate", f"same result as {earlier[0].name} line {earlier[1]}"
                duplicates += 1
            else:
                status, reason = "new", ""
            row = _row(PlannedRow, (path, line, status, kept, reason, raw, stamp, text))
            if earlier is None and status == "new":
                if hashed in first_by_hash:
                    first_by_key[key] = row
                else:
                    first_by_hash[hashed] = row
            add(row)
        file_rows = rows[first:]
        if stage.has_candidates:
            _warn_about_results(stage.reading, file_rows)
        counts = {"new": len(file_rows) - duplicates - errors, "duplicate": duplicates,
                  "error": errors}
        files.append(_file_plan(stage, counts, batches.get(stage.source.sha256, ())))
        stage.items = []  # the candidates are no longer needed
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
    for batch_id, checksums in journal.conn.execute("SELECT id, sha256 FROM batches"):
        for checksum in (checksums or "").split(","):
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


def _file_plan(stage: _Staged, counts: dict[str, int], previous: tuple[int, ...]) -> FilePlan:
    reading = stage.reading
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
        previous_batches=previous,
    )
