"""Import benchmark: 100,000 lab results from a long-format CSV into a fresh journal.

hpgjournal's import (plan: read, detect, normalise, check duplicates; then commit as one batch)
is compared with a floor doing the least the same storage needs: pandas ``read_csv`` of the
file plus one ``sqlite3`` ``executemany`` of its rows into the journal's own table, in one
transaction. Each side runs in its own fresh process (several times, alternating; medians are
printed) and reports its own wall time, CPU time (steadier on a busy machine) and peak memory
(``resource.getrusage``). Interpreter and module start-up are outside both timings. Aims:
ratio under 2, peak memory under 500 MB.

Then the memory an import needs for its file: peak memory, less that of the interpreter with
the importer loaded, per MB of file, for files of ``BENCH_MEMORY_ROWS`` results (default
100,000 and 400,000: 5 and 19 MB). Aim: under 10.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
MEMORY_ROWS = [int(n) for n in os.environ.get("BENCH_MEMORY_ROWS", "100000,400000").split(",") if n]
ROOT = Path(__file__).resolve().parent.parent

MARKERS = (
    ("Testosterone, Total", "ng/dL", 250, 1100, "264-916"),
    ("Free Testosterone (Direct)", "pg/mL", 4, 30, "6.8-21.5"),
    ("Estradiol", "pg/mL", 8, 60, "7.6-42.6"),
    ("LH", "mIU/mL", 0.1, 9, "1.7-8.6"),
    ("FSH", "mIU/mL", 0.1, 12, "1.5-12.4"),
    ("SHBG", "nmol/L", 12, 70, "16.5-55.9"),
    ("Hematocrit", "%", 38, 56, "37.5-51.0"),
    ("Hemoglobin", "g/dL", 12, 19, "13.0-17.7"),
    ("PSA", "ng/mL", 0.1, 4, "0.0-4.0"),
    ("Prolactin", "ng/mL", 2, 20, "4.0-15.2"),
)

OURS = """
import json, resource, sys, time
from pathlib import Path
from hpgjournal.store.journal import Journal
from hpgjournal.importers.plan import plan_import
from hpgjournal.importers.commit import commit_plan

csv_path, journal_path = Path(sys.argv[1]), Path(sys.argv[2])
with Journal.open(journal_path) as journal:
    start, cpu = time.perf_counter(), time.process_time()
    plan = plan_import([csv_path], journal)
    result = commit_plan(plan, journal)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kb": peak, "rows": result.added}))
"""

# the interpreter with the importer loaded, for the memory an import needs above it
LOADED = """
import json, resource
import hpgjournal.importers.commit, hpgjournal.importers.plan, hpgjournal.store.journal
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

FLOOR = """
import json, resource, sqlite3, sys, time
from pathlib import Path
import pandas as pd
from hpgjournal.store.journal import Journal

csv_path, journal_path = Path(sys.argv[1]), Path(sys.argv[2])
Journal.open(journal_path).close()  # the same empty table, indexes and pragmas
start, cpu = time.perf_counter(), time.process_time()
frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
conn = sqlite3.connect(journal_path)
with conn:
    conn.executemany(
        "INSERT INTO lab_results (taken_at, analyte, reported_value, reported_unit, ref_text, lab)"
        " VALUES (?, ?, ?, ?, ?, ?)", frame.itertuples(index=False, name=None))
rows = conn.execute("SELECT count(*) FROM lab_results").fetchone()[0]
conn.close()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kb": peak, "rows": rows}))
"""


_FIRST_DAY = date(1900, 1, 1)


def write_csv(path: Path, rows: int) -> None:
    """A long-format export: one result per row, dates one per draw, synthetic values."""
    rng = random.Random(20240301)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Collection Date", "Test Name", "Result", "Units", "Reference Range",
                         "Lab"])
        for i in range(rows):
            name, unit, low, high, ref = MARKERS[i % len(MARKERS)]
            draw = i // len(MARKERS)
            # one draw a day from 1900: 400,000 results end in 2009, none in the future
            day = (_FIRST_DAY + timedelta(days=draw)).isoformat()
            writer.writerow([day, name, f"{rng.uniform(low, high):.1f}", unit, ref, "Quest"])


def run_side(code: str, csv_path: Path, journal: Path) -> dict[str, float]:
    for leftover in journal.parent.glob(journal.name + "*"):
        leftover.unlink()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code, str(csv_path), str(journal)], env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark side failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hpgjournal-bench-") as folder:
        base = Path(folder)
        csv_path = base / "results.csv"
        write_csv(csv_path, ROWS)
        ours, floor = [], []
        for _ in range(RUNS):
            ours.append(run_side(OURS, csv_path, base / "ours.hpgjournal"))
            floor.append(run_side(FLOOR, csv_path, base / "floor.hpgjournal"))
        size_mb = csv_path.stat().st_size / 1e6
    assert all(r["rows"] == ROWS for r in ours + floor), (ours, floor)
    ours_s = statistics.median(r["seconds"] for r in ours)
    floor_s = statistics.median(r["seconds"] for r in floor)
    ours_cpu = statistics.median(r["cpu"] for r in ours)
    floor_cpu = statistics.median(r["cpu"] for r in floor)
    ours_mb = max(r["peak_kb"] for r in ours) / 1024
    floor_mb = max(r["peak_kb"] for r in floor) / 1024
    ratio = ours_s / floor_s
    print(f"import of {ROWS:,} results from a {size_mb:.1f} MB long-format CSV "
          f"(median of {RUNS} runs each, fresh process and journal per run)")
    print(f"  hpgjournal import (plan + commit): {ours_s:6.2f} s  (CPU {ours_cpu:5.2f} s)   "
          f"peak memory {ours_mb:5.0f} MB")
    print(f"  floor (read_csv + executemany):    {floor_s:6.2f} s  (CPU {floor_cpu:5.2f} s)   "
          f"peak memory {floor_mb:5.0f} MB")
    print(f"  ratio: {ratio:.2f} (CPU {ours_cpu / floor_cpu:.2f}; aim: under 2)   "
          f"{'ok' if ratio < 2 and ours_mb < 500 else 'ABOVE AIM'}"
          f"{'' if ours_mb < 500 else f' (memory {ours_mb:.0f} MB, aim: under 500 MB)'}")
    memory_per_mb()


def memory_per_mb() -> None:
    """Peak memory above the loaded interpreter's, per MB of file, for a few file sizes."""
    if not MEMORY_ROWS:
        return
    with tempfile.TemporaryDirectory(prefix="hpgjournal-bench-") as folder:
        base = Path(folder)
        loaded_kb = run_side(LOADED, base / "none.csv", base / "none.hpgjournal")["peak_kb"]
        print(f"memory of an import per MB of file, above the interpreter with the importer "
              f"loaded ({loaded_kb / 1024:.0f} MB); aim: under 10")
        for rows in MEMORY_ROWS:
            csv_path = base / f"results-{rows}.csv"
            write_csv(csv_path, rows)
            size = csv_path.stat().st_size
            ours = run_side(OURS, csv_path, base / "memory.hpgjournal")
            assert ours["rows"] == rows, ours
            per_mb = (ours["peak_kb"] - loaded_kb) * 1024 / size
            print(f"  {rows:>9,} results, {size / 1e6:5.1f} MB file: peak memory "
                  f"{ours['peak_kb'] / 1024:5.0f} MB, {per_mb:4.1f} MB per MB of file   "
                  f"{'ok' if per_mb < 10 else 'ABOVE AIM'}")


if __name__ == "__main__":
    main()
