"""The Qt bindings keep Python's reference counts right.

PySide6 6.12.0 on CPython 3.11 returned ``None`` from void methods without taking a reference:
each call lowered ``None``'s count by one, and a long session (or drawing a chart with many
QPainter calls) ended in "Fatal Python error: none_dealloc". pyproject.toml keeps that release
out; this test fails if a release with the fault is installed again.
"""

from __future__ import annotations

import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_methods_return_none_with_a_reference(qapp):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainterPath

    path = QPainterPath()
    before = sys.getrefcount(None)
    for _ in range(1000):
        path.setFillRule(Qt.FillRule.WindingFill)
    assert abs(sys.getrefcount(None) - before) < 50
