"""Apple Health ``export.zip`` (issue 14, part 2): its Health Records' lab results land through
the same plan, preview, commit and undo as any file; an export without them says how to
include them. The exports are generated here, small."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from hpgjournal.importers import archive
from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.errors import BinaryFileError, EmptyFileError, UnknownFormatError
from hpgjournal.importers.plan import plan_import
from tests.importers.helpers import export_labs, one, results, run_cli

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|ClinicalRecord)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
]>
<HealthData locale="en_US">
 <ExportDate value="2024-05-01 09:30:00 -0700"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1980-02-03"
     HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexMale"/>
"""
STEPS = ('<Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" unit="count" '
         'startDate="2024-04-30 08:00:00 -0700" endDate="2024-04-30 08:10:00 -0700" value="412"/>\n')


def dstu2_testosterone() -> dict[str, Any]:
    """An Observation as Apple writes DSTU2 Health Records (Epic via the iPhone)."""
    return {"resourceType": "Observation", "id": "t1", "status": "final",
            "category": {"coding": [{"system": "http://hl7.org/fhir/observation-category",
                                     "code": "laboratory"}], "text": "Laboratory"},
            "code": {"coding": [{"system": "http://loinc.org", "code": "2986-8",
                                 "display": "TESTOSTERONE, TOTAL"}], "text": "TESTOSTERONE"},
            "effectiveDateTime": "2023-11-14T08:05:00Z",
            "valueQuantity": {"value": 612, "unit": "ng/dL"},
            "referenceRange": [{"low": {"value": 264, "unit": "ng/dL"},
                                "high": {"value": 916, "unit": "ng/dL"}, "text": "264-916"}],
            "interpretation": {"coding": [{"code": "N"}]}}


def r4_estradiol_without_date() -> dict[str, Any]:
    return {"resourceType": "Observation", "id": "e1", "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                "observation-category", "code": "laboratory"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "2243-4"}],
                     "text": "Estradiol"},
            "valueQuantity": {"value": 31, "unit": "pg/mL", "system": "http://unitsofmeasure.org",
                              "code": "pg/mL"}}


def r4_report() -> dict[str, Any]:
    return {"resourceType": "DiagnosticReport", "id": "r1", "status": "final",
            "effectiveDateTime": "2023-12-01T07:45:00-05:00",
            "result": [{"reference": "Observation/e1"}]}


def make_export(folder: Path, records: dict[str, Any] | None, *, steps: int = 3,
                broken_after_head: bool = False) -> Path:
    """A small export.zip as the Health app writes it."""
    path = folder / "export.zip"
    xml = HEAD + STEPS * steps
    xml += "<Record broken" if broken_after_head else "</HealthData>\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("apple_health_export/export.xml", xml)
        out.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        for name, resource in (records or {}).items():
            body = resource if isinstance(resource, str) else json.dumps(resource, indent=1,
                                                                           separators=(",", " : "))
            out.writestr(f"apple_health_export/clinical-records/{name}", body)
    return path


RECORDS = {
    "DiagnosticReport-r1.json": r4_report(),
    "Observation-e1.json": r4_estradiol_without_date(),
    "Observation-t1.json": dstu2_testosterone(),
    "Condition-c1.json": {"resourceType": "Condition", "id": "c1"},
}


def test_the_lab_results_of_the_health_records_land(journal, tmp_path):
    path = make_export(tmp_path, RECORDS, broken_after_head=True)
    plan = plan_import([path], journal)
    [file] = plan.files
    assert file.format == "apple-health" and file.confidence == 1.0
    assert file.contents == ("Apple Health export of 2024-05-01 (FHIR DSTU2 and R4), "
                             "4 clinical records, 2 lab results")
    assert file.describe().startswith(file.contents)
    assert file.counts == {"new": 2, "duplicate": 0, "error": 0}
    testosterone = one(plan, "testosterone_total")
    assert (testosterone.taken_at, testosterone.value, testosterone.unit) == (
        "2023-11-14T08:05", 612.0, "ng/dL")
    assert (testosterone.ref_low, testosterone.ref_high, testosterone.flag) == (264.0, 916.0, "")
    estradiol = one(plan, "estradiol")  # its date is its report's
    assert (estradiol.taken_at, estradiol.value, estradiol.unit) == ("2023-12-01T07:45", 31.0,
                                                                     "pg/mL")
    assert estradiol.source == "export.zip"


def test_export_xml_is_read_only_up_to_its_first_record(tmp_path):
    # the rest of export.xml is broken: read whole, it would fail
    path = make_export(tmp_path, RECORDS, broken_after_head=True)
    source = archive.open_archive(path)
    assert source is not None and source.records == 4 and source.text == ""
    head = source.archive.export_head()
    assert head["exported"].startswith("2024-05-01") and head["locale"] == "en_US"


def test_an_export_with_entity_declarations_is_not_expanded(tmp_path):
    path = tmp_path / "export.zip"
    bomb = ('<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<HealthData locale="&b;"><ExportDate value="x"/></HealthData>')
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("apple_health_export/export.xml", bomb)
        out.writestr("apple_health_export/clinical-records/Observation-t1.json",
                     json.dumps(dstu2_testosterone()))
    source = archive.open_archive(path)
    assert source is not None
    assert "aaaa" not in json.dumps(source.archive.export_head())


def test_an_export_without_health_records_says_how_to_include_them(journal, tmp_path):
    path = make_export(tmp_path, None)
    with pytest.raises(EmptyFileError) as caught:
        plan_import([path], journal)
    message = str(caught.value)
    assert message.startswith("export.zip is an Apple Health export of 2024-05-01, but this "
                              "Health export holds no lab results")
    assert "Health Records" in message and "export again" in message


def test_records_without_lab_results_warn_and_bad_records_are_listed(journal, tmp_path):
    path = make_export(tmp_path, {"Condition-c1.json": {"resourceType": "Condition"},
                                  "Observation-x.json": "{not json"})
    plan = plan_import([path], journal)
    [file] = plan.files
    assert file.counts == {"new": 0, "duplicate": 0, "error": 1}
    assert plan.error_rows()[0].reason == ("clinical record apple_health_export/clinical-records/"
                                           "Observation-x.json: not valid JSON: export the Health "
                                           "data again")
    assert any(w.startswith("this Health export holds no lab results") for w in file.warnings)


def test_other_zips_are_still_refused_as_archives(journal, tmp_path):
    path = tmp_path / "results.zip"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("labs.csv", "Date,Marker,Value\n")
    with pytest.raises(BinaryFileError, match="is a zip archive, not a CSV file"):
        plan_import([path], journal)


def test_the_format_named_must_fit_the_file(journal, tmp_path):
    json_file = tmp_path / "obs.json"
    json_file.write_text(json.dumps(dstu2_testosterone()), encoding="utf-8")
    with pytest.raises(UnknownFormatError, match="reads ZIP files"):
        plan_import([json_file], journal, format="apple-health")
    with pytest.raises(UnknownFormatError, match="is a zip archive, and the format fhir"):
        plan_import([make_export(tmp_path, RECORDS)], journal, format="fhir")


def test_a_result_from_a_fhir_file_is_a_duplicate_in_the_export(journal, tmp_path):
    single = tmp_path / "observation.json"
    single.write_text(json.dumps(dstu2_testosterone()), encoding="utf-8")
    commit_plan(plan_import([single], journal), journal)
    plan = plan_import([make_export(tmp_path, RECORDS)], journal)
    assert plan.files[0].counts == {"new": 1, "duplicate": 1, "error": 0}
    assert [r.result.analyte for r in plan.rows if r.status == "new"] == ["estradiol"]


def test_the_command_line_imports_an_export_once(journal_path, tmp_path):
    path = make_export(tmp_path, RECORDS)
    proc = run_cli("import", str(path), "--journal", str(journal_path))
    assert proc.returncode == 0, proc.stderr
    assert "Apple Health export of 2024-05-01 (FHIR DSTU2 and R4), 4 clinical records, " \
           "2 lab results (confidence 1.00)" in proc.stdout
    assert "imported 2 results as batch 1" in proc.stdout
    assert {r["analyte"] for r in export_labs(journal_path)} == {"testosterone_total",
                                                                 "estradiol"}
    again = run_cli("import", str(path), "--journal", str(journal_path))
    assert "this file was imported before (batch 1)" in again.stdout
    (tmp_path / "steps only").mkdir()
    no_records = make_export(tmp_path / "steps only", None)
    refused = run_cli("import", str(no_records), "--journal", str(journal_path))
    assert refused.returncode == 1
    assert "holds no lab results" in refused.stderr


def test_progress_counts_the_clinical_records(journal, tmp_path):
    many = {f"Observation-{i}.json": {**dstu2_testosterone(), "id": f"t{i}",
                                      "effectiveDateTime": f"2023-01-{1 + i % 28:02d}T08:{i % 60:02d}:00Z"}
            for i in range(4500)}
    path = make_export(tmp_path, many)
    seen: list[tuple[int, int]] = []
    plan = plan_import([path], journal, progress=lambda done, total: seen.append((done, total)))
    assert results(plan)
    assert seen[-1] == (9000, 9000)
    assert len(seen) > 2


REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "real"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/fixtures/real is absent (the third "
                                              "parties' real files)")
def test_a_real_health_record_inside_an_export_lands(journal, tmp_path):
    record = (REAL / "apple" / "health-record-visualizer_test_data_ref_range_text.json").read_text(
        encoding="utf-8")
    path = make_export(tmp_path, {"Observation-ALT.json": record})
    plan = plan_import([path], journal)
    assert plan.files[0].contents == ("Apple Health export of 2024-05-01 (FHIR R4), "
                                      "1 clinical record, 1 lab result")
    alt = one(plan, "alt")
    assert (alt.taken_at, alt.value, alt.unit, alt.ref_text, alt.ref_high) == (
        "2012-06-19T17:11", 24.0, "U/L", "<36", 36.0)


def test_a_zip_with_an_export_xml_of_another_app_is_no_health_export(journal, tmp_path):
    path = tmp_path / "backup.zip"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("backup/export.xml", "<?xml version='1.0'?><Contacts><Card/></Contacts>")
    assert archive.open_archive(path) is None
    with pytest.raises(BinaryFileError, match="is a zip archive, not a CSV file"):
        plan_import([path], journal)
