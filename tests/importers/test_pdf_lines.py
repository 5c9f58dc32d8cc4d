"""The PDF line reader (issue 15) on the lines of real report layouts (research/formats.md 1.2,
1.3 and European reports): report furniture is never a result, every result keeps its value,
flag, unit and range, and each result is dated by the collection date above it."""

from __future__ import annotations

import pytest

from hpgjournal.importers.formats.lab_pdf import read_report
from hpgjournal.importers.pdf import PdfLine, PdfText
from hpgjournal.importers.plan import plan_import
from hpgjournal.importers.rows import Candidate
from tests.importers.pdf_reports import _Report


def results(*texts: str, first: str = "Collected: 03/01/2025") -> list[Candidate]:
    text = PdfText(tuple(PdfLine(1, n, t, (t,)) for n, t in enumerate((first, *texts), 1)), 1)
    return [i for i in read_report(text) if isinstance(i, Candidate)]


def one(text: str) -> tuple[str, str, str, str, str]:
    (found,) = results(text)
    return found.marker, found.value, found.flag, found.unit, found.range


@pytest.mark.parametrize("text", [
    # method and comment paragraphs (Quest, Labcorp)
    "The limit of quantitation is 3.5 ng/dL for this assay.",
    "For men 18-69 years, 3.5 ng/dL was the limit of detection in this assay.",
    "Testosterone 3.5 ng/dL was the limit of detection of the assay.",
    "Desirable range <100 mg/dL for primary prevention;",
    "<70 mg/dL for patients with CHD or diabetic patients",
    "Non-HDL cholesterol goal is 30 mg/dL higher than LDL",
    # performing-lab addresses with a ZIP+4 (no range), telephone numbers
    "EZ QUEST DIAGNOSTICS-EZ 33608 ORTEGA HWY SAN JUAN CAPISTRANO, CA 92675-2042",
    "01 BN Labcorp Burlington 1447 York Court, Burlington, NC 27215-3361",
    "Tel. 030 12345-0 Fax 030 12345-99",
    # patient and specimen furniture
    "Specimen Number 12345 mg", "Fasting: No", "Age 45 Y", "Ref: 12/01/2025",
    "Patient Details Phone: 336-436-0000 Age: 045 Y Sex: M",
    "Account Number: 12345678  Phone: (555) 123-4567",
    # the interpretation tables printed under a result (Quest hs-CRP, HbA1c, vitamin D)
    "Optimal < 100 mg/dL", "Deficiency <20 ng/mL", "Toxicity possible >150 ng/mL",
    "Lower relative cardiovascular risk <1.0 mg/L", "Prediabetes 5.7 - 6.4 %",
    "Diabetes >6.4 %", "Testosterone 250 - 1100 ng/dL",
    # two results on one line: neither is half read
    "Testosterone 386 ng/dL Estradiol 22 pg/mL",
])
def test_report_furniture_is_not_a_result(text):
    assert results(text) == []


@pytest.mark.parametrize(("text", "read"), [
    ("EGFR 115 > OR = 60 mL/min/1.73m2 100.0 10/10/2025 UL",
     ("EGFR", "115", "", "mL/min/1.73m2", "> OR = 60")),
    ("Z SCORE (MALE) 0.8 SD -2.0 - +2.0", ("Z SCORE (MALE)", "0.8", "", "SD", "-2.0 - +2.0")),
    ("LDL-CHOLESTEROL 97 mg/dL (calc) 106.0 H 10/10/2025 UL",
     ("LDL-CHOLESTEROL", "97", "", "mg/dL", "")),
    ("Neutrophils 68 % Not Estab. 01", ("Neutrophils", "68", "", "%", "Not Estab.")),
    ("eGFR If NonAfricn Am 113 mL/min/1.73 >59 01",
     ("eGFR If NonAfricn Am", "113", "", "mL/min/1.73", ">59")),
    ("TESTOSTERONE, TOTAL, MS 1,077 250-1100 ng/dL EZ",
     ("TESTOSTERONE, TOTAL, MS", "1,077", "", "ng/dL", "250-1100")),
    ("FSH < 0.5 L 1.6-8.0 mIU/mL", ("FSH", "<0.5", "L", "mIU/mL", "1.6-8.0")),
    # a range printed with its population, in quotes or not: the bounds after the label
    ('Estradiol, Serum, MS 22 pg/mL "Adult Males: 8.0 - 35"',
     ("Estradiol, Serum, MS", "22", "", "pg/mL", '"Adult Males: 8.0 - 35"')),
    ("DHEA-Sulfate, LCMS 32 ug/dL Adult Males (41 - 50y): 16 - 390",
     ("DHEA-Sulfate, LCMS", "32", "", "ug/dL", "16 - 390")),
    ("Estradiol, Serum, MS 22 pg/mL Adult Males: 8.0 - 35",
     ("Estradiol, Serum, MS", "22", "", "pg/mL", "8.0 - 35")),
    ("Pregnenolone, MS <10 ng/dL Adults: <151", ("Pregnenolone, MS", "<10", "", "ng/dL", "<151")),
    ("ALBUMIN/GLOBULIN 1.7 1.0-2.5 (calc) 1.6 10/10/2025 EZ",
     ("ALBUMIN/GLOBULIN", "1.7", "", "", "1.0-2.5")),
    ("Testosterone 386 ng/dL 264-916 01", ("Testosterone", "386", "", "ng/dL", "264-916")),
    # European: decimal commas, a flag column + / -, arrows, words between the bounds
    ("Testosteron 18,2 nmol/l 8,6 - 29,0", ("Testosteron", "18,2", "", "nmol/l", "8,6 - 29,0")),
    ("LH 0,4 - IU/l 1,7 - 8,6", ("LH", "0,4", "L", "IU/l", "1,7 - 8,6")),
    ("LH 0,4 IU/l 1,7 - 8,6 -", ("LH", "0,4", "L", "IU/l", "1,7 - 8,6")),
    ("Hämatokrit 53,1 ↑ % 40 - 52", ("Hämatokrit", "53,1", "H", "%", "40 - 52")),
    ("Testostérone totale 5,2 ng/mL 2,5 à 8,4",
     ("Testostérone totale", "5,2", "", "ng/mL", "2,5 - 8,4")),
    ("Testosteron 18,2 nmol/l 8,6 bis 29,0", ("Testosteron", "18,2", "", "nmol/l", "8,6 - 29,0")),
    # a previous result printed date first, after the range (French "antériorités")
    ("Testostérone totale 5,2 ng/mL 2,5 - 8,4 12/01/2025 4,1",
     ("Testostérone totale", "5,2", "", "ng/mL", "2,5 - 8,4")),
    ("Testosteron 18,2 nmol/l 8,6 - 29,0 12.01.2025 15,1",
     ("Testosteron", "18,2", "", "nmol/l", "8,6 - 29,0")),
])
def test_a_line_is_read_whole_and_right(text, read):
    assert one(text) == read


def test_a_previous_result_after_the_range_keeps_its_flag_away():
    assert one("Testosteron 18,2 nmol/l 8,6 - 29,0 12.01.2025 7,9 -") == \
        ("Testosteron", "18,2", "", "nmol/l", "8,6 - 29,0")


@pytest.mark.parametrize(("header", "date", "time"), [
    ("PANEL Collected: 12/12/2025 05:05 PM UTC Received: 12/13/2025 01:00 AM", "12/12/2025",
     "05:05 PM"),
    ("Date Collected: 04/13/2025 Date Received: 04/14/2025", "04/13/2025", ""),
    ("Specimen Collected: 03/01/25 08:15", "03/01/25", "08:15"),
    ("Sample collected: 01/03/2025 08:15", "01/03/2025", "08:15"),
    ("Entnahme: 12.03.2025 08:15", "12.03.2025", "08:15"),
    ("Probenentnahme am 12.03.2025 um 08:15", "12.03.2025", "08:15"),
    ("Prélevé le 12/03/2025 à 08h15", "12/03/2025", "08:15"),
    ("Date de prélèvement : 12/03/2025", "12/03/2025", ""),
    ("Fecha de extracción: 12/03/2025 08:15", "12/03/2025", "08:15"),
    ("Data del prelievo: 12/03/2025", "12/03/2025", ""),
    ("Afnamedatum: 12-03-2025", "12-03-2025", ""),
])
def test_the_collection_date_is_read_from_the_usual_headers(header, date, time):
    (found,) = results("Testosterone 386 ng/dL 264-916 01", first=header)
    assert (found.date, found.time) == (date, time)


@pytest.mark.parametrize("header", [
    "Received: 04/14/2025", "Date Reported: 04/15/2025", "Eingang: 12.03.2025",
    "Befunddatum: 13.03.2025", "Réception: 12/03/2025", "Data accettazione: 12/03/2025",
    "Withdrawn: 03/01/2025", "Uncollected: 01/01/2025",
])
def test_a_received_or_reported_date_never_dates_a_result(header):
    (found,) = results("Testosterone 386 ng/dL 264-916 01", first=header)
    assert found.date == ""


def test_two_reports_in_one_file_date_each_result_by_the_date_above():
    found = results("Testosterone 386 ng/dL 264-916 01", "Date Collected: 06/20/2025 07:30",
                    "Testosterone 512 ng/dL 264-916 01", first="Date Collected: 04/13/2025")
    assert [(f.value, f.date, f.time) for f in found] == [("386", "04/13/2025", ""),
                                                         ("512", "06/20/2025", "07:30")]


def _two_pages(path):
    report = _Report([12, 78, 92, 130, 150, 170, 190])
    header = ["labcorp", "Patient Report   Patient: Doe, John   DOB: 01/02/1980   Age: 45",
              "Date Collected: 04/13/2025 07:40 AM   Date Received: 04/13/2025   "
              "Date Reported: 04/15/2025"]
    columns = ["TESTS", "RESULT", "FLAG", "UNITS", "REFERENCE INTERVAL", "", "LAB"]
    report.page(header, columns)
    report.row(["Testosterone", "386", "", "mmol/L", "264-916", "", "01"])  # no such unit
    report.row(["Estradiol", "18.0", "", "pg/mL", "7.6-42.6", "", "01"])
    report.text(12, "For men, 3.5 ng/dL was the limit of detection of the testosterone assay.")
    report.footer("01 BN Labcorp Burlington 1447 York Court, Burlington, NC 27215-3361   "
                  "Page 1 of 2")
    report.page(header, columns)
    report.row(["LH", "<0.3", "Low", "mIU/mL", "1.7-8.6", "", "01"])
    report.row(["Hematocrit", "52.3", "High", "%", "37.5-51.0", "", "01"])
    report.footer("Page 2 of 2")
    return report.save(path)


def test_a_two_page_report_end_to_end_refuses_a_unit_that_does_not_fit(tmp_path, journal):
    plan = plan_import([_two_pages(tmp_path / "two.pdf")], journal)
    (file,) = plan.files
    assert file.counts == {"new": 3, "duplicate": 0, "error": 1}
    assert not file.unknown_names
    (error,) = [r for r in plan.rows if r.status == "error"]
    assert "mmol/L" in error.reason and error.raw["PDF line"].startswith("Testosterone 386")
    kept = {r.result.analyte: (r.result.reported_value, r.result.reported_unit, r.result.flag)
            for r in plan.rows if r.result is not None}
    assert kept == {"estradiol": ("18.0", "pg/mL", ""), "lh": ("<0.3", "mIU/mL", "L"),
                    "hematocrit": ("52.3", "%", "H")}
    assert all(r.result.taken_at == "2025-04-13T07:40" for r in plan.rows if r.result)
