"""Every benchmark in bench/ still runs against today's code (once each, BENCH_RUNS=1): a
bench that calls an API as it was (the chart builders once took a journal) would otherwise
fail only when someone runs ./dev.sh bench. The figures themselves are not judged here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_the_bench_runs_and_prints_its_figures(script, tmp_path):
    env = {**os.environ, "BENCH_RUNS": "1", "QT_QPA_PLATFORM": "offscreen",
           "HPGJOURNAL_DATA_DIR": str(tmp_path / "data"), "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(BENCH / script)], cwd=BENCH.parent, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert any(word in done.stdout for word in ("ratio", "aim", "target")), done.stdout[-2000:]
