"""The journal as pandas tables, and the README's recipes for a user's own tools.

The README's code blocks under "Your data in other tools" are run here as written, on a copy
of the demo journal, so the instructions a user follows cannot drift from what works.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hpgjournal.domain.errors import UserError
from hpgjournal.domain.results import make_result
from hpgjournal.store.export import LAB_COLUMNS, export
from hpgjournal.store.journal import Journal

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Your data in other tools", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_labs_frame_matches_the_csv_export(demo_path):
    with Journal.open(demo_path, readonly=True) as journal:
        df = journal.frame("labs")
        out = io.StringIO()
        export(journal, "labs", "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(df.columns) == list(LAB_COLUMNS)
    assert len(df) == len(rows) > 100
    assert pd.api.types.is_datetime64_any_dtype(df["taken_at"])
    assert df["value"].dtype == "float64" and df["ref_low"].dtype == "float64"
    for i in (0, len(rows) // 2, len(rows) - 1):
        row, got = rows[i], df.iloc[i]
        assert got["analyte"] == row["analyte"] and got["loinc"] == row["loinc"]
        assert got["taken_at"] == pd.Timestamp(row["taken_at"])
        if row["value"]:
            assert got["value"] == float(row["value"])
        else:
            assert pd.isna(got["value"])
    total_t = df[df["analyte"] == "testosterone_total"]
    assert len(total_t) > 10 and (total_t["unit"] == "ng/dL").all()


def test_censored_and_text_results_keep_what_the_lab_printed(journal):
    journal.add_many([
        make_result("2025-01-02", "estradiol", "<5", "pg/mL"),
        make_result("2025-01-02T08:30", "testosterone_total", "TNP", "ng/dL"),
    ])
    df = journal.frame("labs")
    e2 = df[df["analyte"] == "estradiol"].iloc[0]
    assert e2["comparator"] == "<" and e2["value"] == 5.0
    tnp = df[df["analyte"] == "testosterone_total"].iloc[0]
    assert pd.isna(tnp["value"]) and tnp["reported_value"] == "TNP"
    assert tnp["taken_at"] == pd.Timestamp("2025-01-02T08:30")


def test_other_tables_have_their_fields_and_dates(demo_path):
    with Journal.open(demo_path, readonly=True) as journal:
        doses = journal.frame("doses")
        phases = journal.frame("phases")
        counts = journal.counts()
    assert len(doses) == counts["doses"] and "amount" in doses.columns
    assert pd.api.types.is_datetime64_any_dtype(doses["taken_at"])
    assert pd.api.types.is_datetime64_any_dtype(phases["start_date"])
    assert phases["end_date"].isna().sum() >= 1  # the phase still running has no end


def test_unknown_table_is_refused_with_the_choices(journal):
    with pytest.raises(UserError, match="labs, medications"):
        journal.frame("lab")


def test_readme_pandas_recipe_runs_and_changes_nothing(demo_path):
    (block,) = _readme_blocks("python")
    before = _digest(demo_path)
    code = block.replace('Path.home() / ".local/share/hpgjournal/journal.hpgjournal"',
                         repr(str(demo_path)))
    assert code != block, "the README's recipe no longer names the default journal"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    quarters = re.findall(r"^(\d{4}-\d{2}-\d{2})\s+(\d+\.\d+)$", proc.stdout, flags=re.M)
    with Journal.open(demo_path, readonly=True) as journal:
        labs = journal.frame("labs")
    t = labs[labs["analyte"] == "testosterone_total"].set_index("taken_at")["value"]
    expected = t.resample("QE").mean().dropna()
    assert len(quarters) == len(expected) >= 8
    assert float(quarters[0][1]) == pytest.approx(expected.iloc[0])
    assert _digest(demo_path) == before


def test_readme_sqlite_utils_recipe_works_on_a_copy(demo_path, tmp_path):
    (block,) = _readme_blocks("sh")
    data = tmp_path / "data"
    data.mkdir()
    default = data / "journal.hpgjournal"
    default.write_bytes(demo_path.read_bytes())
    before = _digest(default)
    copy = tmp_path / "copy.hpgjournal"
    bin_dir = Path(sys.executable).parent
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HPGJOURNAL_DATA_DIR": str(data),
           "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    outputs = []
    for command in block.strip().splitlines():
        command = command.replace("/tmp/journal-copy.hpgjournal", str(copy))
        proc = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60,
                              check=False, env=env)
        assert proc.returncode == 0, (command, proc.stderr)
        outputs.append(proc.stdout)
    assert re.search(r"lab_results\s+150", outputs[1]), outputs[1]
    assert "testosterone" in outputs[2] or "ng/dL" in outputs[2]
    assert _digest(default) == before  # the journal itself was never opened for writing
