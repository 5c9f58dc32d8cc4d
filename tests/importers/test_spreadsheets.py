"""Workbooks imported (issue 15): .xlsx, .xlsm, .ods and .xls sheets read as tables (an .xls
calamine cannot read refused clearly), damaged and password-protected workbooks refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hpgjournal.domain.errors import UserError
from hpgjournal.domain.records import LabResult
from hpgjournal.importers import errors
from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.plan import plan_import
from hpgjournal.importers.workbook import cell_text, workbook_kind
from tests.importers.helpers import journal_state, run_cli

pd = pytest.importorskip("pandas")
pytest.importorskip("python_calamine")

LONG = {
    "Date": [dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 1), dt.datetime(2024, 6, 3)],
    "Marker": ["Total testosterone", "Estradiol", "Hematocrit"],
    "Value": [14.2, "<5", 47.5],
    "Unit": ["nmol/L", "pg/mL", "%"],
}
WIDE = {
    "Date": [dt.datetime(2024, 9, 2), dt.datetime(2024, 12, 5)],
    "LH (IU/L)": [4.2, "<0.1"],
    "SHBG (nmol/L)": [30.0, 22.0],
}


def write_book(path: Path, sheets: dict[str, dict[str, list[object]] | None],
               engine: str = "openpyxl") -> Path:
    if engine == "odf":
        pytest.importorskip("odf")
    else:
        pytest.importorskip("openpyxl")
    with pd.ExcelWriter(path, engine=engine) as writer:
        for name, columns in sheets.items():
            if columns is None:  # a notes sheet: one column of text, no header
                pd.DataFrame({"n": ["Results from Dr. K.", "fasting, 8 am"]}).to_excel(
                    writer, sheet_name=name, index=False, header=False)
            else:
                pd.DataFrame(columns).to_excel(writer, sheet_name=name, index=False)
    return path


def stored(journal) -> dict[tuple[str, str], LabResult]:
    return {(r.taken_at, r.analyte): r for r in journal.all(LabResult)}


def test_long_sheet_with_real_dates_imports_exactly(tmp_path, journal):
    path = write_book(tmp_path / "labs.xlsx", {"Labs": LONG})
    plan = plan_import([path], journal)
    assert [f.sheet for f in plan.files] == ["Labs"]
    assert plan.files[0].path == path  # one sheet: the workbook's own name
    assert plan.files[0].format == "long"
    assert "sheet 'Labs' of a workbook" in plan.files[0].describe()
    assert plan.count("new") == 3 and not plan.error_rows()
    assert not plan.files[0].date_order_ambiguous
    result = commit_plan(plan, journal)
    assert result.added == 3
    found = stored(journal)
    t = found[("2024-03-01", "testosterone_total")]
    assert t.reported_value == "14.2"  # not 14.200000000000001
    e2 = found[("2024-03-01", "estradiol")]
    assert e2.comparator == "<" and e2.reported_value == "<5"
    assert found[("2024-06-03", "hematocrit")].reported_value == "47.5"
    assert {r.taken_at for r in found.values()} == {"2024-03-01", "2024-06-03"}


def test_two_sheets_and_a_notes_sheet_import_in_one_batch(tmp_path, journal):
    path = write_book(tmp_path / "history.xlsx",
                      {"Notes": None, "Labs": LONG, "Wide": WIDE, "Empty": {}})
    plan = plan_import([path], journal)
    assert [f.sheet for f in plan.files] == ["Labs", "Wide"]
    assert [f.path.name for f in plan.files] == ["history.xlsx [Labs]", "history.xlsx [Wide]"]
    assert [f.format for f in plan.files] == ["long", "wide"]
    assert len({f.sha256 for f in plan.files}) == 1  # the workbook's bytes
    warnings = plan.files[0].warnings
    assert any("sheet 'Notes' holds no results table" in w for w in warnings)
    assert any("sheet 'Empty' holds no results table" in w for w in warnings)
    result = commit_plan(plan, journal)
    assert result.added == 7 and result.batch_id is not None
    found = stored(journal)
    assert len(found) == 7
    assert {r.batch_id for r in found.values()} == {result.batch_id}
    got = {k: (r.value, r.unit, r.comparator) for k, r in found.items()}
    testosterone = found[("2024-03-01", "testosterone_total")]  # canonical ng/dL
    assert testosterone.unit == "ng/dL" and testosterone.value == pytest.approx(409.576, abs=0.01)
    assert (testosterone.reported_value, testosterone.reported_unit) == ("14.2", "nmol/L")
    assert got[("2024-03-01", "estradiol")][:2] == (5.0, "pg/mL")
    assert got[("2024-03-01", "estradiol")][2] == "<"
    assert got[("2024-06-03", "hematocrit")][:2] == (47.5, "%")
    assert got[("2024-09-02", "lh")][:2] == (4.2, "IU/L")
    assert got[("2024-12-05", "lh")][2] == "<"
    assert got[("2024-09-02", "shbg")][:2] == (30.0, "nmol/L")
    assert found[("2024-09-02", "shbg")].reported_value == "30"
    assert got[("2024-12-05", "shbg")][:2] == (22.0, "nmol/L")
    # the same workbook again adds nothing and is known by its checksum
    again = plan_import([path], journal)
    assert again.count("new") == 0 and again.files[0].previous_batches == (result.batch_id,)


def test_xlsm_and_ods_are_read_too(tmp_path, journal):
    xlsx = write_book(tmp_path / "labs.xlsx", {"Labs": LONG})
    xlsm = tmp_path / "macros.xlsm"
    xlsm.write_bytes(xlsx.read_bytes())
    assert plan_import([xlsm], journal).count("new") == 3
    ods = write_book(tmp_path / "labs.ods", {"Labs": LONG, "Notes": None}, engine="odf")
    plan = plan_import([ods], journal)
    assert plan.count("new") == 3 and [f.sheet for f in plan.files] == ["Labs"]
    assert any("sheet 'Notes'" in w for w in plan.files[0].warnings)
    commit_plan(plan, journal)
    found = stored(journal)
    assert found[("2024-03-01", "testosterone_total")].reported_value == "14.2"
    assert found[("2024-03-01", "estradiol")].comparator == "<"


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path, journal):
    book = write_book(tmp_path / "labs.xlsx", {"Labs": LONG})
    named = tmp_path / "labs.csv"
    named.write_bytes(book.read_bytes())
    assert plan_import([named], journal).count("new") == 3


def test_cells_become_the_text_a_csv_export_holds():
    assert cell_text(14.2) == "14.2"
    assert cell_text(14.200000000000001) == "14.2"
    assert cell_text(0.1 + 0.2) == "0.3"
    assert cell_text(500.0) == "500"
    assert cell_text(0.00001) == "0.00001"
    assert cell_text(7) == "7"
    assert cell_text(None) == "" and cell_text("") == "" and cell_text(float("nan")) == ""
    assert cell_text("<5") == "<5" and cell_text("5,3") == "5,3"
    assert cell_text(dt.datetime(2024, 3, 1)) == "2024-03-01"
    assert cell_text(dt.datetime(2024, 3, 1, 8, 30, 12)) == "2024-03-01T08:30"
    aware = dt.datetime(2024, 3, 1, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert cell_text(aware) == "2024-03-01T08:30"
    assert cell_text(dt.date(2024, 3, 1)) == "2024-03-01"
    assert cell_text(pd.Timestamp("2024-03-01")) == "2024-03-01"
    assert cell_text(dt.time(8, 5)) == "08:05"


def test_text_cells_are_kept_as_printed(tmp_path, journal):
    sheet = {"Date": ["2024-03-01", "2024-03-01"], "Marker": ["LH", "FSH"],
             "Value": ["5,3", "4.1"], "Unit": ["IU/L", "IU/L"]}
    path = write_book(tmp_path / "text.xlsx", {"Labs": sheet})
    plan = plan_import([path], journal)
    reported = sorted(r.result.reported_value for r in plan.rows if r.result is not None)
    assert "4.1" in reported


def one_line(exc: pytest.ExceptionInfo[BaseException], name: str) -> str:
    message = str(exc.value)
    assert isinstance(exc.value, UserError)
    assert "\n" not in message and name in message and ":" in message
    return message


def test_damaged_xlsx_is_refused_clearly(tmp_path, journal_path):
    book = write_book(tmp_path / "labs.xlsx", {"Labs": LONG})
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(book.read_bytes()[: book.stat().st_size // 2])
    before = journal_state(journal_path)
    from hpgjournal.store.journal import Journal

    with Journal.open(journal_path) as journal, \
            pytest.raises(errors.SpreadsheetFileError) as caught:
        plan_import([damaged], journal)
    message = one_line(caught, "damaged.xlsx")
    assert "Excel workbook" in message and "cannot be read" in message
    assert "save it again" in message
    assert journal_state(journal_path) == before


def test_xls_that_cannot_be_read_is_refused_clearly(tmp_path, journal):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    assert workbook_kind(path.read_bytes()) == "xls"
    with pytest.raises(errors.SpreadsheetFileError) as caught:
        plan_import([path], journal)
    message = one_line(caught, "old.xls")
    assert "Excel 97-2003 workbook (.xls)" in message and "save it again" in message


def test_password_protected_workbook_is_refused_clearly(tmp_path, journal):
    path = tmp_path / "locked.xlsx"  # what Excel writes: an OLE2 file with an EncryptedPackage
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
                     + "EncryptedPackage".encode("utf-16-le") + bytes(500))
    with pytest.raises(errors.SpreadsheetFileError) as caught:
        plan_import([path], journal)
    message = one_line(caught, "locked.xlsx")
    assert "password" in message and "remove the password" in message


def test_a_workbook_with_no_table_is_refused(tmp_path, journal):
    path = write_book(tmp_path / "notes.xlsx", {"Notes": None})
    with pytest.raises(errors.NotATableError) as caught:
        plan_import([path], journal)
    assert "no results table in any sheet" in one_line(caught, "notes.xlsx")


def test_word_document_is_not_a_workbook():
    assert workbook_kind(b"PK\x03\x04....word/document.xml") is None
    assert workbook_kind(b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml") == "xlsx"
    assert workbook_kind(b"plain text") is None


def test_import_command_reads_a_workbook(tmp_path, journal_path):
    path = write_book(tmp_path / "history.xlsx", {"Notes": None, "Labs": LONG, "Wide": WIDE})
    proc = run_cli("import", str(path), "--journal", str(journal_path))
    assert proc.returncode == 0, proc.stderr
    assert "sheet 'Notes' holds no results table" in proc.stdout + proc.stderr
    assert "imported 7 results as batch 1" in proc.stdout
    assert journal_state(journal_path)[:2] == (7, 1)


def test_a_workbook_that_unpacks_past_the_limit_is_refused(tmp_path, journal, monkeypatch):
    from hpgjournal.importers import workbook

    path = write_book(tmp_path / "big.xlsx", {"Labs": LONG})
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(errors.FileTooLargeError) as caught:
        plan_import([path], journal)
    assert "unpacks to" in one_line(caught, "big.xlsx")


def test_formulas_without_a_saved_value_and_merged_cells_read_as_empty(tmp_path, journal):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Labs"
    sheet.append(["Date", "Marker", "Value", "Unit"])
    sheet.append([dt.datetime(2024, 1, 2), "LH", 3.3, "IU/L"])
    sheet.append([dt.datetime(2024, 1, 3), "FSH", "=C2*2", "IU/L"])  # openpyxl saves no value
    sheet.append([dt.datetime(2024, 1, 4), "SHBG", 31, "nmol/L"])
    sheet.merge_cells("D2:D3")
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    plan = plan_import([path], journal)
    lh = [r.result for r in plan.rows if r.result is not None and r.result.analyte == "lh"]
    assert lh and lh[0].value == 3.3 and lh[0].taken_at == "2024-01-02"
    assert not any(r.result is not None and r.result.analyte == "fsh" and r.status == "new"
                   for r in plan.rows)


def test_xls_is_read_with_its_dates_and_numbers(tmp_path, journal):
    xlwt = pytest.importorskip("xlwt")  # pandas writes no .xls: xlwt does
    book = xlwt.Workbook()
    sheet = book.add_sheet("Labs")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for column, title in enumerate(LONG):
        sheet.write(0, column, title)
    for row, (date, marker, value, unit) in enumerate(zip(*LONG.values(), strict=True), start=1):
        sheet.write(row, 0, date, dated)
        sheet.write(row, 1, marker)
        sheet.write(row, 2, value)
        sheet.write(row, 3, unit)
    path = tmp_path / "old.xls"
    book.save(str(path))
    plan = plan_import([path], journal)
    assert plan.count("new") == 3 and not plan.error_rows()
    commit_plan(plan, journal)
    found = stored(journal)
    assert found[("2024-03-01", "testosterone_total")].reported_value == "14.2"
    assert found[("2024-03-01", "estradiol")].comparator == "<"
    assert found[("2024-06-03", "hematocrit")].value == 47.5


def test_password_found_past_the_first_bytes_is_refused_clearly(tmp_path, journal):
    path = tmp_path / "locked.xlsx"  # the container's directory far into the file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200_000)
                     + "EncryptedPackage".encode("utf-16-le") + bytes(500))
    with pytest.raises(errors.SpreadsheetFileError) as caught:
        plan_import([path], journal)
    assert "protected by a password" in one_line(caught, "locked.xlsx")
