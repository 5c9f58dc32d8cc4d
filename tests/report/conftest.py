"""The report's tests share one QApplication with the rest of the suite.

The report makes a QGuiApplication of its own when none is there (the command line has no
widgets); run alone, the first report test would make that one, and every later test asking
pytest-qt for its QApplication would fail. pytest-qt's application is made first instead.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _application_first(qapp):
    return qapp
