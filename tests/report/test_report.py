"""The doctor report as a clinician reads it: the PDF's own text, page by page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date

import pytest

from hpgjournal.domain.records import Note
from hpgjournal.domain.results import make_result
from hpgjournal.report.build import write_report
from hpgjournal.report.content import SECTION_TITLES, SECTIONS, ReportOptions
from hpgjournal.store.journal import Journal
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) missing: ./dev.sh test installs it")


def pdf_text(path, *, layout=True):
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages_of(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def demo_report(demo_path, tmp_path, qapp):
    out = tmp_path / "report.pdf"
    with Journal.open(demo_path, readonly=True) as journal:
        pages = write_report(journal, out, ReportOptions(start="2023-01-01", paper="a4",
                                                         sections=SECTIONS), today=DEMO_TODAY)
    return out, pages


def test_sections_values_and_footer(demo_report):
    out, pages = demo_report
    text = pdf_text(out)
    assert pages == pages_of(out) and pages >= 3
    for title in ("Summary", "Therapy timeline", "Appendix: all results",
                  "Semen analyses and testicular volume", "Symptom scores",
                  "Notes for the doctor"):
        assert title in text, title
    assert "Sam Demo (fictional)" in text and "41 years" in text
    flowing = pdf_text(out, layout=False)
    assert re.search(r"Total testosterone\s(.*\s)?458[\s\xa0]", flowing, flags=re.S)
    assert "<0.2" in text and "(million/mL)" in text
    assert "<0.1" in text.split("Semen analyses")[1]  # censored values stay censored
    assert re.search(r"Current phase: Recovery monitoring since \d{4}-\d{2}-\d{2} \(day \d+\)",
                     text)
    assert "7.0 d · trough" in text  # hours since the last injection before a TRT draw
    page_texts = [p for p in text.split("\f") if p.strip()]
    assert len(page_texts) == pages
    assert all("This report shows recorded data and published expectations" in
               re.sub(r"\s+", " ", p) for p in page_texts)  # the footer of every page
    assert f"Page {pages} of {pages}" in text


def test_charts_and_verdicts_are_in(demo_report):
    out, _ = demo_report
    text = pdf_text(out)
    assert "Charts" in text and "Observed against expected" in text
    # unremarkable verdicts of a phase fold into one row, with their numbers
    assert "LH 0.3 to 5.8 IU/L" in re.sub(r"\s+", " ", pdf_text(out, layout=False))
    flowing = pdf_text(out, layout=False)  # table cells one after another
    assert re.search(r"in\s+the\s+expected\s+direction", flowing)
    assert "t_e2_ratio" not in text and "T/E2" in text
    assert re.search(r"not\s+judged", text)
    assert "Not judged because the aromatase inhibitor and clomiphene push estradiol" in \
        re.sub(r"\s+", " ", text)  # with its reason
    for code in ("EXT-P", "EXT-S", "DERIVED", "source documents: .", "as_expected"):
        assert code not in text
    # the charts are vectors with real text: no picture bigger than a pixel, and the charts'
    # own labels (axis units, phase lanes, the direction marks) are text in the PDF
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert all(int(line.split()[3]) <= 1 and int(line.split()[4]) <= 1 for line in images)
    charts = flowing.split("Charts", 1)[1].split("Observed against expected", 1)[0]
    for label in ("ng/dL", "Phases", "Doses", "Recovery", "rises (documents)",
                  "Sperm concentration after stopping testosterone"):
        assert label in charts, label
    assert "Liu" in text  # the recovery curve's source is listed
    assert "Tests the sources describe as due" in text and "Semen analysis" in text


def test_text_is_real_and_selectable(demo_report):
    out, _ = demo_report
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout
    assert "DejaVu" in fonts  # text drawn with an embedded font, not one picture per page


def test_user_text_prints_literally(tmp_path, qapp):
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path) as journal:
        journal.add(Note(None, "2026-10-01", energy=4, text="<b>x</b> & <script>", for_doctor=True))
        journal.add(make_result("2026-10-01", "lh", "4.1", "IU/L", lab="<i>Lab</i>"))
        journal.set_profile(name="<Name>")
    out = tmp_path / "r.pdf"
    with Journal.open(path, readonly=True) as journal:
        write_report(journal, out, ReportOptions(sections=SECTIONS), today=date(2026, 11, 1))
    text = pdf_text(out, layout=False)
    assert "<b>x</b> & <script>" in text
    assert "<i>Lab</i>" in text and "<Name>" in text


def test_long_note_breaks_across_pages(tmp_path, qapp):
    path = tmp_path / "j.hpgjournal"
    long_text = " ".join(f"word{i}" for i in range(6000))
    with Journal.open(path) as journal:
        journal.add(Note(None, "2026-10-01", text=long_text, for_doctor=True))
    out = tmp_path / "r.pdf"
    with Journal.open(path, readonly=True) as journal:
        pages = write_report(journal, out, ReportOptions(), today=date(2026, 11, 1))
    text = pdf_text(out, layout=False)
    assert pages >= 3
    assert "word0" in text and "word5999" in text  # nothing cut off


def test_empty_journal_gives_a_short_correct_report(tmp_path, qapp):
    path = tmp_path / "empty.hpgjournal"
    Journal.open(path).close()
    out = tmp_path / "r.pdf"
    with Journal.open(path, readonly=True) as journal:
        pages = write_report(journal, out, ReportOptions(), today=date(2026, 11, 1))
    text = pdf_text(out)
    assert pages == 1
    assert "No lab results in this period" in text and SECTION_TITLES["summary"] in text


def test_si_units_and_letter_paper(demo_path, tmp_path, qapp):
    out = tmp_path / "si.pdf"
    with Journal.open(demo_path, readonly=True) as journal:
        write_report(journal, out, ReportOptions(units="si", paper="letter",
                                                 sections=("summary", "results")),
                     today=DEMO_TODAY)
    text = pdf_text(out)
    assert re.search(r"Total testosterone\s(.*\s)?15\.9[\s\xa0]", pdf_text(out, layout=False),
                     flags=re.S)
    assert "nmol/L" in text
    assert "Therapy timeline" not in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_cli_report_and_its_errors(demo_path, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "hpgjournal", "report", "--journal",
                               str(demo_path), *args], capture_output=True, text=True, env=env,
                              timeout=120)

    ok = run("--from", "2025-01-01", "--to", "2026-11-01", "-o", str(tmp_path / "r.pdf"))
    assert ok.returncode == 0, ok.stderr
    assert "2025-01-01 to 2026-11-01" in pdf_text(tmp_path / "r.pdf")
    for args, words in ((["-o", str(tmp_path / "r.txt")], "does not end in .pdf"),
                        (["--from", "2026-13-01", "-o", str(tmp_path / "x.pdf")], "not"),
                        (["--from", "2026-05-01", "--to", "2026-01-01", "-o",
                          str(tmp_path / "x.pdf")], "swap"),
                        (["--sections", "summary,gossip", "-o", str(tmp_path / "x.pdf")],
                         "unknown section"),
                        (["-o", str(tmp_path / "no" / "x.pdf")], "does not exist")):
        bad = run(*args)
        assert bad.returncode == 1 and "Traceback" not in bad.stderr, bad.stderr
        assert words in bad.stderr.strip().splitlines()[-1]


def test_page_one_is_the_visit(demo_path, tmp_path, qapp):
    """A 12-month report: who, the TRT that ended before the period, his notes, on page 1."""
    out = tmp_path / "visit.pdf"
    with Journal.open(demo_path, readonly=True) as journal:
        journal_notes = [n for n in journal.all(Note) if n.for_doctor and n.text]
        write_report(journal, out, ReportOptions(), today=DEMO_TODAY)
    first = pdf_text(out, layout=False).split("\f")[0]
    flat = re.sub(r"\s+", " ", first)
    assert "Sam Demo (fictional)" in flat and "born 1985-03-14" in flat
    assert "Treatment history" in flat and "Testosterone cypionate" in flat  # ended before
    assert "Key markers at the last 5 draws" in flat
    recent = [n for n in journal_notes if n.noted_at[:10] >= "2025-11-01"]
    assert recent and re.sub(r"\s+", " ", recent[-1].text)[:40] in flat  # his notes, on page 1
    pages = pdf_text(out).split("\f")
    assert all("Sam Demo (fictional), born 1985-03-14" in p for p in pages if p.strip())


def test_the_default_twelve_month_report_of_the_demo_fits_six_pages(demo_path, tmp_path, qapp):
    out = tmp_path / "visit.pdf"
    with Journal.open(demo_path, readonly=True) as journal:
        pages = write_report(journal, out, ReportOptions(), today=DEMO_TODAY)
    text = pdf_text(out)
    assert pages <= 6 and "Appendix: all results" not in text
    assert "Sources" in text and "Observed against expected" in text


def test_cli_appendix_adds_every_result(demo_path, tmp_path, qapp):
    from hpgjournal.cli import main

    out = tmp_path / "with.pdf"
    assert main(["report", "--journal", str(demo_path), "--to", DEMO_TODAY.isoformat(),
                 "--appendix", "-o", str(out)]) == 0
    assert "Appendix: all results" in pdf_text(out)


def test_the_appendix_lists_every_result_painted_page_by_page(demo_path, tmp_path, qapp):
    out = tmp_path / "all.pdf"
    with Journal.open(demo_path, readonly=True) as journal:
        results = [r for r in journal.lab_results() if r.taken_at[:10] >= "2023-01-01"]
        write_report(journal, out, ReportOptions(start="2023-01-01", sections=("results",)),
                     today=DEMO_TODAY)
    text = pdf_text(out, layout=False)
    assert text.count("Appendix: all results") == 1
    for stamp in {r.taken_at.replace("T", " ") for r in results}:
        assert stamp in text, stamp  # every draw, its date and time whole
    pages = [p for p in pdf_text(out).split("\f") if p.strip()]
    assert len(pages) >= 3 and all("Page" in p for p in pages)
    values = sum(1 for r in results if r.reported_value)
    lines = sum(1 for line in text.splitlines() if line.strip())
    assert lines > values  # one line a result at least (plus headers and footers)


def test_a_journal_without_a_profile_says_where_to_set_it(tmp_path, qapp):
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path) as journal:
        journal.add(make_result("2026-10-01", "lh", "4.1", "IU/L"))
    out = tmp_path / "r.pdf"
    with Journal.open(path, readonly=True) as journal:
        write_report(journal, out, ReportOptions(), today=date(2026, 11, 1))
    text = pdf_text(out, layout=False)
    assert "Patient" not in text and "Journal > Profile" in text
