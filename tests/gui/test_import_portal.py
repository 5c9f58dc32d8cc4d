"""Portal records in the import dialog (issue 14, part 5): an Apple Health export.zip and a
FHIR file go through the same preview, commit and undo as a CSV, named in words."""

from __future__ import annotations

import json

from hpgjournal.domain.records import Batch, LabResult
from tests.importers.test_apple_health import RECORDS, make_export

from .helpers import wait_planned, with_modal


def test_an_export_zip_and_a_fhir_file_preview_commit_and_undo(empty_window, qtbot, tmp_path):
    export = make_export(tmp_path, RECORDS)
    bundle = tmp_path / "psa.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": {"resourceType": "Observation", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "2857-1"}]},
                      "effectiveDateTime": "2024-02-01",
                      "valueQuantity": {"value": 0.9, "unit": "ng/mL"}}}]}), encoding="utf-8")
    seen = {}

    def play(dialog):
        wait_planned(qtbot, dialog)
        seen["detected"] = dialog.detected.text()
        seen["summary"] = dialog.summary.text()
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    result = with_modal(lambda: empty_window.import_files([export, bundle]), play)
    assert ("export.zip: Apple Health export of 2024-05-01 (FHIR DSTU2 and R4), 4 clinical "
            "records, 2 lab results (confidence 1.00)") in seen["detected"]
    assert "psa.json: FHIR bundle, 1 observation, 1 lab result" in seen["detected"]
    assert seen["summary"] == "3 new · 0 already in the journal · 0 unreadable"
    assert result.added == 3
    journal = empty_window.journal
    assert {r.analyte for r in journal.all(LabResult)} == {"testosterone_total", "estradiol",
                                                           "psa"}
    empty_window.undo_group.undo()
    assert journal.count(LabResult) == 0 and journal.count(Batch) == 0


def test_an_export_without_health_records_says_how_to_include_them(empty_window, qtbot,
                                                                   tmp_path):
    export = make_export(tmp_path, None)
    seen = {}

    def play(dialog):
        wait_planned(qtbot, dialog)
        seen["message"] = dialog.message.text()
        dialog.reject()

    with_modal(lambda: empty_window.import_files([export]), play)
    assert "this Health export holds no lab results" in seen["message"]
    assert "Health Records" in seen["message"]
