"""Test set-up shared by every test: isolated data folders, offscreen Qt, a demo journal."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("MPLBACKEND", "Agg")

DEMO_TODAY = date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                   ) -> Path:
    """Every test gets its own data folder and settings, never the user's."""
    base = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("HPGJOURNAL_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdgdata"))
    return base


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo journal built once per session; tests copy it."""
    from hpgjournal.demo import build_demo
    from hpgjournal.store.journal import Journal

    path = tmp_path_factory.mktemp("template") / "demo.hpgjournal"
    with Journal.open(path) as journal:
        build_demo(journal, today=DEMO_TODAY)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "demo.hpgjournal"
    shutil.copy(demo_template, target)
    return target


@pytest.fixture
def journal(tmp_path: Path):
    from hpgjournal.store.journal import Journal

    with Journal.open(tmp_path / "j.hpgjournal") as j:
        yield j
