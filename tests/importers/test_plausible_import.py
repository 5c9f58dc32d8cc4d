"""``hpgjournal import`` and the plausibility limits: impossible values are refused row by row
with the reason and never stored, implausible ones are imported with a warning that the command
line (and its dry run and JSON summary) shows."""

from __future__ import annotations

import json
import sqlite3

import pytest

from hpgjournal.cli import main
from hpgjournal.domain.records import LabResult
from hpgjournal.importers.plan import plan_import
from hpgjournal.importers.rows import Candidate, RowError
from hpgjournal.store.journal import Journal

HEADER = "Date,Test,Result,Units,Reference Range\n"
GOOD = "2024-03-01,LH,4.2,IU/L,1.7-8.6\n"


def stored(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT taken_at, analyte, value, reported_value FROM lab_results "
                            "ORDER BY id").fetchall()
    finally:
        conn.close()


def run(capsys, *args):
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize(("line", "words"), [
    ("2024-03-02,Total Testosterone,1e308,ng/dL,264-916",
     "Total testosterone 1e+308 ng/dL is impossible"),
    ("2024-03-02,Total Testosterone,<-5,ng/dL,264-916", "<-5 ng/dL is impossible"),
    ("2024-03-02,Total Testosterone,-5,ng/dL,264-916",
     "Total testosterone -5 ng/dL is impossible: an amount cannot be below 0"),
    ("2024-03-02,Total Testosterone,NaN,ng/dL,264-916", "'NaN' is not a finite number"),
    ("2024-03-02,Total Testosterone,inf,ng/dL,264-916", "'inf' is not a finite number"),
    ("0001-03-02,Total Testosterone,500,ng/dL,264-916", "the date 0001-03-02 is before 1900"),
    ("2099-03-02,Total Testosterone,500,ng/dL,264-916", "the date 2099-03-02 is in the future"),
    ("2024-03-02,Hematocrit,120,%,37.5-51", "a percentage cannot be above 100"),
])
def test_an_impossible_value_is_refused_with_its_reason(tmp_path, capsys, line, words):
    source = tmp_path / "labs.csv"
    source.write_text(HEADER + GOOD + line + "\n", encoding="utf-8")
    journal = tmp_path / "j.hpgjournal"
    status, out, err = run(capsys, "import", str(source), "--journal", str(journal))
    assert status == 3, err
    assert f"{source}:3: " in err and words in err
    assert "1 new, 0 duplicates, 1 unreadable" in out
    assert stored(journal) == [("2024-03-01", "lh", 4.2, "4.2")]  # only the good row
    status, out, err = run(capsys, "check", "--journal", str(journal))
    assert status == 0 and "warning" not in out, out + err


def test_an_implausible_hematocrit_fraction_is_kept_with_a_warning(tmp_path, capsys):
    source = tmp_path / "labs.csv"
    source.write_text(HEADER + GOOD + "2024-03-01,Hematocrit,0.51,%,37.5-51\n", encoding="utf-8")
    journal = tmp_path / "j.hpgjournal"
    status, out, err = run(capsys, "import", str(source), "--journal", str(journal), "--dry-run")
    assert status == 0, err
    assert "dry run: nothing written; 2 results would be imported" in out
    assert f"{source}: warning: line 3: kept, but Hematocrit 0.51 % is implausible" in err
    assert "almost certainly the fraction 0.51, that is 51 %" in err
    assert not journal.exists()
    status, out, err = run(capsys, "import", str(source), "--journal", str(journal), "--json")
    assert status == 0, err
    summary = json.loads(out)
    assert [(w["line"], "fraction 0.51" in w["warning"]) for w in summary["warnings"]] == [
        (3, True)]
    assert any("Hematocrit 0.51 %" in w for w in summary["files"][0]["warnings"])
    assert stored(journal)[1] == ("2024-03-01", "hematocrit", 0.51, "0.51")
    status, out, err = run(capsys, "check", "--journal", str(journal))
    assert status == 0, err
    assert "warning: lab result #2 (2024-03-01): Hematocrit 0.51 % is implausible" in out


def test_many_implausible_rows_are_counted_after_the_first_twenty(tmp_path, journal_path):
    source = tmp_path / "labs.csv"
    source.write_text(HEADER + "".join(f"2024-03-{day:02d},Total Testosterone,{6000 + day},"
                                       "ng/dL,264-916\n" for day in range(1, 29)),
                      encoding="utf-8")
    with Journal.open(journal_path) as journal:
        plan = plan_import([source], journal)
    assert plan.count("new") == 28 and len(plan.warning_rows()) == 28
    warnings = plan.files[0].warnings
    assert sum("kept, but Total testosterone" in w for w in warnings) == 20
    assert "8 more rows have implausible values (kept)" in warnings[-1]


def test_the_apps_own_exports_are_judged_too(tmp_path, capsys):
    document = {"format": "hpgjournal-export", "format_version": 1, "labs": [
        {"taken_at": "2024-01-02", "analyte": "lh", "value": 3.0, "unit": "IU/L",
         "reported_value": "3.0"},
        {"taken_at": "2024-01-03", "analyte": "testosterone_total", "value": 1e308,
         "unit": "ng/dL", "reported_value": "1e308"},
        {"taken_at": "0001-01-01", "analyte": "lh", "value": 3.0, "unit": "IU/L",
         "reported_value": "3.0"},
        {"taken_at": "2024-01-04", "analyte": "lh", "value": None, "unit": "IU/L",
         "reported_value": "inf"},
        {"taken_at": "2024-01-05", "analyte": "psa", "value": 20000.0, "unit": "ng/mL",
         "reported_value": "20000"}],
        "doses": [{"taken_at": "0001-01-01", "drug": "hCG", "amount": 500, "unit": "IU"},
                  {"taken_at": "2024-01-01", "drug": "hCG", "amount": float("nan"),
                   "unit": "IU"}],
        "measures": [{"measured_at": "2024-01-01", "weight_kg": float("inf")}]}
    source = tmp_path / "export.json"
    source.write_text(json.dumps(document), encoding="utf-8")  # NaN and Infinity, as Python writes
    journal = tmp_path / "j.hpgjournal"
    status, _, err = run(capsys, "import", str(source), "--journal", str(journal))
    assert status == 3, err
    assert f"{source}:2: Total testosterone 1e+308 ng/dL is impossible" in err
    assert f"{source}:3: the date 0001-01-01 is before 1900" in err
    assert f"{source}:4: 'inf' is not a finite number" in err
    assert "kept, but Prostate-specific antigen 20,000 ng/mL is implausible" in err
    assert "dose 1: taken_at: the date 0001-01-01 is before 1900" in err
    assert "dose 2: amount nan is not a finite number" in err
    assert "measure 1: weight_kg inf is not a finite number" in err
    assert [row[1:3] for row in stored(journal)] == [("lh", 3.0), ("psa", 20000.0)]
    with Journal.open(journal, readonly=True) as opened:
        assert opened.count(LabResult) == 2 and opened.all(LabResult)[1].value == 20000.0
        assert opened._conn.execute("SELECT count(*) FROM doses").fetchone()[0] == 0


def test_the_apps_own_csv_export_is_judged_too(tmp_path, capsys):
    from hpgjournal.store.export import LAB_COLUMNS

    rows = [dict.fromkeys(LAB_COLUMNS, "") for _ in range(2)]
    for row, value in zip(rows, ("500", "-5"), strict=True):
        row.update(taken_at="2024-01-02", analyte="testosterone_total", value=value,
                   unit="ng/dL", reported_value=value, reported_unit="ng/dL")
    source = tmp_path / "labs.csv"
    source.write_text(",".join(LAB_COLUMNS) + "\n" + "".join(
        ",".join(row[c] for c in LAB_COLUMNS) + "\n" for row in rows), encoding="utf-8")
    journal = tmp_path / "j.hpgjournal"
    status, _, err = run(capsys, "import", str(source), "--journal", str(journal))
    assert status == 3 and "-5 ng/dL is impossible" in err
    assert [row[2] for row in stored(journal)] == [500.0]


def test_the_direct_path_refuses_what_make_result_refuses():
    from hpgjournal.importers.dates import DateOrder
    from hpgjournal.importers.normalise import Normaliser

    normaliser = Normaliser(decimal_comma=False, order=DateOrder("ymd", "file"), source="f.csv")
    for value, words in (("-5", "cannot be below 0"), ("600000", "impossible"),
                         ("101", "a percentage cannot be above 100")):
        marker = "Hematocrit" if value == "101" else "Testosterone"
        with pytest.raises(RowError, match=words):
            normaliser.build(Candidate(1, {}, "2024-05-06", marker, value))
    with pytest.raises(RowError, match="before 1900"):
        normaliser.build(Candidate(1, {}, "1899-12-30", "LH", "4"))
    assert normaliser.build(Candidate(1, {}, "2024-05-06", "Testosterone", "6000")).value == 6000
