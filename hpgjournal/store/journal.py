"""Open, migrate, lock, read and write a journal file.

A journal is one SQLite file (WAL mode, foreign keys on) readable by its owner only. Every
method that writes does so in one transaction.

The standard library's ``sqlite3`` does all the work for a plain journal; an encrypted one is
opened through SQLCipher with its passphrase (``store/cipher.py`` says how an encrypted file is
told from a damaged one, ``store/encryption.py`` converts between the two). :meth:`Journal.frame`
hands a table to pandas for a user's own analysis; pandas is loaded only then.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hpgjournal.domain.analytes import fold_name
from hpgjournal.domain.errors import JournalError, JournalTooNew, RecordRefused, ValidationError
from hpgjournal.domain.kinds import KINDS, kind_of
from hpgjournal.domain.plausible import (
    EARLIEST_DATE,
    PLAUSIBLE_SPANS,
    impossible_date,
    judge_result,
    latest_date,
    require_possible,
)
from hpgjournal.domain.records import (
    Batch,
    Dose,
    LabResult,
    Medication,
    Phase,
    Questionnaire,
    from_row,
)
from hpgjournal.store import schema
from hpgjournal.store.cipher import (
    Passphrase,
    as_passphrase,
    connect,
    database_errors,
    integrity_errors,
    looks_encrypted,
    needs_passphrase,
    operational_errors,
    sql_errors,
)
from hpgjournal.store.lock import JournalLock

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger("hpgjournal.store")
R = TypeVar("R")

_RECORD_TABLES: dict[type, str] = {k.record: k.table for k in KINDS}
_ORDER = {k.table: ", ".join(k.order) for k in KINDS}
# ``hpgjournal check`` lists the counts in this order (questionnaires came last, in version 3)
_COUNTED = tuple(sorted(KINDS, key=lambda k: k.record is Questionnaire))
# lab results first, regimens before doses
_BATCHED: tuple[type[Any], ...] = tuple(k.record for k in KINDS if k.batched)

_RUNNING_ON = "start_date <= ? AND (end_date IS NULL OR end_date >= ?)"  # a phase, a regimen
_CLEARED_TABLES = (*_ORDER, "profile")  # every record, then what the profile holds
# The columns of a lab result a bulk insert writes, in the order of its value tuples
# (:meth:`Journal.insert_lab_values`): every field of LabResult but its id and batch id.
LAB_COLUMNS = tuple(f.name for f in fields(LabResult) if f.name not in ("id", "batch_id"))
_LAB_COLUMNS = LAB_COLUMNS
# The batch id is the same for every row of a bulk insert: it is written into the statement.
_LAB_INSERT = (f"INSERT INTO lab_results ({', '.join(_LAB_COLUMNS)}, batch_id) "
               f"VALUES ({', '.join('?' * len(_LAB_COLUMNS))}, {{batch_id:d}})")
_LAB_VALUES = itemgetter(*_LAB_COLUMNS)
_TAKEN_AT, _ANALYTE, _VALUE = (_LAB_COLUMNS.index(name) for name in ("taken_at", "analyte", "value"))

_DATE_FIELDS = ("taken_at", "noted_at", "measured_at", "start_date", "end_date")
_NUMBER_FIELDS = ("value", "ref_low", "ref_high")  # of lab results


def _numbers(row: dict[str, Any]) -> dict[str, Any]:
    """A lab result's row with its numbers as numbers.

    SQLite keeps text that does not read as a number (``'NaN'``, written by hand or by an old
    program) as text even in a REAL column; it comes back as a float that is not a number, so
    that readers see a float and the plausibility limits (and ``check``) can name it.
    """
    for name in _NUMBER_FIELDS:
        value = row.get(name)
        if value is not None and value.__class__ is not float and not isinstance(value, int):
            try:
                row[name] = float(value)
            except (TypeError, ValueError):
                row[name] = math.nan
    return row


def _record(kind: type[R], row: sqlite3.Row) -> R:
    values = dict(row)
    return from_row(kind, _numbers(values) if kind is LabResult else values)


def _guard(record: Any) -> None:
    """The last guard before a record is written: an impossible lab result (a value or a date
    no entry path lets through, see domain.plausible) or a date before 1900 on any other
    record raises ValidationError with the reason. Implausible values pass."""
    if isinstance(record, LabResult):
        require_possible(record)
        return
    if isinstance(record, Batch):
        return
    for name in _DATE_FIELDS:
        stamp = getattr(record, name, None)
        if stamp:
            reason = impossible_date(stamp, future=False)
            if reason:
                raise ValidationError(name, reason)


def _bulk_refusal(today: date) -> Callable[[tuple[Any, ...]], tuple[str, str] | None]:
    """:func:`_guard` for one lab result's values (in :data:`LAB_COLUMNS` order), for a bulk
    insert: ``(field, reason)`` for an impossible result, None for a possible one. Only what
    :meth:`Journal.insert_lab_values` does not decide at once comes here."""

    def check(values: tuple[Any, ...]) -> tuple[str, str] | None:
        row = dict(zip(_LAB_COLUMNS, values, strict=True))
        verdict = judge_result(from_row(LabResult, {"id": None, **row}), today=today)
        return (verdict.field, verdict.refused) if verdict.refused else None

    return check


def _private_file(path: Path) -> None:
    """Tighten an existing journal file to its owner only."""
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)


_HEADER = b"SQLite format 3\x00"


def _refuse_unsound(path: Path, key: Passphrase | None) -> Passphrase | None:
    """Refuse a journal file that is empty or truncated before SQLite takes it for new; return
    the key to open it with (None for a plain file).

    An empty file would open as an empty database (and become a new, empty journal); a file
    shorter than its header says would fail later, half way through some read. A file without
    SQLite's header that looks encrypted (``cipher.looks_encrypted``) needs ``key``:
    :class:`PassphraseNeeded` without one.
    """
    from hpgjournal.store.faults import damaged

    size = path.stat().st_size
    wal = path.with_name(path.name + "-wal")
    has_log = wal.exists() and wal.stat().st_size > 0  # pages may still be only in the log
    if size == 0 and not has_log:
        raise damaged(path, "the file is empty (0 bytes), so it holds no journal", empty=True)
    if size == 0:
        return None
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(_HEADER):
        if not header.strip(b"\x00"):
            raise damaged(path, f"its first {len(header)} bytes are blank")
        if looks_encrypted(path):
            if key is None:
                raise needs_passphrase(path)
            return key
        return None  # not SQLite at all: _prepare says it is not a journal
    if len(header) < 100:
        raise damaged(path, f"the file is cut short ({size} bytes)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # the page count is valid only when these agree
    if counted and pages and size < pages * page_size and not has_log:
        raise damaged(path, f"the file is cut short: {size:,} of its {pages * page_size:,} bytes")
    if key is not None:
        log.info("%s is not encrypted: opened without the passphrase", path.name)
    return None


def _connect_read_only(path: Path, key: Passphrase | None) -> sqlite3.Connection:
    """A connection that never writes; on a read-only disk, without the shared-memory index.

    In WAL mode a reader needs the ``-shm`` index beside the journal; where the folder is
    read-only and none exists, the file is opened as immutable, which is exact as long as no
    ``-wal`` holds changes not yet in the file (then the user is told to copy both).
    """
    uri = path.resolve().as_uri()
    try:
        conn = connect(f"{uri}?mode=ro", key, journal=path, uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except operational_errors() as exc:
        if "unable to open" not in str(exc) or os.access(path.parent, os.W_OK):
            raise JournalError(f"cannot read {path}: {exc}") from None
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise JournalError(
                f"cannot read {path}: its latest changes are in {wal.name} and the folder is "
                "read-only; copy both files to a folder you can write to") from None
        conn = connect(f"{uri}?mode=ro&immutable=1", key, journal=path, uri=True)
    except database_errors():
        conn = connect(f"{uri}?mode=ro", key, journal=path, uri=True)  # _prepare says why
    return conn


def _create(path: Path, key: Passphrase | None) -> None:
    """Create a new journal atomically: built beside, then renamed into place (encrypted with
    ``key`` if one is given).

    A journal file that exists is therefore always a complete journal, and one that is empty
    was not made by hpgjournal (a failed copy, a sync tool): it is refused, not reused.
    """
    from hpgjournal.store.files import finish, temporary_sibling

    partial = temporary_sibling(path)
    try:
        conn = connect(partial, key, journal=partial)
        fresh = Journal(partial, conn, None, key)
        try:
            fresh._prepare(migrate=True, readonly=False)
            conn.execute("PRAGMA journal_mode = DELETE")  # no -wal left beside the partial
        finally:
            conn.close()
        finish(partial, path)
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            if leftover.exists():
                leftover.unlink()


class Journal:
    """An open journal. Use :meth:`open`; close it (or use ``with``) when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: JournalLock | None,
                 key: Passphrase | None = None) -> None:
        self.path = path
        self._conn = conn
        self._lock = lock
        self._key = key  # the passphrase of an encrypted journal, else None
        self._savepoints = itertools.count(1)

    def __repr__(self) -> str:
        return f"<Journal {str(self.path)!r}{' encrypted' if self._key else ''}>"

    @property
    def encrypted(self) -> bool:
        """Whether the file is encrypted (then backups and siblings use the same key)."""
        return self._key is not None

    def frame(self, table: str) -> pd.DataFrame:
        """A table (``labs``, ``doses``, ``phases``...) as a pandas DataFrame; see export.frame."""
        from hpgjournal.store.export import frame

        return frame(self, table)

    # ----------------------------------------------------------------- opening and closing
    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, readonly: bool = False,
             locked: JournalLock | None = None,
             passphrase: str | Passphrase | None = None) -> Journal:
        """Open (and if needed create and upgrade) the journal at ``path``.

        A writer takes the journal's lock, so a second writer is told it is open elsewhere
        (``locked``: the caller already holds it). ``readonly`` opens without the lock and
        never changes the file (export, check, backup). A file that is empty, truncated or
        damaged is refused with :class:`JournalDamaged`, never taken for a new journal.

        An encrypted journal (see ``store/cipher.py``) needs ``passphrase``: without one
        :class:`PassphraseNeeded`, with a wrong one :class:`WrongPassphrase` (never
        :class:`JournalDamaged`). A plain journal opens without it (a passphrase given is then
        not used). A new journal is created encrypted when a passphrase is given.
        """
        key = as_passphrase(passphrase)
        path = Path(path).expanduser()
        if path.is_dir():
            raise JournalError(f"{path} is a folder: give the path of a journal file")
        if not path.exists() and (readonly or not create):
            raise JournalError(f"there is no journal at {path}: check the path, or create one")
        if readonly:
            used = _refuse_unsound(path, key)
            with contextlib.suppress(OSError):  # not ours, or a read-only disk: reading is fine
                _private_file(path)
            conn = _connect_read_only(path, used)
            journal = cls(path, conn, None, used)
            journal._prepare(migrate=False, readonly=True)
            return journal
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        journal_lock = locked
        if journal_lock is None:
            journal_lock = JournalLock(path)
            journal_lock.acquire()
        try:
            if path.exists():
                used = _refuse_unsound(path, key)
                _private_file(path)
            else:
                _create(path, key)
                used = key
            if locked is None:
                journal_lock.acquire_identity()
            conn = connect(path, used, journal=path)
            journal = cls(path, conn, journal_lock if locked is None else None, used)
            journal._prepare(migrate=True, readonly=False)
            journal._refuse_damaged_pages()
        except BaseException:
            if locked is None:
                journal_lock.release()
            raise
        return journal

    def _refuse_damaged_pages(self) -> None:
        """A writer must not write into a damaged file: SQLite's quick check of every page."""
        from hpgjournal.store.faults import damaged, integrity_problems

        problems = integrity_problems(self._conn)
        if problems:
            self._conn.close()
            raise damaged(self.path, problems[0], passphrase=self._key)

    def _prepare(self, *, migrate: bool, readonly: bool) -> None:
        conn = self._conn
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        except database_errors() as exc:
            conn.close()
            from hpgjournal.store.faults import damaged, sqlite_code

            if sqlite_code(exc).startswith("SQLITE_CORRUPT"):
                raise damaged(self.path, str(exc), passphrase=self._key) from None
            raise JournalError(
                f"{self.path} is not a journal ({exc}): choose a file made by hpgjournal"
            ) from None
        if app_id not in (0, schema.APPLICATION_ID) or (version == 0 and tables):
            conn.close()
            raise JournalError(
                f"{self.path} is a database of another program, not a journal: choose another file"
            )
        if version > schema.CURRENT_VERSION:
            conn.close()
            raise JournalTooNew(
                f"{self.path} was written by a newer hpgjournal (journal version {version}, this "
                f"program reads up to {schema.CURRENT_VERSION}): update hpgjournal to open it"
            )
        if version < schema.CURRENT_VERSION:
            if not migrate:
                conn.close()
                raise JournalError(
                    f"{self.path} needs an upgrade (version {version}): open it once in hpgjournal"
                )
            self._migrate(version)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if not readonly and mode != "wal":
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except operational_errors() as exc:  # e.g. a read-only folder
                log.warning("could not switch %s to WAL: %s", self.path, exc)

    def _migrate(self, version: int) -> None:
        if version > 0:
            from hpgjournal.store.backup import backup

            copy = backup(self, reason=f"before-upgrade-v{version}")
            log.info("backed up %s to %s before upgrading it", self.path, copy)
        for number, name, step in schema.MIGRATIONS:
            if number <= version:
                continue
            log.info("upgrading %s to version %d (%s)", self.path, number, name)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                step_conn = self._conn
                for statement in _split_script(step, step_conn):
                    step_conn.execute(statement)
                step_conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
                step_conn.execute(f"PRAGMA user_version = {number}")
                step_conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def sibling(self) -> Journal:
        """A second connection to this journal for another thread of the same process.

        It shares this journal's lock (so it does not take it again) and must be closed by
        the thread that uses it; WAL lets the first connection keep reading meanwhile.
        """
        conn = connect(self.path, self._key, journal=self.path, timeout=30)
        conn.execute("PRAGMA foreign_keys = ON")
        return Journal(self.path, conn, None, self._key)

    def close(self) -> None:
        try:
            self._conn.close()
        finally:
            if self._lock:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # ----------------------------------------------------------------- transactions
    @contextmanager
    def transaction(self) -> Iterator[Journal]:
        """Group several writes into one transaction (nested calls become savepoints).

        All of it is written, or (on any exception) none of it. SQLite's own errors leave as
        the store's: a broken table rule as :class:`RecordRefused`, a full, read-only, busy or
        damaged disk as the :class:`UserError` of :func:`~hpgjournal.store.faults.explain`;
        anything else stays as it is (a bug).
        """
        conn = self._conn
        if conn.in_transaction:
            name = f"hpgjournal_{next(self._savepoints)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                self._raise_translated(exc)
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        try:
            conn.execute("BEGIN IMMEDIATE")  # where another writer's lock shows (busy)
        except sql_errors() as exc:
            self._raise_translated(exc)
            raise
        try:
            yield self
        except BaseException as exc:
            conn.rollback()
            self._raise_translated(exc)
            raise
        try:
            conn.execute("COMMIT")
        except BaseException as exc:
            conn.rollback()
            self._raise_translated(exc)
            raise

    def _raise_translated(self, exc: BaseException) -> None:
        """Raise the store's own error for an sqlite3 error a user can act on (else return)."""
        if isinstance(exc, integrity_errors()):
            raise RecordRefused(
                f"the journal refused a record because it breaks a rule of the journal's tables "
                f"({exc}); nothing was written: check the values") from exc
        if isinstance(exc, sql_errors()):
            from hpgjournal.store.faults import explain

            known = explain(exc, self.path, passphrase=self._key)
            if known is not None:
                raise known from exc

    # ----------------------------------------------------------------- generic record access
    def add(self, record: Any) -> int:
        """Insert a record (its id is ignored) and return the new id.

        An impossible value is refused with ValidationError (see :func:`_guard`).
        """
        table = _RECORD_TABLES[type(record)]
        _guard(record)
        row = {k: v for k, v in asdict(record).items() if k != "id"}
        with self.transaction():
            cursor = self._conn.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
        return int(cursor.lastrowid or 0)

    def restore(self, record: Any) -> None:
        """Insert a record again under its own id (undo of a deletion).

        Not guarded: what comes back is exactly what was there, whatever it holds.
        """
        table = _RECORD_TABLES[type(record)]
        row = asdict(record)
        with self.transaction():
            self._conn.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )

    def add_many(self, records: list[Any]) -> list[int]:
        """Insert several records of any kinds in one transaction."""
        with self.transaction():
            return [self.add(r) for r in records]

    def update(self, record: Any, *, guarded: bool = True) -> None:
        """Write a changed record; an impossible value is refused as by :meth:`add`.

        ``guarded=False`` is for undo, which puts back exactly what was there before.
        """
        table = _RECORD_TABLES[type(record)]
        if guarded:
            _guard(record)
        row = {k: v for k, v in asdict(record).items() if k != "id"}
        with self.transaction():
            cursor = self._conn.execute(
                f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                [*row.values(), record.id],
            )
        if cursor.rowcount != 1:
            raise JournalError(f"that {kind_of(type(record)).noun} no longer exists")

    def delete(self, kind: type, record_id: int) -> None:
        table = _RECORD_TABLES[kind]
        with self.transaction():
            self._conn.execute(f"DELETE FROM {table} WHERE id = ?", [record_id])

    def get(self, kind: type[R], record_id: int) -> R | None:
        table = _RECORD_TABLES[kind]
        row = self._conn.execute(f"SELECT * FROM {table} WHERE id = ?", [record_id]).fetchone()
        return _record(kind, row) if row else None

    def all(self, kind: type[R], *, batch_id: int | None = None) -> list[R]:
        """Every record of a kind in time order (only those of import batch ``batch_id``, if
        given; import batches themselves have none)."""
        if batch_id is None:
            return self._select(kind)
        if kind is Batch:
            raise TypeError("import batches belong to no batch")
        return self._select(kind, ["batch_id = ?"], [int(batch_id)])

    def _select(self, kind: type[R], clauses: list[str] | None = None,
                params: list[Any] | None = None) -> list[R]:
        """Records of a kind in time order, where all ``clauses`` (SQL written in this module
        only, never a caller's) hold."""
        table = _RECORD_TABLES[kind]
        sql = f"SELECT * FROM {table}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY {_ORDER[table]}"
        return [_record(kind, r) for r in self._conn.execute(sql, params or [])]

    def count(self, kind: type) -> int:
        return self.count_of(_RECORD_TABLES[kind])

    def count_of(self, table: str) -> int:
        if table not in _ORDER:
            raise KeyError(table)
        return int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # ----------------------------------------------------------------- lab results
    def lab_results(self, analyte: str | None = None, start: str | None = None,
                    end: str | None = None) -> list[LabResult]:
        clauses, params = [], []
        if analyte:
            clauses.append("analyte = ?")
            params.append(analyte)
        if start:
            clauses.append("taken_at >= ?")
            params.append(start)
        if end:
            clauses.append("substr(taken_at, 1, 10) <= ?")
            params.append(end)
        return self._select(LabResult, clauses, params)

    # --- for services (issue 20)

    def dose_table(self) -> list[tuple[str, str, int | None, float | None, str]]:
        """(taken_at, drug, medication_id, amount, unit) of every dose, in time order.

        A light query of its own (no record objects): ten years of daily doses are thousands
        of rows, and a chart only needs these columns.
        """
        rows = self._conn.execute(
            "SELECT taken_at, drug, medication_id, amount, unit FROM doses ORDER BY taken_at, id")
        return [tuple(r) for r in rows]

    def latest_results(self, analyte: str, n: int = 2, method: str | None = None
                       ) -> list[LabResult]:
        """The newest ``n`` results of a marker (of one method if given), newest first."""
        sql = "SELECT * FROM lab_results WHERE analyte = ?"
        params: list[Any] = [analyte]
        if method is not None:
            sql += " AND method = ?"
            params.append(method)
        rows = self._conn.execute(sql + " ORDER BY taken_at DESC, id DESC LIMIT ?", [*params, n])
        return [_record(LabResult, r) for r in rows]

    def labs_named(self) -> list[str]:
        """The labs the journal's results name, sorted (for an entry field's suggestions)."""
        rows = self._conn.execute("SELECT DISTINCT lab FROM lab_results WHERE lab != '' "
                                 "ORDER BY lab")
        return [r[0] for r in rows]

    def results_per_batch(self) -> dict[int, int]:
        """How many lab results each import batch holds now."""
        return dict(self._conn.execute(
            "SELECT batch_id, count(*) FROM lab_results WHERE batch_id IS NOT NULL "
            "GROUP BY batch_id").fetchall())

    def last_site(self, medication_id: int | None) -> str:
        """The injection site of the newest dose of a regimen (or of doses without one)."""
        row = self._conn.execute(
            "SELECT site FROM doses WHERE medication_id IS ? AND site != '' "
            "ORDER BY taken_at DESC LIMIT 1", [medication_id]).fetchone()
        return row[0] if row else ""

    def analytes_present(self) -> list[str]:
        rows = self._conn.execute("SELECT DISTINCT analyte FROM lab_results ORDER BY analyte")
        return [r[0] for r in rows]

    # ----------------------------------------------------------------- import batches
    def start_batch(self, source: str, fmt: str = "", sha256: str = "", note: str = "") -> int:
        stamp = datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
        return self.add(Batch(None, stamp, source, fmt, sha256, 0, note))

    def batch_results(self, batch_id: int) -> list[LabResult]:
        return self.all(LabResult, batch_id=batch_id)

    def batch_records(self, batch_id: int) -> list[Any]:
        """Everything an import batch added, lab results first, medications before doses."""
        return [r for kind in _BATCHED for r in self.all(kind, batch_id=batch_id)]

    def undo_batch(self, batch_id: int) -> int:
        """Remove a whole import batch and all it added; return how many results went."""
        with self.transaction():
            n = self._conn.execute(
                "SELECT count(*) FROM lab_results WHERE batch_id = ?", [batch_id]
            ).fetchone()[0]
            self._conn.execute("DELETE FROM batches WHERE id = ?", [batch_id])
        return int(n)

    def last_doses(self) -> list[tuple[str, int | None, str]]:
        """(drug, medication_id, the newest taken_at) for each drug and medication logged: what
        the overview needs to know whether any dose is recent, without reading them all."""
        rows = self._conn.execute("SELECT drug, medication_id, max(taken_at) FROM doses "
                                  "GROUP BY drug, medication_id")
        return [tuple(r) for r in rows]

    # ----------------------------------------------------------------- phases and medications
    def phases_at(self, day: str) -> list[Phase]:
        """Phases running on a day (phases may overlap)."""
        return self._select(Phase, [_RUNNING_ON], [day, day])

    def active_medications(self, day: str) -> list[Medication]:
        return self._select(Medication, [_RUNNING_ON], [day, day])

    def last_dose_before(self, stamp: str, drug_class: str | None = None) -> Dose | None:
        sql = "SELECT d.* FROM doses d LEFT JOIN medications m ON m.id = d.medication_id " \
              "WHERE d.taken_at <= ?"
        params: list[Any] = [stamp]
        if drug_class:
            sql += " AND m.drug_class = ?"
            params.append(drug_class)
        row = self._conn.execute(sql + " ORDER BY d.taken_at DESC LIMIT 1", params).fetchone()
        return from_row(Dose, dict(row)) if row else None

    # ----------------------------------------------------------------- profile
    def profile(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._conn.execute("SELECT key, value FROM profile")}

    def set_profile(self, **values: str) -> None:
        with self.transaction():
            for key, value in values.items():
                self._conn.execute(
                    "INSERT INTO profile (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )

    # ----------------------------------------------------------------- marker names
    def marker_names(self) -> dict[str, tuple[str, str]]:
        """Names the user mapped to a known marker: folded name -> (analyte key, method)."""
        return {fold_name(r["name"]): (r["analyte"], r["method"]) for r in self._conn.execute(
            "SELECT name, analyte, method FROM marker_names ORDER BY name")}

    def remember_marker_names(self, names: Mapping[str, tuple[str, str] | None]) -> None:
        """Remember (or, for None, forget) what printed names mean, in one transaction."""
        if not names:
            return
        now = datetime.now().isoformat(timespec="seconds")
        with self.transaction():
            for name, meaning in names.items():
                folded = fold_name(name)
                if meaning is None:
                    self._conn.execute("DELETE FROM marker_names WHERE name = ?", [folded])
                    continue
                analyte, method = meaning
                self._conn.execute(
                    "INSERT INTO marker_names (name, analyte, method, set_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET analyte = excluded.analyte, "
                    "method = excluded.method, set_at = excluded.set_at",
                    [folded, analyte, method, now])

    # ----------------------------------------------------------------- overview
    def counts(self) -> dict[str, int]:
        tables = [k.table for k in _COUNTED]  # one statement for all of them
        row = self._conn.execute(
            "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)).fetchone()
        return {t: int(n) for t, n in zip(tables, row, strict=True)}

    def is_empty(self) -> bool:
        """No record of any kind (an import batch alone is no record); one statement that
        stops at the first row it finds."""
        found = " OR ".join(f"EXISTS (SELECT 1 FROM {k.table})" for k in _COUNTED
                            if k.table != "batches")
        return not self._conn.execute(f"SELECT {found}").fetchone()[0]

    def date_span(self) -> tuple[str, str] | None:
        """The first and last day of the records (results, doses, phases, notes).

        Dates that no entry path accepts (before 1900; a lab result after tomorrow, see
        domain.plausible) are left out, so that one wrong year in an old journal does not
        stretch every chart over centuries.
        """
        row = self._conn.execute(
            "SELECT min(d), max(d) FROM ("
            " SELECT substr(taken_at, 1, 10) AS d FROM lab_results"
            "  WHERE substr(taken_at, 1, 10) <= ?"
            " UNION ALL SELECT substr(taken_at, 1, 10) FROM doses"
            " UNION ALL SELECT start_date FROM phases"
            " UNION ALL SELECT substr(noted_at, 1, 10) FROM notes) WHERE d >= ?",
            [latest_date(date.today()), EARLIEST_DATE],
        ).fetchone()
        return (row[0], row[1]) if row and row[0] else None

    # ----------------------------------------------------------------- sealed queries (issue 20)
    def clear_all_records(self) -> None:
        """Delete every record, import batch and profile entry, in one transaction (the demo
        rewrites its own journal this way). Remembered marker names stay."""
        with self.transaction():
            for table in _CLEARED_TABLES:
                self._conn.execute(f"DELETE FROM {table}")

    def result_keys(self) -> Iterator[tuple[Any, ...]]:
        """The parts of every lab result's duplicate key, as stored: ``(taken_at, analyte,
        method, comparator, value, reported_value)``, one tuple a result, read lazily."""
        cursor = self._conn.cursor()
        cursor.row_factory = None  # plain tuples, made fast
        yield from cursor.execute(
            "SELECT taken_at, analyte, method, comparator, value, reported_value FROM lab_results")

    def batch_checksums(self) -> list[tuple[int, str]]:
        """Each import batch's id and its files' SHA-256 checksums (comma-separated)."""
        return [(int(r[0]), r[1] or "") for r in
                self._conn.execute("SELECT id, sha256 FROM batches ORDER BY id")]

    def set_batch_rows(self, batch_id: int, rows: int) -> None:
        """Record how many lab results an import batch wrote."""
        with self.transaction():
            cursor = self._conn.execute("UPDATE batches SET rows = ? WHERE id = ?",
                                       [int(rows), int(batch_id)])
        if cursor.rowcount != 1:
            raise JournalError(f"import batch {batch_id} no longer exists")

    def insert_lab_results(self, batch_id: int, rows: Iterable[Mapping[str, Any]]) -> int:
        """Write many lab results into an import batch at once; return how many.

        Each row maps the fields of :class:`LabResult` (``id`` and ``batch_id`` are ignored);
        see :meth:`insert_lab_values`, which this is with the rows as tuples.
        """
        return self.insert_lab_values(batch_id, map(_LAB_VALUES, rows))

    def insert_lab_values(self, batch_id: int, rows: Iterable[tuple[Any, ...]]) -> int:
        """Write many lab results into an import batch at once; return how many.

        Each row is a tuple of a result's fields in :data:`LAB_COLUMNS` order. Every row
        passes the same guard as :meth:`add` first: an impossible value or date raises
        :class:`RecordRefused` with the reason, and none of the rows is written.
        """
        values = rows if isinstance(rows, list) else list(rows)
        today = date.today()
        spans, refusal, latest = PLAUSIBLE_SPANS, _bulk_refusal(today), latest_date(today)
        taken_at, analyte, value_at = _TAKEN_AT, _ANALYTE, _VALUE
        for number, row in enumerate(values):
            if len(row) != len(_LAB_COLUMNS):
                raise ValueError(f"result {number + 1} has {len(row)} values, not "
                                 f"{len(_LAB_COLUMNS)} (LAB_COLUMNS)")
            # a float inside its marker's plausible span on a date from 1900 to tomorrow is
            # possible (what judge_result decides first too); anything else goes through it
            value, span = row[value_at], spans.get(row[analyte])
            if span is not None and value.__class__ is float and span[0] <= value <= span[1] \
                    and EARLIEST_DATE <= row[taken_at][:10] <= latest:
                continue
            refused = refusal(row)
            if refused:
                field, reason = refused
                raise RecordRefused(f"the journal refused result {number + 1} "
                                    f"({row[taken_at]}, {row[analyte]}): {reason}", field)
        with self.transaction():
            self._conn.executemany(_LAB_INSERT.format(batch_id=int(batch_id)), values)
        return len(values)


def _translating(method: Callable[..., Any]) -> Callable[..., Any]:
    """A read of :class:`Journal` whose sqlite3 errors leave as the store's own (see
    :meth:`Journal._raise_translated`); a generator's are translated while it is read."""
    import functools
    import inspect

    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def generator(self: Journal, *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(self, *args, **kwargs)
            except sql_errors() as exc:
                self._raise_translated(exc)
                raise
        return generator

    @functools.wraps(method)
    def read(self: Journal, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sql_errors() as exc:
            self._raise_translated(exc)
            raise
    return read


# The reads callers make: a damaged, busy or vanished file reaches them as a UserError
# (JournalDamaged, StorageError), never as sqlite3's own exception. Writes are translated by
# Journal.transaction.
for _name in ("get", "_select", "count_of", "latest_results", "labs_named", "results_per_batch",
              "last_site", "analytes_present", "last_dose_before", "profile", "marker_names",
              "date_span", "result_keys", "batch_checksums"):
    setattr(Journal, _name, _translating(getattr(Journal, _name)))
del _name

def record_fields(kind: type) -> list[str]:
    return [f.name for f in fields(kind)]


def _split_script(step: Any, conn: sqlite3.Connection) -> list[str]:
    """Run a migration step's SQL statement by statement inside our own transaction.

    ``executescript`` would commit first, so the step writes to a recorder and we execute
    each complete statement ourselves.
    """
    recorder = _ScriptRecorder()
    step(recorder)
    return recorder.statements


class _ScriptRecorder:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def executescript(self, script: str) -> None:
        buffer = ""
        for piece in script.split(";"):
            buffer += piece + ";"
            if sqlite3.complete_statement(buffer):  # a ";" inside a string or trigger waits
                if buffer.strip(" \n\t;"):
                    self.statements.append(buffer.strip())
                buffer = ""
        if buffer.strip(" \n\t;"):
            raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:60]}")

    def execute(self, sql: str) -> None:
        self.statements.append(sql)
