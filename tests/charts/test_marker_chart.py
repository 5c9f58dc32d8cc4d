"""Marker charts: the artists a reader relies on, and the maps the GUI uses for hover and click."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath

from hpgjournal.charts.data import PANEL_MARKERS
from hpgjournal.charts.marker import build_marker_chart, chart_size, layout_lanes
from hpgjournal.domain.derived import calculated_free_testosterone
from hpgjournal.domain.records import Dose, Phase
from hpgjournal.domain.results import make_result
from hpgjournal.services.chartdata import load_chart_data
from hpgjournal.store.journal import Journal
from tests.ticks import tick_label_problems

CHARTS = Path(__file__).resolve().parents[2] / "hpgjournal" / "charts"


@pytest.fixture(scope="module")
def demo(demo_template: Path):
    with Journal.open(demo_template, readonly=True) as journal:
        yield journal


def chart(journal: Journal, markers, **options):
    """A chart as the window draws it: the services read the journal, the builder draws."""
    data = load_chart_data(journal, list(markers), with_doses=options.get("show_doses", True))
    return build_marker_chart(data, markers, **options)


def lines(ax) -> list[Line2D]:
    return [a for a in ax.get_lines()]


def test_one_marker_with_every_overlay(demo: Journal) -> None:
    result = chart(demo, ["testosterone_total"])
    assert isinstance(result.figure, Figure)
    assert tuple(result.figure.get_size_inches()) == (10.0, 6.0)
    assert list(result.marker_axes) == ["testosterone_total"]
    ax = result.marker_axes["testosterone_total"]
    assert ax.get_title(loc="left") == "Total testosterone"
    assert ax.get_ylabel() == "ng/dL"
    values = sorted(r.value for r in demo.lab_results("testosterone_total"))
    assert sorted(p.y for p in result.points) == values
    assert all(p.result_id is not None for p in result.points)
    # expected bands: TRT (a range from the literature) and recovery (the lab's range);
    # hCG has one figure, clomiphene and anastrozole started above the studied levels
    assert sorted(e.kind for e in result.envelopes) == ["recovery", "trt"]
    assert any("hCG, Total T: only a single published figure" in n for n in result.notes)
    assert any("starting below 300 ng/dL" in n for n in result.notes)
    trt = next(e for e in result.envelopes if e.kind == "trt")
    assert trt.envelope.reference == 241.0  # the last value before TRT began
    assert trt.envelope.target_low == 400.0  # the guideline's target, 400 to 700 ng/dL
    assert trt.envelope.target_high == 700.0
    legend = result.figure.legends[0]
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[:2] == ["Your results", "Lab's reference range"]
    assert "Expected: the documents' direction, published figures" in labels
    assert "Expected: published figures only (not in the documents)" in labels


def test_seed_bands_are_stronger_than_literature_only_bands(demo: Journal) -> None:
    result = chart(demo, ["lh"])
    by_kind = {e.kind: e for e in result.envelopes}
    assert set(by_kind) == {"trt", "hcg", "recovery"}
    assert not by_kind["trt"].literature_only and by_kind["recovery"].literature_only
    assert by_kind["trt"].artist.get_alpha() > by_kind["recovery"].artist.get_alpha()
    ax = result.marker_axes["lh"]
    styles = {(ln.get_color(), ln.get_linestyle()) for ln in lines(ax)}
    assert ("#657d33", "--") in styles  # recovery (literature only): dashed edges
    assert ("#c0504d", "-") in styles and ("#c0504d", "--") not in styles  # TRT: solid


def test_censored_values_are_open_markers_at_the_limit_with_arrows(demo: Journal) -> None:
    result = chart(demo, ["lh"])
    ax = result.marker_axes["lh"]
    censored = [p for p in result.points if p.censored]
    printed = [r.reported_value for r in demo.lab_results("lh")]
    assert len(censored) == printed.count("<0.2") == 10
    assert {p.value_text for p in censored} == {"<0.2"}
    assert all(p.y == 0.2 for p in censored)  # at the limit, never 0
    open_markers = [ln for ln in lines(ax) if ln.get_markerfacecolor() == "white"]
    assert len(open_markers) == 1
    assert set(open_markers[0].get_ydata()) == {0.2}
    arrows = [ln for ln in lines(ax) if isinstance(ln.get_marker(), MplPath)]
    assert len(arrows) == 1 and len(arrows[0].get_xdata()) == 10
    assert ax.get_ylim()[0] < 0 < 0.2  # room under the axis for the arrows
    assert min(t for t in ax.get_yticks() if ax.get_ylim()[0] <= t) >= 0  # no negative ticks


def test_overlapping_phases_get_their_own_lane(demo: Journal) -> None:
    result = chart(demo, ["estradiol"])
    lanes = {s.kind: s.lane for s in result.phase_spans}
    assert lanes["aromatase_inhibitor"] == 1
    assert {k for k, v in lanes.items() if v == 0} == {"baseline", "trt", "washout", "hcg",
                                                       "serm_clomiphene", "recovery"}
    ai = next(s for s in result.phase_spans if s.kind == "aromatase_inhibitor")
    assert result.phase_at(result.lane_axes, (ai.x0 + ai.x1) / 2, 1.1) is ai
    assert result.phase_at(result.lane_axes, (ai.x0 + ai.x1) / 2, 0.0).kind == "serm_clomiphene"  # type: ignore[union-attr]
    assert result.phase_at(result.marker_axes["estradiol"], ai.x0, 1.0) is None
    recovery = next(s for s in result.phase_spans if s.kind == "recovery")
    assert recovery.end is None and recovery.x1 <= result.x_range[1]
    assert ai.artist.get_facecolor()[:3] != recovery.artist.get_facecolor()[:3]


def test_layout_lanes_first_fit() -> None:
    phases = [Phase(1, "trt", "2025-01-01", "2025-06-30"), Phase(2, "hcg", "2025-05-01", "2025-08-01"),
              Phase(3, "aromatase_inhibitor", "2025-05-15", "2025-05-30"),
              Phase(4, "recovery", "2025-07-01", None)]
    assert layout_lanes(phases, date(2025, 12, 31)) == {0: 0, 1: 1, 2: 2, 3: 0}


def test_methods_are_separate_series(demo: Journal) -> None:
    result = chart(demo, ["estradiol"])
    methods = {p.method for p in result.points}
    assert methods == {"immunoassay", "sensitive"}
    series = {p.method: p.series for p in result.points}
    assert series == {"immunoassay": "E2 (immunoassay)", "sensitive": "E2 (sensitive)"}
    ax = result.marker_axes["estradiol"]
    filled = [ln for ln in lines(ax) if ln.get_linestyle() == "None" and
              ln.get_markerfacecolor() != "white" and not isinstance(ln.get_marker(), MplPath)]
    assert len({ln.get_color() for ln in filled}) == 2
    # the clomiphene band stops when anastrozole begins (before its change was due): not drawn
    assert [e.kind for e in result.envelopes] == ["aromatase_inhibitor"]
    assert any("clomiphene, E2: no band, because aromatase inhibitor began" in n
               for n in result.notes)


def test_a_ratio_of_two_estradiol_assays_names_both_in_the_legend(demo: Journal) -> None:
    """The demo has a sensitive E2 on the day of a T: its ratio is a series of its own, and a
    series drawn is a series the legend names."""
    result = chart(demo, ["t_e2_ratio"])
    assert {p.method for p in result.points} == {"immunoassay", "sensitive"}
    labels = [t.get_text() for t in result.figure.legends[0].get_texts()]
    assert "Calculated here, immunoassay (assays kept apart)" in labels
    assert "Calculated here, sensitive (assays kept apart)" in labels


def test_doses_are_ticks_one_row_per_drug(demo: Journal) -> None:
    result = chart(demo, ["testosterone_total"])
    ax = result.dose_axes
    assert ax is not None
    names = [t.get_text() for t in ax.texts]
    assert names == ["Testosterone cypionate", "hCG", "Clomiphene", "Anastrozole"]
    # one line per drug, each tick a separate segment (NaN between ticks), one row each
    rows = ax.get_lines()
    assert [len(ln.get_xdata()) // 3 for ln in rows] == [
        len([d for d in demo.all(Dose) if d.drug == name]) for name in names]
    assert sum(len(ln.get_xdata()) // 3 for ln in rows) == demo.count(Dose)
    assert sorted({y for y in rows[1].get_ydata() if y == y}) == pytest.approx([0.64, 1.36])
    colours = [ln.get_color() for ln in rows]
    assert colours == ["#c0504d", "#4477b4", "#268265", "#8064a2"]  # their phases' colours


def test_si_units_and_date_range(demo: Journal) -> None:
    result = chart(demo, ["testosterone_total"], units="si", start="2025-01-01",
                                end="2025-12-31")
    assert result.marker_axes["testosterone_total"].get_ylabel() == "nmol/L"
    days = {p.taken_at[:10] for p in result.points}
    assert days and all("2025-01-01" <= d <= "2025-12-31" for d in days)
    inside = [r for r in demo.lab_results("testosterone_total", "2025-01-01", "2025-12-31")]
    assert sorted(p.y for p in result.points) == pytest.approx(
        sorted(r.value * 0.03467 for r in inside))  # type: ignore[operator]
    x0, x1 = result.marker_axes["testosterone_total"].get_xlim()
    assert mdates.num2date(x0).date() <= date(2025, 1, 1) and mdates.num2date(x1).date() >= date(2025, 12, 31)


def test_hover_and_click_maps(demo: Journal) -> None:
    result = chart(demo, ["lh"])
    FigureCanvasAgg(result.figure).draw()
    ax = result.marker_axes["lh"]
    target = next(p for p in result.points if p.taken_at.startswith(
        demo.lab_results("lh")[-1].taken_at[:10]))
    x_px, y_px = ax.transData.transform((target.x, target.y))
    assert result.point_near(ax, x_px + 3, y_px - 2) is target
    assert result.point_near(ax, x_px + 60, y_px + 60) is None
    assert result.point_near(result.lane_axes, x_px, y_px) is None
    text = result.hover_text(target)
    assert target.taken_at.replace("T", " ") in text and "IU/L" in text
    assert "Recovery monitoring, day" in text
    censored = next(p for p in result.points if p.censored)
    assert "beyond the test's limit: the true value is below it" in result.hover_text(censored)
    assert any(d.kind == "trt" for d in censored.phases)


def test_panel_stacks_markers_on_one_time_axis(demo: Journal) -> None:
    result = chart(demo, list(PANEL_MARKERS))
    assert list(result.marker_axes) == list(PANEL_MARKERS)
    axes = list(result.marker_axes.values())
    assert all(a.get_shared_x_axes().joined(axes[0], a) for a in axes)
    hct = result.marker_axes["hematocrit"]
    assert hct.get_ylim()[0] > 20  # a narrow range far from 0 is zoomed in
    assert {a.analyte for a in result.assessments} <= set(PANEL_MARKERS)
    assert any(a.analyte == "lh" and a.phase_kind == "serm_clomiphene" and
               a.verdict == "in_expected_direction" for a in result.assessments)


def test_derived_series(demo: Journal) -> None:
    free = chart(demo, ["free_t_calculated"])
    # TT, SHBG and albumin share three draws in the demo: days 0, 336 and 672
    assert len(free.points) == 3 and all(p.derived and p.result_id is None for p in free.points)
    first = min(free.points, key=lambda p: p.taken_at)
    # day 0: TT 268 ng/dL, SHBG 31 nmol/L, albumin 4.5 g/dL
    assert first.y == pytest.approx(calculated_free_testosterone(268, 31, 4.5).free_pg_ml, abs=0.01)
    ratio = chart(demo, ["t_e2_ratio"])
    first_ratio = min(ratio.points, key=lambda p: p.taken_at)
    assert first_ratio.y == pytest.approx(268 / 17.9)
    ax = ratio.marker_axes["t_e2_ratio"]
    assert any(ln.get_linestyle() == "--" and list(ln.get_ydata()) == [10.0, 10.0]
               for ln in lines(ax))
    assert any(e.kind == "recovery" for e in ratio.envelopes)  # at or above 10, open-ended


def test_toggles_and_reusing_a_figure(demo: Journal) -> None:
    figure = Figure(figsize=(8, 5))
    data = load_chart_data(demo, ["lh"])
    bare = build_marker_chart(data, ["lh"], figure=figure, show_ranges=False,
                              show_phases=False, show_expected=False, show_doses=False)
    assert bare.figure is figure
    assert bare.lane_axes is None and bare.dose_axes is None and bare.envelopes == []
    assert not bare.marker_axes["lh"].collections  # no range, no band
    again = build_marker_chart(data, ["lh"], figure=figure)
    assert again.figure is figure and len(figure.axes) == 3
    with pytest.raises(ValueError, match="unknown marker 'lhh'"):
        chart(demo, ["lhh"])
    with pytest.raises(ValueError, match="units"):
        chart(demo, ["lh"], units="metric")


def test_no_band_for_gonadorelin(journal: Journal) -> None:
    journal.add_many([
        Phase(None, "gonadorelin", "2026-01-01", "2026-03-31"),
        make_result("2025-12-20", "lh", "1.1", "IU/L", ref_text="1.7-8.6"),
        make_result("2026-02-10", "lh", "1.4", "IU/L", ref_text="1.7-8.6"),
        make_result("2026-03-20", "lh", "<0.5", "IU/L", ref_text="1.7-8.6"),
    ])
    result = chart(journal, ["lh"])
    assert result.envelopes == []
    assert any(n.startswith("Gonadorelin, LH: no published figure") for n in result.notes)
    assert [a.verdict for a in result.assessments] == ["no_expectation"]
    censored = [p for p in result.points if p.censored]
    assert [p.y for p in censored] == [0.5]


def test_an_empty_journal_draws_an_empty_chart(journal: Journal) -> None:
    result = chart(journal, ["estradiol"])
    assert result.points == [] and result.envelopes == []
    texts = [t.get_text() for t in result.marker_axes["estradiol"].texts]
    assert texts == ["no results in the journal"]
    FigureCanvasAgg(result.figure).draw()


def test_charts_use_figures_never_pyplot() -> None:
    for path in CHARTS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any("pyplot" in n for n in names), path.name


def test_bands_are_drawn_in_data_coordinates(demo: Journal) -> None:
    result = chart(demo, ["testosterone_total"])
    trt = next(e for e in result.envelopes if e.kind == "trt")
    path = trt.artist.get_paths()[0]
    ys = np.asarray(path.vertices)[:, 1]
    assert ys.max() == pytest.approx(700.0) and ys.min() == pytest.approx(241)  # 241 -> 400-700


def test_the_footnote_says_which_phases_have_no_band(demo: Journal) -> None:
    result = chart(demo, ["testosterone_total"], footnote=True)
    (text,) = [t.get_text() for t in result.figure.texts]
    assert text == ("Bands: the range expected in a phase, from the value at its start. No band: "
                    "Washout (no published size); hCG (one published figure, no range); "
                    "Clomiphene, AI (started outside the studied levels).")
    assert chart(demo, ["testosterone_total"]).figure.texts == []


def test_a_direction_only_expectation_is_marked_from_the_first_day(tmp_path):
    """A new journal in an hCG phase: no band is published for total T, but the documents say it
    rises; the chart says so before any result in the phase."""
    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        journal.add(Phase(None, "hcg", "2026-11-20", None))
        journal.add_many([make_result("2026-11-18", "testosterone_total", "210", "ng/dL"),
                          make_result("2026-11-18", "lh", "<0.2", "IU/L")])
        t = chart(journal, ["testosterone_total"], end="2026-12-01")
        lh = chart(journal, ["lh"], end="2026-12-01")
    assert t.envelopes == []  # one published figure: no band
    assert t.direction_marks == [("hcg", "testosterone_total", "\u2191 rises (documents)")]
    ax = t.marker_axes["testosterone_total"]
    assert any(text.get_text().startswith("\u2191 rises") for text in ax.texts)
    assert [e.kind for e in lh.envelopes] == ["hcg"]  # LH has a band (0 to 1 IU/L): no mark
    assert lh.direction_marks == []


def test_a_short_phase_keeps_a_readable_lane_label(tmp_path):
    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        journal.add_many([Phase(None, "trt", "2024-01-01", "2025-12-31"),
                          Phase(None, "hcg", "2026-01-01", "2026-02-15"),
                          Phase(None, "recovery", "2026-02-16", None)])
        journal.add(make_result("2023-12-20", "testosterone_total", "300", "ng/dL"))
        result = chart(journal, ["testosterone_total"], end="2026-06-01")
    labels = [t.get_text() for t in result.lane_axes.texts]
    assert "hCG" in labels and "h" not in labels


def test_the_chart_and_assess_give_the_same_verdicts(demo: Journal):
    from hpgjournal.services.chartdata import review

    panel = chart(demo, list(PANEL_MARKERS))
    judged = {(a.phase_kind, a.analyte): a.verdict for a in review(demo).verdicts
              if a.analyte in PANEL_MARKERS}
    on_chart = {(a.phase_kind, a.analyte): a.verdict for a in panel.assessments}
    assert on_chart == judged and len(judged) > 20


@pytest.mark.parametrize("width", [5.0, 8.0, 10.0])
def test_the_panels_legend_takes_as_few_rows_as_fit_its_width(demo: Journal, width: float) -> None:
    """Entries fill a legend column by column: the columns are chosen for that order, so the
    legend is never wider than the figure and takes no more rows than it must."""
    result = chart(demo, list(PANEL_MARKERS), size=(width, 12.25))
    figure = result.figure
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    legend = figure.legends[0]
    extent = legend.get_window_extent(renderer)
    assert extent.x0 >= 0 and extent.x1 <= width * figure.dpi
    texts = legend.get_texts()
    rows = {round(t.get_window_extent(renderer).y0) for t in texts}
    if width >= 8.0:  # the Charts page's canvas at 1366x768 is about 8 inches wide
        assert len(rows) < len(texts)  # two columns or more


@pytest.mark.parametrize("days", [21, 45, 75, 200, 400, 800, 1500, 3000, 3650])
def test_the_panels_tick_labels_never_touch_whatever_the_span_and_width(tmp_path: Path,
                                                                        days: int) -> None:
    """From a few weeks to ten years, on a chart from narrower than the Charts page allows
    (360 px) to the exported file's width (1000 px): no two tick labels overlap or run
    together."""
    first = date.today() - timedelta(days=days)
    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        journal.add_many([
            make_result((first + timedelta(days=days * k // 3)).isoformat(), key, value, unit)
            for k in range(4)
            for key, value, unit in (("testosterone_total", "520", "ng/dL"),
                                     ("estradiol", "28", "pg/mL"), ("lh", "4.1", "IU/L"),
                                     ("hematocrit", "45", "%"))])
        found = {}
        for width in (360, 450, 534, 700, 1000):
            result = chart(journal, list(PANEL_MARKERS),
                                        size=(width / 100, chart_size(len(PANEL_MARKERS))[1]))
            FigureCanvasAgg(result.figure).draw()
            problems = tick_label_problems(result.figure, result.figure.canvas.get_renderer())
            if problems:
                found[width] = problems
    assert not found, found


def test_the_chart_and_the_phases_strip_share_one_lane_layout() -> None:
    """Issue 20: the strip on the phases page and the chart's lanes put phases on the same rows."""
    from hpgjournal.domain.phases import phase_lanes

    phases = [Phase(1, "trt", "2025-01-01", "2025-06-30"), Phase(2, "hcg", "2025-05-01", None),
              Phase(3, "aromatase_inhibitor", "2025-05-15", "2025-05-30"),
              Phase(4, "recovery", "2025-07-01", None)]
    assert layout_lanes is phase_lanes
    assert phase_lanes(phases, date(2025, 12, 31)) == {0: 0, 1: 1, 2: 2, 3: 0}
    source = (CHARTS.parent / "ui" / "timeline.py").read_text(encoding="utf-8")
    assert "phase_lanes(" in source and "def assign_lanes" not in source


def _seen(result) -> tuple:
    """What a chart shows a reader, by value: points, verdicts, notes, dose ticks, lanes."""
    doses = [np.asarray(line.get_xdata(), float).tobytes() for line in result.dose_axes.lines] \
        if result.dose_axes is not None else []
    return (result.points, result.assessments,
            result.notes, doses, [(s.kind, s.x0, s.x1) for s in result.phase_spans])


def test_what_a_chart_works_out_is_kept_with_its_data_and_told_apart(demo: Journal) -> None:
    """Issue 17: a chart drawn again from the same data (a marker switch) reuses what it worked
    out from the records (series, hover points, verdicts, ranges, dose rows), kept in
    ``data.kept``, and shows what a chart of freshly read data shows, in each unit and period;
    the data of a later read keep nothing of it."""
    key = "testosterone_total"
    data = load_chart_data(demo, [key])
    options = [{}, {"units": "si"}, {"start": "2025-06-01"}, {"units": "si", "start": "2025-06-01"}]
    for _ in range(2):
        for kw in options:
            again = build_marker_chart(data, [key], **kw)
            fresh = build_marker_chart(load_chart_data(demo, [key]), [key], **kw)
            assert _seen(again) == _seen(fresh)
    assert data.kept  # something was kept to reuse
    other = load_chart_data(demo, ["lh"], shared=data)
    assert other.kept is data.kept  # one journal read shares it
    lh = build_marker_chart(other, ["lh"])
    assert {p.marker for p in lh.points} == {"lh"}
    assert _seen(lh) == _seen(build_marker_chart(load_chart_data(demo, ["lh"]), ["lh"]))
    assert not load_chart_data(demo, [key]).kept


def test_a_chart_keeps_nothing_alive_once_its_figure_is_dropped(demo: Journal) -> None:
    """What a figure keeps for the next marker (its axes, its legends and their pixels) goes
    with it: files and reports draw many charts, each dropped after it is written."""
    import gc
    import weakref

    data = load_chart_data(demo, ["lh"])
    made = [weakref.ref(build_marker_chart(data, ["lh"]).figure) for _ in range(2)]
    figure = Figure(figsize=(9, 6))
    FigureCanvasAgg(figure)
    for key in ("lh", "testosterone_total", "lh"):
        build_marker_chart(load_chart_data(demo, [key], shared=data), [key], figure=figure)
        figure.canvas.draw()
    made.append(weakref.ref(figure))
    del figure
    gc.collect()
    assert all(ref() is None for ref in made)
