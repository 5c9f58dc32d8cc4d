"""Encryption benchmark (issue 16): an encrypted journal against a plain one, in one run.

* open: ``Journal.open`` (read-only, as the commands do; and as a writer, as the window does)
  and a first read of the results table, on the ten-year journal of ``bench/charts.py`` and on
  an encrypted copy of it. The encrypted open includes deriving the key from the passphrase
  with SQLCipher's default KDF (PBKDF2-HMAC-SHA512, 256,000 iterations), which is slow on
  purpose; the KDF alone is timed too, and the open less it is printed beside.
* import: ``BENCH_ROWS`` (default 100,000) lab results from the CSV of ``bench/import_csv.py``
  planned and committed into a new journal, plain or encrypted, each in its own fresh process
  (alternating; interpreter start-up outside the timing).
* chart: the ten-year T panel of ``bench/charts.py`` (read + build + draw) from each journal.

Prints the medians of ``BENCH_RUNS`` runs and each ratio encrypted / plain (aim: under 1.3).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("MPLBACKEND", "Agg")

from charts import SIZE, build_journal  # noqa: E402  (bench/charts.py)
from import_csv import write_csv  # noqa: E402  (bench/import_csv.py)
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from hpgjournal.charts.data import PANEL_MARKERS  # noqa: E402
from hpgjournal.charts.marker import build_marker_chart  # noqa: E402
from hpgjournal.services.chartdata import load_chart_data  # noqa: E402
from hpgjournal.store.encryption import encrypt_journal  # noqa: E402
from hpgjournal.store.journal import Journal  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
PASSPHRASE = "a bench passphrase of some length"
AIM = 1.3

IMPORT = """
import json, sys, time
from pathlib import Path
from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.plan import plan_import
from hpgjournal.store.journal import Journal

csv_path, journal_path = Path(sys.argv[1]), Path(sys.argv[2])
passphrase = sys.stdin.readline().rstrip("\\n") or None
with Journal.open(journal_path, passphrase=passphrase) as journal:
    start = time.perf_counter()
    plan = plan_import([csv_path], journal)
    result = commit_plan(plan, journal)
    seconds = time.perf_counter() - start
    assert journal.encrypted is (passphrase is not None)
print(json.dumps({"seconds": seconds, "rows": result.added}))
"""


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def median_of(run) -> float:
    run()  # warm-up: caches, imports
    return statistics.median(timed(run) for _ in range(RUNS))


def import_once(csv_path: Path, journal: Path, passphrase: str | None) -> float:
    for leftover in journal.parent.glob(journal.name + "*"):
        leftover.unlink()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", IMPORT, str(csv_path), str(journal)], env=env,
                          input=(passphrase or "") + "\n", capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise SystemExit(f"import failed:\n{proc.stderr}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert figures["rows"] == ROWS, figures
    return float(figures["seconds"])


def raw_key_opener(path: Path):
    """The encrypted open without the KDF: SQLCipher given the derived key itself (worked out
    here as SQLCipher 4 does: PBKDF2-HMAC-SHA512 of the passphrase with the file's salt)."""
    from sqlcipher3 import dbapi2

    key = hashlib.pbkdf2_hmac("sha512", PASSPHRASE.encode(), path.read_bytes()[:16], 256_000, 32)

    def run() -> None:
        conn = dbapi2.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            conn.execute("SELECT count(*) FROM lab_results").fetchone()
        finally:
            conn.close()
    return run


def line(what: str, plain: float, encrypted: float, unit: str = "ms") -> float:
    scale = 1000 if unit == "ms" else 1
    ratio = encrypted / plain
    print(f"  {what:<38} plain {plain * scale:8.1f} {unit}   encrypted "
          f"{encrypted * scale:8.1f} {unit}   ratio {ratio:5.2f}"
          f"{'' if ratio < AIM else f'  (over the aim of {AIM})'}")
    return ratio


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="hpgjournal-bench-") as folder:
        base = Path(folder)
        plain = base / "plain" / "ten-years.hpgjournal"
        plain.parent.mkdir()
        counts = build_journal(plain)
        encrypted = base / "encrypted" / "ten-years.hpgjournal"
        encrypted.parent.mkdir()
        shutil.copy(plain, encrypted)
        started = time.perf_counter()
        encrypt_journal(encrypted, PASSPHRASE)
        converted = time.perf_counter() - started
        print(f"ten-year journal: {counts['lab_results']} lab results, {counts['doses']} doses, "
              f"{plain.stat().st_size / 1e6:.1f} MB; encrypted in {converted:.2f} s; "
              f"{RUNS} runs, medians")

        def opener(path: Path, key: str | None, readonly: bool):
            def run() -> None:
                with Journal.open(path, readonly=readonly, passphrase=key) as journal:
                    journal.count_of("lab_results")
            return run

        ratios = {}
        print("open:")
        ratios["plain_open_s"] = median_of(opener(plain, None, True))
        ratios["open_s"] = median_of(opener(encrypted, PASSPHRASE, True))
        ratios["open"] = line("read-only open + first read", ratios["plain_open_s"],
                              ratios["open_s"])
        writer_plain = median_of(opener(plain, None, False))
        writer_encrypted = median_of(opener(encrypted, PASSPHRASE, False))
        line("writer open (lock, quick check)", writer_plain, writer_encrypted)
        raw = median_of(raw_key_opener(encrypted))
        print(f"  the key derivation (PBKDF2-HMAC-SHA512, 256,000 rounds) is "
              f"{(ratios['open_s'] - raw) * 1000:.0f} ms of it, by design")
        ratios["open without the KDF"] = line(
            "read-only open, derived key given", ratios["plain_open_s"], raw)
        del ratios["open_s"], ratios["plain_open_s"]

        print(f"import of {ROWS:,} results (plan + commit, fresh process each):")
        csv_path = base / "results.csv"
        write_csv(csv_path, ROWS)
        plain_times, encrypted_times = [], []
        for _ in range(RUNS):
            plain_times.append(import_once(csv_path, base / "import-plain.hpgjournal", None))
            encrypted_times.append(import_once(csv_path, base / "import-encrypted.hpgjournal",
                                               PASSPHRASE))
        ratios["import"] = line("import", statistics.median(plain_times),
                                statistics.median(encrypted_times), "s")

        print(f"chart: the ten-year T panel ({len(PANEL_MARKERS)} markers), read + build + draw:")

        def chart(path: Path, key: str | None):
            journal = Journal.open(path, readonly=True, passphrase=key)

            def run() -> None:
                data = load_chart_data(journal, list(PANEL_MARKERS))
                FigureCanvasAgg(build_marker_chart(data, list(PANEL_MARKERS),
                                                   size=SIZE).figure).draw()
            return journal, run

        plain_journal, plain_chart = chart(plain, None)
        encrypted_journal, encrypted_chart = chart(encrypted, PASSPHRASE)
        try:
            ratios["chart"] = line("ten-year chart", median_of(plain_chart),
                                   median_of(encrypted_chart))
        finally:
            plain_journal.close()
            encrypted_journal.close()
    print("ratios encrypted / plain (aim < 1.3): " + ", ".join(
        f"{name} {ratio:.2f}" for name, ratio in ratios.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
