"""What a user of the command line meets when something goes wrong before any real work:
a demo that fails half-way, a bundle started on a system too old for it, a system without fonts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hpgjournal import bundle
from hpgjournal.cli import main
from hpgjournal.store.journal import Journal


def _leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(path.name + "*"))


def test_a_demo_that_fails_half_way_leaves_no_journal(tmp_path, monkeypatch, capsys):
    import hpgjournal.demo as demo

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug while writing the regimens")

    monkeypatch.setattr(demo, "_regimens", broken)
    path = tmp_path / "demo.hpgjournal"
    assert main(["demo", "--no-gui", "--journal", str(path)]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated bug" in err and "Traceback" not in err
    assert _leftovers(path) == []
    import logging

    (handler,) = [h for h in logging.getLogger("hpgjournal").handlers
                  if isinstance(h, logging.FileHandler)]
    handler.flush()
    logged = Path(handler.baseFilename).read_text(encoding="utf-8")  # kept for a bug report
    assert "Traceback" in logged and "simulated bug while writing the regimens" in logged


def test_a_failed_rebuild_keeps_the_earlier_demo_whole(tmp_path, monkeypatch):
    import hpgjournal.demo as demo

    path = tmp_path / "demo.hpgjournal"
    assert main(["demo", "--no-gui", "--journal", str(path)]) == 0
    with Journal.open(path, readonly=True) as journal:
        before = journal.counts()
    monkeypatch.setattr(demo, "_regimens", lambda *a, **k: 1 / 0)
    assert main(["demo", "--no-gui", "--journal", str(path)]) == 1
    with Journal.open(path, readonly=True) as journal:
        assert journal.counts() == before and before["lab_results"] == 150


def test_a_missing_recipe_writes_nothing(tmp_path, monkeypatch):
    import hpgjournal.demo as demo

    monkeypatch.setattr(demo, "recipe_path", lambda: tmp_path / "gone" / "recipe.toml")
    path = tmp_path / "data" / "demo.hpgjournal"
    assert main(["demo", "--no-gui", "--journal", str(path)]) == 1
    assert not path.parent.exists()


@pytest.fixture
def frozen_bundle(tmp_path, monkeypatch):
    """This process dressed as a Linux bundle built against glibc 2.36."""
    (tmp_path / bundle.FLOOR_FILE).write_text("2.36\n", encoding="ascii")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    return tmp_path


@pytest.mark.parametrize(("system", "refused"), [
    ("glibc 2.35", True), ("glibc 2.31", True), ("glibc 2.36", False), ("glibc 2.39", False),
    ("musl 1.2", False),  # not glibc: no claim either way
])
def test_a_bundle_on_an_older_c_library_says_so_in_one_line(frozen_bundle, monkeypatch, capsys,
                                                           system, refused):
    monkeypatch.setattr(os, "confstr", lambda name: system)
    if refused:
        assert main(["check"]) == 1
        captured = capsys.readouterr()
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1
        assert "needs the GNU C library 2.36 or newer" in lines[0]
        assert f"this system has {system.split()[1]}" in lines[0]
    else:
        assert bundle.glibc_problem() is None


def test_outside_a_bundle_nothing_is_checked(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "confstr", lambda name: "glibc 2.17")
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert bundle.glibc_problem() is None


def _empty_fontconfig(tmp_path: Path) -> dict[str, str]:
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n")
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}


@pytest.mark.slow
def test_report_on_a_system_without_fonts_has_real_text(demo_path, tmp_path):
    out = tmp_path / "r.pdf"
    proc = subprocess.run([sys.executable, "-m", "hpgjournal", "report", "--journal",
                           str(demo_path), "-o", str(out)], capture_output=True, text=True,
                          env=_empty_fontconfig(tmp_path), timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout
    assert "DejaVuSans" in fonts  # matplotlib's copy, embedded
    text = subprocess.run(["pdftotext", "-l", "1", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Sam Demo" in text and "Summary" in text


@pytest.mark.slow
def test_report_with_no_font_at_all_refuses_instead_of_printing_boxes(demo_path, tmp_path):
    out = tmp_path / "r.pdf"
    code = ("import sys, hpgjournal.report.fonts as f; f._matplotlib_fonts = lambda: None; "
            "from hpgjournal.cli import main; sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, "report", "--journal", str(demo_path),
                           "-o", str(out)], capture_output=True, text=True,
                          env=_empty_fontconfig(tmp_path), timeout=180, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("hpgjournal: error: no usable font") and "fonts-dejavu-core" in last
    assert not out.exists() and not list(tmp_path.glob("r.pdf*"))
