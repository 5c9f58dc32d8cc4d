"""The plan/commit API the import dialog uses: statuses, one batch in one transaction, undo,
re-import, strict, cancel, progress and the column mapping."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from hpgjournal.domain.records import Batch, LabResult
from hpgjournal.importers import (
    AmbiguousDatesError,
    ColumnMapping,
    ImportCancelled,
    LayoutNotRecognised,
    StrictImportRefused,
    commit_plan,
    plan_import,
)
from hpgjournal.store.check import check
from hpgjournal.store.journal import Journal
from tests.importers.helpers import data, journal_state, one, plan_file, results


def long_file(path: Path, rows: int, start_year: int = 2000) -> Path:
    """A long CSV of ``rows`` plain results on distinct days."""
    lines = ["date,marker,value,unit"]
    markers = [("LH", "IU/L"), ("FSH", "IU/L"), ("SHBG", "nmol/L"), ("Testosterone", "ng/dL")]
    for i in range(rows):
        marker, unit = markers[i % 4]
        day = 1 + (i // 4) % 28
        month = 1 + (i // 112) % 12
        year = start_year + i // 1344
        lines.append(f"{year}-{month:02d}-{day:02d},{marker},{(i % 97) + 0.5},{unit}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_statuses_and_reasons(journal):
    plan = plan_file(journal, "bad_rows.csv")
    assert [(r.line, r.status) for r in plan.rows] == [
        (2, "new"), (3, "error"), (4, "error"), (5, "error"), (6, "new")]
    assert plan.rows[0].raw == {"date": "2024-07-01", "marker": "Testosterone", "value": "650",
                                "unit": "ng/dL"}
    assert all(r.result is None and r.reason for r in plan.error_rows())
    assert plan.files[0].counts == {"new": 2, "duplicate": 0, "error": 3}
    json.dumps(plan.summary())  # the summary is plain JSON


def test_commit_writes_one_batch_with_checksum_and_format(journal):
    plan = plan_file(journal, "long_preamble.csv")
    result = commit_plan(plan, journal)
    assert (result.added, result.duplicates, result.errors) == (7, 0, 0)
    batch = journal.get(Batch, result.batch_id)
    assert batch.format == "long" and batch.rows == 7
    assert batch.sha256 == plan.files[0].sha256 and len(batch.sha256) == 64
    assert batch.source == "long_preamble.csv"
    stored = journal.all(LabResult)
    assert len(stored) == 7 and {r.batch_id for r in stored} == {result.batch_id}
    assert {r.source for r in stored} == {"long_preamble.csv"}
    assert check(journal) == []


def test_reimporting_the_same_file_adds_nothing(journal):
    first = commit_plan(plan_file(journal, "whoop.csv"), journal)
    again = plan_file(journal, "whoop.csv")
    assert again.count("new") == 0 and again.count("duplicate") == first.added
    assert {r.reason for r in again.rows} == {"already in the journal"}
    assert again.files[0].previous_batches == (first.batch_id,)
    second = commit_plan(again, journal)
    assert second.batch_id is None and second.added == 0
    assert journal.count(Batch) == 1 and journal.count(LabResult) == first.added


def test_duplicates_inside_one_file_and_across_files(journal):
    plan = plan_file(journal, "duplicates_inside.csv")
    row = plan.rows[1]
    assert row.status == "duplicate" and row.reason == "same result as duplicates_inside.csv line 2"
    twice = plan_import([data("censored.csv"), data("censored.csv")], journal)
    assert twice.count("new") == 6 and twice.count("duplicate") == 6
    result = commit_plan(twice, journal)
    assert result.added == 6
    batch = journal.get(Batch, result.batch_id)
    assert batch.source == "censored.csv, censored.csv"
    assert batch.sha256.count(",") == 1


def test_several_files_are_one_batch_and_undo_removes_all_of_it(journal):
    plan = plan_import([data("wide.csv"), data("packed.csv")], journal)
    result = commit_plan(plan, journal)
    assert result.added == 17 + 4
    assert journal.get(Batch, result.batch_id).format == "wide, packed"
    assert journal.undo_batch(result.batch_id) == 21
    assert journal.count(LabResult) == 0 and journal.count(Batch) == 0
    assert commit_plan(plan_import([data("wide.csv")], journal), journal).added == 17  # again


def test_strict_refuses_everything_when_a_row_is_bad(journal_path):
    before = journal_state(journal_path)
    with Journal.open(journal_path) as journal:
        plan = plan_file(journal, "bad_rows.csv")
        with pytest.raises(StrictImportRefused, match=r"bad_rows.csv:3: unit '%'.*2 more") as caught:
            commit_plan(plan, journal, strict=True)
        assert len(caught.value.rows) == 3
    assert journal_state(journal_path) == before
    with Journal.open(journal_path) as journal:
        assert commit_plan(plan_file(journal, "bad_rows.csv"), journal).added == 2  # not strict


def test_ambiguous_dates_must_be_decided_before_commit(journal):
    plan = plan_file(journal, "dates_ambiguous.csv")
    with pytest.raises(AmbiguousDatesError, match=r"such as 03/04/2024.*--date-order dmy"):
        commit_plan(plan, journal)
    assert journal.count(LabResult) == 0
    decided = plan_file(journal, "dates_ambiguous.csv", date_order="dmy")
    assert commit_plan(decided, journal).added == 2


def test_a_stale_plan_does_not_write_twice(journal):
    plan_a = plan_file(journal, "censored.csv")
    plan_b = plan_file(journal, "censored.csv")
    assert commit_plan(plan_a, journal).added == 6
    late = commit_plan(plan_b, journal)
    assert (late.batch_id, late.added, late.duplicates) == (None, 0, 6)
    assert journal.count(LabResult) == 6


def test_progress_is_reported_and_ends_at_the_total(tmp_path, journal):
    path = long_file(tmp_path / "big.csv", 12000)
    seen: list[tuple[int, int]] = []
    plan = plan_import([path], journal, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 5
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert seen[-1][0] == seen[-1][1]
    committed: list[tuple[int, int]] = []
    result = commit_plan(plan, journal, progress=lambda d, t: committed.append((d, t)))
    assert result.added == 12000
    assert committed[-1] == (12000, 12000) and len(committed) == 3


def test_cancel_while_planning(tmp_path, journal):
    path = long_file(tmp_path / "big.csv", 12000)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(ImportCancelled, match="nothing was written"):
        plan_import([path], journal, cancelled=cancelled)


def test_cancel_while_committing_writes_nothing(tmp_path, journal_path):
    path = long_file(tmp_path / "big.csv", 12000)
    with Journal.open(journal_path) as journal:
        plan = plan_import([path], journal)
        calls = []

        def cancelled() -> bool:
            calls.append(1)
            return len(calls) > 2  # after the first chunk went in

        with pytest.raises(ImportCancelled):
            commit_plan(plan, journal, cancelled=cancelled)
        assert journal.count(LabResult) == 0 and journal.count(Batch) == 0
    assert journal_state(journal_path)[:2] == (0, 0)


def test_a_failure_half_way_writes_nothing(tmp_path, journal_path):
    path = long_file(tmp_path / "big.csv", 12000)

    def explode(done: int, total: int) -> None:
        if done > 5000:
            raise RuntimeError("disk on fire")

    with Journal.open(journal_path) as journal:
        plan = plan_import([path], journal)
        with pytest.raises(RuntimeError):
            commit_plan(plan, journal, progress=explode)
        assert journal.count(LabResult) == 0
        assert check(journal) == []
    assert journal_state(journal_path)[:2] == (0, 0)


def test_a_record_the_database_refuses_rolls_everything_back(journal):
    plan = plan_file(journal, "censored.csv")
    bad = plan.rows[0]
    broken = LabResult(**{**bad.result.__dict__, "comparator": "~"})  # violates a CHECK
    plan.rows[0] = type(bad)(bad.file, bad.line, "new", broken, "", bad.raw)
    from hpgjournal.importers.errors import ImportProblem

    with pytest.raises(ImportProblem, match="refused a record"):
        commit_plan(plan, journal)
    assert journal.count(LabResult) == 0 and journal.count(Batch) == 0


# ---- the column mapping ------------------------------------------------------------------


def test_a_mapping_reads_a_table_that_was_not_recognised(journal):
    with pytest.raises(LayoutNotRecognised):
        plan_file(journal, "unrecognised.csv")
    mapping = ColumnMapping(date="Tag", marker="Bezeichnung", value="Zahl")
    plan = plan_file(journal, "unrecognised.csv", mapping=mapping)
    assert plan.files[0].mapping.marker == "Bezeichnung"
    assert one(plan, "testosterone_total").value == pytest.approx(18.9)  # no unit: canonical
    assert any("no unit" in w for w in plan.files[0].warnings)
    by_position = ColumnMapping(date=0, marker=1, value=2, header_line=1)
    assert [r.result for r in plan_file(journal, "unrecognised.csv", mapping=by_position).rows] \
        == [r.result for r in plan.rows]


def test_a_mapping_for_a_table_without_a_header(tmp_path, journal):
    path = tmp_path / "bare.csv"
    path.write_text("2024-01-02,LH,3.1,IU/L\n2024-01-02,FSH,4.4,IU/L\n")
    mapping = ColumnMapping(date=0, marker=1, value=2, unit=3, header_line=0)
    plan = plan_import([path], journal, mapping=mapping)
    assert plan.files[0].columns == ("Column 1", "Column 2", "Column 3", "Column 4")
    assert [r.analyte for r in results(plan)] == ["lh", "fsh"]


def test_a_wide_mapping(journal):
    mapping = ColumnMapping(layout="wide", date="Date", markers=("Total T (ng/dL)", "Phase"))
    plan = plan_file(journal, "wide.csv", mapping=mapping)
    assert {r.analyte for r in results(plan)} == {"testosterone_total", "custom:Phase"}
    assert one(plan, "custom:Phase", taken_at="2024-01-05").reported_value == "baseline"


def test_a_mapping_naming_a_missing_column(journal):
    with pytest.raises(LayoutNotRecognised, match="there is no column 'Datum'"):
        plan_file(journal, "unrecognised.csv", mapping=ColumnMapping(date="Datum", marker=1,
                                                                      value=2))
    with pytest.raises(LayoutNotRecognised, match="column number 9"):
        plan_file(journal, "unrecognised.csv", mapping=ColumnMapping(date=9, marker=1, value=2))
    with pytest.raises(ValueError):
        ColumnMapping(layout="diagonal")


def test_ignored_lines_are_listed(journal):
    plan = plan_file(journal, "repeated_header.csv")
    assert [(i.line, i.reason) for i in plan.files[0].ignored] == [(3, "the header, repeated")]
    whoop = plan_file(journal, "whoop.csv")
    assert [(i.line, i.reason) for i in whoop.files[0].ignored] == [(4, "not measured"),
                                                                   (5, "not measured")]


def test_the_plan_only_reads_the_journal(journal_path):
    """A plan may be made while another connection reads, and leaves the file untouched."""
    before = journal_path.read_bytes()
    with Journal.open(journal_path) as journal:
        plan_file(journal, "long_preamble.csv")
        assert not journal._conn.in_transaction
    conn = sqlite3.connect(journal_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert journal_path.read_bytes() == before


def test_a_long_table_without_dates_goes_to_the_mapping_step(tmp_path, journal):
    path = tmp_path / "nodates.csv"
    path.write_text("Wann,Test,Result,Units\nheute,LH,3.1,IU/L\n")
    with pytest.raises(LayoutNotRecognised, match="no date column was found") as caught:
        plan_import([path], journal)
    assert caught.value.columns == ("Wann", "Test", "Result", "Units")
    plan = plan_import([path], journal, mapping=ColumnMapping(date="Wann", marker="Test",
                                                              value="Result", unit="Units"))
    assert plan.rows[0].status == "error" and "'heute' is not a date" in plan.rows[0].reason
