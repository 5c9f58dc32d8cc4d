"""C-CDA documents, Results section fragments and MyChart IHE-XDM zips (issue 14, parts 3
and 5), read from the real files of ``../shared/fixtures/real/ccda`` and from a few made here."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from hpgjournal.domain.errors import UserError
from hpgjournal.importers import errors
from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.errors import ImportCancelled
from hpgjournal.importers.formats.ccda import hl7_time
from hpgjournal.importers.plan import ImportPlan, plan_import
from hpgjournal.store.journal import Journal
from tests.importers.helpers import export_labs, journal_state, one, results, run_cli
from tests.importers.real import real

CONSULTATION = "ccda/hl7-ccda-examples_Consultation_Note.xml"
FRAGMENT = "ccda/hl7-ccda-examples_Result_with_greater_than_a_specified_value.xml"
CERNER = "ccda/sample_ccdas_Cerner_Transition_of_Care_Referral_Summary.xml"
EMERGE = "ccda/sample_ccdas_EMERGE_Patient-70.xml"
GREENWAY = "ccda/sample_ccdas_Greenway_26840_ExportSummary_CCDA.xml"
COMPANION = "ccda/sample_ccdas_ToC_CCDA_CCD_CompGuideSample_FullXML.xml"
VITERA = "ccda/sample_ccdas_Vitera_CCDA_SMART_Sample.xml"


@pytest.fixture
def journal(journal_path):
    opened = Journal.open(journal_path)
    yield opened
    opened.close()


def plan_of(journal: Journal, name: str) -> ImportPlan:
    return plan_import([real(name)], journal)


def test_consultation_note_cbc_lands_and_the_bun_without_value_is_listed(journal):
    plan = plan_of(journal, CONSULTATION)
    [file] = plan.files
    assert file.format == "ccda"
    assert file.describe().startswith("C-CDA document, 1 lab date, 5 results")
    hgb = one(plan, "hemoglobin")
    assert (hgb.taken_at, hgb.value, hgb.unit, hgb.ref_low, hgb.ref_high) == (
        "2013-03-11T08:30", 13.2, "g/dL", 12.0, 15.5)
    hct = one(plan, "hematocrit")
    assert (hct.value, hct.unit, hct.flag) == (35.3, "%", "A")
    rbc = one(plan, "rbc")
    assert (rbc.value, rbc.unit, rbc.reported_unit) == (4.21, "10^6/uL", "10*12/L")
    assert [(i.text, i.reason) for i in file.ignored] == [
        ("Urea nitrogen, Serum", "no value (null flavor NI)")]
    assert plan.count("error") == 0


def test_a_bare_results_section_with_a_censored_capillary_glucose(journal):
    plan = plan_of(journal, FRAGMENT)
    [file] = plan.files
    assert file.describe(names=False).startswith("C-CDA Results section, 1 lab date, 1 result")
    assert any("xsi:" in w for w in file.warnings)  # the undeclared prefix is said
    glucose = one(plan, "glucose_blood")
    assert (glucose.taken_at, glucose.comparator, glucose.value, glucose.unit) == (
        "2014-03-02T09:08", ">", 500.0, "mg/dL")
    assert glucose.reported_value == ">500"
    assert glucose.flag == "H"  # interpretation ">": off scale high
    assert [r for r in results(plan) if r.analyte == "glucose"] == []


def test_vitera_non_ucum_units_and_uncoded_urinalysis(journal):
    plan = plan_of(journal, VITERA)
    [file] = plan.files
    assert file.describe().startswith("C-CDA document, 4 lab dates, 88 results")
    assert plan.count("error") == 0
    tsh = one(plan, "tsh")
    assert (tsh.taken_at, tsh.value, tsh.unit, tsh.reported_unit) == (
        "2007-10-05T09:00", 4.21, "uIU/mL", "mcIU/mL")
    hgb = one(plan, "hemoglobin", taken_at="2008-01-03T14:58")
    assert (hgb.value, hgb.unit, hgb.reported_unit, hgb.ref_low, hgb.ref_high) == (
        13.7, "g/dL", "G/DL", 11.7, 15.5)
    rbc = one(plan, "rbc", taken_at="2007-09-03T10:15")
    assert (rbc.value, rbc.reported_unit) == (4.2, "MILL/MCL")
    assert one(plan, "albumin").value == 3.7
    assert one(plan, "alt").value == 23.0
    # the urinalysis "Glucose" (coded UNKNOWN) is not a blood glucose
    assert [r for r in results(plan) if r.analyte.startswith("glucose")] == []
    [urine] = [r for r in results(plan) if r.analyte == "custom:Glucose, urine"]
    assert (urine.value, urine.reported_value) == (None, "Negative")


def test_greenway_zone_less_times_and_triglycerides_as_written(journal):
    plan = plan_of(journal, GREENWAY)
    assert plan.files[0].describe().startswith("C-CDA document, 1 lab date, 10 results")
    hgb = one(plan, "hemoglobin")
    assert (hgb.taken_at, hgb.value, hgb.unit) == ("2013-01-22T08:59", 12.6, "g/dL")
    assert one(plan, "triglycerides").value == 5000.0
    assert one(plan, "hdl").value == 18.0
    assert one(plan, "ldl").value == 189.0


def test_companion_guide_tsh_in_m_iu_per_litre_and_hba1c(journal):
    plan = plan_of(journal, COMPANION)
    tsh = one(plan, "tsh")
    assert (tsh.taken_at, tsh.value, tsh.unit, tsh.reported_unit, tsh.flag) == (
        "2012-11-26", 6.0, "uIU/mL", "m[IU]/L", "A")
    hba1c = one(plan, "hba1c")
    assert (hba1c.value, hba1c.unit, hba1c.flag) == (8.0, "%", "A")
    assert one(plan, "creatinine").value == 1.5
    [ekg] = [r for r in results(plan) if r.analyte == "custom:EKG impression Narrative"]
    assert ekg.value is None and "A fib" in ekg.reported_value


def test_emerge_hdl_coded_in_moles_lands_in_mg_per_dl_under_hdl(journal):
    plan = plan_of(journal, EMERGE)
    assert plan.files[0].describe().startswith("C-CDA document, 5 lab dates, 9 results")
    hdl = one(plan, "hdl")
    assert (hdl.taken_at, hdl.value, hdl.unit, hdl.reported_unit) == (
        "2009-07-07T10:00", 51.0, "mg/dL", "mg/dL")
    a1c = sorted((r.taken_at[:10], r.value) for r in results(plan) if r.analyte == "hba1c")
    assert a1c == [("2009-07-07", 6.9), ("2010-01-02", 6.8), ("2010-05-16", 7.1),
                   ("2010-09-11", 6.9), ("2011-01-25", 6.8)]


def test_cerner_fractional_seconds_and_a_blood_glucose_by_its_code(journal):
    plan = plan_of(journal, CERNER)
    glucose = one(plan, "glucose_blood")  # LOINC 2339-0, glucose in blood
    assert (glucose.taken_at, glucose.value, glucose.unit, glucose.flag) == (
        "2013-07-10T22:25", 185.0, "mg/dL", "H")
    assert one(plan, "creatinine").value == 0.8
    # the lab's own names, not LOINC's "POTASSIUM:SCNC:PT:BLD:QN:"
    assert {r.analyte for r in results(plan)} >= {"custom:Potassium Level", "custom:BUN"}


def test_every_real_document_commits_and_undoes_as_one_batch(journal):
    names = (CONSULTATION, FRAGMENT, CERNER, EMERGE, GREENWAY, COMPANION, VITERA)
    plan = plan_import([real(n) for n in names], journal)
    counts = [f.counts["new"] for f in plan.files]
    assert counts == [5, 1, 8, 9, 10, 7, 88]
    result = commit_plan(plan, journal)
    assert len(journal.lab_results()) == 128
    again = plan_import([real(n) for n in names], journal)
    assert again.count("new") == 0 and again.count("duplicate") == 128
    journal.undo_batch(result.batch_id)
    assert journal.lab_results() == []


def test_a_result_from_a_csv_is_a_duplicate_of_the_same_result_in_a_ccda(journal, tmp_path):
    commit_plan(plan_of(journal, CONSULTATION), journal)
    table = tmp_path / "labs.csv"
    table.write_text("Date,Marker,Value,Unit\n2013-03-11 08:30,Hemoglobin,13.2,g/dL\n"
                     "2013-03-11 08:30,Hematocrit,36.0,%\n", encoding="utf-8")
    plan = plan_import([table], journal)
    assert [r.status for r in plan.rows] == ["duplicate", "new"]


def test_the_command_line_imports_a_ccda_and_names_it(journal_path):
    proc = run_cli("import", str(real(CONSULTATION)), "--journal", str(journal_path))
    assert proc.returncode == 0, proc.stderr
    assert "C-CDA document, 1 lab date, 5 results" in proc.stdout
    assert "5 new, 0 duplicates, 0 unreadable" in proc.stdout
    rows = {r["analyte"]: r for r in export_labs(journal_path)}
    assert (rows["hemoglobin"]["taken_at"], rows["hemoglobin"]["value"],
            rows["hemoglobin"]["unit"]) == ("2013-03-11T08:30", "13.2", "g/dL")


# ---- MyChart's IHE-XDM zip -------------------------------------------------------------------

def _xdm(tmp_path: Path, documents: dict[str, bytes]) -> Path:
    path = tmp_path / "MyChart record.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("INDEX.HTM", "<html><body>Your record</body></html>")
        archive.writestr("README.TXT", "Open INDEX.HTM")
        archive.writestr("IHE_XDM/Jane1/METADATA.XML", "<SubmitObjectsRequest/>")
        archive.writestr("IHE_XDM/Jane1/STYLE.XSL", "<xsl:stylesheet/>")
        for name, data in documents.items():
            archive.writestr(f"IHE_XDM/Jane1/{name}", data)
    return path


_NO_RESULTS = (b'<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Visit '
               b'summary</title><component><structuredBody><component><section><code code="'
               b'48765-2"/><title>Allergies</title></section></component></structuredBody>'
               b'</component></ClinicalDocument>')


def test_a_mychart_xdm_zip_imports_its_documents_with_results(journal, tmp_path):
    path = _xdm(tmp_path, {"DOC0001.XML": _NO_RESULTS,
                           "DOC0002.XML": real(CONSULTATION).read_bytes()})
    plan = plan_import([path], journal)
    [file] = plan.files  # the visit summary without results is left out
    assert file.path == path / "IHE_XDM/Jane1/DOC0002.XML"
    assert file.describe().startswith("C-CDA document, 1 lab date, 5 results")
    assert one(plan, "hemoglobin").value == 13.2
    commit_plan(plan, journal)
    assert len(journal.lab_results()) == 5


def test_the_command_line_takes_the_xdm_zip(journal_path, tmp_path):
    path = _xdm(tmp_path, {"DOC0001.XML": real(CONSULTATION).read_bytes()})
    proc = run_cli("import", str(path), "--journal", str(journal_path))
    assert proc.returncode == 0, proc.stderr
    assert "DOC0001.XML: C-CDA document, 1 lab date, 5 results" in proc.stdout
    assert journal_state(journal_path)[0] == 5


def test_an_xdm_zip_without_lab_results_says_so(journal, tmp_path):
    path = _xdm(tmp_path, {"DOC0001.XML": _NO_RESULTS})
    with pytest.raises(errors.NoLabResultsError) as caught:
        plan_import([path], journal)
    message = str(caught.value)
    assert "MyChart record.zip is an IHE-XDM record" in message
    assert "1 C-CDA documents and no lab results" in message
    assert "download the record again with test results" in message


def test_another_zip_is_still_refused_as_a_zip(journal, tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(errors.BinaryFileError, match="is a zip archive"):
        plan_import([path], journal)


# ---- files without results, refused files -----------------------------------------------


def test_a_document_without_a_results_section_says_it_holds_no_lab_results(journal, tmp_path):
    path = tmp_path / "visit.xml"
    path.write_bytes(_NO_RESULTS)
    with pytest.raises(errors.NoLabResultsError) as caught:
        plan_import([path], journal)
    assert str(caught.value).startswith("visit.xml is a C-CDA document (Visit summary) with no "
                                        "Results section: it holds no lab results")


def test_an_empty_results_section_is_said_in_the_warnings(journal, tmp_path):
    path = tmp_path / "pending.xml"
    path.write_text(
        '<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody><component>'
        '<section><code code="30954-2"/><entry><observation moodCode="EVN"><code code="718-7" '
        'codeSystem="2.16.840.1.113883.6.1"/><effectiveTime value="20240105"/><value '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="PQ" nullFlavor="NI"/>'
        '</observation></entry></section></component></structuredBody></component>'
        '</ClinicalDocument>', encoding="utf-8")
    plan = plan_import([path], journal)
    assert plan.count("new") == 0
    assert any("holds no lab results" in w for w in plan.files[0].warnings)


@pytest.mark.parametrize(("text", "words"), [
    ('<?xml version="1.0"?><HealthData><Record/></HealthData>',
     "is an XML document (<HealthData>) but not a C-CDA document"),
    ("<ClinicalDocument><section></ClinicalDocument>", "is not well-formed XML"),
    ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
     "<ClinicalDocument>&lol2;</ClinicalDocument>", "DTD or entity declarations"),
    ('<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]><ClinicalDocument>&ext;'
     "</ClinicalDocument>", "DTD or entity declarations"),
])
def test_refused_xml_names_its_format_and_what_to_do(journal, tmp_path, text, words):
    path = tmp_path / "record.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        plan_import([path], journal)
    message = str(caught.value)
    assert words in message
    assert message.startswith("record.xml ") and "\n" not in message
    assert ": " in message.split(words, 1)[1]  # then what to do


def test_a_table_format_asked_for_an_xml_file_says_it_is_xml(journal):
    with pytest.raises(errors.UnknownFormatError, match="is an XML document, and the format long"):
        plan_import([real(CONSULTATION)], journal, format="long")


@pytest.mark.parametrize(("printed", "date", "problem"), [
    ("20130710222500.000-0500", "2013-07-10 22:25", ""),
    ("201403020908-0500", "2014-03-02 09:08", ""),
    ("20121126", "2012-11-26", ""),
    ("2013012208", "2013-01-22 08:00", ""),
    ("2014030200908-0500", "2014-03-02", "has 13 digits"),
    ("201403", "", "has no day"),
    ("March 2", "", "is not an HL7 date"),
])
def test_hl7_times(printed, date, problem):
    got_date, got_problem = hl7_time(printed)
    assert got_date == date
    assert problem in got_problem and bool(problem) == bool(got_problem)


def test_a_panel_time_with_a_digit_too_many_keeps_its_date_and_says_so(journal, tmp_path):
    # the HL7 fragment's organizer time 2014030200908 (13 digits), its result's own time removed
    text = real(FRAGMENT).read_text(encoding="utf-8")
    text = text.replace('<effectiveTime value="201403020908-0500"/>', "")
    path = tmp_path / "fragment.xml"
    path.write_text(text, encoding="utf-8")
    plan = plan_import([path], journal)
    glucose = one(plan, "glucose_blood")
    assert (glucose.taken_at, glucose.comparator, glucose.value) == ("2014-03-02", ">", 500.0)
    assert any("2014030200908-0500 has 13 digits" in w and "its date was kept" in w
               for w in plan.files[0].warnings)


def test_progress_and_cancel_on_a_large_document(journal, tmp_path):
    """A portal document of thousands of results: the preview's bar moves with the results
    read (not only at the end) and Cancel stops the reading."""
    entry = ('<entry><observation classCode="OBS" moodCode="EVN"><code code="2986-8" '
             'codeSystem="2.16.840.1.113883.6.1" displayName="Testosterone"/>'
             '<statusCode code="completed"/><effectiveTime value="2020{day}0800"/>'
             '<value xsi:type="PQ" value="{value}" unit="ng/dL"/></observation></entry>')
    days = [f"{month:02d}{day:02d}" for month in range(1, 13) for day in range(1, 29)]
    entries = "".join(entry.format(day=days[i % len(days)], value=300 + i) for i in range(3000))
    path = tmp_path / "big.xml"
    path.write_text(
        '<ClinicalDocument xmlns="urn:hl7-org:v3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><component><structuredBody>'
        f'<component><section><code code="30954-2"/><title>Results</title>{entries}</section>'
        '</component></structuredBody></component></ClinicalDocument>', encoding="utf-8")
    seen: list[tuple[int, int]] = []
    plan = plan_import([path], journal, progress=lambda done, total: seen.append((done, total)))
    assert plan.count("new") == 3000
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1]
    assert seen[-2][0] >= 0.6 * seen[-2][1]  # it counted results as it went
    calls = iter(range(10**6))
    with pytest.raises(ImportCancelled):
        plan_import([path], journal, cancelled=lambda: next(calls) > 1)
