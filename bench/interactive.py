"""What a user feels on the ten-year journal: a marker switch on the chart page and the lab
table's first paint, each against a bare Qt/matplotlib floor measured in the same process.

* marker switch: choosing another marker in the chart page's list until its chart is drawn on
  the page's canvas (read + expected bands + verdicts + every overlay), against clearing the
  same canvas and drawing the same points as a plain line; "cold" is the first switch to each
  marker (its results read from the journal), "warm" a switch back to one already shown (in
  each round the switches run one after another, then the bare redraws, since a bare redraw
  clears the figure the page keeps its axes on);
* lab table: showing the lab results page after a change until its table has painted (the
  journal read, the rows made, the columns fitted), against a bare QTableView over a
  QStandardItemModel of the same cell texts, painted at the same size.

Prints the medians and the ratios (aim: under 2). The journal is bench/charts.py's.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
MARKERS = ("testosterone_total", "lh", "estradiol", "fsh", "shbg", "hematocrit")


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> int:
    from charts import build_journal  # the ten-year journal of bench/charts.py
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from hpgjournal.charts.marker import to_num
    from hpgjournal.domain.records import LabResult
    from hpgjournal.services.chartdata import load_chart_data
    from hpgjournal.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        os.environ["HPGJOURNAL_DATA_DIR"] = str(Path(folder) / "data")
        path = Path(folder) / "ten-years.hpgjournal"
        counts = build_journal(path)
        window = MainWindow()
        window.resize(1366, 768)
        window.open_journal(path)
        window.show()
        app.processEvents()

        # ---- marker switch ----------------------------------------------------------------
        window.show_page("charts")
        app.processEvents()
        page = window.page("charts")
        journal = window.journal
        points = {}
        for key in MARKERS:
            series = load_chart_data(journal, [key]).series[key]
            points[key] = (to_num([r.taken_at for r in series]), [r.value for r in series])

        drawn = [0]
        page.canvas.mpl_connect("draw_event", lambda _event: drawn.__setitem__(0, drawn[0] + 1))

        def switch(key: str) -> None:
            # as a user switches: the page asks for one idle draw, which the event loop runs
            # (drawing it here as well would count two draws a switch)
            before = drawn[0]
            page.select(key)
            while drawn[0] == before:
                app.processEvents()

        def bare(key: str) -> None:
            page.figure.clear()
            ax = page.figure.subplots()
            ax.plot(*points[key])
            page.canvas.draw()
            app.processEvents()

        cold = [_timed(lambda k=k: switch(k)) for k in MARKERS]  # each read once
        # in each round the switches one after another, as a user makes them, then the bare
        # redraws: a bare redraw clears the page's figure, and a switch after it makes the
        # chart's axes again, which a switch after a switch does not (issue 17); so only the
        # first switch of a round (not the median) pays for them
        warm, floor = [], []
        for _ in range(RUNS):
            warm += [_timed(lambda k=key: switch(k)) for key in MARKERS]
            floor += [_timed(lambda k=key: bare(k)) for key in MARKERS]
        switch(MARKERS[0])

        # ---- lab table first paint ----------------------------------------------------------
        labs = window.page("labs")
        table_times, bare_times = [], []
        rows_shown = 0
        for _ in range(RUNS):
            window.show_page("overview")
            app.processEvents()
            window.refresh(frozenset({LabResult}))  # the lab page is stale, as after an edit

            def first_paint() -> None:
                window.show_page("labs")
                labs.table.viewport().repaint()
                app.processEvents()

            table_times.append(_timed(first_paint))
            model = labs.table.model()
            rows_shown, cols = model.rowCount(), model.columnCount()
            texts = [[model.index(r, c).data() for c in range(cols)] for r in range(rows_shown)]
            heads = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(cols)]

            size = labs.table.size()
            bare_times.append(_timed(lambda t=texts, h=heads, z=size: _bare_table(app, t, h, z)))
        window.close()

    c, w, f = statistics.median(cold), statistics.median(warm), statistics.median(floor)
    t, b = statistics.median(table_times), statistics.median(bare_times)
    print(f"journal: {counts['lab_results']} lab results, {counts['doses']} doses over ten "
          f"years; {RUNS} runs, medians, offscreen, window 1366 x 768")
    print(f"  marker switch, cold (results read): {c * 1000:7.1f} ms")
    print(f"  marker switch, warm:                {w * 1000:7.1f} ms")
    print(f"  bare redraw of the same points:     {f * 1000:7.1f} ms")
    print(f"  lab table first paint ({rows_shown} rows):  {t * 1000:7.1f} ms")
    print(f"  bare QTableView, same texts:        {b * 1000:7.1f} ms")
    print(f"ratio marker switch / bare redraw: warm {w / f:.2f}, cold {c / f:.2f} (aim < 2); "
          f"lab table / bare table: {t / b:.2f} (aim < 2)")
    return 0


def _bare_table(app: Any, texts: list[list[Any]], heads: list[str], size: Any) -> None:
    """A plain QTableView over a QStandardItemModel of the same texts, painted once."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    plain = QStandardItemModel(len(texts), len(heads))
    plain.setHorizontalHeaderLabels(heads)
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            plain.setItem(r, c, QStandardItem("" if text is None else str(text)))
    view = QTableView()
    view.setModel(plain)
    view.resize(size)
    view.show()
    view.viewport().repaint()
    app.processEvents()
    view.close()
    view.deleteLater()


if __name__ == "__main__":
    sys.exit(main())
