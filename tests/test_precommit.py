"""The pre-commit hooks run the project's own checks with the tools ./dev.sh installs."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".pre-commit-config.yaml"


def hooks() -> dict[str, dict]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_the_hook_file_is_valid_for_pre_commit():
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_hooks_run_ruff_the_contracts_and_mypy_from_the_venv():
    found = hooks()
    assert set(found) == {"ruff", "import-contracts", "mypy"}
    for hook in found.values():
        assert hook["language"] == "system"  # nothing downloaded to run them
        tool = shlex.split(hook["entry"])[0]
        assert tool.startswith(".venv/bin/"), hook
        assert Path(sys.executable).with_name(Path(tool).name).exists(), f"{tool} not installed"
    assert "lint-imports" in found["import-contracts"]["entry"]
    # every hook runs on each commit (mypy was by hand until it found no error, issue 20)
    assert all("stages" not in hook for hook in found.values())
