"""``hpgjournal import`` as users and their scripts run it: real processes, exit codes 0/1/3,
one-line errors, --dry-run, --strict, --json, --format, --date-order, --encoding."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hpgjournal.importers.source import MAX_FILE_BYTES
from tests.importers.helpers import data, journal_state, run_cli


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("hpgjournal: error: ")
    return lines[0]


def test_import_then_reimport(journal_path):
    proc = run_cli("import", str(data("long_preamble.csv")), "--journal", str(journal_path))
    assert proc.returncode == 0, proc.stderr
    assert "7 new, 0 duplicates, 0 unreadable" in proc.stdout
    assert "imported 7 results as batch 1" in proc.stdout
    again = run_cli("import", str(data("long_preamble.csv")), "--journal", str(journal_path))
    assert again.returncode == 0, again.stderr
    assert "0 new, 7 duplicates" in again.stdout
    assert "nothing new to import" in again.stdout
    assert journal_state(journal_path)[:2] == (7, 1)
    assert run_cli("check", "--journal", str(journal_path)).returncode == 0


def test_skipped_rows_exit_3_and_are_listed(journal_path):
    path = data("bad_rows.csv")
    proc = run_cli("import", str(path), "--journal", str(journal_path))
    assert proc.returncode == 3, proc.stderr
    listed = [line for line in proc.stderr.splitlines() if line.startswith(str(path))]
    assert [line.split(":")[1] for line in listed] == ["3", "4", "5"]
    assert "does not fit Total testosterone" in listed[0]
    assert "3 unreadable rows were skipped" in proc.stderr.splitlines()[-1]
    assert journal_state(journal_path)[0] == 2


def test_strict_refuses_with_one_line_and_writes_nothing(journal_path):
    before = journal_state(journal_path)
    proc = run_cli("import", str(data("bad_rows.csv")), "--journal", str(journal_path), "--strict")
    line = one_line_error(proc)
    assert "bad_rows.csv:3:" in line and "--strict" in line
    assert journal_state(journal_path) == before


def test_dry_run_writes_nothing(journal_path):
    before = journal_path.read_bytes(), journal_state(journal_path)
    proc = run_cli("import", str(data("whoop.csv")), "--journal", str(journal_path), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "dry run: nothing written; 5 results would be imported" in proc.stdout
    assert (journal_path.read_bytes(), journal_state(journal_path)) == before


def test_dry_run_without_a_journal_creates_none(tmp_path):
    target = tmp_path / "none.hpgjournal"
    proc = run_cli("import", str(data("bad_rows.csv")), "--journal", str(target), "--dry-run")
    assert proc.returncode == 3
    assert not target.exists()


def test_json_summary(journal_path):
    proc = run_cli("import", str(data("bad_rows.csv")), str(data("whoop.csv")), "--journal",
                   str(journal_path), "--json")
    assert proc.returncode == 3
    summary = json.loads(proc.stdout)
    assert summary["committed"] is True and summary["added"] == 7 and summary["batch_id"] == 1
    assert summary["new"] == 7 and summary["duplicates"] == 0
    assert [(e["line"], e["file"].endswith("bad_rows.csv")) for e in summary["errors"]] == [
        (3, True), (4, True), (5, True)]
    whoop = summary["files"][1]
    assert (whoop["format"], whoop["date_order"], whoop["encoding"]) == ("whoop", "mdy", "utf-8")
    assert whoop["rows"] == {"new": 5, "duplicate": 0, "error": 0}
    assert whoop["mapping"]["marker"] == "Biomarker Name"


def test_json_summary_of_a_refusal(journal_path):
    proc = run_cli("import", str(data("bad_rows.csv")), "--journal", str(journal_path), "--json",
                   "--strict")
    assert proc.returncode == 1
    summary = json.loads(proc.stdout)
    assert summary["committed"] is False and "--strict" in summary["error"]
    assert summary["ok"] is False and summary["file"] is None  # about rows, not one file


@pytest.mark.parametrize("name", ["binary.csv", "empty.csv", "workbook_named.csv",
                                  "unrecognised.csv", "other.json"])
def test_bad_files_give_one_line_and_leave_the_journal_alone(journal_path, name):
    before = journal_state(journal_path)
    line = one_line_error(run_cli("import", str(data(name)), "--journal", str(journal_path)))
    assert name in line
    assert journal_state(journal_path) == before


def _not_readable(name: str, tmp_path: Path) -> Path:
    if name == "missing.csv":
        return tmp_path / name
    if name == "huge.csv":
        path = tmp_path / name
        with open(path, "wb") as out:
            out.write(b"date,marker,value\n")
            out.truncate(MAX_FILE_BYTES + 1)
        return path
    if name == "/dev/zero":
        if not Path(name).exists():
            pytest.skip("no /dev/zero here")
        return Path(name)
    return data(name)


@pytest.mark.parametrize("name", ["missing.csv", "empty.csv", "binary.csv", "huge.csv",
                                  "unrecognised.csv", "/dev/zero"])
def test_json_says_why_a_file_cannot_be_imported(journal_path, tmp_path, name):
    """--json prints one document also when a file cannot be read at all: "ok" is false and
    "error" is the line printed on stderr; the other fields are those of a summary."""
    path = _not_readable(name, tmp_path)
    proc = run_cli("import", str(path), "--journal", str(journal_path), "--json")
    line = one_line_error(proc)
    document = json.loads(proc.stdout)
    assert document == {
        "ok": False, "error": line.removeprefix("hpgjournal: error: "), "file": str(path),
        "files": [], "new": 0, "duplicates": 0, "errors": [], "warnings": [],
        "records": {"new": 0, "duplicate": 0, "error": 0}, "journal": str(journal_path),
        "dry_run": False, "strict": False, "committed": False, "batch_id": None, "added": 0,
    }
    good = run_cli("import", str(data("whoop.csv")), "--journal", str(journal_path), "--json",
                   "--dry-run")
    summary = json.loads(good.stdout)
    assert summary["ok"] is True
    assert set(document) == set(summary) | {"error", "file"}


def test_ambiguous_dates_ask_for_the_order(journal_path):
    line = one_line_error(run_cli("import", str(data("dates_ambiguous.csv")), "--journal",
                                  str(journal_path)))
    assert "--date-order dmy" in line and "03/04/2024" in line
    proc = run_cli("import", str(data("dates_ambiguous.csv")), "--journal", str(journal_path),
                   "--date-order", "dmy", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["date_order_source"] == "user"


def test_format_and_encoding_options(journal_path):
    proc = run_cli("import", str(data("mac_roman.csv")), "--journal", str(journal_path),
                   "--encoding", "mac-roman", "--format", "long", "--json")
    assert proc.returncode == 0, proc.stderr
    file = json.loads(proc.stdout)["files"][0]
    assert (file["format"], file["encoding"]) == ("long", "mac-roman")


@pytest.mark.parametrize(("args", "words"), [
    (["import"], "the following arguments are required"),
    (["import", "x.csv", "--format", "xlsx"], "invalid choice"),
    (["import", "x.csv", "--date-order", "ydm"], "invalid choice"),
])
def test_bad_usage_exits_2(args, words):
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert words in proc.stderr


def test_the_command_line_does_not_load_the_importers_to_start():
    """Building the parser (as the GUI start does) loads no importer code beyond the names."""
    code = ("import sys, hpgjournal.cli as c; c.build_parser(); "
            "print(sorted(m for m in sys.modules if m.startswith('hpgjournal.importers') "
            "or m in ('pandas', 'numpy', 'sqlite_utils')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert proc.stdout.strip() == ("['hpgjournal.importers', 'hpgjournal.importers.command', "
                                   "'hpgjournal.importers.names']")
