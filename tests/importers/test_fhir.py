"""FHIR lab results (issue 14, part 1): real bundles and observations written by third parties,
and small documents written here for the cases they lack, land with the marker, date, value,
unit, range and flag a clinician reads off them.

The real files live in ``../shared/fixtures/real/`` (their provenance in its SOURCES.md); the
tests that read them are skipped when that folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.errors import ImportCancelled, UnknownFormatError
from hpgjournal.importers.plan import plan_import
from hpgjournal.store.journal import Journal
from tests.importers.helpers import export_labs, one, results, run_cli

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/fixtures/real is absent "
                                                          "(the third parties' real files)")
NG_DL_PER_NMOL = 1 / 0.03467


def real(name: str) -> Path:
    return REAL / name


def write(tmp_path: Path, document: Any, name: str = "fhir.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def observation(code: str = "2986-8", value: Any = 450, unit: str = "ng/dL", **more: Any
                ) -> dict[str, Any]:
    found: dict[str, Any] = {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "effectiveDateTime": "2024-03-05T08:15:00-05:00",
    }
    if value is not None:
        found["valueQuantity"] = {"value": value, "unit": unit,
                                  "system": "http://unitsofmeasure.org", "code": unit}
    found.update(more)
    return found


def bundle(*resources: dict[str, Any], kind: str = "collection") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind,
            "entry": [{"fullUrl": f"urn:uuid:{i}", "resource": r} for i, r in enumerate(resources)]}


# ------------------------------------------------------------------ the real files


@needs_real
@pytest.mark.parametrize(("name", "contents", "new", "duplicates", "ignored"), [
    ("fhir/hl7-r4_bundle-lipids.json", "FHIR R4 bundle, 4 observations, 4 lab results", 4, 0, 0),
    ("fhir/hl7-r4_observation-example-f001-glucose.json",
     "FHIR R4 observation, 1 observation, 1 lab result", 1, 0, 0),
    ("fhir/hl7-r4_observation-example-f005-hemoglobin.json",
     "FHIR R4 observation, 1 observation, 1 lab result", 1, 0, 0),
    ("fhir/smart-stu3_patient-8888804.fhir-bundle.01.json",
     "FHIR STU3 bundle, 193 observations, 169 lab results", 169, 0, 24),
    ("fhir/smart-stu3_patient-1869612.fhir-bundle.01.json",
     "FHIR STU3 bundle, 181 observations, 36 lab results", 35, 1, 145),
    ("fhir/synthea-r4_Paris_Jaskolski_labs-trimmed.json",
     "FHIR R4 bundle, 33 observations, 33 lab results", 32, 1, 0),
    ("apple/health-record-visualizer_test_data_ref_range_text.json",
     "FHIR R4 observation, 1 observation, 1 lab result", 1, 0, 0),
])
def test_each_real_file_is_named_in_words_and_counted(journal, name, contents, new, duplicates,
                                                      ignored):
    plan = plan_import([real(name)], journal)
    [file] = plan.files
    assert file.format == "fhir"
    assert file.contents == contents
    assert file.describe().startswith(f"{contents} (confidence 0.95")
    assert file.counts == {"new": new, "duplicate": duplicates, "error": 0}
    assert len(file.ignored) == ignored


@needs_real
def test_lipids_take_the_reports_date_and_the_coded_ldl_not_the_narrative(journal):
    plan = plan_import([real("fhir/hl7-r4_bundle-lipids.json")], journal)
    ldl = one(plan, "ldl")
    # the report's narrative says 4.2; the coded value is 4.6 mmol/L
    assert (ldl.reported_value, ldl.reported_unit) == ("4.6", "mmol/L")
    assert ldl.taken_at == "2011-03-04T08:30"  # only the DiagnosticReport has a date
    assert ldl.ref_text == "<=3.0" and ldl.flag == "H"
    hdl = one(plan, "hdl")
    assert (hdl.reported_value, hdl.ref_text, hdl.flag) == ("1.3", ">=1.5", "L")
    total = one(plan, "cholesterol_total")  # 35200-5 unknown to the catalogue: by its name
    assert (total.reported_value, total.reported_unit, total.taken_at) == (
        "6.3", "mmol/L", "2011-03-04T08:30")
    assert one(plan, "triglycerides").reported_value == "1.3"


@needs_real
def test_glucose_in_blood_is_kept_apart_and_hemoglobin_flagged_low(journal):
    plan = plan_import([real("fhir/hl7-r4_observation-example-f001-glucose.json")], journal)
    [glucose] = results(plan)
    assert glucose.analyte == "glucose_blood"  # whole blood: not serum glucose
    assert glucose.taken_at == "2013-04-02T09:30"  # effectivePeriod.start, not issued
    assert (glucose.reported_value, glucose.reported_unit, glucose.flag) == ("6.3", "mmol/l", "H")
    assert (glucose.ref_low, glucose.ref_high) == pytest.approx((3.1 * 18.016, 6.2 * 18.016),
                                                                rel=1e-3)  # in mg/dL
    plan = plan_import([real("fhir/hl7-r4_observation-example-f005-hemoglobin.json")], journal)
    hemoglobin = one(plan, "hemoglobin")
    assert (hemoglobin.value, hemoglobin.unit, hemoglobin.flag) == (7.2, "g/dL", "L")
    assert (hemoglobin.ref_low, hemoglobin.ref_high) == (7.5, 10.0)


@needs_real
def test_smart_stu3_testosterone_psa_and_hematocrit_with_no_ranges(journal):
    plan = plan_import([real("fhir/smart-stu3_patient-8888804.fhir-bundle.01.json")], journal)
    total = one(plan, "testosterone_total", taken_at="2014-07-29")
    assert (total.value, total.unit, total.comparator) == (598.0, "ng/dL", "")
    free = one(plan, "testosterone_free", taken_at="2014-07-29")
    assert (free.reported_value, free.reported_unit) == ("139", "pmol/L")
    assert one(plan, "psa", taken_at="2015-07-12").value == 0.82
    assert one(plan, "hematocrit", taken_at="2014-07-29").value == 46.9
    # every range of these bundles is 0-0: no range, and so no flag
    labs = results(plan)
    assert all(r.ref_low is None and r.ref_high is None and r.ref_text == "" for r in labs)
    assert not any(r.flag for r in labs)
    reasons = {i.reason for i in plan.files[0].ignored}
    assert reasons == {"vital signs, not a lab result"}


@needs_real
def test_smart_stu3_range_and_the_repeated_glucose(journal):
    plan = plan_import([real("fhir/smart-stu3_patient-1869612.fhir-bundle.01.json")], journal)
    total = one(plan, "testosterone_total")
    assert (total.taken_at, total.value, total.ref_low, total.ref_high, total.flag) == (
        "2008-02-16", 355.0, 300.0, 1000.0, "")
    [duplicate] = [r for r in plan.rows if r.status == "duplicate"]
    assert duplicate.result.analyte == "glucose_blood"  # whole blood, kept apart
    assert "same result as" in duplicate.reason


@needs_real
def test_synthea_keeps_its_sixteen_digits(journal):
    plan = plan_import([real("fhir/synthea-r4_Paris_Jaskolski_labs-trimmed.json")], journal)
    first = one(plan, "psa", taken_at="1984-01-24T23:11")
    assert first.reported_value == "2.3708933991153933"
    assert first.value == 2.3708933991153933 and first.unit == "ng/mL"
    assert len([r for r in results(plan) if r.analyte == "psa"]) == 10
    assert {r.analyte for r in results(plan)} >= {"hemoglobin", "hematocrit", "ldl", "hdl"}
    assert "glucose_blood" in {r.analyte for r in results(plan)}


@needs_real
def test_apple_health_record_with_a_text_code_and_a_text_range(journal):
    plan = plan_import([real("apple/health-record-visualizer_test_data_ref_range_text.json")],
                       journal)
    [alt] = results(plan)
    assert (alt.analyte, alt.value, alt.unit, alt.taken_at) == ("alt", 24.0, "U/L",
                                                                "2012-06-19T17:11")
    assert (alt.ref_text, alt.ref_high, alt.flag) == ("<36", 36.0, "")


@needs_real
def test_the_command_line_imports_a_bundle_and_undo_takes_it_back(journal_path):
    name = str(real("fhir/hl7-r4_bundle-lipids.json"))
    proc = run_cli("import", name, "--journal", str(journal_path))
    assert proc.returncode == 0, proc.stderr
    assert "FHIR R4 bundle, 4 observations, 4 lab results" in proc.stdout
    assert "imported 4 results as batch 1" in proc.stdout
    rows = {r["analyte"]: r for r in export_labs(journal_path)}
    assert rows["ldl"]["reported_value"] == "4.6" and rows["ldl"]["taken_at"] == "2011-03-04T08:30"
    again = run_cli("import", name, "--journal", str(journal_path))
    assert "nothing new to import" in again.stdout
    with Journal.open(journal_path) as journal:
        journal.undo_batch(1)
        assert journal._conn.execute("SELECT count(*) FROM lab_results").fetchone()[0] == 0


@needs_real
def test_a_result_already_imported_from_a_table_is_a_duplicate(journal, tmp_path):
    table = tmp_path / "labs.csv"
    table.write_text("Date,Marker,Value,Unit\n2008-02-16,Total testosterone,355,ng/dL\n",
                     encoding="utf-8")
    commit_plan(plan_import([table], journal), journal)
    plan = plan_import([real("fhir/smart-stu3_patient-1869612.fhir-bundle.01.json")], journal)
    [testosterone] = [r for r in plan.rows if r.result and r.result.analyte == "testosterone_total"]
    assert testosterone.status == "duplicate"
    assert testosterone.reason == "already in the journal"


# ------------------------------------------------------------------ written here


def test_ndjson_bulk_export(journal, tmp_path):
    lines = [observation(value=510), {"resourceType": "Patient", "id": "p"},
             observation(code="2857-1", value=1.1, unit="ng/mL")]
    path = tmp_path / "Observation.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    plan = plan_import([path], journal)
    assert plan.files[0].contents == "FHIR bulk export (NDJSON), 2 observations, " \
                                  "2 lab results"
    assert one(plan, "testosterone_total").value == 510.0
    psa = next(r for r in plan.rows if r.result and r.result.analyte == "psa")
    assert psa.line == 3  # the file's line


def test_dstu2_observation_as_apple_writes_them(journal, tmp_path):
    dstu2 = observation(
        value=5.9, unit="%", code="4548-4",
        category={"coding": [{"system": "http://hl7.org/fhir/observation-category",
                              "code": "laboratory"}]},
        interpretation={"coding": [{"system": "http://hl7.org/fhir/v2/0078", "code": "H"}]},
        referenceRange=[{"low": {"value": 4.0, "unit": "%"}, "high": {"value": 5.6, "unit": "%"}}])
    plan = plan_import([write(tmp_path, dstu2)], journal)
    assert plan.files[0].contents.startswith("FHIR DSTU2 observation")
    hba1c = one(plan, "hba1c")
    assert (hba1c.value, hba1c.flag, hba1c.ref_low, hba1c.ref_high) == (5.9, "H", 4.0, 5.6)


def test_censored_values_from_a_string_and_from_a_comparator(journal, tmp_path):
    as_text = observation(code="2857-1", value=None, valueString="<0.5",
                          effectiveDateTime="2024-01-02")
    as_quantity = observation(code="2857-1", value=0.1, unit="ng/mL",
                              effectiveDateTime="2024-02-02")
    as_quantity["valueQuantity"]["comparator"] = "<"
    plan = plan_import([write(tmp_path, bundle(as_text, as_quantity, kind="searchset"))], journal)
    text = one(plan, "psa", taken_at="2024-01-02")
    assert (text.comparator, text.value, text.unit) == ("<", 0.5, "ng/mL")
    quantity = one(plan, "psa", taken_at="2024-02-02")
    assert (quantity.comparator, quantity.value) == ("<", 0.1)


def test_dates_from_period_issued_and_a_report_with_contained_results(journal, tmp_path):
    period = observation(value=400)
    del period["effectiveDateTime"]
    period["effectivePeriod"] = {"start": "2024-04-01T07:00:00Z", "end": "2024-04-01T07:05:00Z"}
    issued = observation(value=401)
    del issued["effectiveDateTime"]
    issued["issued"] = "2024-04-02T10:00:00.000+02:00"
    listed = observation(value=402, id="t3")
    del listed["effectiveDateTime"]
    inner = observation(value=403, id="t4")
    del inner["effectiveDateTime"]
    report = {"resourceType": "DiagnosticReport", "status": "final",
              "effectiveDateTime": "2024-04-03T09:00:00Z", "contained": [inner],
              "result": [{"reference": "Observation/t3"}, {"reference": "#t4"}]}
    plan = plan_import([write(tmp_path, bundle(period, issued, listed, report))], journal)
    dates = {r.value: r.taken_at for r in results(plan)}
    assert {round(v * 0.03467 * NG_DL_PER_NMOL): d for v, d in dates.items()} == {
        400: "2024-04-01T07:00", 401: "2024-04-02T10:00", 402: "2024-04-03T09:00",
        403: "2024-04-03T09:00"}


def test_entered_in_error_and_cancelled_are_skipped(journal, tmp_path):
    document = bundle(observation(value=300, status="entered-in-error"),
                      observation(value=301, status="cancelled"), observation(value=302))
    plan = plan_import([write(tmp_path, document)], journal)
    assert [r.reported_value for r in results(plan)] == ["302"]
    assert sorted(i.reason for i in plan.files[0].ignored) == [
        "status cancelled: not a result", "status entered in error: not a result"]


def test_loinc_not_first_among_codings_and_code_text_only(journal, tmp_path):
    several = observation(value=13.9, unit="g/dL")
    several["code"] = {"coding": [{"system": "urn:oid:1.2.840.114350", "code": "HGB",
                                   "display": "HGB"},
                                  {"system": "http://loinc.org", "code": "9999-9"},
                                  {"system": "http://loinc.org", "code": "718-7"}],
                       "text": "Hgb"}
    text_only = observation(value=31, unit="U/L", effectiveDateTime="2024-05-01")
    text_only["code"] = {"text": "AST"}
    plan = plan_import([write(tmp_path, bundle(several, text_only))], journal)
    assert one(plan, "hemoglobin").value == 13.9
    assert one(plan, "ast").value == 31.0


def test_a_zero_to_zero_range_is_no_range_and_a_flag_comes_from_interpretation(journal,
                                                                                tmp_path):
    zero = observation(value=250, referenceRange=[{"low": {"value": 0, "unit": "ng/dL"},
                                                   "high": {"value": 0, "unit": "ng/dL"}}],
                       interpretation=[{"coding": [{"code": "L"}]}])
    plan = plan_import([write(tmp_path, zero)], journal)
    [result] = results(plan)
    assert (result.ref_low, result.ref_high, result.ref_text, result.flag) == (None, None, "", "L")


def test_vital_signs_are_not_lab_results(journal, tmp_path):
    weight = observation(code="29463-7", value=80, unit="kg", category=[
        {"coding": [{"code": "vital-signs"}]}])
    plan = plan_import([write(tmp_path, bundle(weight))], journal)
    assert plan.files[0].counts["new"] == 0
    assert [i.reason for i in plan.files[0].ignored] == ["vital signs, not a lab result"]
    assert any("holds no lab results" in w for w in plan.files[0].warnings)


def test_a_bundle_without_observations_is_refused_naming_fhir(journal, tmp_path):
    document = bundle({"resourceType": "Patient", "id": "p"}, kind="searchset")
    with pytest.raises(UnknownFormatError, match=r"^fhir.json is a FHIR bundle that holds no "
                                                 r"observations, so no lab results") as caught:
        plan_import([write(tmp_path, document)], journal)
    assert "export the laboratory results" in str(caught.value)


def test_unknown_json_names_fhir_among_the_known_exports(journal, tmp_path):
    with pytest.raises(UnknownFormatError, match=r"Function Health, FHIR\)"):
        plan_import([write(tmp_path, {"hello": 1})], journal)


def test_progress_and_cancel_on_a_large_bundle(journal, tmp_path):
    document = bundle(*(observation(value=300 + i % 500, effectiveDateTime=f"2020-01-01T{i % 24:02d}"
                                    f":{i % 60:02d}:00") for i in range(6000)))
    path = tmp_path / "fhir.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")  # 20 lines a result
    seen: list[tuple[int, int]] = []
    plan = plan_import([path], journal, progress=lambda done, total: seen.append((done, total)))
    assert plan.files[0].counts["new"] + plan.files[0].counts["duplicate"] == 6000
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1]
    # the progress counts results, not the document's lines: it does not jump at the end
    assert seen[-2][0] >= 0.6 * seen[-2][1]
    calls = iter(range(10**6))
    with pytest.raises(ImportCancelled):
        plan_import([path], journal, cancelled=lambda: next(calls) > 1)


def test_ucum_annotations_in_units_mean_nothing_to_the_value(journal, tmp_path):
    annotated = observation(value=612, unit="ng/dL")
    annotated["valueQuantity"] = {"value": 612, "unit": "ng/dL{total}",
                                  "system": "http://unitsofmeasure.org", "code": "ng/dL{total}"}
    plan = plan_import([write(tmp_path, annotated)], journal)
    [result] = results(plan)
    assert (result.analyte, result.value, result.reported_unit) == ("testosterone_total", 612.0,
                                                                    "ng/dL")
