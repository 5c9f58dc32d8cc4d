"""``hpgjournal chart testosterone_total --model`` and ``hpgjournal assess --json``'s model, in
a real process on the demo journal (issue 18)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from hpgjournal.domain import pk
from hpgjournal.services.levels import level_model
from hpgjournal.store.journal import Journal


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "hpgjournal", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_chart_with_the_model_writes_the_curve(demo_path: Path, tmp_path: Path) -> None:
    plain, model = tmp_path / "plain.png", tmp_path / "model.png"
    done = run("chart", "testosterone_total", "--journal", str(demo_path), "-o", str(plain))
    assert done.returncode == 0, done.stderr
    done = run("chart", "testosterone_total", "--model", "--journal", str(demo_path), "-o",
               str(model))
    assert done.returncode == 0, done.stderr
    assert "chart of Total testosterone written to" in done.stdout
    assert png_size(model) == png_size(plain) == (1000, 600)
    assert model.read_bytes() != plain.read_bytes()
    svg = tmp_path / "model.svg"
    done = run("chart", "panel", "--model", "--journal", str(demo_path), "-o", str(svg))
    assert done.returncode == 0, done.stderr
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text


def test_the_model_needs_total_testosterone(demo_path: Path, tmp_path: Path) -> None:
    done = run("chart", "lh", "--model", "--journal", str(demo_path), "-o",
               str(tmp_path / "lh.png"))
    assert done.returncode == 1
    assert "--model draws on total testosterone" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "lh.png").exists()


def test_assess_json_gives_the_predicted_level_at_each_total_t_draw(demo_path: Path) -> None:
    done = run("assess", "--json", "--journal", str(demo_path))
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)["model"]
    assert model["label"] == pk.MODEL_LABEL and model["fitted"] is True
    assert model["unit"] == "ng/dL" and model["r_squared"] == pytest.approx(0.95, abs=0.01)
    assert "Nankin 1987" in model["sources"] and model["figures"]
    assert "the app's assumption" in model["own_production"]
    with Journal.open(demo_path, readonly=True) as journal:
        results = journal.lab_results("testosterone_total")
        levels = level_model(journal)
    assert [d["taken_at"] for d in model["draws"]] == sorted(r.taken_at for r in results)
    for draw in model["draws"]:
        assert isinstance(draw["predicted"], float) and draw["predicted"] >= 0
        # the number is the curve's at that time (the chart draws the same)
        at = pk.curve(levels.fit, draw["taken_at"], draw["taken_at"]).central[0]
        assert draw["predicted"] == pytest.approx(at, abs=0.01)
        assert draw["status"] in ("used", "far", "censored", "compared", "no dose")
    on_trt = [d for d in model["draws"] if d["interval"] is not None]
    assert len(on_trt) >= 9
    for draw in on_trt:
        interval = draw["interval"]
        assert interval["position"] == "near trough"  # drawn the morning of the next shot
        assert 6.9 <= interval["days_after_dose"] <= 7.0
        assert interval["trough"] <= draw["predicted"] <= interval["peak"]
        assert draw["status"] == "used" and draw["in_band"] is True
        assert abs(draw["measured"] - draw["predicted"]) / draw["predicted"] < 0.15
    assert all(d["interval"] is None for d in model["draws"] if d["status"] == "no dose")


def test_assess_json_as_of_a_day_on_trt_and_in_si_units(demo_path: Path) -> None:
    done = run("assess", "--json", "--journal", str(demo_path), "--as-of", "2024-06-01",
               "--units", "si")
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)["model"]
    assert model["unit"] == "nmol/L"
    assert all(d["taken_at"][:10] <= "2024-06-01" for d in model["draws"])
    used = [d for d in model["draws"] if d["status"] == "used"]
    assert used and all(10 < d["predicted"] < 40 for d in used)  # nmol/L, not ng/dL
