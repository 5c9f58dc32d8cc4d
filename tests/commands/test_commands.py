"""The journal's edits below Qt (hpgjournal.commands): each step does, undoes and redoes what it
says, in one transaction, and names the kinds it changed (issue 20, item 2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from hpgjournal.commands import (
    AddRecords,
    Change,
    ChangeRegimen,
    DeleteRecords,
    EditAndAdd,
    EditRecord,
    ImportBatch,
    LogDose,
    RemoveBatch,
    SetProfile,
    StartPhases,
    describe,
    phases_to_start,
)
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.kinds import Profile
from hpgjournal.domain.records import (
    Batch,
    Dose,
    LabResult,
    Measure,
    Medication,
    Note,
    Phase,
    Questionnaire,
)
from hpgjournal.domain.results import make_result

T = make_result("2025-03-01T08:00", "testosterone_total", "14.2", "nmol/L")
HCG = Medication(None, "hCG", "2025-01-01", "gonadotropin", "subq", 500, "IU", "twice weekly",
                 3.5)


def everything(journal) -> dict[type, list]:
    return {kind: journal.all(kind) for kind in (LabResult, Medication, Dose, Phase, Note,
                                                  Measure, Batch)}


# ----------------------------------------------------------------------------- adding
def test_add_gives_ids_undo_takes_them_away_and_redo_brings_back_the_same(journal):
    note = Note(None, "2025-03-02T09:00", energy=3, text="tired")
    command = AddRecords([T, note], "Add two")
    change = command.do(journal)
    assert change.kinds == {LabResult, Note}
    added_t, added_note = change.added
    assert added_t.id is not None and added_note.id is not None
    assert journal.get(LabResult, added_t.id) == added_t
    assert command.undo(journal) == Change.of({LabResult, Note})
    assert journal.count(LabResult) == 0 and journal.count(Note) == 0
    again = command.redo(journal)
    assert again.added == change.added  # the same ids, not new ones
    assert journal.all(LabResult) == [added_t] and journal.all(Note) == [added_note]


def test_add_of_nothing_is_not_needed_and_a_refused_add_writes_nothing(journal):
    assert not AddRecords([], "Add nothing").needed(journal)
    impossible = replace(T, value=-5.0, reported_value="-5")
    command = AddRecords([T, impossible], "Add two")
    assert command.needed(journal)
    with pytest.raises(ValidationError, match="cannot be below 0"):
        command.do(journal)
    assert journal.count(LabResult) == 0  # not even the good one: one transaction
    assert command.records[0].id is None


def test_undo_of_an_add_removes_doses_before_their_regimen(journal):
    med_id = journal.add(HCG)
    dose = Dose(None, "2025-01-02T21:00", "hCG", 500, "IU", medication_id=med_id)
    regimen = replace(HCG, id=med_id)
    command = AddRecords([dose], "Log")
    command.do(journal)
    command.undo(journal)
    assert journal.all(Dose) == [] and journal.all(Medication) == [regimen]


# ----------------------------------------------------------------------------- editing
def test_edit_writes_the_new_record_and_undo_writes_back_the_old(journal):
    old = replace(T, id=journal.add(T))
    new = replace(old, reported_value="15.0", value=15.0)
    command = EditRecord(old, new, "Correct")
    assert command.needed(journal)
    assert command.do(journal).kinds == {LabResult}
    assert journal.get(LabResult, old.id) == new
    command.undo(journal)
    assert journal.get(LabResult, old.id) == old
    command.redo(journal)
    assert journal.get(LabResult, old.id) == new


def test_an_edit_that_changes_nothing_is_not_needed_and_an_edit_keeps_the_id(journal):
    old = replace(T, id=journal.add(T))
    assert not EditRecord(old, old, "Correct").needed(journal)
    with pytest.raises(ValueError, match="keeps the record and its id"):
        EditRecord(old, replace(old, id=old.id + 1), "Correct")
    with pytest.raises(ValueError, match="keeps the record and its id"):
        EditRecord(old, Note(old.id, "2025-01-01"), "Correct")


def test_undo_of_an_edit_puts_back_even_a_value_the_journal_now_refuses(journal):
    result_id = journal.add(T)
    broken = replace(T, id=result_id, value=-5.0, reported_value="-5")
    journal.update(broken, guarded=False)  # as an older version may have stored it
    fixed = replace(broken, value=14.2, reported_value="14.2")
    command = EditRecord(broken, fixed, "Correct")
    command.do(journal)
    command.undo(journal)
    assert journal.get(LabResult, result_id) == broken
    with pytest.raises(ValidationError):  # but doing it the other way round is refused
        EditRecord(fixed, broken, "Break").do(journal)


def test_edit_and_add_is_one_step_and_one_transaction(journal):
    old = replace(HCG, id=journal.add(HCG))
    ended = replace(old, end_date="2025-02-28")
    note = Note(None, "2025-03-01T10:00", text="dose changed")
    command = EditAndAdd([(old, ended)], [note], "Both")
    assert command.needed(journal)
    assert not EditAndAdd([(old, old)], [], "Neither").needed(journal)
    change = command.do(journal)
    assert change.kinds == {Medication, Note} and len(change.added) == 1
    assert journal.get(Medication, old.id) == ended
    command.undo(journal)
    assert journal.get(Medication, old.id) == old and journal.count(Note) == 0
    assert command.redo(journal).added == change.added
    assert journal.get(Medication, old.id) == ended and journal.all(Note) == list(change.added)
    refused = EditAndAdd([(ended, replace(ended, end_date=None))],
                         [replace(note, noted_at="0001-01-01")], "Refused")
    with pytest.raises(ValidationError):
        refused.do(journal)
    assert journal.get(Medication, old.id) == ended  # the edit was rolled back with it


# ----------------------------------------------------------------------------- deleting
def test_deleting_a_regimen_unlinks_its_doses_and_undo_links_them_again(journal):
    med = replace(HCG, id=journal.add(HCG))
    other = journal.add(replace(HCG, drug="clomiphene", route="oral"))
    ids = journal.add_many([
        Dose(None, "2025-01-02T21:00", "hCG", 500, "IU", medication_id=med.id),
        Dose(None, "2025-01-05T21:00", "hCG", 500, "IU", medication_id=med.id),
        Dose(None, "2025-01-03T08:00", "clomiphene", 25, "mg", medication_id=other),
    ])
    doses = [journal.get(Dose, i) for i in ids]
    command = DeleteRecords([med], "Delete hCG")
    assert command.do(journal).kinds == {Medication, Dose}
    assert journal.get(Medication, med.id) is None
    assert [journal.get(Dose, i).medication_id for i in ids] == [None, None, other]
    assert command.undo(journal).kinds == {Medication, Dose}
    assert journal.get(Medication, med.id) == med
    assert [journal.get(Dose, i) for i in ids] == doses
    command.redo(journal)
    assert [journal.get(Dose, i).medication_id for i in ids] == [None, None, other]


def test_deleting_a_note_touches_only_notes(journal):
    note = replace(Note(None, "2025-01-01", text="x"), id=journal.add(Note(None, "2025-01-01",
                                                                            text="x")))
    command = DeleteRecords([note], "Delete")
    assert not DeleteRecords([], "Delete nothing").needed(journal)
    assert command.do(journal).kinds == {Note}
    assert journal.count(Note) == 0
    command.undo(journal)
    assert journal.all(Note) == [note]


# ----------------------------------------------------------------------------- the profile
def test_profile_change_and_undo_gives_back_what_each_field_held(journal):
    journal.set_profile(name="A. Man")
    command = SetProfile({"name": "B. Man", "clinician": "Dr C"})
    assert command.text == "Edit the profile" and command.needed(journal)
    assert command.do(journal) == Change.of({Profile})
    assert journal.profile()["name"] == "B. Man" and journal.profile()["clinician"] == "Dr C"
    command.undo(journal)
    assert journal.profile().get("name") == "A. Man"
    assert journal.profile().get("clinician", "") == ""
    command.redo(journal)
    assert journal.profile()["clinician"] == "Dr C"
    assert not SetProfile({"name": "B. Man"}).needed(journal)
    assert SetProfile({"goal": ""}).needed(journal) is False  # empty is what an unset field holds


# ----------------------------------------------------------------------------- regimens
def test_change_regimen_ends_the_old_the_day_before_and_starts_the_new(journal):
    batch = journal.start_batch("meds.csv")
    current = replace(HCG, batch_id=batch)
    current = replace(current, id=journal.add(current))
    new = replace(current, id=None, dose=1000, start_date="2025-03-01", end_date=None)
    command = ChangeRegimen(current, new)
    assert command.text == "Change hCG from 2025-03-01"
    change = command.do(journal)
    assert change.kinds == {Medication}
    successor, = change.added
    assert journal.get(Medication, current.id).end_date == "2025-02-28"
    assert successor.start_date == "2025-03-01" and successor.dose == 1000
    assert successor.batch_id is None  # the user's own, though the old one was imported
    command.undo(journal)
    assert journal.all(Medication) == [current]


@pytest.mark.parametrize("start", ["2025-01-01", "2024-12-31"])
def test_a_change_on_or_before_the_first_day_is_a_correction(journal, start):
    current = replace(HCG, id=journal.add(HCG))
    with pytest.raises(ValidationError, match="use Edit") as refused:
        ChangeRegimen(current, replace(current, start_date=start))
    assert refused.value.field == "start_date"


def test_a_change_the_day_after_the_start_ends_the_old_after_one_day(journal):
    current = replace(HCG, id=journal.add(HCG))
    ChangeRegimen(current, replace(current, start_date="2025-01-02")).do(journal)
    assert journal.get(Medication, current.id).end_date == "2025-01-01"


def test_log_dose_takes_the_next_site_and_the_regimens_dose(journal):
    med = replace(HCG, id=journal.add(HCG))
    journal.add(Dose(None, "2025-01-02T21:00", "hCG", 500, "IU", "abdomen left",
                     medication_id=med.id))
    command = LogDose(journal, med, datetime(2025, 1, 5, 21, 7, 33))
    assert command.text == "Log hCG on 2025-01-05 21:07"
    dose, = command.do(journal).added
    assert (dose.taken_at, dose.amount, dose.unit, dose.site, dose.medication_id) == \
        ("2025-01-05T21:07", 500, "IU", "abdomen right", med.id)
    assert command.dose == dose
    oral = replace(med, id=journal.add(replace(HCG, drug="clomiphene", route="oral")),
                   drug="clomiphene", route="oral")
    journal.add(Dose(None, "2025-01-02T08:00", "clomiphene", 25, "mg", "left glute",
                     medication_id=oral.id))
    assert LogDose(journal, oral, datetime(2025, 1, 6, 8, 0)).records[0].site == ""


def test_phases_to_start_names_each_kind_once_and_skips_those_running(journal):
    journal.add_many([HCG, replace(HCG, drug="Pregnyl"),
                      replace(HCG, drug="clomiphene", route="oral", drug_class="serm"),
                      replace(HCG, drug="anastrozole", route="oral", end_date="2025-01-31"),
                      replace(HCG, drug="no such drug")])
    assert phases_to_start(journal, "2025-03-01") == ["hcg", "serm_clomiphene"]
    journal.add(Phase(None, "hcg", "2025-02-01"))
    assert phases_to_start(journal, "2025-03-01") == ["serm_clomiphene"]
    command = StartPhases(["serm_clomiphene", "aromatase_inhibitor"], "2025-03-01")
    assert command.text == "Start SERM: clomiphene, Aromatase inhibitor"
    phases = command.do(journal).added
    assert [(p.kind, p.start_date, p.end_date) for p in phases] == \
        [("serm_clomiphene", "2025-03-01", None), ("aromatase_inhibitor", "2025-03-01", None)]
    assert phases_to_start(journal, "2025-03-01") == []


# ----------------------------------------------------------------------------- import batches
def two_batches(journal) -> tuple[int, int, int]:
    """A first batch of two results, a second with a result, a regimen and its dose, and a dose
    typed by hand against the second batch's regimen."""
    first = journal.start_batch("first.csv", "long", "a")
    journal.add_many([make_result("2025-02-01", key, value, unit, batch_id=first)
                      for key, value, unit in (("lh", "4.1", "IU/L"), ("fsh", "5", "IU/L"))])
    second = journal.start_batch("second.csv", "long", "b")
    journal.add(make_result("2025-03-01", "lh", "4.4", "IU/L", batch_id=second))
    regimen = journal.add(replace(HCG, batch_id=second))
    journal.add(Dose(None, "2025-03-02T21:00", "hCG", 500, "IU", medication_id=regimen,
                     batch_id=second))
    by_hand = journal.add(Dose(None, "2025-03-05T21:00", "hCG", 500, "IU",
                               medication_id=regimen))
    return first, second, by_hand


def test_import_batch_writes_nothing_more_and_undo_takes_all_of_it_out(journal):
    first, second, by_hand = two_batches(journal)
    before = everything(journal)
    command = ImportBatch(second, "Import second.csv")
    change = command.do(journal)
    assert everything(journal) == before
    assert change.kinds == {Batch, LabResult, Medication, Dose} and len(change.added) == 3
    command.undo(journal)
    assert journal.get(Batch, second) is None and journal.count(Medication) == 0
    assert journal.get(Dose, by_hand).medication_id is None  # kept, unlinked
    assert journal.results_per_batch() == {first: 2}
    command.redo(journal)
    assert everything(journal) == before  # the hand-typed dose linked again


def test_remove_batch_takes_it_out_and_undo_puts_it_back_whole(journal):
    first, second, by_hand = two_batches(journal)
    before = everything(journal)
    command = RemoveBatch(first, "Remove import of first.csv")
    assert command.do(journal).kinds == {Batch, LabResult}  # no regimen in it, no dose linked
    assert journal.get(Batch, first) is None and journal.results_per_batch() == {second: 1}
    assert command.undo(journal).added == tuple(before[LabResult][:2])
    assert everything(journal) == before
    command.redo(journal)
    assert journal.get(Batch, first) is None
    second_out = RemoveBatch(second, "Remove import of second.csv")
    assert Dose in second_out.do(journal).kinds
    second_out.undo(journal)
    assert journal.get(Dose, by_hand).medication_id is not None


def test_a_batch_that_is_gone_is_refused_by_name(journal):
    first, _, _ = two_batches(journal)
    journal.undo_batch(first)
    for command in (ImportBatch(first, "Import"), RemoveBatch(first, "Remove")):
        with pytest.raises(LookupError, match=f"import batch {first} is not in this journal"):
            command.do(journal)


# ----------------------------------------------------------------------------- words
def test_describe_names_each_kind_of_record():
    assert describe(T) == "Total testosterone 14.2 on 2025-03-01"
    assert describe(HCG) == "hCG from 2025-01-01"
    assert describe(Dose(None, "2025-01-02T21:00", "hCG")) == "hCG on 2025-01-02 21:00"
    assert describe(Phase(None, "washout", "2025-01-01")).endswith("from 2025-01-01")
    assert describe(Note(None, "2025-01-02T09:30")) == "check-in of 2025-01-02 09:30"
    assert describe(Measure(None, "2025-01-02")) == "measures of 2025-01-02"
    assert describe(Questionnaire(None, "2025-01-02", "ams", "1", 17)) == \
        "AMS questionnaire of 2025-01-02"
    assert describe("anything else") == "anything else"
    assert repr(AddRecords([], "Add nothing")) == "<AddRecords 'Add nothing'>"
