"""The dose-to-level model on screen (issue 18): the chart page's Model toggle, its legend,
hover and explanation; the lab table's place of each total T draw in its interval; the
overview's trough before the next dose on TRT and its washout line."""

from __future__ import annotations

from datetime import date

import matplotlib.dates as mdates
import pytest
from matplotlib.backend_bases import MouseEvent
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QLabel

from hpgjournal.charts.levels import MODEL_COLOUR
from hpgjournal.domain import pk
from hpgjournal.services.levels import level_model
from hpgjournal.store.journal import Journal
from tests.pk_journals import TRT_DAY, WASHOUT_DAY, demo_until

KEY = "testosterone_total"


@pytest.fixture
def charts(window, demo_path):
    window.open_journal(demo_path)
    window.resize(1366, 768)
    window.show()
    window.show_page("charts")
    page = window.page("charts")
    page.select(KEY)
    page.canvas.draw()
    return page


def demo_levels(path):
    with Journal.open(path, readonly=True) as journal:
        return level_model(journal)


def legend_texts(page) -> list[str]:
    return [t.get_text() for legend in page.figure.legends for t in legend.get_texts()]


def model_lines(page) -> list:
    axes = page.result.marker_axes[KEY]
    return [line for line in axes.get_lines() if line.get_color() == MODEL_COLOUR]


def click(qtbot, box) -> None:
    """A real mouse click on a check box's indicator."""
    from PySide6.QtCore import QPoint, Qt

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_the_model_toggle_is_off_by_default_and_draws_the_curve_band_and_legend(charts, qtbot):
    box = charts.toggles["model"]
    assert box.isEnabled() and not box.isChecked()
    assert charts.result.model is None and model_lines(charts) == []
    assert not any(t.startswith("Model:") for t in legend_texts(charts))
    click(qtbot, box)
    assert box.isChecked()
    drawn = charts.result.model
    axes = charts.result.marker_axes[KEY]
    assert drawn is not None and drawn.line in axes.get_lines() and drawn.band in axes.collections
    assert model_lines(charts) == [drawn.line]
    assert pk.SHORT_LABEL in legend_texts(charts)  # fitted to the demo's draws
    assert drawn.fit.fitted and drawn.fit.r_squared == pytest.approx(0.95, abs=0.01)
    # the curve runs through the measured TRT draws, inside its band
    used = [d for d in drawn.fit.draws if d.status == "used"]
    assert len(used) >= 9 and all(d.in_band for d in used)
    # the side panel names it first, with the fit and a link to its sources
    text = charts.side.toPlainText()
    assert text.startswith("The model curve\n" + pk.MODEL_LABEL)
    assert "R² 0.95" in text and "How it is made, its figures and their sources" in text
    click(qtbot, box)
    assert not box.isChecked() and charts.result.model is None and model_lines(charts) == []
    assert pk.SHORT_LABEL not in legend_texts(charts)
    assert not charts.side.toPlainText().startswith("The model curve")


def test_the_model_toggle_is_offered_only_where_total_testosterone_is_drawn(charts, qtbot):
    charts.toggles["model"].setChecked(True)
    charts.select("lh")
    assert not charts.toggles["model"].isEnabled() and charts.result.model is None
    assert "total testosterone only" in charts.toggles["model"].toolTip()
    charts.marker.setCurrentIndex(0)  # the panel: total T is its first marker
    assert charts.toggles["model"].isEnabled()
    assert charts.result.model is not None and charts.result.model.line in \
        charts.result.marker_axes[KEY].get_lines()


def test_hover_gives_the_models_level_at_a_draw_and_between_draws(charts, qtbot):
    charts.toggles["model"].setChecked(True)
    charts.canvas.draw()
    fit = charts.result.model.fit
    used = next(d for d in fit.draws if d.status == "used")
    point = next(p for p in charts.result.points if p.taken_at == used.draw.taken_at)
    axes = charts.result.marker_axes[KEY]
    x, y = axes.transData.transform((point.x, point.y))
    MouseEvent("motion_notify_event", charts.canvas, x, y)._process()
    shown = charts.hover.text()
    assert f"{point.value_text} ng/dL" in shown
    assert f"Model: {used.predicted:.0f} ng/dL here (used in its fit)" in shown
    # between two draws, two days after a dose: the curve's level there, called a model
    dose = next(d for d in fit.model.doses if d.day > pk.day_number(used.draw.taken_at))
    when = pk.model.from_day(dose.day + 2)
    xdata = mdates.date2num(when)
    x, _ = axes.transData.transform((xdata, 0))
    _, y = axes.transAxes.transform((0, 0.05))
    MouseEvent("motion_notify_event", charts.canvas, x, y)._process()
    shown = charts.hover.text()
    level = pk.level_at(fit.model, mdates.num2date(axes.transData.inverted().transform((x, y))[0])
                        .replace(tzinfo=None))
    assert shown.endswith("(predicted from the doses, not a measurement)")
    assert f"Model: {level:.0f} ng/dL" in shown
    assert level > used.predicted * 1.3  # two days after a dose is near the peak, not the trough


def test_the_model_explained_names_every_figure_and_its_source(charts):
    charts.toggles["model"].setChecked(True)
    charts._link(QUrl("model:"))
    text = charts.side.toPlainText()
    fit = charts.result.model.fit
    assert text.startswith("The model curve\n" + pk.describe(fit))
    for line in pk.figure_lines(fit):
        assert line in text
    assert "Sources: " + "; ".join(pk.sources_in_use(fit)) + "." in text
    assert "Nankin 1987" in text and "Depo-Testosterone label" in text
    assert "Your own production (the app's assumption)" in text
    assert "suggests no dose" in text and "not a confidence interval" in text
    for found in fit.draws:  # every draw with what the model made of it, none left out
        assert found.words() in text
    assert any(d.status == "no dose" for d in fit.draws)  # the restart's draws are said, too
    charts._link(QUrl("#verdicts"))
    assert charts.side.toPlainText().startswith("The model curve")  # the summary, then verdicts
    assert "Observed against expected" in charts.side.toPlainText()


def test_the_lab_table_says_where_a_draw_fell_as_the_curve_does(opened, demo_path):
    opened.show_page("labs")
    labs = opened.page("labs")
    headers = [labs.model.headerData(c, pk_orientation()) for c in range(labs.model.columnCount())]
    column = headers.index("Model: in the interval")
    since = headers.index("Since dose")
    assert column == since + 1  # beside the clock's "since dose", to be read against it
    levels = demo_levels(demo_path)
    checked = 0
    for row in range(labs.model.rowCount()):
        record = labs.model.record(row)
        text = labs.model.index(row, column).data()
        if record.analyte != KEY:
            assert text == ""
            continue
        where = pk.interval_position(levels.fit, record.taken_at, 7.0)
        if where is None:
            assert text == ""
            continue
        assert text == f"{where.position} (trough {where.trough:.0f}, peak {where.peak:.0f})"
        # the demo draws on TRT were taken the morning of the next injection: the clock and
        # the model agree that they are troughs
        assert where.position == "near trough"
        assert labs.model.index(row, since).data().endswith("trough")
        # and the curve drawn at the draw is in the lowest quarter of the interval's swing
        at = pk.curve(levels.fit, record.taken_at, record.taken_at).central[0]
        assert at == pytest.approx(where.level, rel=1e-9)
        assert (at - where.trough) <= 0.25 * (where.peak - where.trough)
        tip = labs.model.index(row, column).data(tooltip_role())
        assert tip.startswith(pk.MODEL_LABEL)
        assert f"d after the dose, in a 7-day interval: {text} ng/dL by the model." in tip
        assert tip.endswith("Its figures from: " + "; ".join(pk.sources_in_use(levels.fit)) + ".")
        checked += 1
    assert checked >= 9


def test_the_lab_table_gives_the_model_in_si_units_too(opened, demo_path):
    opened.prefs.set_system("si")
    opened.show_page("labs")
    labs = opened.page("labs")
    headers = [labs.model.headerData(c, pk_orientation()) for c in range(labs.model.columnCount())]
    column = headers.index("Model: in the interval")
    texts = [labs.model.index(r, column).data() for r in range(labs.model.rowCount())]
    found = [t for t in texts if t]
    levels = demo_levels(demo_path)
    first = next(d for d in levels.fit.draws if levels.position(d.draw.taken_at) is not None)
    where = levels.position(first.draw.taken_at)
    # nmol/L, as the row's value: the ng/dL figures times 0.0347
    assert f"{where.position} (trough {where.trough * 0.0347:.1f}, peak {where.peak * 0.0347:.1f})" \
        in found


def pk_orientation():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def tooltip_role():
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.ToolTipRole


def overview_texts(window) -> dict[str, str]:
    page = window.page("overview")
    return {w.objectName(): w.text() for w in page.findChildren(QLabel) if w.objectName()}


def test_the_overview_on_trt_gives_the_trough_before_the_next_dose(window, tmp_path):
    path = demo_until(tmp_path / "trt.hpgjournal", TRT_DAY, today=date.today())
    window.open_journal(path)
    window.show()
    texts = overview_texts(window)
    levels = demo_levels(path)
    trough = pk.trough_before_next(levels.fit, 7.0)
    assert trough is not None
    assert texts["model-line"] == (f"Predicted trough before the next dose, due "
                                   f"{trough.next_dose_at:%Y-%m-%d %H:%M}: {trough.level:.0f} "
                                   "ng/dL.")
    assert 400 < trough.level < 900  # weekly 100 mg cypionate at his fitted scale
    assert texts["model-label"].startswith(pk.MODEL_LABEL)
    assert "Nankin 1987" in texts["model-label"]
    assert "mostly gone" not in "\n".join(texts.values())


def test_the_overview_in_a_washout_says_when_the_injections_are_mostly_gone(window, tmp_path):
    path = demo_until(tmp_path / "washout.hpgjournal", WASHOUT_DAY, today=date.today())
    window.open_journal(path)
    window.show()
    texts = overview_texts(window)
    gone = pk.washout(demo_levels(path).fit)
    assert gone is not None and gone.below_tenth_at is not None
    assert gone.below_tenth_at.date() > date.today()  # a week into the washout: not yet
    assert texts["model-line"].startswith(
        f"Testosterone from the injections mostly gone by {gone.below_tenth_at.date().isoformat()}"
        f": below a tenth of its peak after the last dose ({gone.last_dose_at:%Y-%m-%d}).")
    assert texts["model-label"].startswith(pk.MODEL_LABEL)
    assert "Predicted trough" not in "\n".join(texts.values())


def test_the_overview_long_after_the_last_dose_says_nothing_of_the_model(opened):
    texts = overview_texts(opened)
    assert "model-line" not in texts  # the demo is in recovery, more than a year after TRT


def test_a_change_to_doses_regimens_or_phases_makes_the_lab_table_stale():
    """The lab table's model column (and its "since dose") read the doses, the regimens and
    the phases: a change to any of them makes it read again when next shown."""
    from hpgjournal.domain.records import Dose, Medication, Note, Phase
    from hpgjournal.ui.record_pages import pages_showing

    for kind in (Dose, Medication, Phase):
        assert "labs" in pages_showing(frozenset({kind}))
    assert "labs" not in pages_showing(frozenset({Note}))
