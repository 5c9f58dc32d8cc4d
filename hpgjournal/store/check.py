"""``hpgjournal check``: is the file sound, and do its records make sense together?"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

from hpgjournal.domain import analytes
from hpgjournal.domain.analytes import UnitError
from hpgjournal.domain.display import marker_name, record_word
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.phases import PHASE_KINDS
from hpgjournal.domain.plausible import impossible_date, judge_text, judge_value
from hpgjournal.domain.timestamps import normalise_timestamp
from hpgjournal.store import schema
from hpgjournal.store.cipher import database_errors
from hpgjournal.store.journal import Journal

# How to correct a result an older hpgjournal kept as text where its marker needs a number.
TEXT_VALUE_FIX = ("to correct a value kept as text, open the window's Lab results page, select "
                  "the result and click Edit (type the number, or the text the lab printed "
                  "instead, e.g. TNP)")


@dataclass(frozen=True)
class Problem:
    """One finding of the journal check, with where it is and how to fix it."""
    severity: str  # "error": the file is damaged or inconsistent; "warning": worth a look
    where: str
    message: str
    fix: str = ""  # how to correct it, said once for all the problems that share it

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def check(journal: Journal) -> list[Problem]:
    """Every problem found; an empty list means the journal is sound."""
    conn = journal._conn
    problems: list[Problem] = []
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except database_errors() as exc:
        return [Problem("error", "file", f"SQLite cannot read it: {exc}")]
    if integrity != ["ok"]:
        problems += [Problem("error", "file", line) for line in integrity[:20]]
        return problems
    for row in conn.execute("PRAGMA foreign_key_check"):
        problems.append(Problem("error", f"{record_word(row[0])} #{row[1]}",
                                f"points to a missing {record_word(row[2])}"))
    if journal.version != schema.CURRENT_VERSION:
        problems.append(Problem("error", "schema", f"version {journal.version}, expected "
                                                   f"{schema.CURRENT_VERSION}"))
        return problems
    problems += _check_results(conn)
    problems += _check_numbers(conn)
    problems += _check_dates(conn)
    for row in conn.execute("SELECT id, kind FROM phases"):
        if row["kind"] not in PHASE_KINDS:
            problems.append(Problem("error", f"phase #{row['id']}", f"unknown kind {row['kind']!r}"))
    return problems


def _check_results(conn: sqlite3.Connection) -> list[Problem]:
    """Each result's marker, unit and conversion, and its value against the plausibility
    limits: an impossible value (which no entry path stores any more) is an error, an
    implausible one a warning. So is text where the marker needs a number (``4OO``, which
    older importers kept as a text result) an error: every entry path refuses it now."""
    problems = []
    for row in conn.execute("SELECT * FROM lab_results"):
        where = f"lab result #{row['id']} ({row['taken_at']})"
        key = row["analyte"]
        custom = key.startswith("custom:")
        if not custom:
            try:
                analyte = analytes.get_analyte(key)
            except KeyError:
                problems.append(Problem("error", where, f"unknown marker {key!r}"))
                continue
        verdict = judge_value(key, row["value"], row["comparator"], row["reported_value"])
        if verdict.refused:
            problems.append(Problem("error", where, verdict.refused))
            continue
        if verdict.warning:
            problems.append(Problem("warning", where, verdict.warning))
        if not custom and row["value"] is None:
            problems += _check_text(row, where)
        if custom or row["value"] is None:
            continue
        if row["unit"] != analyte.unit:
            problems.append(Problem("error", where, f"unit {row['unit']!r} is not the canonical "
                                                    f"{analyte.unit!r} of {analyte.name}"))
        elif row["reported_unit"]:
            problems += _check_conversion(row, where)
    return problems


def _check_text(row: sqlite3.Row, where: str) -> list[Problem]:
    """A catalogue marker's result stored as text that is no number and no text a lab prints
    instead of one (``TNP``, ``see note``)."""
    text = (row["reported_value"] or "").strip()
    verdict = judge_text(row["analyte"], text)
    if not verdict.refused:
        return []
    unit = (row["reported_unit"] or "").strip()
    likely = f": probably {verdict.suggestion} {unit}".rstrip() if verdict.suggestion else ""
    return [Problem("error", where, f"{marker_name(row['analyte'])} is stored as the text "
                                    f"{text!r}, not as a number{likely}", TEXT_VALUE_FIX)]


_NUMBERS = {"doses": ("amount",), "medications": ("dose", "interval_days"),
            "measures": ("testis_left_ml", "testis_right_ml", "weight_kg", "systolic",
                         "diastolic")}


_NUMBER_WORDS = {"amount": "amount", "dose": "dose", "interval_days": "interval in days",
                 "testis_left_ml": "left testis volume", "testis_right_ml": "right testis volume",
                 "weight_kg": "weight", "systolic": "systolic pressure",
                 "diastolic": "diastolic pressure"}


def _check_numbers(conn: sqlite3.Connection) -> list[Problem]:
    """The other records' numbers must be numbers, and finite."""
    problems = []
    for table, columns in _NUMBERS.items():
        for row in conn.execute(f"SELECT id, {', '.join(columns)} FROM {table}"):
            for name in columns:
                value = row[name]
                if value is None:
                    continue
                if not isinstance(value, int | float) or not math.isfinite(value):
                    problems.append(Problem("error", f"{record_word(table)} #{row['id']}",
                                            f"the {_NUMBER_WORDS[name]} {value!r} is not a "
                                            "finite number"))
    return problems


def _check_conversion(row: sqlite3.Row, where: str) -> list[Problem]:
    """The stored canonical number must be the reported number converted."""
    from hpgjournal.domain.values import parse_value

    readings = []  # the printed text read both ways: files with a decimal comma exist
    for decimal_comma in (False, True):
        parsed = parse_value(row["reported_value"], decimal_comma=decimal_comma)
        if parsed.number is None:
            return []
        try:
            readings.append(analytes.to_canonical(row["analyte"], parsed.number,
                                                  row["reported_unit"]))
        except UnitError as exc:
            return [Problem("warning", where, str(exc))]
    expected = readings[0]
    if not any(math.isclose(e, row["value"], rel_tol=1e-3, abs_tol=1e-9) for e in readings):
        return [Problem("warning", where, f"stored {row['value']:g} {row['unit']} but the "
                                          f"reported {row['reported_value']} "
                                          f"{row['reported_unit']} gives {expected:g}")]
    return []


def _check_dates(conn: sqlite3.Connection) -> list[Problem]:
    problems = []
    columns = {"lab_results": "taken_at", "doses": "taken_at", "notes": "noted_at",
               "measures": "measured_at", "phases": "start_date", "medications": "start_date"}
    for table, column in columns.items():
        for row in conn.execute(f"SELECT id, {column} FROM {table}"):
            try:
                stamp = normalise_timestamp(row[1])
            except ValidationError:
                problems.append(Problem("error", f"{record_word(table)} #{row[0]}",
                                        f"bad date {row[1]!r}"))
                continue
            # a blood test cannot lie ahead; a phase or a regimen may be planned
            reason = impossible_date(stamp, future=table == "lab_results")
            if reason:
                problems.append(Problem("error", f"{record_word(table)} #{row[0]}", reason))
    return problems
