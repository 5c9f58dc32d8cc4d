"""Reading the bytes a user brings: encodings (formats.md 1.12) and files that are not CSV."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from hpgjournal.domain.errors import UserError
from hpgjournal.importers import errors
from hpgjournal.importers.plan import plan_import
from hpgjournal.importers.source import MAX_FILE_BYTES, read_source
from hpgjournal.store.journal import Journal
from tests.importers.helpers import data, journal_state, one, plan_file, results, run_cli

# ---- 1.12 encodings and delimiters ---------------------------------------------------------


def test_utf8_bom_from_excel_csv_utf8(journal):
    plan = plan_file(journal, "utf8_bom.csv")
    assert plan.files[0].encoding == "utf-8-sig"
    assert plan.files[0].columns[0] == "Date"  # the BOM is not part of the first name
    e2 = one(plan, "estradiol")
    assert e2.value == pytest.approx(110 / 3.671)
    assert e2.taken_at == "2024-03-12"  # 25/03/2024 below proves day-first


def test_cp1252_from_excel_on_windows(journal):
    plan = plan_file(journal, "cp1252.csv")
    assert plan.files[0].encoding == "cp1252"
    assert one(plan, "estradiol").lab == "Labor M\u00fcnchen"
    assert one(plan, "ferritin").reported_unit == "\u00b5g/L"
    assert one(plan, "hematocrit").value == pytest.approx(47.0)


def test_latin1_for_bytes_cp1252_leaves_undefined(journal):
    plan = plan_file(journal, "latin1_fallback.csv")
    assert plan.files[0].encoding == "latin-1"
    assert one(plan, "lh").note.startswith("caf\u00e9")


def test_mac_roman_needs_the_users_choice(journal):
    guessed = plan_file(journal, "mac_roman.csv")
    assert guessed.files[0].encoding == "cp1252"  # the chain cannot know MacRoman...
    assert "estradiol" not in {r.analyte for r in results(guessed)}
    chosen = plan_file(journal, "mac_roman.csv", encoding="mac-roman")
    assert chosen.files[0].encoding == "mac-roman"
    assert one(chosen, "estradiol").value == pytest.approx(90 / 3.671)  # ...the user can


def test_a_wrong_encoding_choice_says_so(journal):
    with pytest.raises(errors.UnreadableTextError, match=r"not valid utf-8 .*line 2"):
        plan_file(journal, "cp1252.csv", encoding="utf-8")
    with pytest.raises(errors.UnreadableTextError, match="unknown encoding"):
        plan_file(journal, "cp1252.csv", encoding="klingon")


def test_semicolon_decimal_comma_cp1252_crlf(journal):
    plan = plan_file(journal, "eu_semicolon_cp1252.csv")
    file = plan.files[0]
    assert (file.delimiter, file.decimal_comma, file.encoding) == (";", True, "cp1252")
    assert (file.date_order, file.date_order_ambiguous) == ("dmy", False)
    t = one(plan, "testosterone_total")
    assert t.taken_at == "2024-03-05"
    assert t.value == pytest.approx(18.9 / 0.03467)
    assert t.ref_low == pytest.approx(8.64 / 0.03467)
    assert one(plan, "hematocrit").value == pytest.approx(47.0)
    assert one(plan, "estradiol").ref_high == pytest.approx(161 / 3.671)


def test_excel_sep_hint_line(journal):
    plan = plan_file(journal, "excel_sep_line.csv")
    assert plan.files[0].delimiter == ";"
    assert plan.files[0].header_line == 2
    assert one(plan, "lh").value == pytest.approx(4.2)


def test_utf16_tab_delimited_unicode_text(journal):
    plan = plan_file(journal, "utf16_tab.csv")
    assert plan.files[0].encoding == "utf-16"
    assert plan.files[0].delimiter == "\t"
    assert one(plan, "prolactin").value == pytest.approx(180 / 21.2)


def test_tab_delimited(journal):
    plan = plan_file(journal, "tab.tsv")
    assert plan.files[0].delimiter == "\t"
    assert {r.analyte for r in results(plan)} == {"lh", "fsh"}


def test_bom_less_utf16_is_recognised(tmp_path, journal):
    path = tmp_path / "u16.csv"
    path.write_bytes("date,marker,value,unit\n2024-01-02,LH,3.3,IU/L\n".encode("utf-16-le"))
    plan = plan_import([path], journal)
    assert plan.files[0].encoding == "utf-16-le"
    assert one(plan, "lh").value == 3.3


# ---- files that are not CSV ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "words"), [
    ("empty.csv", errors.EmptyFileError, "is empty"),
    ("blank_lines.csv", errors.EmptyFileError, "is empty"),
    ("binary.csv", errors.BinaryFileError, "not a text file"),
    ("image_named.csv", errors.BinaryFileError, "PNG image"),
    ("report_named.csv", errors.PdfFileError, "is a PDF that cannot be read"),
    ("workbook_named.csv", errors.SpreadsheetFileError, "Excel workbook (.xlsx)"),
    ("old_workbook_named.csv", errors.SpreadsheetFileError, "Excel 97-2003"),
    ("ods_named.csv", errors.SpreadsheetFileError, "OpenDocument"),
    ("other.json", errors.UnknownFormatError, "FHIR bundle that holds no observations"),
    ("mychart.xml", errors.NoLabResultsError, "C-CDA document with no Results section"),
    ("unrecognised.csv", errors.LayoutNotRecognised, "columns were not recognised"),
])
def test_bad_files_raise_one_line_user_errors_and_change_nothing(journal_path, name, kind, words):
    before = journal_state(journal_path)
    with Journal.open(journal_path) as journal, pytest.raises(kind) as caught:
        plan_import([data(name)], journal)
    message = str(caught.value)
    assert isinstance(caught.value, UserError)
    assert words in message
    assert "\n" not in message
    assert name in message  # says which file
    assert ":" in message  # and then what to do
    assert journal_state(journal_path) == before


@pytest.mark.parametrize(("size", "shown", "limit"), [
    (MAX_FILE_BYTES + 1, "67,108,865 bytes", "67,108,864 bytes"),  # "64 MB" would equal the limit
    (MAX_FILE_BYTES + 8 * 1024, "67,117,056 bytes", "67,108,864 bytes"),
    (MAX_FILE_BYTES + 12 * 1024, "64.01 MB", "64 MB"),
    (MAX_FILE_BYTES + 210 * 1024, "64.2 MB", "64 MB"),
    (3 * MAX_FILE_BYTES, "192 MB", "64 MB"),
])
def test_a_huge_file_is_refused_before_it_is_read(tmp_path, journal, size, shown, limit):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as out:  # sparse: costs no disk and no time
        out.write(b"date,marker,value\n")
        out.truncate(size)
    with pytest.raises(errors.FileTooLargeError) as caught:
        plan_import([path], journal)
    assert str(caught.value) == (f"huge.csv is {shown}, far larger than any lab export (the limit "
                                 f"is {limit}): check that it is the right file, or split it")


def test_missing_file_and_folder(tmp_path, journal):
    with pytest.raises(errors.FileProblem, match="there is no file"):
        plan_import([tmp_path / "nope.csv"], journal)
    with pytest.raises(errors.FileProblem, match="is a folder"):
        plan_import([tmp_path], journal)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path, journal):
    path = tmp_path / "locked.csv"
    path.write_text("date,marker,value\n2024-01-01,LH,3\n")
    path.chmod(0)
    with pytest.raises(errors.FileProblem, match="cannot read"):
        plan_import([path], journal)


def test_layout_not_recognised_carries_what_the_mapping_step_needs(journal):
    with pytest.raises(errors.LayoutNotRecognised) as caught:
        plan_file(journal, "unrecognised.csv")
    problem = caught.value
    assert problem.columns == ("Tag", "Bezeichnung", "Zahl")
    assert problem.header_line == 1
    assert problem.sample[0] == ("2024-07-03", "Testosteron", "18,9")
    assert (problem.delimiter, problem.encoding) == (";", "utf-8")


def test_read_source_checksum_and_text(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbfdate,marker,value\r\n")
    source = read_source(Path(path))
    assert source.text == "date,marker,value\r\n"
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.size == 22


# ---- only regular files, and no more than the limit of them ---------------------------------


def _not_a_file(kind: str, tmp_path: Path) -> Path:
    if kind == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        return Path("/dev/zero")
    if kind == "pipe":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        path = tmp_path / "results.csv"
        os.mkfifo(path)  # opening it for reading would wait for a writer forever
        return path
    return tmp_path


@pytest.mark.parametrize(("kind", "words"), [
    ("device", "is a device, not a file: choose the CSV export of your results"),
    ("pipe", "is a pipe, not a file: save what it gives to a file and import that file"),
    ("folder", "is a folder: choose a CSV file inside it"),
])
def test_what_is_not_a_regular_file_is_refused_by_the_command_line(tmp_path, journal_path, kind,
                                                                   words):
    path = _not_a_file(kind, tmp_path)
    proc = run_cli("import", str(path), "--journal", str(journal_path), timeout=60)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip() == f"hpgjournal: error: {path} {words}"
    assert journal_state(journal_path)[:2] == (0, 0)


def _stat_lying_about(monkeypatch: pytest.MonkeyPatch, target: Path, *, open_file: bool,
                      **changes: int) -> None:
    """Make os.stat (and os.fstat of the open file if ``open_file``) report other fields
    (st_mode, st_size) for ``target``."""
    real_stat, real_fstat = os.stat, os.fstat
    inode = real_stat(target).st_ino
    index = {"st_mode": 0, "st_size": 6}

    def changed(found: os.stat_result) -> os.stat_result:
        if found.st_ino != inode:
            return found
        fields = list(found)[:10]
        for name, value in changes.items():
            fields[index[name]] = value
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", lambda p, *a, **k: changed(real_stat(p, *a, **k)))
    if open_file:
        monkeypatch.setattr(os, "fstat", lambda fd: changed(real_fstat(fd)))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_passed_off_as_a_file_is_refused_without_waiting(tmp_path, monkeypatch, journal):
    """The path is checked before it is opened, but it may be swapped meanwhile: opening does
    not wait for a pipe's writer, and the open file is checked again."""
    import stat
    import threading

    path = tmp_path / "results.csv"
    os.mkfifo(path)
    _stat_lying_about(monkeypatch, path, open_file=False, st_mode=stat.S_IFREG | 0o644)
    outcome: list[BaseException] = []

    def plan() -> None:
        try:
            plan_import([path], journal)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    worker = threading.Thread(target=plan, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # stuck opening the pipe: give it a writer so that it ends
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(20)
        pytest.fail("reading a pipe passed off as a file waited for a writer")
    monkeypatch.undo()
    assert len(outcome) == 1 and isinstance(outcome[0], errors.NotAFileError), outcome
    assert str(outcome[0]) == (f"{path} is a pipe, not a file: save what it gives to a file and "
                               "import that file")


def test_the_size_limit_holds_while_reading(tmp_path, monkeypatch, journal):
    """A file larger than its reported size (growing while read) stops at the limit."""
    from hpgjournal.importers import source

    path = tmp_path / "growing.csv"
    path.write_text("date,marker,value\n" + "2024-01-02,LH,4.2\n" * 400)
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1024 * 1024)
    with open(path, "ab") as out:
        out.truncate(3 * 1024 * 1024)
    _stat_lying_about(monkeypatch, path, open_file=True, st_size=100)
    with pytest.raises(errors.FileTooLargeError) as caught:
        plan_import([path], journal)
    assert str(caught.value) == ("growing.csv grew past 1 MB while it was read, far larger than "
                                 "any lab export: check that it is the right file, or split it")
