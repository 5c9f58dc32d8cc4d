"""An import needs memory in proportion to its file, and not much of it (issue 12): under ten
times the file's size for a large long table, measured in a real process."""

from __future__ import annotations

import copy
import io
import json
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpgjournal.importers import planned
from hpgjournal.importers import table as table_module
from hpgjournal.importers.normalise import result_key
from hpgjournal.importers.plan import PlannedRows, plan_import
from tests.importers.helpers import data, plan_file


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b,c", "\n", "\r", "\r\n", '"', "\u00e9", "\u2028", " "]),
                max_size=80).map("".join), st.integers(1, 7))
def test_the_text_read_in_pieces_gives_the_lines_of_the_whole(text, piece):
    """Rows are read from the text a piece at a time; the lines are those of the whole text
    read at once, whatever the line ends and wherever a piece would end."""
    with mock.patch.object(table_module, "_CHUNK_CHARS", piece):
        pieces = list(table_module._lines(text))
    assert pieces == list(io.StringIO(text, newline=""))


# ---- the rows of a plan, kept by column ------------------------------------------------------


def test_the_rows_of_a_plan_are_a_sequence_of_planned_rows(journal):
    plan = plan_file(journal, "bad_rows.csv")
    rows = plan.rows
    assert isinstance(rows, PlannedRows)
    listed = list(rows)
    assert len(rows) == len(listed) == 5
    assert rows[-1] == listed[-1] and rows[1:3] == listed[1:3]
    assert [r.status for r in listed] == ["new", "error", "error", "error", "new"]
    assert rows.count_status("error") == plan.count("error") == 3
    assert list(rows.positions("new")) == [0, 4]
    assert rows.fields(0) == vars(rows[0].result) and rows.key(0) == result_key(rows[0].result)
    with pytest.raises(IndexError):
        rows[5]
    again = PlannedRows(listed)  # the rows made again from their views
    assert list(again) == listed
    moved = type(listed[0])(listed[0].file, 99, "new", listed[0].result, "", listed[0].raw)
    rows[0] = moved
    assert rows[0].line == 99 and rows[0].result == listed[0].result
    assert copy.copy(listed[0]) == listed[0]


def _plan_statuses(journal, path: Path) -> list[tuple[int, str, str]]:
    return [(r.line, r.status, r.reason) for r in plan_import([path], journal).rows]


def test_duplicates_are_told_by_their_keys_whatever_their_hashes_share(tmp_path, journal,
                                                                        monkeypatch):
    """Rows whose hashes share a bit of the bitmap are told apart by their keys: with a
    bitmap of eight bits (every row shares one) the plan is the same."""
    path = tmp_path / "repeats.csv"
    lines = ["date,marker,value,unit"]
    for i in range(300):
        lines.append(f"2024-01-{1 + i % 28:02d},{('LH', 'FSH', 'SHBG')[i % 3]},{i % 7}.5,"
                     f"{('IU/L', 'IU/L', 'nmol/L')[i % 3]}")
    path.write_text("\n".join(lines) + "\n")
    expected = _plan_statuses(journal, path)
    assert {status for _line, status, _reason in expected} == {"new", "duplicate"}
    original = planned.SeenResults.__init__

    def tiny(self: planned.SeenResults, rows: int) -> None:
        original(self, rows)
        self.mask, self.bitmap = 7, bytearray(1)

    monkeypatch.setattr(planned.SeenResults, "__init__", tiny)
    assert _plan_statuses(journal, path) == expected
    assert _plan_statuses(journal, data("duplicates_inside.csv")) == [
        (r.line, r.status, r.reason) for r in plan_file(journal, "duplicates_inside.csv").rows]


# ---- the memory of a large import, measured ---------------------------------------------------

ROWS = 450_000  # about 20 MB
MARKERS = (("Testosterone, Total", "ng/dL", 250, 1100), ("Free Testosterone (Direct)", "pg/mL", 4, 30),
           ("Estradiol, Sensitive", "pg/mL", 8, 60), ("LH", "mIU/mL", 0.1, 9),
           ("FSH", "mIU/mL", 0.1, 12), ("Sex Hormone Binding Globulin", "nmol/L", 12, 70),
           ("Hematocrit", "%", 38, 56), ("Hemoglobin", "g/dL", 12, 19), ("PSA", "ng/mL", 0.1, 4),
           ("Prolactin", "ng/mL", 2, 20))
# Runs a command and prints, as JSON, its exit status, output and peak memory (bytes): a fresh
# process for each, as RUSAGE_CHILDREN keeps the largest child's peak for good.
MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
print(json.dumps({"status": done.returncode, "stdout": done.stdout, "stderr": done.stderr, "peak": peak}))
"""


_FIRST_DAY = date(1900, 1, 1)


def write_long_table(path: Path, rows: int) -> None:
    """Date, marker, value, unit: one result a row, ten markers a draw (44 bytes a row)."""
    rng = random.Random(12)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("date,marker,value,unit\n")
        for i in range(rows):
            name, unit, low, high = MARKERS[i % len(MARKERS)]
            draw = i // len(MARKERS)
            day = _FIRST_DAY + timedelta(days=draw)  # one draw a day: none lies in the future
            out.write(f'{day.isoformat()},"{name}",{rng.uniform(low, high):.2f},{unit}\n')


def measured(*args: str) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, *args], env=env,
                          capture_output=True, text=True, timeout=600, check=True)
    return json.loads(proc.stdout)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="peak memory from resource.getrusage")
def test_a_large_import_needs_under_ten_times_its_size(tmp_path):
    """A 20 MB long table (450,000 results) imported by the command line: its peak memory,
    above the interpreter's with the importer loaded, is under ten times the file's size."""
    path = tmp_path / "labs.csv"
    write_long_table(path, ROWS)
    size = path.stat().st_size
    baseline = measured("-c", "import hpgjournal.cli, hpgjournal.importers.plan, "
                              "hpgjournal.importers.commit, hpgjournal.importers.command")
    run = measured("-m", "hpgjournal", "import", str(path), "--journal",
                   str(tmp_path / "j.hpgjournal"), "--json")
    assert run["status"] == 0, run["stderr"]
    assert json.loads(run["stdout"])["added"] == ROWS
    ratio = (run["peak"] - baseline["peak"]) / size
    assert ratio < 10, (f"peak {run['peak'] / 2**20:.0f} MiB, interpreter {baseline['peak'] / 2**20:.0f}"
                        f" MiB, file {size / 2**20:.1f} MiB: {ratio:.1f} times the file")
