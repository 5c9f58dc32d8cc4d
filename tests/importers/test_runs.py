"""A long table's stretches of plain rows are read column by column (formats/long.py's
CandidateRun, taken at once by PlannedRows.take): the candidates, the plan and its progress
are exactly those of reading the same file row by row."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpgjournal.domain.errors import UserError
from hpgjournal.importers import plan as plan_module
from hpgjournal.importers import plan_import
from hpgjournal.importers.formats import long as long_module
from hpgjournal.importers.formats import make_probe, rank
from hpgjournal.importers.rows import Candidate, CandidateRun
from hpgjournal.importers.source import read_source
from hpgjournal.store.journal import Journal

from .test_properties import NAMES, dates, tables, values

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

WORDS = st.text(alphabet=st.sampled_from("abcXYZ019 .,;<>/%\"'-\u00e9\u00a0"), max_size=12)
HEADERS = {
    "date": "Collection Date", "marker": "Test Name", "value": "Result", "unit": "Units",
    "range": "Reference Range", "low": "ref_low", "high": "ref_high", "flag": "Flag",
    "lab": "Lab", "note": "Comment", "time": "Time", "loinc": "LOINC", "extra": "Whatever",
}


@st.composite
def long_tables(draw):
    """Long tables with the rows that are not plain among plain ones: dates left blank, names
    on a line of their own, the header repeated, short and long rows, empty rows."""
    extra = draw(st.lists(st.sampled_from(["unit", "range", "low", "high", "flag", "lab", "note",
                                           "time", "loinc", "extra"]), unique=True))
    fields = [*draw(st.sampled_from([["date", "marker", "value"], ["marker", "date", "value"],
                                     ["marker", "value"]])), *extra]
    header = [HEADERS[f] for f in fields]
    plain = draw(st.booleans())  # mostly plain rows, or anything
    rows = []
    for _ in range(draw(st.integers(1, 40))):
        kind = "plain" if plain and draw(st.integers(0, 5)) else draw(st.sampled_from(
            ["plain", "no date", "no value", "header", "short", "long", "empty", "no marker"]))
        cells = {
            "date": draw(dates()), "marker": draw(st.one_of(st.sampled_from(NAMES), WORDS)),
            "value": draw(values()), "unit": draw(st.sampled_from(["ng/dL", "pg/mL", "%", ""])),
            "range": draw(st.sampled_from(["", "264-916", "<5"])),
            "low": draw(st.sampled_from(["", "0", "1.5", "Negative"])),
            "high": draw(st.sampled_from(["", "0", "9.9"])),
            "flag": draw(st.sampled_from(["", "H", "L"])), "lab": draw(st.sampled_from(["", "Q"])),
            "note": draw(st.sampled_from(["", "fasting", "x"])),
            "time": draw(st.sampled_from(["", "08:05", "late"])),
            "loinc": draw(st.sampled_from(["", "2986-8", "x"])), "extra": draw(WORDS),
        }
        if kind == "plain" and not cells["value"]:
            cells["value"] = "5.5"
        row = [cells[f] for f in fields]
        if kind == "no date" and "date" in fields:
            row[fields.index("date")] = ""
        elif kind == "no value":
            row = [c if f == "marker" else "" for f, c in zip(fields, row, strict=True)]
        elif kind == "header":
            row = list(header)
        elif kind == "short":
            row = row[:-1]
        elif kind == "long":
            row = [*row, draw(st.sampled_from(["", "spill"]))]
        elif kind == "empty":
            row = [""] * len(fields)
        elif kind == "no marker":
            row[fields.index("marker")] = ""
        rows.append(row)
    out = io.StringIO()
    out.write(draw(st.sampled_from(["", "Patient: X\nCollected: 01/02/2024\n"])))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _items(path: Path, run_rows: int) -> list[object] | None:
    with mock.patch.object(long_module, "_RUN_ROWS", run_rows):
        try:
            probe = make_probe(read_source(path, None))
            ranking = rank(probe)
            if not ranking or ranking[0][0].name not in ("long", "packed"):
                return None
            return list(ranking[0][0].read(probe).items)
        except UserError:
            return None


def _planned(path: Path, journal: Journal, run_rows: int, tick: int = 3):
    ticks: list[tuple[int, int]] = []
    with mock.patch.object(long_module, "_RUN_ROWS", run_rows), \
            mock.patch.object(plan_module, "_TICK", tick):
        try:
            plan = plan_import([path], journal, progress=lambda done, total: ticks.append(
                (done, total)))
        except UserError as exc:
            return str(exc)
    return [tuple(row) for row in plan.rows], plan.files, ticks


def _expanded(items: list[object]) -> list[object]:
    return [one for item in items
            for one in (list(item) if isinstance(item, CandidateRun) else [item])]


@SETTINGS
@given(st.one_of(long_tables(), tables().map(lambda table: table[0])), st.sampled_from([2, 3, 7]))
def test_runs_give_the_candidates_and_the_plan_of_reading_row_by_row(content, run_rows):
    with tempfile.TemporaryDirectory() as folder, \
            Journal.open(Path(folder) / "j.hpgjournal") as journal:
        path = Path(folder) / "labs.csv"
        path.write_bytes(content)
        by_rows = _items(path, 0)
        by_runs = _items(path, run_rows)
        assert (by_rows is None) == (by_runs is None)
        if by_rows is not None:
            assert not any(isinstance(item, CandidateRun) for item in by_rows)
            assert _expanded(by_runs) == by_rows
        assert _planned(path, journal, run_rows) == _planned(path, journal, 0)


def test_a_plain_table_is_read_in_runs_of_the_rows_it_can(tmp_path):
    rows = [f"2024-01-{day:02d},LH,{day}.5,IU/L" for day in range(1, 21)]
    rows[9] = ",FSH,4,IU/L"  # the date of the row above
    path = tmp_path / "labs.csv"
    path.write_text("date,marker,value,unit\n" + "\n".join(rows) + "\n")
    items = _items(path, 4)
    assert items is not None
    shapes = [len(item) if isinstance(item, CandidateRun) else 1 for item in items]
    assert shapes == [4, 4, 1, 1, 1, 1, 4, 4]  # the stretch with the blank date row by row
    assert all(isinstance(one, Candidate) for one in _expanded(items))
    assert [c.date for c in _expanded(items)][9] == "2024-01-09"


@pytest.mark.parametrize("every", [1, 2, 3, 5, 7, 2000])
def test_runs_tick_where_rows_do(tmp_path, every):
    path = tmp_path / "labs.csv"
    path.write_text("date,marker,value\n" + "".join(
        f"2024-01-{1 + i % 28:02d},LH,{i}\n" for i in range(23)))
    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        planned = {run_rows: _planned(path, journal, run_rows, every) for run_rows in (0, 4, 10)}
    assert planned[4] == planned[10] == planned[0]
    # a tick per ``every`` rows read, and again settled, then the end
    assert len(planned[0][2]) == 2 * (23 // every) + 1
