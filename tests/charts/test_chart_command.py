"""``hpgjournal chart``: files written, exit codes, one-line errors."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from hpgjournal.charts.data import chart_keys
from hpgjournal.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "hpgjournal", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def one_line_error(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_png_and_svg_from_the_command_line(demo_path: Path, tmp_path: Path) -> None:
    png = tmp_path / "t.png"
    proc = run("chart", "testosterone_total", "--journal", str(demo_path), "-o", str(png))
    assert proc.returncode == 0, proc.stderr
    assert png_size(png) == (1000, 600)
    assert not (tmp_path / "t.png.partial").exists()
    svg = tmp_path / "lhfsh.svg"
    proc = run("chart", "lh", "fsh", "--journal", str(demo_path), "--units", "si", "--from",
               "2024-01-01", "-o", str(svg))
    assert proc.returncode == 0, proc.stderr
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text
    assert "chart of Luteinizing hormone, Follicle-stimulating hormone written to" in proc.stdout


def test_in_process_markers_panel_and_sperm(demo_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "panel.png"
    assert main(["chart", "panel", "--journal", str(demo_path), "-o", str(out)]) == 0
    width, height = png_size(out)
    assert width == 1000 and height > 600  # a panel grows taller, not narrower
    out = tmp_path / "sperm.png"
    assert main(["chart", "sperm_recovery", "--journal", str(demo_path), "-o", str(out)]) == 0
    assert png_size(out) == (1000, 600)
    assert main(["chart", "T_E2_RATIO", "--journal", str(demo_path), "-o",
                 str(tmp_path / "ratio.svg")]) == 0
    assert "chart of Testosterone / estradiol ratio written" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["chart", "testosterone", "-o", "{out}/x.png"],
     "hpgjournal: error: unknown marker 'testosterone': choose from testosterone_total,"),
    (["chart", "lh", "--from", "2025-02-30", "-o", "{out}/x.png"],
     "hpgjournal: error: --from: '2025-02-30' is not a real calendar date"),
    (["chart", "lh", "--to", "yesterday", "-o", "{out}/x.png"],
     "hpgjournal: error: --to: 'yesterday' is not a date"),
    (["chart", "lh", "--from", "2025-05-01", "--to", "2025-01-01", "-o", "{out}/x.png"],
     "hpgjournal: error: --to 2025-01-01 comes before --from 2025-05-01"),
    (["chart", "lh", "-o", "{out}/x.pdf"],
     "hpgjournal: error: cannot write 'x.pdf': the output must end in .png or .svg"),
    (["chart", "lh", "-o", "{out}/missing/x.png"], "the folder"),
    (["chart", "lh", "sperm_recovery", "-o", "{out}/x.png"],
     "hpgjournal: error: sperm_recovery is a chart of its own"),
])
def test_mistakes_give_one_line_and_exit_1(demo_path: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str], args: list[str],
                                           message: str) -> None:
    full = [a.replace("{out}", str(tmp_path)) for a in args] + ["--journal", str(demo_path)]
    assert main(full) == 1
    line = one_line_error(capsys.readouterr().err)
    assert message in line
    assert not list(tmp_path.glob("x.*"))


def test_unknown_marker_lists_every_valid_key(demo_path: Path, capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    assert main(["chart", "nope", "--journal", str(demo_path), "-o", str(tmp_path / "a.png")]) == 1
    line = one_line_error(capsys.readouterr().err)
    for key in (*chart_keys(), "panel", "sperm_recovery"):
        assert key in line


def test_a_missing_journal_and_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chart", "lh", "--journal", str(tmp_path / "none.hpgjournal"), "-o",
                 str(tmp_path / "a.png")]) == 1
    assert "there is no journal at" in one_line_error(capsys.readouterr().err)
    proc = run("chart", "lh")  # -o is required: bad usage
    assert proc.returncode == 2 and "-o/--output" in proc.stderr
