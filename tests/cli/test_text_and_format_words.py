"""The command line, as a user runs it (issue 13): ``import`` refuses text where a number
belongs and ``check`` lists such text stored earlier; the format names of ``--format`` come
with what they mean, and the per-file line of ``import`` says the format in words."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from hpgjournal.domain.results import make_result
from hpgjournal.importers import FORMAT_NAMES
from hpgjournal.store.journal import Journal

DATA = Path(__file__).resolve().parent.parent / "data" / "import"

LABS = """Date,Test,Result,Units
2026-03-04,Testosterone,4OO,ng/dL
2026-03-04,LH,l.5,mIU/mL
2026-03-04,SHBG,TNP,nmol/L
2026-03-04,Prolactin,<0.2,ng/mL
2026-03-04,Blood group,A Rh+,
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "hpgjournal", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def stored(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT analyte, reported_value FROM lab_results ORDER BY id").fetchall()
    finally:
        conn.close()


def test_import_refuses_text_where_a_number_belongs_and_check_then_passes(tmp_path):
    source = tmp_path / "labs.csv"
    source.write_text(LABS, encoding="utf-8")
    journal = tmp_path / "j.hpgjournal"
    dry = run("import", str(source), "--journal", str(journal), "--dry-run")
    assert dry.returncode == 3, dry.stderr
    assert f"{source}:2: 4OO is not a number: did you mean 400? (Total testosterone needs " \
           "digits" in dry.stderr
    assert f"{source}:3: l.5 is not a number: did you mean 1.5?" in dry.stderr
    assert "3 new, 0 duplicates, 2 unreadable" in dry.stdout
    assert "3 results would be imported" in dry.stdout
    assert not journal.exists()  # a dry run writes nothing
    done = run("import", str(source), "--journal", str(journal))
    assert done.returncode == 3, done.stderr
    assert stored(journal) == [("shbg", "TNP"), ("prolactin", "<0.2"),
                               ("custom:Blood group", "A Rh+")]
    checked = run("check", "--journal", str(journal))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "ok (3 lab results, 0 regimens, 0 doses, 0 phases, 0 check-ins, 0 measures, " \
           "1 import batch, 0 questionnaires)" in checked.stdout


def test_check_lists_text_an_older_import_stored_and_says_how_to_correct_it(tmp_path):
    journal = tmp_path / "old.hpgjournal"
    with Journal.open(journal) as opened:
        for day in (1, 2, 3):
            opened.add(make_result(f"2024-03-0{day}", "lh", "4.2", "mIU/mL"))
        # what the importers before issue 13 kept: the text as printed, no number
        opened._conn.execute("UPDATE lab_results SET analyte = 'testosterone_total', value = NULL, "
                            "reported_value = '4OO', reported_unit = 'ng/dL' WHERE id = 1")
        opened._conn.execute("UPDATE lab_results SET value = NULL, reported_value = 'QNS' "
                            "WHERE id = 2")
        opened._conn.commit()
    proc = run("check", "--journal", str(journal))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == ("error: lab result #1 (2024-03-01): Total testosterone is stored as the "
                        "text '4OO', not as a number: probably 400 ng/dL")
    assert lines[1].startswith("to correct a value kept as text, open the window's Lab results "
                               "page, select the result and click Edit")
    assert len(lines) == 2  # QNS is a text labs print: fine
    assert "1 errors, 0 warnings" in proc.stderr


def test_import_help_says_what_each_format_name_means():
    proc = run("import", "--help")
    assert proc.returncode == 0, proc.stderr
    lines = [line.strip() for line in proc.stdout.splitlines()]
    for name in FORMAT_NAMES:
        assert any(line.startswith(f"{name}: ") for line in lines), name
    assert "long: Long table (one result per row)" in lines
    assert "whoop: WHOOP Advanced Labs biomarker CSV" in lines
    assert "hpgjournal-json: hpgjournal export (JSON)" in lines


def test_the_per_file_line_says_the_format_in_words(tmp_path):
    journal = tmp_path / "j.hpgjournal"
    whoop = DATA / "whoop.csv"
    proc = run("import", str(whoop), "--journal", str(journal), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert f"{whoop}: WHOOP Advanced Labs biomarker CSV (confidence 0.98, as --format whoop)" \
        in proc.stdout
    # the names stay the values --format accepts
    proc = run("import", str(whoop), "--journal", str(journal), "--dry-run", "--format", "long",
               "--date-order", "mdy")
    assert proc.returncode == 0, proc.stderr
    assert f"{whoop}: Long table (one result per row) (confidence" in proc.stdout
    # an export of hpgjournal's own is certain: no name to re-run with
    export = tmp_path / "all.json"
    export.write_text(json.dumps({"format": "hpgjournal-export", "format_version": 1, "labs": [
        {"taken_at": "2024-01-02", "analyte": "lh", "value": 3.0, "unit": "IU/L",
         "reported_value": "3.0"}]}), encoding="utf-8")
    proc = run("import", str(export), "--journal", str(journal), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.splitlines()[0]
    assert line.startswith(f"{export}: hpgjournal export (JSON) (confidence 1.00), encoding")
    assert "hpgjournal-json" not in line
    assert "dates year first (as this export writes them)" in line
