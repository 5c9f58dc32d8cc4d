"""Lab report PDFs imported (issue 15): Quest, Labcorp and German reports written by the tests
in the labs' layouts land with every value right; scans, protected, damaged and undated PDFs
are refused with what to do."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hpgjournal.domain.records import LabResult
from hpgjournal.importers import errors
from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.formats.lab_pdf import read_report
from hpgjournal.importers.pdf import PdfLine, PdfText
from hpgjournal.importers.plan import plan_import
from hpgjournal.importers.rows import Candidate, Ignored
from tests.importers.helpers import export_labs, run_cli
from tests.importers.pdf_reports import (
    GERMAN_EXPECTED,
    LABCORP_EXPECTED,
    QUEST_EXPECTED,
    german_pdf,
    labcorp_pdf,
    protected_pdf,
    quest_pdf,
    scanned_pdf,
)


def landed(journal) -> dict[tuple[str, str], LabResult]:
    return {(r.taken_at, r.analyte): r for r in journal.all(LabResult)}


def printed(found: dict[tuple[str, str], LabResult]) -> dict[tuple[str, str], tuple[str, str]]:
    return {key: (r.reported_value, r.reported_unit) for key, r in found.items()}


def test_quest_report_lands_with_every_value_right(tmp_path, journal):
    plan = plan_import([quest_pdf(tmp_path / "quest.pdf")], journal)
    (file,) = plan.files
    assert file.format == "lab-pdf"
    assert file.describe(names=False).startswith("lab report PDF from Quest Diagnostics, 2 pages")
    assert "encoding" not in file.describe()
    assert file.counts == {"new": 9, "duplicate": 0, "error": 0}
    assert any("PSA, TOTAL" in w and "pending" in w for w in file.warnings)
    commit_plan(plan, journal)
    found = landed(journal)
    assert printed(found) == QUEST_EXPECTED
    # the flag printed with the value, never the previous result's
    assert found[("2025-03-04T08:15", "estradiol")].flag == "H"
    assert found[("2025-03-04T08:15", "hematocrit")].flag == "H"  # glued: 52.3H
    assert found[("2025-03-04T08:15", "ldl")].flag == ""  # "106.0 H" was the previous result
    fsh = found[("2025-03-04T08:15", "fsh")]
    assert (fsh.comparator, fsh.value, fsh.unit, fsh.flag) == ("<", 0.7, "IU/L", "L")
    total = found[("2025-03-04T08:15", "testosterone_total")]
    assert (total.ref_low, total.ref_high, total.lab) == (250.0, 1100.0, "Quest Diagnostics")
    assert found[("2025-03-04T08:15", "estradiol")].ref_high == 39.0  # "< OR = 39"
    assert found[("2025-03-04T08:15", "hba1c")].ref_high == 5.7  # on page 2
    assert all(r.taken_at == "2025-03-04T08:15" for r in found.values())  # month first


def test_labcorp_report_joins_a_name_wrapped_over_the_page_break(tmp_path, journal):
    plan = plan_import([labcorp_pdf(tmp_path / "labcorp.pdf")], journal)
    (file,) = plan.files
    assert file.describe(names=False).startswith("lab report PDF from Labcorp, 2 pages")
    assert [name for name, _ in file.unknown_names] == ["Neutrophils"]
    assert any("Estradiol, Sensitive" in w for w in file.warnings)
    commit_plan(plan, journal)
    found = landed(journal)
    known = {k: v for k, v in printed(found).items() if not k[1].startswith("custom:")}
    assert known == LABCORP_EXPECTED
    raw = {r.result.analyte: r.raw for r in plan.rows if r.result is not None}
    assert raw["shbg"] == {"page": "1-2", "PDF line": "Sex Horm Binding Glob, / Serum 02 15.1 "
                                                       "Low nmol/L 16.5-55.9 02"}
    shbg = found[("2025-04-13T07:40", "shbg")]
    assert (shbg.value, shbg.flag, shbg.ref_low, shbg.ref_high) == (15.1, "L", 16.5, 55.9)
    free = found[("2025-04-13T07:40", "testosterone_free")]
    assert (free.method, free.flag) == ("direct", "L")  # "Free Testosterone (Direct) 4.6 Low"
    prolactin = found[("2025-04-13T07:40", "prolactin")]  # "9.2 7.7 01/10/2025": 7.7 was before
    assert (prolactin.value, prolactin.ref_low, prolactin.ref_high) == (9.2, 4.0, 15.2)
    neutrophils = found[("2025-04-13T07:40", "custom:Neutrophils")]
    assert (neutrophils.value, neutrophils.ref_low, neutrophils.ref_high) == (68.0, None, None)


def test_german_report_reads_decimal_commas_and_day_first_dates(tmp_path, journal):
    plan = plan_import([german_pdf(tmp_path / "befund.pdf")], journal)
    (file,) = plan.files
    assert file.decimal_comma and file.date_order == "dmy"
    assert file.describe(names=False).startswith("lab report PDF from Synlab, 1 page (")
    assert not file.unknown_names
    assert any("Dihydrotestosteron" in w for w in file.warnings)
    commit_plan(plan, journal)
    found = landed(journal)
    assert printed(found) == GERMAN_EXPECTED
    total = found[("2025-03-12T08:15", "testosterone_total")]
    assert total.value == pytest.approx(18.2 / 0.03467, rel=1e-4)  # stored in ng/dL
    assert total.ref_low == pytest.approx(8.6 / 0.03467, rel=1e-4)
    assert found[("2025-03-12T08:15", "shbg")].value == 28.4
    assert found[("2025-03-12T08:15", "hematocrit")].flag == "H"  # the "+" column
    assert found[("2025-03-12T08:15", "psa")].ref_high == 4.0  # "< 4,0"


def test_every_row_keeps_the_pdf_line_and_page_it_came_from(tmp_path, journal):
    plan = plan_import([quest_pdf(tmp_path / "quest.pdf")], journal)
    rows = {r.result.analyte: r.raw for r in plan.rows if r.result is not None}
    assert rows["hba1c"] == {"page": "2",
                             "PDF line": "HEMOGLOBIN A1c 5.3 <5.7 % 5.4 10/10/2024 UL"}
    assert rows["estradiol"]["PDF line"] == "ESTRADIOL 40 H < OR = 39 pg/mL 28.0 10/10/2024 UL"
    assert rows["estradiol"]["page"] == "1"


def test_importing_the_same_pdf_again_adds_nothing(tmp_path, journal):
    path = quest_pdf(tmp_path / "quest.pdf")
    commit_plan(plan_import([path], journal), journal)
    again = plan_import([path], journal)
    assert again.count("new") == 0 and again.count("duplicate") == 9
    assert again.files[0].previous_batches


def test_a_scan_is_refused_saying_it_is_a_picture(tmp_path, journal):
    with pytest.raises(errors.PdfFileError) as caught:
        plan_import([scanned_pdf(tmp_path / "scan.pdf")], journal)
    message = str(caught.value)
    assert "scan.pdf is a scan" in message and "pictures" in message
    assert "type the results in by hand" in message


def test_a_pdf_behind_a_password_is_refused(tmp_path, journal):
    with pytest.raises(errors.PdfFileError, match="protected by a password"):
        plan_import([protected_pdf(tmp_path / "locked.pdf")], journal)


def test_a_damaged_pdf_is_refused(tmp_path, journal):
    whole = quest_pdf(tmp_path / "whole.pdf").read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(errors.PdfFileError, match=r"broken\.pdf is a PDF that cannot be read"):
        plan_import([broken], journal)
    assert journal.count(LabResult) == 0


def test_a_report_without_a_collection_date_is_refused(tmp_path, journal):
    import fpdf

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.text(10, 20, "Quest Diagnostics   Reported: 03/06/2025")
    pdf.text(10, 30, "TESTOSTERONE, TOTAL, MS 656 250-1100 ng/dL EZ")
    path = tmp_path / "undated.pdf"
    pdf.output(str(path))
    with pytest.raises(errors.NoLabResultsError, match="no collection date"):
        plan_import([path], journal)


def test_a_pdf_longer_than_a_lab_report_is_refused(tmp_path, journal, monkeypatch):
    import hpgjournal.importers.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "MAX_PAGES", 1)
    with pytest.raises(errors.PdfFileError, match="has 2 pages, more than a lab report"):
        plan_import([quest_pdf(tmp_path / "quest.pdf")], journal)


def lines(*texts: str, cells: bool = False) -> PdfText:
    return PdfText(tuple(PdfLine(1, n, t, tuple(t.split("  ")) if cells else (t,))
                         for n, t in enumerate(texts, start=1)), 1)


def read(*texts: str) -> list[Candidate | Ignored]:
    return [i for i in read_report(lines("Collected: 03/01/2025", *texts))
            if isinstance(i, (Candidate, Ignored))]


def test_lines_that_are_not_results_give_no_row():
    items = read("Age: 45", "Page 1 of 2", "DOB: 01/02/1980", "Secaucus, NJ 07094",
                 "Phone 800 222 0446", "Requisition 0012345 Account 42")
    assert not [i for i in items if isinstance(i, Candidate)]


def test_a_range_on_its_own_line_joins_the_result_above():
    items = read("TESTOSTERONE, TOTAL, MS 1077 ng/dL", "Reference Range: 250-1100 ng/dL",
                 "ALBUMIN 4.2 g/dL 3.6-5.1")
    results = [(i.marker, i.value, i.unit, i.range) for i in items if isinstance(i, Candidate)]
    assert results == [("TESTOSTERONE, TOTAL, MS", "1077", "ng/dL", "250-1100"),
                       ("ALBUMIN", "4.2", "g/dL", "3.6-5.1")]
    first = next(i for i in items if isinstance(i, Candidate))
    assert first.raw["PDF line"] == ("TESTOSTERONE, TOTAL, MS 1077 ng/dL / Reference Range: "
                                     "250-1100 ng/dL")


def test_a_comparator_apart_from_its_number_and_older_quest_flags_after_the_range():
    items = read("LH < 0.2 L 1.5-9.3 mIU/mL", "TESTOSTERONE, FREE 235.8 pg/mL 46.0-224.0 H",
                 "Estradiol 18.0 <5.0 04/13/2022 pg/mL 7.6-42.6")
    results = [(i.value, i.flag, i.unit, i.range) for i in items if isinstance(i, Candidate)]
    assert results == [("<0.2", "L", "mIU/mL", "1.5-9.3"), ("235.8", "H", "pg/mL", "46.0-224.0"),
                       ("18.0", "", "pg/mL", "7.6-42.6")]


def test_a_name_with_digits_is_read_whole_when_the_columns_say_so():
    text = PdfText((PdfLine(1, 1, "Collected: 03/01/2025", ("Collected: 03/01/2025",)),
                    PdfLine(1, 2, "IGF 1, LC/MS 204 ng/mL 53-331",
                            ("IGF 1, LC/MS", "204", "ng/mL", "53-331"))), 1)
    (found,) = [i for i in read_report(text) if isinstance(i, Candidate)]
    assert (found.marker, found.value, found.range) == ("IGF 1, LC/MS", "204", "53-331")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ABCHLabcz0123456789.,<>=-/%*: ")),
                        max_size=60), max_size=12))
def test_any_lines_are_read_without_an_error(texts):
    for item in read(*texts):
        if isinstance(item, Candidate):
            assert item.value and item.marker and item.date == "03/01/2025"


def test_the_command_line_imports_a_pdf(tmp_path):
    path = labcorp_pdf(tmp_path / "labcorp.pdf")
    target = tmp_path / "j.hpgjournal"
    proc = run_cli("import", str(path), "--journal", str(target))
    assert proc.returncode == 0, proc.stderr
    assert "lab report PDF from Labcorp" in proc.stdout
    assert "pending" in proc.stdout + proc.stderr
    rows = {(r["taken_at"][:10], r["analyte"]): r["reported_value"]
            for r in export_labs(target)}
    assert rows[("2025-04-13", "shbg")] == "15.1"
    assert rows[("2025-04-13", "testosterone_total")] == "386"
    refused = run_cli("import", str(scanned_pdf(tmp_path / "scan.pdf")), "--journal",
                      str(target))
    assert refused.returncode != 0 and "is a scan" in refused.stderr


def test_a_pdf_is_recognised_whatever_its_name(tmp_path, journal):
    path = quest_pdf(tmp_path / "quest.pdf")
    renamed = tmp_path / "results.csv"
    renamed.write_bytes(path.read_bytes())
    plan = plan_import([renamed], journal)
    assert plan.files[0].format == "lab-pdf" and plan.count("new") == 9


def test_read_lines_splits_columns_apart(tmp_path):
    import pdfplumber

    from hpgjournal.importers.pdf import read_lines

    with pdfplumber.open(str(german_pdf(tmp_path / "befund.pdf"))) as document:
        found = read_lines(list(document.pages))
    row = next(line for line in found if line.text.startswith("Testosteron gesamt"))
    assert row.cells == ("Testosteron gesamt", "18,2", "nmol/l", "8,6 - 29,0")
    assert row.page == 1
