"""Backups, the integrity check and the export contract."""

from __future__ import annotations

import csv
import io
import json

import pytest

from hpgjournal.domain.records import LabResult, Note
from hpgjournal.domain.results import make_result
from hpgjournal.store.backup import KEEP, backup, backups_of, restore
from hpgjournal.store.check import check
from hpgjournal.store.export import LAB_COLUMNS, TABLES, export, format_cell
from hpgjournal.store.journal import Journal


def test_backup_is_a_consistent_journal(journal, tmp_path):
    journal.add(make_result("2025-01-02", "lh", "3.1", "IU/L"))
    out = backup(journal, tmp_path / "copy.hpgjournal")
    with Journal.open(out, readonly=True) as copy:
        assert [r.reported_value for r in copy.lab_results()] == ["3.1"]
        assert check(copy) == []


def test_rotating_backups_keep_the_newest(journal):
    journal.add(Note(None, "2025-01-01", energy=5))
    made = [backup(journal) for _ in range(KEEP + 3)]
    kept = backups_of(journal.path)
    assert len(kept) == KEEP
    assert made[-1] in kept and made[0] not in kept


def test_restore_brings_back_the_backup(tmp_path):
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path) as journal:
        journal.add(Note(None, "2025-01-01", text="before"))
        saved = backup(journal, tmp_path / "saved.hpgjournal")
        journal.add(Note(None, "2025-01-02", text="after"))
    restore(saved, path)
    with Journal.open(path) as journal:
        assert [n.text for n in journal.all(Note)] == ["before"]
    assert any("before-restore" in p.name for p in backups_of(path))


def test_check_finds_a_wrong_canonical_value(journal):
    journal.add(make_result("2025-01-02", "testosterone_total", "20", "nmol/L"))
    assert check(journal) == []
    journal._conn.execute("UPDATE lab_results SET value = 20")  # as if stored unconverted
    journal._conn.commit()
    problems = check(journal)
    assert len(problems) == 1 and "gives" in problems[0].message


def test_check_finds_unknown_marker_and_bad_date(journal):
    journal._conn.execute("INSERT INTO lab_results (taken_at, analyte, value, unit) "
                         "VALUES ('31/12/2024', 'unobtainium', 1, 'x')")
    journal._conn.commit()
    messages = " ".join(str(p) for p in check(journal))
    assert "unknown marker 'unobtainium'" in messages and "bad date '31/12/2024'" in messages


def test_check_reports_a_damaged_file(tmp_path):
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path) as journal:
        journal.add_many([Note(None, f"2025-01-{d:02d}", text="x" * 3000) for d in range(1, 29)])
        journal._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2: page * 2 + 200] = b"\x07" * 200  # scribble over a page
    path.write_bytes(bytes(data))
    try:
        with Journal.open(path, readonly=True) as journal:
            problems = check(journal)
        assert problems and problems[0].severity == "error"
    except Exception as exc:  # some damage is already refused at open
        assert "journal" in str(exc)


def test_lab_export_contract(journal):
    journal.add_many([
        make_result("2025-02-01T08:00", "lh", "<0.2", "mIU/mL", ref_text="1.7-8.6", lab="Labcorp"),
        make_result("2025-02-01T08:00", "estradiol", "44.6", "pg/mL", ref_text="7.6-42.6",
                    method="sensitive"),
        make_result("2025-01-01", "fsh", "TNP", ""),
    ])
    out = io.StringIO()
    export(journal, "labs", "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(LAB_COLUMNS)
    header = ("taken_at,analyte,method,loinc,value,comparator,unit,reported_value,"
              "reported_unit,ref_low,ref_high,flag,lab,source,note")
    assert rows[0] == header.split(",")
    table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [r["analyte"] for r in table] == ["fsh", "estradiol", "lh"]  # by time, then analyte
    fsh, e2, lh = table
    assert fsh["value"] == "" and fsh["reported_value"] == "TNP"
    assert lh["comparator"] == "<" and lh["value"] == "0.2" and lh["unit"] == "IU/L"
    assert lh["loinc"] == "10501-5" and lh["flag"] == "L" and lh["lab"] == "Labcorp"
    assert e2["method"] == "sensitive" and e2["flag"] == "H" and e2["ref_high"] == "42.6"


def test_json_export_holds_every_table(demo_path):
    with Journal.open(demo_path, readonly=True) as journal:
        out = io.StringIO()
        n = export(journal, "all", "json", out)
        document = json.loads(out.getvalue())
        assert document["format"] == "hpgjournal-export"
        for table in ("labs", "medications", "doses", "phases", "notes", "measures",
                      "questionnaires"):
            assert document[table], table
        assert len(document["labs"]) == journal.count(LabResult)
        assert n == sum(len(document[t]) for t in TABLES)  # every record, none twice


@pytest.mark.parametrize("text, cell", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1 call me", "'+1 call me"),
    ("@SUM(A1)", "'@SUM(A1)"), ("-2.0", "-2.0"), ("<0.2", "<0.2"), (656.0, "656"),
    (0.1 + 0.2, "0.30000000000000004"), (None, ""),
])
def test_cells_are_safe_in_a_spreadsheet(text, cell):
    assert format_cell(text) == cell


def test_text_with_formula_is_neutralised_in_export(journal):
    journal.add(make_result("2025-01-01", "lh", "3", "IU/L", lab="=cmd|' /C calc'!A0"))
    out = io.StringIO()
    export(journal, "labs", "csv", out)
    assert "'=cmd|" in out.getvalue()


def test_readonly_open_does_not_touch_a_missing_file(tmp_path):
    from hpgjournal.domain.errors import JournalError

    with pytest.raises(JournalError, match="no journal"):
        Journal.open(tmp_path / "missing.hpgjournal", readonly=True)
    assert not (tmp_path / "missing.hpgjournal").exists()


def test_check_accepts_values_printed_with_a_decimal_comma(journal):
    result = make_result("2025-01-02", "testosterone_total", "1.077", "ng/dL", decimal_comma=True)
    assert result.value == 1077  # "1.077" in a decimal-comma file is a thousands separator
    journal.add(result)
    assert check(journal) == []


@pytest.mark.parametrize("text", [" =HYPERLINK(\"http://x\")", "\n=1+1", "\t=cmd", "\r@SUM(A1)",
                                  "  +1+2", "\u00a0-2+3", "\uff1d1+1"])
def test_a_formula_behind_blanks_or_line_breaks_is_neutralised(text):
    """Spreadsheets skip leading blanks and line breaks before they look for a formula."""
    assert format_cell(text) == "'" + text


@pytest.mark.parametrize("text", [" -5", "-0.5", "+3", " 12"])
def test_numbers_with_a_sign_or_blank_stay_numbers(text):
    assert format_cell(text) == text
