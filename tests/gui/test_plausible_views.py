"""The window on an old journal holding impossible values (written by SQL): the overview, the
chart page and the lab table open, leave those values out of what they work out, and say so."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel

from hpgjournal.domain.records import LabResult
from tests.conftest import IMPOSSIBLE_BY_SQL


def test_the_overview_and_the_charts_work_around_impossible_values(window, qtbot,
                                                                   broken_demo_path):
    window.open_journal(broken_demo_path)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("overview")
    overview = window.page("overview")
    note = overview.findChild(QLabel, "left-out")
    assert note is not None and f"{len(IMPOSSIBLE_BY_SQL)} stored values are left out" in \
        note.text()
    tile = overview.findChild(QFrame, "marker-testosterone_total")
    assert tile is not None  # the newest usable result
    assert "1e+308" not in " ".join(lbl.text() for lbl in tile.findChildren(QLabel))

    window.show_page("charts")
    charts = window.page("charts")
    charts.canvas.resize(900, 600)
    for choice in range(charts.marker.count()):  # every chart the page offers
        charts.marker.setCurrentIndex(choice)
        charts.canvas.draw()
        assert charts.result is not None, charts.marker.itemText(choice)
    charts.select("testosterone_total")
    charts.canvas.draw()
    assert any("left out because it is impossible" in n for n in charts.result.notes)
    assert "left out because it is impossible" in charts.side.toPlainText()

    window.show_page("labs")  # the table still lists them, to be corrected or deleted
    labs = window.page("labs")
    shown = {r.id for r in labs.model.records}
    assert len(shown) == window.journal.count(LabResult)
