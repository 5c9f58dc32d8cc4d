"""The command layer is tested through and through: its own tests cover 95 % of its lines and
branches (issue 20). Run in a child process so that the measurement sees the modules load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOOR = 95


@pytest.mark.slow
def test_the_command_tests_cover_the_command_layer(tmp_path):
    env = {**os.environ, "COVERAGE_FILE": str(tmp_path / ".coverage"),
           "HPGJOURNAL_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "coverage", "run", "--branch", "--source=hpgjournal.commands",
         "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         str(ROOT / "tests" / "commands" / "test_commands.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = subprocess.run(
        [sys.executable, "-m", "coverage", "report", "--show-missing",
         f"--fail-under={FLOOR}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert report.returncode == 0, f"below {FLOOR} %:\n{report.stdout}{report.stderr}"
    assert "hpgjournal/commands/regimens.py" in report.stdout  # every module was measured
