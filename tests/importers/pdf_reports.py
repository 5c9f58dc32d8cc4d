"""Lab report PDFs written by the tests in the layouts labs publish (issue 15, item 4).

Each writer lays the report out as the lab does (research/formats.md sections 1.2 and 1.3):
a header with the patient and the collection date, a column header, results in columns, a
footer with the page number, the header repeated on the next page. The people, numbers and
dates are invented. ``EXPECTED`` says what each report holds, as a user reading it would
type it: (marker key, value as printed, unit, flag as printed).
"""

from __future__ import annotations

import io
from pathlib import Path

import fpdf  # a test extra, as are the writers of workbooks
from PIL import Image  # pdfplumber's own dependency

# (marker key, value as printed, unit as printed) of each report's results
QUEST_EXPECTED = {
    ("2025-03-04T08:15", "testosterone_total"): ("656", "ng/dL"),
    ("2025-03-04T08:15", "testosterone_free"): ("106.9", "pg/mL"),
    ("2025-03-04T08:15", "shbg"): ("36", "nmol/L"),
    ("2025-03-04T08:15", "estradiol"): ("40", "pg/mL"),
    ("2025-03-04T08:15", "fsh"): ("<0.7", "mIU/mL"),
    ("2025-03-04T08:15", "hematocrit"): ("52.3", "%"),
    ("2025-03-04T08:15", "hba1c"): ("5.3", "%"),
    ("2025-03-04T08:15", "ldl"): ("97", "mg/dL"),
    ("2025-03-04T08:15", "prolactin"): ("8.1", "ng/mL"),
}
LABCORP_EXPECTED = {
    ("2025-04-13T07:40", "testosterone_total"): ("386", "ng/dL"),
    ("2025-04-13T07:40", "testosterone_free"): ("4.6", "pg/mL"),
    ("2025-04-13T07:40", "estradiol"): ("18.0", "pg/mL"),
    ("2025-04-13T07:40", "hematocrit"): ("52.3", "%"),
    ("2025-04-13T07:40", "lh"): ("<0.3", "mIU/mL"),
    ("2025-04-13T07:40", "prolactin"): ("9.2", "ng/mL"),
    ("2025-04-13T07:40", "shbg"): ("15.1", "nmol/L"),
    ("2025-04-13T07:40", "psa"): ("0.8", "ng/mL"),
}
GERMAN_EXPECTED = {
    ("2025-03-12T08:15", "testosterone_total"): ("18,2", "nmol/l"),
    ("2025-03-12T08:15", "testosterone_free"): ("310", "pmol/l"),
    ("2025-03-12T08:15", "estradiol"): ("142", "pmol/l"),
    ("2025-03-12T08:15", "shbg"): ("28,4", "nmol/l"),
    ("2025-03-12T08:15", "lh"): ("0,4", "IU/l"),
    ("2025-03-12T08:15", "hematocrit"): ("53,1", "%"),
    ("2025-03-12T08:15", "psa"): ("0,62", "ng/ml"),
    ("2025-03-12T08:15", "prolactin"): ("15,9", "ng/ml"),
}


class _Report:
    """A page writer with columns at fixed places (millimetres from the left edge)."""

    def __init__(self, columns: list[float], page_format: str = "letter") -> None:
        self.pdf = fpdf.FPDF(format=page_format)
        self.pdf.set_auto_page_break(False)
        self.columns = columns
        self.y = 0.0

    def page(self, header: list[str], column_header: list[str]) -> None:
        self.pdf.add_page()
        self.y = 14.0
        self.pdf.set_font("Helvetica", "B", 13)
        self.text(12, header[0])
        self.pdf.set_font("Helvetica", "", 9)
        for line in header[1:]:
            self.text(12, line)
        self.y += 4
        self.pdf.set_font("Helvetica", "B", 9)
        self.row(column_header)
        self.pdf.set_font("Helvetica", "", 9)

    def text(self, x: float, text: str, step: float = 5.0) -> None:
        self.pdf.text(x, self.y, text)
        self.y += step

    def row(self, cells: list[str]) -> None:
        for x, cell in zip(self.columns, cells, strict=False):
            if cell:
                self.pdf.text(x, self.y, cell)
        self.y += 5.5

    def title(self, text: str) -> None:
        self.pdf.set_font("Helvetica", "B", 9)
        self.text(12, text, 5.5)
        self.pdf.set_font("Helvetica", "", 9)

    def footer(self, text: str) -> None:
        self.pdf.text(90, 268, text)

    def save(self, path: Path) -> Path:
        self.pdf.output(str(path))
        return path


def quest_pdf(path: Path) -> Path:
    """Quest's "Lab Results of Record": value in the In Range or Out Of Range column (with
    its flag), range and unit in one column, the previous result and its date, the lab code.
    Two pages; a pending PSA; a censored FSH; a flag glued to the hematocrit; an LDL without a
    range whose H belongs to the previous result."""
    report = _Report([12, 82, 104, 126, 166, 182, 200])
    header = ["Quest Diagnostics", "Patient Information: DOE, JOHN   DOB: 01/02/1980   Age: 45   "
              "Gender: M", "Specimen: WA123456Q   Requisition: 0012345",
              "Collected: 03/04/2025 08:15 AM   Received: 03/04/2025 11:02 AM   "
              "Reported: 03/06/2025"]
    columns = ["Test Name", "In Range", "Out Of Range", "Reference Range", "Previous",
               "Date", "Lab"]
    report.page(header, columns)
    report.title("TESTOSTERONE, FREE, BIOAVAILABLE AND TOTAL, MS")
    report.row(["TESTOSTERONE, TOTAL, MS", "656", "", "250-1100 ng/dL", "503.0", "10/10/2024",
                "EZ"])
    report.row(["TESTOSTERONE, FREE", "106.9", "", "35.0-155.0 pg/mL", "", "", "EZ"])
    report.row(["SEX HORMONE BINDING GLOBULIN", "36", "", "10-50 nmol/L", "29.0", "10/10/2024",
                "EZ"])
    report.row(["ESTRADIOL", "", "40 H", "< OR = 39 pg/mL", "28.0", "10/10/2024", "UL"])
    report.row(["FSH", "", "<0.7 L", "1.6-8.0 mIU/mL", "", "", "EZ"])
    report.row(["HEMATOCRIT", "", "52.3H", "38.5-50.0 %", "", "", "UL"])
    report.row(["PSA, TOTAL", "PENDING", "", "< OR = 4.0 ng/mL", "", "", "UL"])
    report.text(12, "This test was developed and its analytical performance characteristics "
                    "have been determined by the laboratory.")
    report.footer("Page 1 of 2")
    report.page(header, columns)
    report.row(["HEMOGLOBIN A1c", "5.3", "", "<5.7 %", "5.4", "10/10/2024", "UL"])
    report.row(["LDL-CHOLESTEROL", "97", "", "mg/dL (calc)", "106.0 H", "10/10/2024", "UL"])
    report.row(["PROLACTIN", "8.1", "", "2.0-18.0 ng/mL", "", "", "EZ"])
    report.footer("Page 2 of 2")
    return report.save(path)


def labcorp_pdf(path: Path) -> Path:
    """Labcorp's patient report: TESTS RESULTS FLAG UNITS REFERENCE INTERVAL LAB, the flag a
    word, a previous result with its date before the unit, the SHBG name wrapped across the
    page break (its value on the next page after the repeated header), a pending result and
    a marker no catalogue names (Neutrophils, range "Not Estab.")."""
    report = _Report([12, 78, 92, 130, 150, 170, 190])
    header = ["labcorp", "Patient Report   Patient: Doe, John   DOB: 01/02/1980",
              "Date Collected: 04/13/2025 07:40 AM   Date Received: 04/13/2025   "
              "Date Reported: 04/15/2025", "Ordering Physician: A Smith"]
    columns = ["TESTS", "RESULT", "FLAG", "UNITS", "REFERENCE INTERVAL", "", "LAB"]
    report.page(header, columns)
    report.title("Testosterone, Free and Total")
    report.row(["Testosterone", "386", "", "ng/dL", "264-916", "", "01"])
    report.row(["Free Testosterone (Direct)", "4.6", "Low", "pg/mL", "6.8-21.5", "", "01"])
    report.row(["Estradiol", "18.0", "", "pg/mL", "7.6-42.6", "", "01"])
    report.row(["Hematocrit", "52.3", "High", "%", "37.5-51.0", "", "01"])
    report.row(["LH", "<0.3", "Low", "mIU/mL", "1.7-8.6", "", "01"])
    report.row(["Prolactin", "9.2", "7.7 01/10/2025", "ng/mL", "4.0-15.2", "", "01"])
    report.y = 250
    report.row(["Sex Horm Binding Glob,"])
    report.footer("(c) 2025 Laboratory Corporation of America Holdings   Page 1 of 2")
    report.page(header, columns)
    report.row(["Serum 02", "15.1", "Low", "nmol/L", "16.5-55.9", "", "02"])
    report.row(["Prostate Specific Ag, Serum", "0.8", "", "ng/mL", "0.0-4.0", "", "01"])
    report.row(["Neutrophils", "68", "", "%", "Not Estab.", "", "01"])
    report.row(["Estradiol, Sensitive", "Pending"])
    report.footer("(c) 2025 Laboratory Corporation of America Holdings   Page 2 of 2")
    return report.save(path)


def german_pdf(path: Path) -> Path:
    """A German lab's Befund (A4): Untersuchung, Ergebnis, Einheit, Referenzbereich, decimal
    commas, dotted dates, a flag column (+) and a star glued to a value, a pending DHT."""
    report = _Report([12, 80, 100, 122, 160], page_format="A4")
    header = ["Synlab MVZ Labor Musterstadt", "Patient: Mustermann, Max   geb. 02.01.1980",
              "Auftrag: 2503120042   Entnahme: 12.03.2025 08:15   Eingang: 12.03.2025 10:02"]
    columns = ["Untersuchung", "Ergebnis", "", "Einheit", "Referenzbereich"]
    report.page(header, columns)
    report.title("Hormone")
    report.row(["Testosteron gesamt", "18,2", "", "nmol/l", "8,6 - 29,0"])
    report.row(["Freies Testosteron", "310", "", "pmol/l", "198 - 619"])
    report.row(["\u00d6stradiol", "142", "", "pmol/l", "41 - 159"])
    report.row(["SHBG", "28,4", "", "nmol/l", "18,3 - 54,1"])
    report.row(["LH", "0,4", "-", "IU/l", "1,7 - 8,6"])
    report.row(["Prolaktin", "15,9*", "", "ng/ml", "4,0 - 15,2"])
    report.row(["Dihydrotestosteron", "folgt"])
    report.title("Blutbild")
    report.row(["H\u00e4matokrit", "53,1", "+", "%", "40 - 52"])
    report.row(["PSA gesamt", "0,62", "", "ng/ml", "< 4,0"])
    report.footer("Seite 1 von 1")
    return report.save(path)


def scanned_pdf(path: Path) -> Path:
    """A scan: a page that is a picture, with no text."""
    picture = Image.new("L", (400, 300), 255)
    data = io.BytesIO()
    picture.save(data, format="PNG")
    data.seek(0)
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(data, x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def protected_pdf(path: Path) -> Path:
    """A report that opens only with a password."""
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.text(10, 20, "Collected: 03/04/2025")
    pdf.text(10, 30, "TESTOSTERONE, TOTAL, MS 656 250-1100 ng/dL")
    pdf.output(str(path))
    return path
