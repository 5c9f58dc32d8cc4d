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


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_a_model_answering_none_keeps_nones_count(qapp):
    """A table asks its model for every role of every cell it paints; the app's models
    answer None for most. A binding that lost a reference there would end a long session
    (thousands of Tab presses over the Lab table) in "none_dealloc" (issue 21)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

    class Model(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):  # noqa: B008
            return 50

        def columnCount(self, parent=QModelIndex()):  # noqa: B008
            return 8

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return None

    model = Model()
    before = sys.getrefcount(None)
    for row in range(50):
        for column in range(8):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                         Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
                         Qt.ItemDataRole.BackgroundRole):
                index.data(role)
    assert abs(sys.getrefcount(None) - before) < 50
