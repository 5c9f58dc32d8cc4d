"""Names no marker is known by: listed with their rows, mapped by the user, remembered by the
journal for the next import, and never mapped when the file names an own marker itself."""

from __future__ import annotations

import pytest

from hpgjournal.domain.records import LabResult
from hpgjournal.importers import commit_plan, plan_import

GERMAN = ("Datum,Test,Ergebnis,Einheit\n"
          "2026-03-04,Testo gesamt,18.9,nmol/L\n"
          "2026-06-04,Testo gesamt,20.4,nmol/L\n"
          "2026-06-04,Haematokrit-Wert X,47,%\n"
          "2026-06-04,Testosterone,545,ng/dL\n")


@pytest.fixture
def german(tmp_path):
    path = tmp_path / "befund.csv"
    path.write_text(GERMAN, encoding="utf-8")
    return path


def test_unknown_names_are_listed_with_their_rows_and_a_warning(journal, german):
    plan = plan_import([german], journal)
    assert plan.unknown_names() == {"Haematokrit-Wert X": 1, "Testo gesamt": 2}
    warning = plan.files[0].names_warning()
    assert warning.startswith("2 marker names not recognised, kept as own markers")
    assert "Testo gesamt (2 rows)" in warning and "File > Import" in warning
    assert {r.result.analyte for r in plan.rows} == {
        "custom:Testo gesamt", "custom:Haematokrit-Wert X", "testosterone_total"}


def test_a_mapped_name_becomes_its_marker_with_the_unit_converted(journal, german):
    plan = plan_import([german], journal,
                       names={"testo  GESAMT": ("testosterone_total", "")})
    assert plan.unknown_names() == {"Haematokrit-Wert X": 1}
    assert plan.renamed() == {"Testo gesamt": ("testosterone_total", "")}
    mapped = [r.result for r in plan.rows if "printed as" in r.result.note]
    assert [(r.analyte, r.reported_value, r.reported_unit, round(r.value, 1)) for r in mapped] == [
        ("testosterone_total", "18.9", "nmol/L", 545.1),
        ("testosterone_total", "20.4", "nmol/L", 588.4)]
    assert mapped[0].note == "printed as Testo gesamt"


def test_the_journal_remembers_a_mapping_for_the_next_import(journal, german):
    journal.remember_marker_names({"Testo gesamt": ("testosterone_total", "")})
    assert journal.marker_names() == {"testo gesamt": ("testosterone_total", "")}
    result = commit_plan(plan_import([german], journal), journal)
    assert result.added == 4
    totals = [r for r in journal.all(LabResult) if r.analyte == "testosterone_total"]
    assert len(totals) == 3
    journal.remember_marker_names({"TESTO GESAMT": None})  # forgotten
    assert journal.marker_names() == {}


def test_a_mapped_name_whose_printed_unit_does_not_fit_is_an_error_row(journal, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Date,Test,Result\n2026-03-04,Testo (mmHg),18.9\n", encoding="utf-8")
    plan = plan_import([path], journal, names={"testo": ("testosterone_total", "")})
    [row] = list(plan.rows)
    assert row.status == "error"
    assert "mapped to Total testosterone, but its unit 'mmHg' does not fit" in row.reason


def test_an_own_marker_written_as_one_is_not_listed_or_mapped(journal, tmp_path):
    path = tmp_path / "own.csv"
    path.write_text("Date,Test,Result,Unit\n2026-03-04,custom:Testo gesamt,18.9,nmol/L\n",
                    encoding="utf-8")
    plan = plan_import([path], journal,
                       names={"testo gesamt": ("testosterone_total", "")})
    assert plan.unknown_names() == {}
    assert [r.result.analyte for r in plan.rows] == ["custom:Testo gesamt"]
