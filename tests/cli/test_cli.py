"""The command line as a user and his scripts use it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import ast
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hpgjournal.demo import load_recipe, printed_values
from hpgjournal.store.export import LAB_COLUMNS


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60
        ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run([sys.executable, "-m", "hpgjournal", *args], capture_output=True,
                          text=True, env=full_env, timeout=timeout, check=False)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines, "no error message"
    assert lines[-1].startswith(("hpgjournal: error:", "hpgjournal: internal error:",
                                 "usage:")) or "error:" in lines[-1]
    return lines[-1]


@pytest.fixture(scope="module")
def demo_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.hpgjournal"
    proc = run("demo", "--no-gui", "--journal", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "demo journal written" in proc.stdout
    return path


def test_demo_then_export_prints_the_contract(demo_journal):
    proc = run("export", "labs", "--journal", str(demo_journal), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert proc.stdout.splitlines()[0] == ",".join(LAB_COLUMNS)
    assert len(rows) == printed_values(load_recipe())  # every value landed, none invented
    assert [r["taken_at"] for r in rows] == sorted(r["taken_at"] for r in rows)
    lh_on_trt = [r for r in rows if r["analyte"] == "lh" and r["comparator"] == "<"]
    assert lh_on_trt and all(r["reported_value"] == "<0.2" for r in lh_on_trt)
    semen = {r["analyte"] for r in rows if r["analyte"].startswith(("sperm", "semen"))}
    assert {"semen_volume", "sperm_concentration"} <= semen
    tt = [r for r in rows if r["analyte"] == "testosterone_total"]
    assert all(r["unit"] == "ng/dL" and r["loinc"] == "2986-8" for r in tt)


def test_check_passes_on_the_demo(demo_journal):
    proc = run("check", "--journal", str(demo_journal))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok" in proc.stdout


def test_backup_writes_a_journal(demo_journal, tmp_path):
    out = tmp_path / "b.hpgjournal"
    proc = run("backup", "--journal", str(demo_journal), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
    assert run("check", "--journal", str(out)).returncode == 0


def test_export_other_tables_and_json(demo_journal, tmp_path):
    for table in ("medications", "doses", "phases", "notes", "measures"):
        proc = run("export", table, "--journal", str(demo_journal))
        assert proc.returncode == 0, proc.stderr
        assert len(proc.stdout.splitlines()) > 1, table
    out = tmp_path / "all.json"
    proc = run("export", "all", "--journal", str(demo_journal), "-o", str(out))
    assert proc.returncode == 0 and out.read_text().startswith("{")


@pytest.mark.parametrize("args, code, words", [
    (["export", "nonsense"], 2, "invalid choice"),
    (["export", "labs", "--format", "xml"], 2, "invalid choice"),
    (["frobnicate"], 2, "invalid choice"),
    (["check", "--journal", "/nonexistent/j.hpgjournal"], 1, "no journal"),
    (["export", "labs", "--journal", "/nonexistent/j.hpgjournal"], 1, "no journal"),
    (["export", "all", "--format", "csv"], 1, "json"),
    (["restore", "/nonexistent/b.hpgjournal"], 1, "no backup file"),
])
def test_bad_usage_gives_one_line_and_nonzero_exit(args, code, words, demo_journal):
    if "--journal" not in args and args[0] != "frobnicate":
        args = [*args, "--journal", str(demo_journal)]
    proc = run(*args)
    line = assert_one_line_error(proc, code)
    assert words in line


def test_a_text_file_as_journal_is_refused(tmp_path):
    bogus = tmp_path / "bogus.hpgjournal"
    bogus.write_text("hello")
    for command in (["check"], ["export", "labs"], ["backup"]):
        line = assert_one_line_error(run(*command, "--journal", str(bogus)))
        assert "not a journal" in line
    assert bogus.read_text() == "hello"


def test_export_to_unwritable_place(demo_journal, tmp_path):
    line = assert_one_line_error(run("export", "labs", "--journal", str(demo_journal), "-o",
                                     str(tmp_path / "no" / "such" / "dir" / "x.csv")))
    assert "cannot write" in line


def test_demo_refuses_a_journal_with_user_records(tmp_path):
    from hpgjournal.domain.records import Note
    from hpgjournal.store.journal import Journal

    path = tmp_path / "mine.hpgjournal"
    with Journal.open(path) as journal:
        journal.add(Note(None, "2025-01-01", text="mine"))
    line = assert_one_line_error(run("demo", "--no-gui", "--journal", str(path)))
    assert "already holds your records" in line


def test_gui_exit_after_startup_paints_and_exits(demo_journal, tmp_path):
    proc = run("--journal", str(demo_journal), "--exit-after-startup")
    assert proc.returncode == 0, proc.stderr
    assert "startup: first paint after" in proc.stdout


def test_gui_on_a_locked_journal_says_so(tmp_path):
    from hpgjournal.store.journal import Journal

    path = tmp_path / "j.hpgjournal"
    with Journal.open(path):
        line = assert_one_line_error(run("--journal", str(path), "--exit-after-startup"))
    assert "open in another" in line


def test_first_paint_loads_no_heavy_modules(demo_journal):
    """pandas, matplotlib and sqlite-utils load later: the window must not wait for them."""
    code = ("import sys, hpgjournal.cli as c; "
            f"status = c.main(['--journal', {str(demo_journal)!r}, '--exit-after-startup']); "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy', 'sqlite_utils') "
            "if m in sys.modules)); sys.exit(status)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


COMMAND_MODULES = ("hpgjournal.importers.command", "hpgjournal.report.command",
                   "hpgjournal.report.content", "hpgjournal.charts.command",
                   "hpgjournal.store.export", "sqlcipher3", "hpgjournal.domain.pk")


def _loaded_after(args: list[str]) -> list[str]:
    code = ("import sys, hpgjournal.cli as c; "
            f"status = c.main({args!r}); "
            f"print(sorted(m for m in {COMMAND_MODULES!r} if m in sys.modules)); "
            "sys.exit(status)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    loaded: list[str] = ast.literal_eval(proc.stdout.strip().splitlines()[-1])
    return loaded


def test_the_window_start_loads_no_command_module(demo_journal):
    """Issue 17: the subcommands' code (and an unencrypted journal's SQLCipher) load only when
    used, so that the window's first paint does not wait for them."""
    # the demo is in recovery, over a year after its last testosterone: the overview has no
    # model line to show, so the model is neither loaded nor fitted
    assert _loaded_after(["--journal", str(demo_journal), "--exit-after-startup"]) == []
    # the command that runs loads its own module: the test can tell them apart
    assert "hpgjournal.store.export" in _loaded_after(
        ["export", "phases", "--journal", str(demo_journal), "-o", str(demo_journal) + ".csv"])
