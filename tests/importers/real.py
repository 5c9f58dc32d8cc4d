"""The real files written by third parties, in ``../shared/fixtures/real/`` beside the
repository (``SOURCES.md`` there says where each comes from); never copied into the repository.

Tests that read them are skipped, with the reason, where that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "real"


def real(relative: str) -> Path:
    """The real file ``relative`` (``ccda/...``); skips the test when it is not there."""
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"the real third-party file {relative} is not in {REAL} (the shared "
                    "fixtures sit beside the repository, in ../shared; see its SOURCES.md)")
    return path
