"""The rows of an import plan, kept column by column.

A plan of a large file holds a million rows. An object a row (a tuple and the int of its line
number) would cost more than everything else the row keeps, so :class:`PlannedRows` keeps a
row as its place in a few arrays and lists, and ``rows[i]`` makes its :class:`PlannedRow` when
asked for. What a row keeps is small too: a plain result is its :class:`Context` (marker,
unit, range: shared by many rows), its timestamp and its number as printed, and the result is
made from them when asked for; the cells are a tuple after their column names (shared).

While the plan is being made, a row is first *pending*: its candidate's cells wait in the
columns its planned parts then take (:meth:`PlannedRows.settle`), so that planning a row
replaces its candidate in place and a large file's rows are never held twice.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, cast, overload

from hpgjournal.domain.plausible import (
    EARLIEST_DATE,
    PLAUSIBLE_SPANS,
    judge_result,
    judge_text,
    latest_date,
)
from hpgjournal.domain.records import LabResult
from hpgjournal.importers.normalise import Context, result_key
from hpgjournal.importers.rows import (
    Candidate,
    CandidateRun,
    Failed,
    Ignored,
    Item,
    OtherRecord,
    Ready,
    RowError,
    cells_by_name,
)
from hpgjournal.store.journal import LAB_COLUMNS

__all__ = ["STATUSES", "PlannedRow", "PlannedRows", "SeenResults", "Taken"]

STATUSES = ("new", "duplicate", "error")
_NEW, _DUPLICATE, _ERROR, _PENDING = 0, 1, 2, 3
_NAMES = (*STATUSES, "pending")
_CODES = {name: code for code, name in enumerate(STATUSES)}
_lab_values = itemgetter(*LAB_COLUMNS)
_row = tuple.__new__  # a PlannedRow from the full tuple of its items (faster in bulk)
Prepare = Callable[[str, str, str, tuple[str, ...]], "tuple[Context, str, str, float] | LabResult"]


class PlannedRow(tuple):
    """One result of the plan.

    ``status`` is ``new``, ``duplicate`` or ``error``; ``result`` is None for an error and
    ``reason`` says why (for a duplicate: what it duplicates). ``line`` is the 1-based line of
    the file the row starts on (for JSON files: the record's position); ``raw`` holds the cells
    as printed, by column name. ``warning`` says why a result that is kept is implausible
    (:mod:`hpgjournal.domain.plausible`); an impossible value is an error with its reason.

    Made as ``PlannedRow(file, line, status, result, reason, raw, warning)``; a tuple, like a
    named tuple, that can also hold a plain result as its parts (see the module): ``result``
    and ``raw`` are then made when asked for, each time.
    """

    __slots__ = ()

    def __new__(cls, file: Path, line: int, status: str, result: LabResult | None,
                reason: str = "", raw: dict[str, str] | None = None,
                warning: str = "") -> PlannedRow:
        return tuple.__new__(cls, (file, line, status, result, reason,
                                   {} if raw is None else raw, None, None, warning))

    file = property(itemgetter(0), doc="the file the row is in (a Path)")
    line = property(itemgetter(1), doc="the line of the file it starts on")
    status = property(itemgetter(2), doc="new, duplicate or error")
    reason = property(itemgetter(4), doc="why it is not new (empty when it is)")
    warning = property(itemgetter(8), doc="why its value is implausible (empty when it is not)")

    @property
    def result(self) -> LabResult | None:
        return _result_of(self[3], self[6], self[7])

    @property
    def raw(self) -> dict[str, str]:
        return cells_by_name(self[5])

    def __repr__(self) -> str:
        return (f"PlannedRow(file={self.file!r}, line={self.line!r}, status={self.status!r}, "
                f"result={self.result!r}, reason={self.reason!r}, raw={self.raw!r}, "
                f"warning={self.warning!r})")

    def __reduce__(self) -> tuple[object, ...]:  # copied and pickled as its parts
        return _planned_row, (tuple(self),)


def _planned_row(items: tuple[object, ...]) -> PlannedRow:
    return _row(PlannedRow, items)


def _result_of(made: Any, stamp: str | None, text: str | None) -> LabResult | None:
    if made.__class__ is Context:
        assert stamp is not None and text is not None, "a plain result keeps its stamp and text"
        return made.result(stamp, text)
    return made


class PlannedRows(Sequence[PlannedRow]):
    """The rows of a plan in file order: a sequence of :class:`PlannedRow`, kept by column.

    A row's columns: its file (a number), line, status (a code), what it made (a Context,
    a LabResult or None), reason, raw cells, stamp and printed number (for a Context). A
    pending row holds its candidate instead: the context cells where the Context goes, its
    time cell where the reason goes, its date cell where the stamp goes, its value cell where
    the number goes.
    """

    __slots__ = ("_file", "_files", "_line", "_made", "_numbers", "_raw", "_reason", "_stamp",
                 "_status", "_text", "_warnings")

    def __init__(self, rows: Iterable[PlannedRow] = ()) -> None:
        self._files: list[Path] = []
        self._numbers: dict[Path, int] = {}
        self._file = array("I")
        self._line = array("I")
        self._status = bytearray()
        self._made: list[Any] = []
        self._reason: list[Any] = []
        self._raw: list[Any] = []
        self._stamp: list[Any] = []
        self._text: list[Any] = []
        self._warnings: dict[int, str] = {}  # few rows have one: by row index
        for row in rows:
            self.append(row)

    # -- as a sequence of rows
    def __len__(self) -> int:
        return len(self._status)

    @overload
    def __getitem__(self, index: int) -> PlannedRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[PlannedRow]: ...

    def __getitem__(self, index: int | slice) -> PlannedRow | list[PlannedRow]:
        if isinstance(index, slice):
            return [self._view(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("plan row index out of range")
        return self._view(index)

    def __setitem__(self, index: int, row: PlannedRow) -> None:
        file, line, status, made, reason, raw, stamp, text, warning = row
        self._set_warning(index, warning)
        self._file[index] = self.file_number(file)
        self._line[index] = line
        self._status[index] = _CODES[status]
        self._made[index], self._reason[index], self._raw[index] = made, reason, raw
        self._stamp[index], self._text[index] = stamp, text

    def __iter__(self) -> Iterator[PlannedRow]:
        for index in range(len(self)):
            yield self._view(index)

    def _view(self, i: int) -> PlannedRow:
        return _row(PlannedRow, (
            self._files[self._file[i]], self._line[i], _NAMES[self._status[i]], self._made[i],
            self._reason[i], self._raw[i], self._stamp[i], self._text[i],
            self._warnings.get(i, "")))

    def __repr__(self) -> str:
        return f"PlannedRows({list(self)!r})"

    # -- counts and positions, without making the rows
    def count_status(self, status: str, start: int = 0, end: int | None = None) -> int:
        """How many rows (of ``start:end``) have this status."""
        return self._status.count(_CODES[status], start, len(self) if end is None else end)

    def positions(self, status: str) -> array[int]:
        """The indexes of the rows that have this status, and a result (for ``new``)."""
        code, made = _CODES[status], self._made
        return array("q", (i for i, c in enumerate(self._status) if c == code
                           and (code != _NEW or made[i] is not None)))

    def fields(self, index: int) -> dict[str, object]:
        """The fields of row ``index``'s result (``vars(rows[index].result)``), made cheaply."""
        made = self._made[index]
        if made.__class__ is Context:
            return made.fields(self._stamp[index], self._text[index])
        if made is None:
            raise ValueError(f"row {index} has no result: {self._reason[index]}")
        return vars(made)

    def values(self, index: int) -> tuple[object, ...]:
        """:meth:`fields` as the store writes them, a tuple in ``LAB_COLUMNS`` order
        (:meth:`~hpgjournal.store.journal.Journal.insert_lab_values`), made cheaply."""
        made = self._made[index]
        if made.__class__ is Context:
            return made.values(self._stamp[index], self._text[index])
        if made is None:
            raise ValueError(f"row {index} has no result: {self._reason[index]}")
        return _lab_values(vars(made))

    def key(self, index: int) -> tuple[object, ...]:
        """The duplicate key of row ``index``'s result (:func:`result_key`), made cheaply."""
        made = self._made[index]
        if made.__class__ is Context:
            return made.duplicate_key(self._stamp[index], self._text[index])
        if made is None:
            raise ValueError(f"row {index} has no result: {self._reason[index]}")
        return result_key(made)

    def made_between(self, start: int, end: int) -> list[Any]:
        """What the rows of ``start:end`` made, each once: Contexts (shared by rows),
        LabResults (one a row) and None (for errors)."""
        made = self._made
        return list(dict(zip(map(id, islice(made, start, end)), islice(made, start, end),
                             strict=True)).values())

    def count_markers(self, start: int, end: int, keys: Iterable[str]) -> dict[str, int]:
        """How many rows of ``start:end`` made a result of each marker of ``keys``."""
        counts = dict.fromkeys(keys, 0)
        for made in islice(self._made, start, end):
            if made is None:
                continue
            key = made.analyte if made.__class__ is LabResult else made.key
            if key in counts:
                counts[key] += 1
        return counts

    def count_stamps(self, start: int, end: int, chosen: Callable[[str], bool]) -> int:
        """How many rows of ``start:end`` have a plain result whose stamp is ``chosen``."""
        stamps = set(islice(self._stamp, start, end))
        stamps.discard(None)
        wanted = {stamp for stamp in stamps if chosen(stamp)}
        return sum(map(wanted.__contains__, islice(self._stamp, start, end))) if wanted else 0

    # -- building
    def file_number(self, path: Path) -> int:
        number = self._numbers.get(path)
        if number is None:
            number = self._numbers[path] = len(self._files)
            self._files.append(path)
        return number

    def _set_warning(self, index: int, warning: str) -> None:
        if warning:
            self._warnings[index] = warning
        else:
            self._warnings.pop(index, None)

    def warned(self, start: int = 0, end: int | None = None) -> list[int]:
        """The indexes of the new rows (of ``start:end``) whose values are implausible."""
        end = len(self) if end is None else end
        return sorted(i for i in self._warnings if start <= i < end
                      and self._status[i] == _NEW)

    def append(self, row: PlannedRow) -> None:
        file, line, status, made, reason, raw, stamp, text, warning = row
        self._set_warning(len(self), warning)
        self._add(self.file_number(file), line, _CODES[status], made, reason, raw, stamp, text)

    def _add(self, file: int, line: int, code: int, made: Any, reason: Any, raw: Any,
             stamp: Any, text: Any) -> None:
        self._file.append(file)
        self._line.append(line)
        self._status.append(code)
        self._made.append(made)
        self._reason.append(reason)
        self._raw.append(raw)
        self._stamp.append(stamp)
        self._text.append(text)

    def take(self, items: Iterable[Item], file: int, tick: Callable[[int], None],
             every: int) -> Taken:
        """Add the rows of a file from its reader's items, in file order: its candidates and
        ready results pending, its failed rows as errors. ``tick(every)`` is called every
        ``every`` items."""
        taken = Taken()
        ignored, others = taken.ignored.append, taken.others.append
        share, remember = taken.contexts.setdefault, taken.dates.setdefault
        files, lines, statuses = self._file.append, self._line.append, self._status.append
        made, reasons, raws = self._made.append, self._reason.append, self._raw.append
        stamps, texts = self._stamp.append, self._text.append
        candidates, timed = 0, False
        extra = 0  # the rows of the runs so far, less one each: the count is of rows
        for count, item in enumerate(items, start=1):
            if not (count + extra) % every:
                tick(every)
            if isinstance(item, Candidate):
                # the context cells (normalise.context_cells), one tuple for the rows that
                # have the same; the time cell waits where the reason goes, the date where the
                # stamp goes, the value where the number goes
                cells = (item.marker, item.method, item.loinc, item.unit, item.range, item.flag,
                         item.lab, item.note)
                files(file)
                lines(item.line)
                statuses(_PENDING)
                made(share(cells, cells))
                time = item.time
                reasons(time)
                if time:
                    timed = True
                raws(item.raw)
                date = item.date
                stamps(remember(date, date))
                texts(item.value)
                candidates += 1
            elif item.__class__ is CandidateRun:
                self._take_run(item, file, taken, count + extra, tick, every)
                extra += len(item) - 1
                candidates += len(item)
                timed = timed or any(item.times)
            elif isinstance(item, Ignored):
                ignored(item)
            elif isinstance(item, OtherRecord):
                others(item)
            elif isinstance(item, Ready):
                self._add(file, item.line, _PENDING, item.result, "", item.raw, None, None)
            elif isinstance(item, Failed):
                self._add(file, item.line, _ERROR, None, item.reason, item.raw, None, None)
            else:
                raise TypeError(f"a reader gave {item!r}")
        taken.candidates, taken.timed = candidates, timed
        return taken

    def _take_run(self, run: CandidateRun, file: int, taken: Taken, first: int,
                  tick: Callable[[int], None], every: int) -> None:
        """:meth:`take`'s candidates, for a run of them: the same columns, extended at once.
        ``first`` is the number of the run's first row among the file's items (its tick is
        take's); ``tick(every)`` is called before each later row whose number is a multiple
        of ``every``, as take calls it, when the rows before it are taken."""
        share, remember = taken.contexts.setdefault, taken.dates.setdefault
        contexts = list(zip(run.markers, run.methods, run.loincs, run.units, run.ranges,
                            run.flags, run.labs, run.notes, strict=True))
        lines, times, raws, dates, values = run.lines, run.times, run.raws, run.dates, run.values
        count, start = len(run), 0
        while start < count:
            number = first + start
            if start and not number % every:
                tick(every)
            end = min(count, start + every - number % every)
            part = slice(start, end)
            self._file.extend(repeat(file, end - start))
            self._line.extend(lines[part])
            self._status.extend(bytes((_PENDING,)) * (end - start))
            self._made.extend(map(share, contexts[part], contexts[part]))
            self._reason.extend(times[part])
            self._raw.extend(raws[part])
            self._stamp.extend(map(remember, dates[part], dates[part]))
            self._text.extend(values[part])
            start = end

    def pending_values(self, start: int, end: int) -> Iterator[str]:
        """The value cells of the pending candidates of ``start:end``."""
        for code, made, text in zip(islice(self._status, start, end),
                                    islice(self._made, start, end),
                                    islice(self._text, start, end), strict=True):
            if code == _PENDING and made.__class__ is tuple:
                yield text

    # -- planning
    def settle(self, start: int, end: int, prepare: Prepare, existing: set[tuple[object, ...]],
               seen: SeenResults, tick: Callable[[int], None], every: int) -> None:
        """Plan the pending rows of ``start:end``: each becomes new, a duplicate or an error.

        ``prepare(date, time, value, context cells)`` is the file's
        :meth:`~hpgjournal.importers.normalise.Normaliser.prepare`; a result whose key is in
        ``existing`` is already in the journal; ``seen`` holds the new results so far (of
        every file), and :meth:`settle_duplicates` then finds those of the new rows that have
        the result of an earlier one. ``tick(every)`` is called every ``every`` rows.
        """
        if len(seen.hashes) != start:
            raise ValueError("rows are settled in order, each once")
        status, made_at, reason_at = self._status, self._made, self._reason
        stamp_at, text_at = self._stamp, self._text
        note, maybe, bitmap, mask = seen.hashes.append, seen.maybe.append, seen.bitmap, seen.mask
        today = date.today()
        last_day, spans, warnings = latest_date(today), PLAUSIBLE_SPANS, self._warnings
        value: float | None
        key: tuple[object, ...]
        for index in range(start, end):
            if not (index - start + 1) % every:
                tick(every)
            if status[index] != _PENDING:
                note(0)
                continue
            waiting = made_at[index]
            if waiting.__class__ is tuple:  # a candidate: its context cells
                try:
                    made = prepare(stamp_at[index], reason_at[index], text_at[index], waiting)
                except RowError as exc:
                    status[index] = _ERROR
                    made_at[index] = stamp_at[index] = text_at[index] = None
                    reason_at[index] = str(exc)
                    note(0)
                    continue
            else:  # a result already made
                made = waiting
            if made.__class__ is tuple:  # a plain number: its context, stamp and text
                context, stamp, text, number = made
                analyte, value, day = context.key, number, stamp[:10]
            else:  # a LabResult (mypy narrows only the tuple side of a ``__class__`` test, and
                # isinstance would cost this once-a-row loop more)
                result = cast(LabResult, made)
                analyte, value, day = result.analyte, result.value, result.taken_at[:10]
            # judge_result's common case decided inline (a plausible number on a possible day)
            span = spans.get(analyte)
            if span is None or value is None or not span[0] <= value <= span[1] or \
                    not EARLIEST_DATE <= day <= last_day:
                if made.__class__ is tuple:
                    result = context.result(stamp, text)
                verdict = judge_result(result, today=today)
                if value is None and not verdict.refused:  # text: a catalogue marker needs digits
                    verdict = judge_text(analyte, result.reported_value)
                if verdict.refused:  # an own export's row (read as it is), a date ahead, 4OO
                    status[index] = _ERROR
                    made_at[index] = stamp_at[index] = text_at[index] = None
                    reason_at[index] = verdict.refused
                    note(0)
                    continue
                if verdict.warning:
                    warnings[index] = verdict.warning
            if made.__class__ is tuple:
                key = (stamp, context.key, context.method, "", round(number, 6))
                made_at[index], stamp_at[index], text_at[index] = context, stamp, text
            else:
                made_at[index] = result
                stamp_at[index] = text_at[index] = None
                value = result.value  # result_key(result), inlined for the common case
                key = (result.taken_at, result.analyte, result.method, result.comparator,
                       round(value, 6)) if value is not None else result_key(result)
            if existing and key in existing:  # (an empty set would hash the key for nothing)
                status[index] = _DUPLICATE
                reason_at[index] = "already in the journal"
                note(0)
                continue
            status[index] = _NEW
            reason_at[index] = ""
            hashed = hash(key)
            note(hashed)
            bucket = hashed & mask
            bit = 1 << (bucket & 7)
            if bitmap[bucket >> 3] & bit:  # perhaps the result of an earlier row
                maybe(index)
            else:
                bitmap[bucket >> 3] |= bit

    def settle_duplicates(self, seen: SeenResults) -> None:
        """Mark the new rows that have the result of an earlier new row as its duplicates,
        once every file is settled. Only the rows :meth:`settle` found perhaps so, and the
        rows whose results share their bits, are looked at, by their keys."""
        if not seen.maybe:
            return
        mask, hashes = seen.mask, seen.hashes
        shared = {hashes[i] & mask for i in seen.maybe}
        first: dict[tuple[object, ...], int] = {}
        status = self._status
        for index, (code, hashed) in enumerate(zip(status, hashes, strict=True)):
            if code != _NEW or hashed & mask not in shared:
                continue
            earlier = first.setdefault(self.key(index), index)
            if earlier != index:
                status[index] = _DUPLICATE
                self._reason[index] = (f"same result as {self._files[self._file[earlier]].name} "
                                       f"line {self._line[earlier]}")


@dataclass
class Taken:
    """What :meth:`PlannedRows.take` found in a file besides its rows."""

    ignored: list[Ignored] = field(default_factory=list)
    others: list[OtherRecord] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # the date cells, once, in file order
    contexts: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # cells, once
    timed: bool = False  # a candidate has a time cell
    candidates: int = 0


class SeenResults:
    """The new results of a plan so far, to find the rows that repeat an earlier one.

    A set of their keys would cost more than the rows themselves (a tuple, a float and a set
    entry a row): here a row costs its key's hash, in an array, and one bit of a bitmap of
    sixteen bits a row. A row whose bit is already set is noted in ``maybe`` (one in sixteen
    rows for nothing), and only those and the rows that share their bits have their keys made
    again, when every file is settled.
    """

    def __init__(self, rows: int) -> None:
        bits = 1 << max(16, (16 * rows).bit_length())
        self.mask = bits - 1
        self.bitmap = bytearray(bits // 8)
        self.hashes = array("q")  # by row: the hash of a new row's key, else 0
        self.maybe = array("q")  # the new rows whose bit was set already
