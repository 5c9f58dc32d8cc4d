"""Helpers for the importer tests: the fixture files, the real command line, the export."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from hpgjournal.domain.records import LabResult
from hpgjournal.importers.plan import ImportPlan, PlannedRow, plan_import
from hpgjournal.store.journal import Journal

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def data(name: str) -> Path:
    path = DATA / name
    assert path.exists(), f"missing fixture {name}"
    return path


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m hpgjournal ARGS`` in a real process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "hpgjournal", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, check=False)


def export_labs(journal_path: Path) -> list[dict[str, str]]:
    """The journal's results as ``hpgjournal export labs`` prints them (a real process)."""
    proc = run_cli("export", "labs", "--journal", str(journal_path))
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def plan_file(journal: Journal, name: str, **options: object) -> ImportPlan:
    return plan_import([data(name)], journal, **options)  # type: ignore[arg-type]


def results(plan: ImportPlan, status: str = "new") -> list[LabResult]:
    return [r.result for r in plan.rows if r.status == status and r.result is not None]


def by_line(plan: ImportPlan) -> dict[int, PlannedRow]:
    return {r.line: r for r in plan.rows}


def one(plan: ImportPlan, analyte: str, **where: object) -> LabResult:
    """The only result of ``analyte`` in the plan matching ``where``."""
    found = [r for r in results(plan) if r.analyte == analyte
             and all(getattr(r, k) == v for k, v in where.items())]
    assert len(found) == 1, f"{analyte} {where}: {found}"
    return found[0]


def journal_state(path: Path) -> tuple[int, int, list[tuple[object, ...]]]:
    """(results, batches, every result row) of a journal, read without the store."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT * FROM lab_results ORDER BY id").fetchall()
        batches = conn.execute("SELECT count(*) FROM batches").fetchone()[0]
    finally:
        conn.close()
    return len(rows), batches, rows
