"""The Charts page driven as a user would: choose a marker, hover a point, click a phase, export."""

from __future__ import annotations

import pytest
from matplotlib.backend_bases import MouseEvent


@pytest.fixture
def charts(window, demo_path):
    window.open_journal(demo_path)
    window.resize(1280, 800)
    window.show()
    window.show_page("charts")
    page = window.page("charts")
    page.canvas.resize(900, 600)
    page.canvas.draw()
    return page


def pixel(axes, x, y):
    return axes.transData.transform((x, y))


def test_choose_a_marker_and_read_the_verdicts(charts):
    charts.select("lh")
    assert charts.result is not None and list(charts.result.marker_axes) == ["lh"]
    text = charts.side.toPlainText()
    assert "Observed against expected" in text and "clomiphene" in text.lower()
    charts.marker.setCurrentIndex(0)  # the panel
    assert len(charts.result.marker_axes) == 7


def test_hover_shows_date_value_unit_and_phase(charts, qtbot):
    charts.select("testosterone_total")
    charts.canvas.draw()
    point = next(p for p in charts.result.points if p.value_text == "458")
    axes = charts.result.marker_axes["testosterone_total"]
    x, y = pixel(axes, point.x, point.y)
    MouseEvent("motion_notify_event", charts.canvas, x, y)._process()
    shown = charts.hover.text()
    assert "458" in shown and "ng/dL" in shown and "Recovery" in shown


def test_clicking_a_phase_lane_explains_it_with_sources(charts):
    charts.select("estradiol")
    charts.canvas.draw()
    span = next(s for s in charts.result.phase_spans if s.kind == "aromatase_inhibitor")
    x, y = pixel(charts.result.lane_axes, (span.x0 + span.x1) / 2, span.lane)
    MouseEvent("button_press_event", charts.canvas, x, y, button=1)._process()
    text = charts.side.toPlainText()
    assert text.startswith("Aromatase inhibitor")
    assert "Sources" in text and "anastrozole" in text.lower()
    # the expectations with the study's men, regimen, timing and where the timing comes from
    assert "What each marker is expected to do" in text
    assert "Estradiol: The source documents say it falls; older men with low testosterone" in text
    assert "When:" in text and "(published)" in text and "How strong:" in text
    for code in ("EXT-P", "EXT-S", "DERIVED", "(seed", "literature;"):
        assert code not in text


def test_the_verdict_pane_speaks_in_words(charts):
    charts.select("lh")
    text = charts.side.toPlainText()
    assert "SERM: clomiphene: in the expected direction" in text
    assert "How strong:" in text and "Confidence:" in text
    for code in ("EXT-P", "EXT-S", "DERIVED", "in_expected_direction", "(SA)"):
        assert code not in text


def test_toggles_and_units(charts):
    charts.select("testosterone_total")
    with_bands = len(charts.result.envelopes)
    charts.toggles["expected"].setChecked(False)
    assert with_bands > 0 and len(charts.result.envelopes) == 0
    charts.prefs.set_system("si")
    assert charts.result.marker_axes["testosterone_total"].get_ylabel() == "nmol/L"


def test_export_png_and_svg(charts, tmp_path):
    charts.select("lh,fsh")
    png = charts.export("png", tmp_path / "lh.png")
    svg = charts.export("svg", tmp_path / "lh.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:400]


def test_sperm_recovery_chart(charts):
    charts.select("sperm_recovery")
    assert charts.result is not None and charts.result.points


def test_a_phase_is_explained_from_the_keyboard_and_back(charts, qtbot):
    """No mouse: Tab to the side panel, Tab to a phase's link, Enter; then back."""
    from PySide6.QtCore import Qt

    charts.select("estradiol")
    assert "What the sources say about each phase" in charts.side.toPlainText()
    charts.side.setFocus()
    qtbot.keyClick(charts.side, Qt.Key.Key_Tab)  # the first link: the first phase shown
    first = charts.side.textCursor().selectedText()
    qtbot.keyClick(charts.side, Qt.Key.Key_Return)
    text = charts.side.toPlainText()
    assert first and text.startswith(first)
    assert "Back to the verdicts" in text
    for _ in range(40):  # the last link of the explanation is the way back
        qtbot.keyClick(charts.side, Qt.Key.Key_Tab)
        if charts.side.textCursor().selectedText() == "Back to the verdicts":
            break
    qtbot.keyClick(charts.side, Qt.Key.Key_Return)
    assert charts.side.toPlainText().startswith("Observed against expected")


def _choose(page, qtbot, key):
    """Choose ``key`` in the marker list with the arrow keys, as from the keyboard."""
    from PySide6.QtCore import Qt

    target = page.marker.findData(key)
    assert target >= 0, f"{key} is not in the list"
    page.marker.setFocus()
    while page.marker.currentIndex() != target:
        step = Qt.Key.Key_Down if page.marker.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(page.marker, step)
    page.canvas.draw()


def _drawn(figure):
    """What a figure shows, artist by artist: per axes its title, label, limits, texts, lines,
    filled areas and patches, and the legend's entries."""
    import numpy as np

    def line(artist):
        xy = np.asarray(artist.get_xydata(), dtype=float)
        return (len(xy), round(float(np.nansum(xy)), 6), artist.get_color(), artist.get_marker())

    axes = [(ax.get_title(loc="left"), ax.get_ylabel(), tuple(round(v, 6) for v in ax.get_ylim()),
             sorted(t.get_text() for t in ax.texts), sorted(map(line, ax.lines), key=str),
             sorted(round(float(sum(p.vertices.sum() for p in c.get_paths())), 6)
                    for c in ax.collections),
             len(ax.patches)) for ax in figure.axes]
    legend = [t.get_text() for leg in figure.legends for t in leg.get_texts()]
    return axes, legend, [t.get_text() for t in figure.texts]


def _fresh(page, key):
    """The chart of ``key`` as the page draws it, on a new figure of the page's size."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from hpgjournal.charts import build_marker_chart

    figure = Figure(figsize=page.figure.get_size_inches(), dpi=page.figure.dpi)
    canvas = FigureCanvasAgg(figure)
    build_marker_chart(page._chart_data((key,)), [key], units=page.prefs.system,
                       knowledge=page.knowledge, figure=figure)
    canvas.draw()
    return _drawn(figure), np.asarray(canvas.buffer_rgba()).copy()


def test_a_marker_switch_keeps_the_axes_and_shows_only_the_new_marker(charts, qtbot):
    """Issue 17: a switch reuses the figure's axes and strips, and takes every artist of the
    marker before away: A, then B, then A again, each as a chart drawn afresh shows it."""
    import numpy as np

    from hpgjournal.domain.display import marker_name

    first, second = "testosterone_total", "estradiol"
    _choose(charts, qtbot, first)
    axes, lanes = charts.result.marker_axes[first], charts.result.lane_axes
    for key in (second, first):
        _choose(charts, qtbot, key)
        assert list(charts.result.marker_axes) == [key]
        assert charts.result.marker_axes[key] is axes and charts.result.lane_axes is lanes
        assert axes.get_title(loc="left").startswith(marker_name(key))
        other = marker_name(second if key == first else first)
        assert other not in [t.get_text() for t in axes.texts] + [axes.get_title(loc="left")]
        assert all(p.marker == key for p in charts.result.points) and charts.result.points
        assert charts.result.phase_spans  # the lanes kept are still hovered and clicked
        shown, pixels = _fresh(charts, key)
        assert _drawn(charts.figure) == shown
        assert np.array_equal(np.asarray(charts.canvas.buffer_rgba()), pixels)


def test_a_switch_back_shows_its_kept_legend_and_strips_and_an_edit_shows_at_once(
        charts, qtbot):
    """Issue 17: the legend of a marker shown before, and the dose strip and the phase lanes,
    keep their pixels for a switch back; each switch still shows what a chart drawn afresh
    shows, pixel for pixel, and after an edit of a result and a new dose (the strips change)
    the switch shows the new value and the new dose."""
    from dataclasses import replace
    from datetime import date
    from itertools import pairwise

    import numpy as np

    from hpgjournal.domain.records import Dose, LabResult

    first, second = "testosterone_total", "estradiol"

    def same_as_fresh(key):
        shown, pixels = _fresh(charts, key)
        assert _drawn(charts.figure) == shown
        assert np.array_equal(np.asarray(charts.canvas.buffer_rgba()), pixels)

    _choose(charts, qtbot, first)
    legend = charts.figure.legends[0]
    strips = [charts.result.dose_axes, charts.result.lane_axes]
    _choose(charts, qtbot, second)
    assert charts.figure.legends[0] is not legend  # estradiol's legend has other entries
    _choose(charts, qtbot, first)
    assert charts.figure.legends[0] is legend and legend.memo.pasted >= 1
    assert all(ax is not None and ax.memo.pasted >= 1 for ax in strips)
    same_as_fresh(first)

    journal = charts.journal
    shown = next(p for p in charts.result.points if p.result_id is not None)
    old = journal.get(LabResult, shown.result_id)
    journal.update(replace(old, value=old.value * 1.5))
    doses = sorted(journal.all(Dose), key=lambda d: d.taken_at)
    gap, at = max((date.fromisoformat(b.taken_at[:10]) - date.fromisoformat(a.taken_at[:10]), i)
                  for i, (a, b) in enumerate(pairwise(doses)))  # where the strip has none
    dose = doses[at]
    day = date.fromisoformat(dose.taken_at[:10]) + gap / 2
    journal.add(replace(dose, id=None, taken_at=f"{day.isoformat()}T08:00"))
    charts.window().refresh(frozenset({LabResult, Dose}))
    _choose(charts, qtbot, second)
    same_as_fresh(second)
    _choose(charts, qtbot, first)
    now = next(p for p in charts.result.points if p.result_id == shown.result_id)
    assert now.y == pytest.approx(shown.y * 1.5)
    same_as_fresh(first)
