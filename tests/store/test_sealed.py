"""The journal's sealed queries (issue 20): what callers outside the store use instead of SQL,
each tested through the path its caller takes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hpgjournal.demo import build_demo
from hpgjournal.domain.errors import JournalError, RecordRefused
from hpgjournal.domain.records import Batch, LabResult, Note, Phase
from hpgjournal.domain.results import make_result
from hpgjournal.importers import commit_plan, plan_import
from hpgjournal.importers.errors import ImportProblem
from hpgjournal.importers.normalise import result_key
from hpgjournal.importers.plan import _batches_by_checksum, existing_keys
from hpgjournal.store.journal import LAB_COLUMNS


def _csv(path: Path, *lines: str) -> Path:
    path.write_text("date,marker,value,unit\n" + "\n".join(lines) + "\n")
    return path


def test_clear_all_records_empties_every_table_at_once(journal):
    build_demo(journal)
    journal.set_profile(extra="1")
    journal.clear_all_records()
    assert all(n == 0 for n in journal.counts().values())
    assert journal.profile() == {}


def test_clear_all_records_is_one_transaction(journal):
    journal.add(Note(None, "2025-01-01", text="kept"))
    with pytest.raises(RuntimeError), journal.transaction():
        journal.clear_all_records()
        raise RuntimeError("the demo failed half way")
    assert [n.text for n in journal.all(Note)] == ["kept"]


def test_demo_rewrites_its_own_journal(journal):
    first = build_demo(journal)
    assert build_demo(journal) == first  # cleared, then written again: the same counts


def test_result_keys_are_the_duplicate_keys_the_plan_uses(journal):
    one = make_result("2025-01-02T08:00", "lh", "5.1", "IU/L")
    two = make_result("2025-01-03T08:00", "testosterone_total", "TNP", "ng/dL")
    journal.add_many([one, two])
    assert sorted(map(repr, journal.result_keys())) == sorted(map(repr, [
        ("2025-01-02T08:00", "lh", "", "", 5.1, "5.1"),
        ("2025-01-03T08:00", "testosterone_total", "", "", None, "TNP")]))
    assert existing_keys(journal) == {result_key(one), result_key(two)}


def test_batch_checksums_find_the_batches_of_a_file(journal, tmp_path):
    path = _csv(tmp_path / "labs.csv", "2024-07-01,LH,5,IU/L")
    result = commit_plan(plan_import([path], journal), journal)
    batch = journal.get(Batch, result.batch_id)
    assert journal.batch_checksums() == [(result.batch_id, batch.sha256)]
    assert _batches_by_checksum(journal) == {batch.sha256: (result.batch_id,)}
    again = plan_import([path], journal)
    assert again.files[0].counts["duplicate"] == 1


def test_set_batch_rows_counts_what_the_import_wrote(journal, tmp_path):
    path = _csv(tmp_path / "labs.csv", "2024-07-01,LH,5,IU/L", "2024-07-01,FSH,3,IU/L")
    result = commit_plan(plan_import([path], journal), journal)
    assert journal.get(Batch, result.batch_id).rows == 2
    journal.set_batch_rows(result.batch_id, 5)
    assert journal.get(Batch, result.batch_id).rows == 5
    with pytest.raises(JournalError, match="no longer exists"):
        journal.set_batch_rows(result.batch_id + 1, 1)


def test_insert_lab_results_writes_into_the_batch(journal):
    batch_id = journal.start_batch("by hand")
    made = [make_result("2025-01-02T08:00", "lh", "5.1", "IU/L"),
            make_result("2025-01-02T08:00", "estradiol", "<5", "pg/mL")]
    assert journal.insert_lab_results(batch_id, [vars(r) for r in made]) == 2
    stored = journal.batch_results(batch_id)
    assert [(r.analyte, r.value, r.comparator, r.batch_id) for r in stored] == [
        ("estradiol", 5.0, "<", batch_id), ("lh", 5.1, "", batch_id)]


def test_insert_lab_values_writes_what_insert_lab_results_writes(journal):
    made = [make_result("2025-01-02T08:00", "lh", "5.1", "IU/L", ref_text="1.7-8.6"),
            make_result("2025-01-02T08:00", "estradiol", "<5", "pg/mL", flag="L"),
            make_result("2025-01-03", "custom:Zinc", "90", "ug/dL", note="fasting")]
    by_fields = journal.start_batch("as fields")
    by_values = journal.start_batch("as values")
    assert journal.insert_lab_results(by_fields, [vars(r) for r in made]) == 3
    assert journal.insert_lab_values(
        by_values, [tuple(vars(r)[name] for name in LAB_COLUMNS) for r in made]) == 3

    def stored(batch_id):
        return sorted((replace(r, id=None, batch_id=None) for r in journal.batch_results(batch_id)),
                      key=repr)

    assert stored(by_fields) == stored(by_values) == sorted(made, key=repr)


def test_insert_lab_values_refuses_a_row_of_the_wrong_length(journal):
    batch_id = journal.start_batch("by hand")
    row = tuple(vars(make_result("2025-01-02T08:00", "lh", "5.1", "IU/L"))[n] for n in LAB_COLUMNS)
    with pytest.raises(ValueError, match="result 2 has 14 values"):
        journal.insert_lab_values(batch_id, [row, row[:-1]])
    assert journal.count(LabResult) == 0


@pytest.mark.parametrize(("field", "change", "words"), [
    ("value", {"value": -5.0, "reported_value": "-5"}, "cannot be below 0"),
    ("value", {"value": float("nan"), "reported_value": "NaN"}, "not a finite number"),
    ("value", {"value": 9e99, "reported_value": "9e99"}, "far beyond"),
    ("taken_at", {"taken_at": "2999-01-01T08:00"}, "in the future"),
    ("taken_at", {"taken_at": "1850-01-01"}, "before 1900"),
])
def test_insert_lab_results_refuses_an_impossible_result(journal, field, change, words):
    batch_id = journal.start_batch("by hand")
    good = vars(make_result("2025-01-02T08:00", "lh", "5.1", "IU/L"))
    with pytest.raises(RecordRefused, match=words) as caught:
        journal.insert_lab_results(batch_id, [good, {**good, **change}])
    assert caught.value.field == field
    assert "result 2" in str(caught.value)
    assert journal.count(LabResult) == 0  # not even the good one


def test_the_bulk_guard_lets_a_custom_marker_and_a_text_value_pass(journal):
    batch_id = journal.start_batch("by hand")
    rows = [vars(make_result("2025-01-02", "custom:Zinc", "90", "ug/dL")),
            vars(make_result("2025-01-02", "testosterone_total", "TNP", "ng/dL"))]
    assert journal.insert_lab_results(batch_id, rows) == 2


@pytest.mark.parametrize(("cell", "words"), [("text", "cannot be below 0"),
                                             ("stamp", "in the future")])
def test_an_impossible_value_in_an_import_batch_is_refused_not_written(journal, tmp_path, cell,
                                                                      words):
    """Should a plan ever hand over an impossible row (a bug between planning and writing),
    the store refuses the whole batch with the reason."""
    path = _csv(tmp_path / "labs.csv", "2024-07-01,LH,5,IU/L", "2024-07-02,LH,6,IU/L")
    plan = plan_import([path], journal)
    assert plan.count("new") == 2
    if cell == "text":
        plan.rows._text[1] = "-5"  # the planted fault
    else:
        plan.rows._stamp[1] = "2999-01-01"
    with pytest.raises(ImportProblem, match=words) as caught:
        commit_plan(plan, journal)
    assert "nothing was imported" in str(caught.value)
    assert journal.count(LabResult) == 0 and journal.count(Batch) == 0


def test_a_broken_table_rule_is_the_stores_error_not_sqlite3(journal):
    with pytest.raises(RecordRefused, match="breaks a rule") as caught:
        journal.add(Phase(None, "trt", "2025-02-01", "2025-01-01"))
    assert "sqlite3" not in type(caught.value).__module__


def test_all_takes_typed_filters_never_sql(journal, tmp_path):
    journal.add(Note(None, "2025-01-01", text="typed"))
    result = commit_plan(plan_import([_csv(tmp_path / "labs.csv", "2024-07-01,LH,5,IU/L")],
                                     journal), journal)
    assert [r.analyte for r in journal.all(LabResult, batch_id=result.batch_id)] == ["lh"]
    assert journal.all(Note, batch_id=result.batch_id) == []
    assert [n.text for n in journal.all(Note)] == ["typed"]
    with pytest.raises(TypeError):
        journal.all(Note, "1 = 1")  # type: ignore[misc]
    with pytest.raises(TypeError):
        journal.all(Batch, batch_id=result.batch_id)


def test_phases_and_regimens_running_on_a_day(journal):
    from hpgjournal.domain.records import Medication

    journal.add(Phase(None, "trt", "2024-01-01", "2024-06-30"))
    journal.add(Phase(None, "hcg", "2024-06-01", None))
    journal.add(Medication(None, "hCG", "2024-06-01", "gonadotropin", end_date="2024-06-10"))
    assert [p.kind for p in journal.phases_at("2024-06-15")] == ["trt", "hcg"]
    assert [p.kind for p in journal.phases_at("2024-07-01")] == ["hcg"]
    assert [m.drug for m in journal.active_medications("2024-06-10")] == ["hCG"]
    assert journal.active_medications("2024-06-11") == []


class _FailingConnection:
    """A connection whose every statement fails as SQLite reports ``error``."""

    in_transaction = False

    def __init__(self, error: Exception) -> None:
        self.error = error

    def execute(self, *args: object) -> None:
        raise self.error

    def cursor(self) -> _FailingConnection:
        return self

    def rollback(self) -> None:
        pass

    row_factory = None


@pytest.mark.parametrize("read", [
    lambda j: j.all(Note), lambda j: j.lab_results("lh"), lambda j: j.profile(),
    lambda j: list(j.result_keys()), lambda j: j.batch_checksums(), lambda j: j.count(Note)])
def test_a_failing_read_is_the_stores_error(journal, read):
    import sqlite3

    from hpgjournal.domain.errors import JournalDamaged, StorageError

    real = journal._conn
    try:
        journal._conn = _FailingConnection(sqlite3.OperationalError("database or disk is full"))
        with pytest.raises(StorageError, match=r"disk .* is full"):
            read(journal)
        journal._conn = _FailingConnection(sqlite3.DatabaseError("database disk image is malformed"))
        with pytest.raises(JournalDamaged, match="is damaged"):
            read(journal)
        journal._conn = _FailingConnection(sqlite3.ProgrammingError("a bug"))
        with pytest.raises(sqlite3.ProgrammingError):  # not a fault a user can act on
            read(journal)
    finally:
        journal._conn = real


def test_a_busy_journal_is_the_stores_error(journal):
    import sqlite3

    from hpgjournal.domain.errors import StorageError

    real = journal._conn
    try:
        journal._conn = _FailingConnection(sqlite3.OperationalError("database is locked"))
        journal._conn.error.sqlite_errorname = "SQLITE_BUSY"
        with pytest.raises(StorageError, match="busy"):
            journal.add(Note(None, "2025-01-01", text="x"))
    finally:
        journal._conn = real
    assert journal.count(Note) == 0


def test_editing_a_record_that_is_gone_names_it_in_words(tmp_path):
    from hpgjournal.domain.errors import JournalError
    from hpgjournal.domain.records import Batch
    from hpgjournal.store.journal import Journal

    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        gone = Batch(id=999, imported_at="2026-01-01T00:00", source="a.csv", sha256="0" * 64)
        with pytest.raises(JournalError, match=r"^that import batch no longer exists$"):
            journal.update(gone)
