"""The one record-kind registry (issue 20): every per-kind map is made from it, and what users
read (words, export names, the export's order) stays what it was."""

from __future__ import annotations

import dataclasses
import inspect

from hpgjournal.domain import records
from hpgjournal.domain.display import RECORD_WORDS, count_of_records, record_word
from hpgjournal.domain.kinds import KINDS, kind_of, kind_of_export, kind_of_table
from hpgjournal.importers.names import OTHER_TABLES
from hpgjournal.store import schema
from hpgjournal.store.export import EXPORT_NAMES, TABLES
from hpgjournal.store.journal import _ORDER, _RECORD_TABLES


def test_every_record_class_has_exactly_one_kind():
    classes = {c for _, c in inspect.getmembers(records, dataclasses.is_dataclass)
               if c.__module__ == records.__name__}
    assert {k.record for k in KINDS} == classes
    assert len({k.table for k in KINDS}) == len({k.export_name for k in KINDS}) == len(KINDS)
    for kind in KINDS:
        assert kind_of(kind.record) is kind_of_table(kind.table) is kind_of_export(
            kind.export_name) is kind
        names = {f.name for f in dataclasses.fields(kind.record)}
        assert set(kind.order) <= names and kind.order[-1] == "id"
        assert kind.batched == ("batch_id" in names)


def test_the_tables_are_the_journals(journal):
    tables = {r[0] for r in journal._conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {k.table for k in KINDS} <= tables
    assert set(schema.BATCHED_TABLES) == {k.table for k in KINDS if k.batched} - {"lab_results"}


def test_the_derived_maps_are_what_they_were():
    assert {
        records.LabResult: "lab_results", records.Medication: "medications",
        records.Dose: "doses", records.Phase: "phases", records.Note: "notes",
        records.Measure: "measures", records.Batch: "batches",
        records.Questionnaire: "questionnaires"} == _RECORD_TABLES
    assert _ORDER == {
        "lab_results": "taken_at, analyte, id", "medications": "start_date, id",
        "doses": "taken_at, id", "phases": "start_date, id", "notes": "noted_at, id",
        "measures": "measured_at, id", "batches": "imported_at, id",
        "questionnaires": "taken_at, id"}
    assert list(TABLES) == ["labs", "medications", "doses", "phases", "notes", "measures",
                            "questionnaires", "batches"]  # the export document's order
    assert (*TABLES, "all") == EXPORT_NAMES
    assert OTHER_TABLES == ("medications", "doses", "phases", "notes", "measures",
                            "questionnaires")
    assert RECORD_WORDS == {
        "lab_results": "lab result", "medications": "regimen", "doses": "dose",
        "phases": "phase", "notes": "check-in", "measures": "measure",
        "questionnaires": "questionnaire", "batches": "import batch"}


def test_the_words_are_what_they_were():
    assert [count_of_records(2, k.table) for k in KINDS] == [
        "2 lab results", "2 regimens", "2 doses", "2 phases", "2 check-ins", "2 measures",
        "2 questionnaires", "2 import batches"]
    assert count_of_records(1, "batches") == "1 import batch"
    assert record_word("profile") == "profile"  # a table that holds no records
    assert [k.short for k in KINDS if k.batched] == [
        "result", "regimen", "dose", "phase", "check-in", "measure", "questionnaire"]


def test_counts_keep_the_order_check_prints(journal):
    assert list(journal.counts()) == ["lab_results", "medications", "doses", "phases", "notes",
                                      "measures", "batches", "questionnaires"]
