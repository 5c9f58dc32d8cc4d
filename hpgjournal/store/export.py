"""``hpgjournal export``: stable CSV columns (DESIGN.md section 3) and a lossless JSON document."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, fields
from typing import IO, TYPE_CHECKING, Any

from hpgjournal import __version__
from hpgjournal.domain import analytes
from hpgjournal.domain.errors import UserError
from hpgjournal.domain.kinds import KINDS
from hpgjournal.domain.records import LabResult
from hpgjournal.store.journal import Journal

if TYPE_CHECKING:
    import pandas as pd

LAB_COLUMNS = ("taken_at", "analyte", "method", "loinc", "value", "comparator", "unit",
               "reported_value", "reported_unit", "ref_low", "ref_high", "flag", "lab", "source",
               "note")
TABLES: dict[str, type[Any]] = {k.export_name: k.record for k in KINDS}
EXPORT_NAMES = (*TABLES, "all")
FORMAT_NAME = "hpgjournal-export"
FORMAT_VERSION = 1


def format_cell(value: Any) -> str:
    """A CSV cell: numbers in their shortest exact form, text safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    text = str(value)
    # A spreadsheet runs a cell as a formula when it starts with one of these, also after
    # leading blanks or line breaks, which it skips.
    first = text.lstrip(" \t\r\n\f\v\u00a0")[:1]
    if text[:1] in ("\t", "\r", "\n") or (first in ("=", "+", "-", "@", "\uff1d")
                                         and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _loinc(analyte: str) -> str:
    try:
        return analytes.get_analyte(analyte).loinc
    except KeyError:
        return ""


def _lab_row(result: LabResult) -> list[str]:
    row = asdict(result)
    row["loinc"] = _loinc(result.analyte)
    return [format_cell(row[c]) for c in LAB_COLUMNS]


def export(journal: Journal, table: str, fmt: str, out: IO[str]) -> int:
    """Write a table (or ``all``) to ``out``; return the number of records written."""
    if table not in EXPORT_NAMES:
        raise UserError(f"unknown table {table!r}: choose one of {', '.join(EXPORT_NAMES)}")
    if fmt not in ("csv", "json"):
        raise UserError(f"unknown format {fmt!r}: choose csv or json")
    if table == "all" and fmt == "csv":
        raise UserError("'all' is one document: use --format json, or export the tables one by one")
    if fmt == "json":
        return _export_json(journal, list(TABLES) if table == "all" else [table], out)
    kind = TABLES[table]
    records = journal.all(kind)
    writer = csv.writer(out, lineterminator="\n")
    if kind is LabResult:
        writer.writerow(LAB_COLUMNS)
        writer.writerows(_lab_row(r) for r in records)
    else:
        names = [f.name for f in fields(kind) if f.name != "id"]
        writer.writerow(names)
        writer.writerows([format_cell(getattr(r, n)) for n in names] for r in records)
    return len(records)


def _export_json(journal: Journal, tables: list[str], out: IO[str]) -> int:
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "journal_version": journal.version,
        "profile": journal.profile(),
    }
    total = 0
    for name in tables:
        records = journal.all(TABLES[name])
        document[name] = [asdict(r) for r in records]
        total += len(records)
    json.dump(document, out, indent=1, ensure_ascii=False, allow_nan=False)
    out.write("\n")
    return total


def frame(journal: Journal, table: str) -> pd.DataFrame:
    """One table as a pandas DataFrame, for a user's own analysis (a notebook, a script).

    ``labs`` has the columns of ``export labs`` (``value`` in the marker's canonical unit, the
    lab's own text in ``reported_value`` and ``reported_unit``); the other tables have their
    record fields. Dates and times (``*_at``, ``*_date``) are pandas datetimes, numbers are
    floats with NaN where there is none, and a censored result keeps its ``comparator``.
    pandas is loaded here, on first use, never on the window's way to its first paint.
    """
    import pandas as pd

    if table not in TABLES:
        raise UserError(f"unknown table {table!r}: choose one of {', '.join(TABLES)}")
    kind = TABLES[table]
    records = journal.all(kind)
    if kind is LabResult:
        rows = []
        for result in records:
            row = {c: getattr(result, c, None) for c in LAB_COLUMNS if c != "loinc"}
            row["loinc"] = _loinc(result.analyte)
            rows.append(row)
        columns = list(LAB_COLUMNS)
    else:
        columns = [f.name for f in fields(kind)]
        rows = [asdict(r) for r in records]
    df = pd.DataFrame.from_records(rows, columns=columns)
    for name in columns:
        if name.endswith(("_at", "_date")):
            df[name] = pd.to_datetime(df[name], format="ISO8601")
        elif name in ("value", "ref_low", "ref_high"):
            df[name] = pd.to_numeric(df[name]).astype("float64")
    return df
