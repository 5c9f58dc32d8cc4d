"""The two real tab-separated lab tables of the SMART sample patients (issue 14, part 6):
``0 0`` is no range, ``UNITS/L`` is U/L, whole-blood glucose is not serum glucose."""

from __future__ import annotations

import pytest

from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.plan import plan_import
from hpgjournal.store.journal import Journal
from tests.importers.helpers import export_labs, one, results, run_cli
from tests.importers.real import real

PID1869612 = "csv/sample-patients-stu3_labs_pid1869612.txt"
PID8888804 = "csv/sample-patients-stu3_labs_pid8888804.txt"


@pytest.fixture
def journal(journal_path):
    opened = Journal.open(journal_path)
    yield opened
    opened.close()


def test_a_zero_zero_range_is_no_range_and_flags_nothing(journal):
    plan = plan_import([real(PID1869612)], journal)
    hdl = one(plan, "hdl", taken_at="2009-08-30")
    assert (hdl.value, hdl.unit, hdl.flag, hdl.ref_low, hdl.ref_high) == (25.0, "mg/dL", "", None,
                                                                         None)
    assert hdl.ref_text == ""
    psa = one(plan, "psa", taken_at="2009-08-30")
    assert (psa.value, psa.flag, psa.ref_low, psa.ref_high) == (0.331, "", None, None)
    # a real range on the same table is still read and flags
    low_hdl = one(plan, "hdl", taken_at="2007-12-11")
    assert (low_hdl.value, low_hdl.ref_low, low_hdl.ref_high, low_hdl.flag) == (38.0, 40.0, 60.0,
                                                                               "L")


def test_alt_and_ast_in_units_per_litre_land_like_alp(journal):
    plan = plan_import([real(PID1869612)], journal)
    assert plan.error_rows() == []
    alt = one(plan, "alt", taken_at="2007-12-11")
    assert (alt.value, alt.unit, alt.reported_unit, alt.flag) == (115.0, "U/L", "UNITS/L", "H")
    ast = one(plan, "ast", taken_at="2007-12-11")
    assert (ast.value, ast.unit, ast.ref_low, ast.ref_high) == (66.0, "U/L", 17.0, 59.0)
    [alp] = [r for r in results(plan) if r.analyte == "custom:ALP SerPl-cCnc"]
    assert alp.value == 101.0


def test_whole_blood_glucose_is_kept_apart_from_serum_glucose(journal):
    plan = plan_import([real(PID1869612)], journal)
    blood = [r for r in results(plan) if r.analyte == "glucose_blood"]
    assert sorted((r.taken_at, r.value) for r in blood) == [("2006-11-13", 272.0),
                                                            ("2007-12-11", 237.0)]
    serum = one(plan, "glucose", taken_at="2007-12-11")
    assert serum.value == 220.0
    # the same whole-blood glucose, once with a range and once with 0 0, is one result
    [dup] = [r for r in plan.rows if r.status == "duplicate"]
    assert dup.result is not None and dup.result.analyte == "glucose_blood"


def test_a_text_result_keeps_its_words_as_the_range(journal):
    plan = plan_import([real(PID1869612)], journal)
    hep = [r for r in results(plan) if r.analyte == "custom:HEP C AB"]
    assert {(r.reported_value, r.ref_text) for r in hep} == {("Reactive", "Negative; Reactive")}


def test_the_command_line_imports_both_tables(journal_path):
    proc = run_cli("import", str(real(PID1869612)), str(real(PID8888804)),
                   "--journal", str(journal_path))
    assert proc.returncode == 0, proc.stderr
    assert "59 new, 1 duplicate, 0 unreadable" in proc.stdout
    assert "209 new, 0 duplicates, 0 unreadable" in proc.stdout
    rows = export_labs(journal_path)
    got = {(r["taken_at"], r["analyte"]): r for r in rows}
    assert got[("2007-12-11", "alt")]["value"] == "115"
    free_t = got[("2011-02-03", "testosterone_free")]
    assert (round(float(free_t["value"]), 1), free_t["unit"]) == (40.1, "pg/mL")  # 139 pmol/L
    tsh = got[("2012-01-17", "tsh")]
    assert (float(tsh["value"]), tsh["unit"]) == (4.64, "uIU/mL")  # printed 4.64 m[IU]/L
    assert got[("2011-02-03", "testosterone_total")]["value"] == "598"


def test_the_tables_commit_and_undo_as_one_batch(journal):
    plan = plan_import([real(PID1869612)], journal)
    result = commit_plan(plan, journal)
    assert len(journal.lab_results()) == 59
    assert any(r.analyte == "alt" for r in journal.lab_results())
    journal.undo_batch(result.batch_id)
    assert journal.lab_results() == []
