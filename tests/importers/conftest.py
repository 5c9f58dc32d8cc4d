"""Fixtures of the importer tests (helpers live in ``helpers.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpgjournal.store.journal import Journal


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    """A new, empty journal file (closed: open it, or hand it to the command line)."""
    path = tmp_path / "j.hpgjournal"
    Journal.open(path).close()
    return path
