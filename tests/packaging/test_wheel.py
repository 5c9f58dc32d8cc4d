"""The wheel carries the app: built from the checkout, installed into a new virtual environment
outside it, and run from another folder as a pip or pipx user would.

The new environment borrows the already installed dependencies (PySide6, pandas, matplotlib)
from the test environment through a .pth line, so nothing is downloaded; pip still resolves the
wheel's declared dependencies against them (``--no-index``), so a missing one fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .helpers import ROOT


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False,
                          **kwargs)  # type: ignore[call-overload]
    assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--disable-pip-version-check", "-q", "-w", str(out), str(ROOT)])
    (built,) = out.glob("hpgjournal-*.whl")
    return built


def test_wheel_holds_the_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "hpgjournal/resources/demo/recipe.toml" in names
    assert "hpgjournal/resources/icons/hpgjournal.svg" in names
    knowledge = {n for n in names if n.startswith("hpgjournal/resources/knowledge/")}
    assert {"hpgjournal/resources/knowledge/trt.toml",
            "hpgjournal/resources/knowledge/sources.toml"} <= knowledge
    assert not any(n.startswith(("tests/", "resources/", "bench/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_runs_demo_chart_report_and_window_from_elsewhere(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
                     ).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index",
          "--disable-pip-version-check", "-q", str(wheel)])

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "HPGJOURNAL_DATA_DIR": str(tmp_path / "data")}
    where = _run([str(python), "-c", "import hpgjournal.paths as p; print(p.__file__); "
                  "print(p.resources_dir())"], cwd=elsewhere, env=env).stdout.split()
    assert all(Path(w).is_relative_to(venv) for w in where), where  # the wheel, not the checkout

    exe = venv / ("Scripts/hpgjournal.exe" if os.name == "nt" else "bin/hpgjournal")
    journal, chart, report = (elsewhere / n for n in ("demo.hpgjournal", "t.png", "r.pdf"))
    demo = _run([str(exe), "demo", "--no-gui", "--journal", str(journal)], cwd=elsewhere, env=env)
    assert "150 lab results" in demo.stdout
    _run([str(exe), "chart", "testosterone_total", "--journal", str(journal), "-o", str(chart)],
         cwd=elsewhere, env=env)
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _run([str(exe), "report", "--journal", str(journal), "-o", str(report)],
         cwd=elsewhere, env=env)
    text = _run(["pdftotext", "-l", "1", str(report), "-"]).stdout
    assert "Sam Demo" in text
    started = _run([str(exe), "--journal", str(journal), "--exit-after-startup"],
                   cwd=elsewhere, env=env)
    assert "startup: first paint after" in started.stdout
