"""Every layout and profile: detected with a confidence, overridable by name, and landing with
the right canonical values, checked by exporting the journal with ``hpgjournal export labs``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hpgjournal.importers import errors
from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.formats import FORMATS
from hpgjournal.importers.names import FORMAT_NAMES
from hpgjournal.importers.plan import plan_import
from hpgjournal.store.export import LAB_COLUMNS
from hpgjournal.store.export import TABLES as EXPORT_TABLES
from hpgjournal.store.journal import Journal
from tests.importers.helpers import data, export_labs, plan_file, run_cli

LAYOUT_FILES = {
    "long_preamble.csv": "long", "long_low_high.csv": "long", "long_loinc.csv": "long",
    "wide.csv": "wide", "wide_turned.csv": "wide", "packed.csv": "packed", "whoop.csv": "whoop",
    "function_health.json": "function-health",
}
NG_DL_PER_NMOL = 1 / 0.03467


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, str]]]:
    """Import every layout file into one journal, export it once, rows grouped by file."""
    path = tmp_path_factory.mktemp("layouts") / "j.hpgjournal"
    with Journal.open(path) as journal:
        for name in LAYOUT_FILES:
            commit_plan(plan_import([data(name)], journal), journal)
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in export_labs(path):
        grouped.setdefault(row["source"], []).append(row)
    return grouped


def table(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], dict[str, str]]:
    out = {}
    for row in rows:
        key = (row["taken_at"], row["analyte"], row["method"])
        assert key not in out, key
        out[key] = row
    return out


def check(row: dict[str, str], value: float | None, unit: str, **fields: str) -> None:
    if value is None:
        assert row["value"] == ""
    else:
        assert float(row["value"]) == pytest.approx(value, rel=1e-9)
    assert row["unit"] == unit
    for name, expected in fields.items():
        assert row[name] == expected, (name, row)


def test_the_registry_serves_the_names_the_command_line_offers():
    assert tuple(FORMATS) == FORMAT_NAMES
    assert all(f.label and f.kind in ("csv", "json", "zip", "xml", "pdf") for f in FORMATS.values())


@pytest.mark.parametrize(("name", "format_name"), sorted(LAYOUT_FILES.items()))
def test_each_file_is_detected_with_a_confidence(journal, name, format_name):
    file = plan_file(journal, name).files[0]
    assert file.format == format_name
    scores = dict(file.alternatives)
    assert file.confidence == scores[format_name] >= 0.5
    assert all(score <= file.confidence for score in scores.values())
    assert list(scores.values()) == sorted(scores.values(), reverse=True)
    assert file.mapping is not None or file.format == "function-health"


def test_long_with_a_preamble_and_aliases(exported):
    rows = table(exported["long_preamble.csv"])
    assert len(rows) == 7
    day = "2024-03-14"
    check(rows[(day, "testosterone_total", "")], 523, "ng/dL", loinc="2986-8", lab="Quest",
          ref_low="264", ref_high="916")
    check(rows[(day, "testosterone_free", "measured")], 96.1, "pg/mL", ref_low="35")
    check(rows[(day, "testosterone_free", "direct")], 11.2, "pg/mL", lab="Labcorp")
    check(rows[(day, "estradiol", "sensitive")], 21.4, "pg/mL", ref_high="35")
    check(rows[(day, "estradiol", "")], 24, "pg/mL")
    check(rows[(day, "lh", "")], 0.2, "IU/L", comparator="<", reported_value="<0.2",
          reported_unit="mIU/mL", flag="L")
    check(rows[(day, "hematocrit", "")], 52.4, "%", flag="H")


def test_long_with_separate_low_and_high_columns_in_si_units(exported):
    rows = table(exported["long_low_high.csv"])
    day = "2024-04-01"
    check(rows[(day, "testosterone_total", "")], 18.2 * NG_DL_PER_NMOL, "ng/dL",
          reported_value="18.2", reported_unit="nmol/L", lab="NHS", flag="")
    assert float(rows[(day, "testosterone_total", "")]["ref_low"]) == pytest.approx(
        8.64 * NG_DL_PER_NMOL)
    check(rows[(day, "psa", "")], 0.9, "ng/mL", ref_low="", ref_high="4")
    check(rows[(day, "albumin", "")], 4.4, "g/dL", ref_low="3.5", ref_high="5")
    check(rows[(day, "ferritin", "")], 25, "ng/mL", flag="A")  # is_abnormal = true


def test_long_identified_by_loinc_with_iso_times_and_zones(exported):
    rows = table(exported["long_loinc.csv"])
    when = "2024-04-02T08:15"
    check(rows[(when, "testosterone_total", "")], 480, "ng/dL", lab="Quest")
    check(rows[(when, "testosterone_free", "calculated")], 85.2, "pg/mL")
    check(rows[(when, "cholesterol_total", "")], 181, "mg/dL", ref_high="200")


def test_wide_one_row_per_date(exported):
    rows = table(exported["wide.csv"])
    check(rows[("2024-01-05", "testosterone_total", "")], 350, "ng/dL", reported_unit="ng/dL")
    check(rows[("2024-04-02", "lh", "")], 0.1, "IU/L", comparator="<")
    check(rows[("2024-07-15", "estradiol", "")], None, "pg/mL", reported_value="TNP")
    check(rows[("2024-04-02", "custom:Weight", "")], 83.5, "kg")
    assert ("2024-07-15", "hematocrit", "") not in rows  # a blank cell is no result
    assert not any(key[1].startswith("custom:Phase") for key in rows)
    assert len(rows) == 17


def test_wide_turned_one_row_per_marker(exported):
    rows = table(exported["wide_turned.csv"])
    assert len(rows) == 8
    check(rows[("2023-08-01", "hematocrit", "")], 51.2, "%")
    check(rows[("2023-05-01", "estradiol", "")], 35, "pg/mL")
    assert ("2023-08-01", "estradiol", "") not in rows


def test_packed_value_and_unit_in_one_cell(exported):
    rows = table(exported["packed.csv"])
    day = "2024-05-01"
    check(rows[(day, "testosterone_total", "")], 1050, "ng/dL", reported_value="1,050 ng/dL")
    check(rows[(day, "estradiol", "")], 110 / 3.671, "pg/mL", reported_unit="pmol/L")
    check(rows[(day, "hematocrit", "")], 48, "%", reported_unit="L/L")


def test_whoop_advanced_labs(exported):
    rows = table(exported["whoop.csv"])
    day = "2026-07-02"
    assert len(rows) == 5  # the two markers that were not measured are not results
    check(rows[(day, "testosterone_total", "")], 1050, "ng/dL", lab="WHOOP Advanced Labs")
    check(rows[(day, "testosterone_free", "")], 152, "pg/mL")
    check(rows[(day, "custom:1,5-Anhydroglucitol (1,5-AG)", "")], 18.2, "ug/mL")
    check(rows[(day, "hematocrit", "")], 55.1, "%", flag="A")  # Out of Range


def test_function_health_json(exported):
    rows = table(exported["function_health.json"])
    assert len(rows) == 4  # the entry marked visible: false is left out
    check(rows[("2025-08-30", "testosterone_total", "")], 612, "ng/dL", ref_low="250",
          lab="Function Health")
    check(rows[("2025-02-11", "testosterone_total", "")], 455, "ng/dL")
    check(rows[("2025-08-30", "estradiol", "")], 20, "pg/mL", comparator="<", ref_high="39")
    check(rows[("2025-08-30", "custom:Lipoprotein (a)", "")], 180, "nmol/L", flag="H")


def test_every_exported_row_keeps_the_contract_columns(exported):
    for rows in exported.values():
        for row in rows:
            assert tuple(row) == LAB_COLUMNS


# ---- naming the format --------------------------------------------------------------------


def test_a_named_format_is_used_and_reported(journal):
    plan = plan_file(journal, "whoop.csv", format="long")
    assert plan.files[0].format == "long"
    assert plan.files[0].confidence < dict(plan.files[0].alternatives)["whoop"]
    # read as a plain long table, "--" is kept as a text result and Status is a flag column
    assert plan.count("new") == 7


def test_a_named_format_that_does_not_fit_says_so(journal):
    with pytest.raises(errors.LayoutNotRecognised, match="WHOOP columns"):
        plan_file(journal, "long_preamble.csv", format="whoop")
    with pytest.raises(errors.UnknownFormatError, match="reads CSV files"):
        plan_file(journal, "function_health.json", format="long")
    with pytest.raises(errors.UnknownFormatError, match="unknown format 'xlsx'"):
        plan_file(journal, "whoop.csv", format="xlsx")


def test_packed_named_on_a_file_with_a_unit_column(journal):
    plan = plan_file(journal, "censored.csv", format="packed")
    assert plan.files[0].mapping.unit is None  # the unit column is not used...
    assert plan.count("error") == 0  # ...and bare numbers read in the canonical unit


# ---- hpgjournal's own exports -------------------------------------------------------------


def test_export_labs_csv_round_trips(demo_path, tmp_path):
    before = export_labs(demo_path)
    csv_file = tmp_path / "labs.csv"
    assert run_cli("export", "labs", "--journal", str(demo_path), "-o", str(csv_file)).returncode == 0
    target = tmp_path / "copy.hpgjournal"
    with Journal.open(target) as journal:
        plan = plan_import([csv_file], journal)
        assert plan.files[0].format == "hpgjournal-labs" and plan.files[0].confidence == 1.0
        assert plan.count("error") == 0
        commit_plan(plan, journal)
    assert export_labs(target) == before
    with Journal.open(demo_path) as journal:  # into the journal it came from: nothing new
        again = plan_import([csv_file], journal)
        assert again.count("new") == 0 and again.count("duplicate") == len(before)


def _comparable(document: dict) -> dict:
    """An export-all document without what belongs to one journal file (ids, batches)."""
    medications = {m["id"]: m for m in document["medications"]}
    out = {}
    for name in (t for t in EXPORT_TABLES if t != "batches"):  # every table the export writes
        rows = []
        for row in document[name]:
            row = dict(row)
            row.pop("id", None)
            row.pop("batch_id", None)
            if name == "doses":
                medication = medications.get(row.pop("medication_id"))
                row["medication"] = medication and medication["drug"] + medication["start_date"]
            rows.append(row)
        out[name] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
    out["profile"] = document["profile"]
    return out


def test_export_all_json_is_read_back_without_loss(demo_path, tmp_path):
    first = tmp_path / "all.json"
    assert run_cli("export", "all", "--journal", str(demo_path), "-o", str(first)).returncode == 0
    target = tmp_path / "copy.hpgjournal"
    with Journal.open(target) as journal:
        plan = plan_import([first], journal)
        assert plan.files[0].format == "hpgjournal-json"
        assert plan.count("error") == 0
        assert not [r for r in plan.records if r.status == "error"]
        result = commit_plan(plan, journal)
        assert result.records == len(plan.records) > 0
    second = tmp_path / "again.json"
    assert run_cli("export", "all", "--journal", str(target), "-o", str(second)).returncode == 0
    original, copy = json.loads(first.read_text()), json.loads(second.read_text())
    assert _comparable(copy) == _comparable(original)
    assert {r["ref_text"] for r in copy["labs"]} == {r["ref_text"] for r in original["labs"]}
    # importing it again adds nothing at all
    with Journal.open(target) as journal:
        again = plan_import([first], journal)
        assert again.count("new") == 0 and not [r for r in again.records if r.status == "new"]
        assert commit_plan(again, journal).batch_id is None


def test_a_json_export_from_a_newer_hpgjournal_is_refused(tmp_path, journal):
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"format": "hpgjournal-export", "format_version": 99, "labs": []}))
    with pytest.raises(errors.UnknownFormatError, match="newer hpgjournal"):
        plan_import([path], journal)


def test_bad_records_in_a_json_export_are_unreadable_rows(tmp_path, journal):
    path = tmp_path / "edited.json"
    good = {"taken_at": "2024-01-02", "analyte": "lh", "value": 3.0, "unit": "IU/L",
            "reported_value": "3.0"}
    document = {"format": "hpgjournal-export", "format_version": 1, "labs": [
        good, {**good, "analyte": "nonsense"}, {**good, "taken_at": "yesterday"},
        {**good, "value": "NaN"}, {**good, "method": "direct"}, "not a record"],
        "phases": [{"kind": "nonsense", "start_date": "2024-01-01"},
                   {"kind": "trt", "start_date": "2024-01-01", "end_date": "2023-01-01"}],
        "notes": [{"noted_at": "2024-01-01", "energy": 11}]}
    path.write_text(json.dumps(document))
    plan = plan_import([path], journal)
    assert [r.status for r in plan.rows] == ["new"] + ["error"] * 5
    assert [r.status for r in plan.records] == ["error"] * 3
    assert "unknown marker" in plan.rows[1].reason
    assert "end_date is before start_date" in plan.records[1].reason


def test_other_hpgjournal_csv_exports_are_refused_by_name(demo_path, tmp_path, journal):
    doses = tmp_path / "doses.csv"
    assert run_cli("export", "doses", "--journal", str(demo_path), "-o", str(doses)).returncode == 0
    with pytest.raises(errors.UnknownFormatError, match="export of doses, not of lab results"):
        plan_import([doses], journal)


def test_hpgjournal_labs_csv_edited_by_hand(tmp_path, journal):
    path = tmp_path / "labs.csv"
    header = ",".join(LAB_COLUMNS)
    path.write_text(f"{header}\n"
                    "2024-01-02,testosterone_total,,2986-8,18.2,,nmol/L,18.2,nmol/L,,,,,x,\n"
                    "2024-01-02,lh,,,3,,%,3,%,,,,,x,\n"
                    "2024-01-02,custom:ApoB,,,90,,mg/dL,90,mg/dL,,,,,x,'=note\n"
                    "2024-01-02,lh,direct,,3,,IU/L,3,IU/L,,,,,x,\n")
    plan = plan_import([Path(path)], journal)
    assert [r.status for r in plan.rows] == ["new", "error", "new", "error"]
    assert plan.rows[0].result.value == pytest.approx(18.2 * NG_DL_PER_NMOL)  # converted back
    assert plan.rows[0].result.unit == "ng/dL"
    assert plan.rows[2].result.note == "=note"  # the spreadsheet guard is taken off again
    assert "has no method 'direct'" in plan.rows[3].reason


def test_undoing_an_export_all_import_removes_every_record_it_added(demo_path, tmp_path):
    from hpgjournal.domain.records import Dose, LabResult, Medication, Note, Questionnaire

    first = tmp_path / "all.json"
    assert run_cli("export", "all", "--journal", str(demo_path), "-o", str(first)).returncode == 0
    target = tmp_path / "copy.hpgjournal"
    with Journal.open(target) as journal:
        journal.add(Note(None, "2020-01-01", text="typed before the import"))
        result = commit_plan(plan_import([first], journal), journal)
        added = journal.batch_records(result.batch_id)
        kinds = {type(r) for r in added}
        assert {LabResult, Medication, Dose, Note, Questionnaire} <= kinds
        assert all(d.medication_id is not None for d in journal.all(Dose))
        journal.undo_batch(result.batch_id)
        assert [n.text for n in journal.all(Note)] == ["typed before the import"]
        assert journal.count(Dose) == journal.count(Medication) == journal.count(LabResult) == 0
