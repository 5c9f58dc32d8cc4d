"""Sperm concentration against the published recovery curve, timed from the first missed dose."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from hpgjournal.charts.sperm import build_sperm_recovery_chart, first_missed_dose
from hpgjournal.domain.knowledge import DAYS_PER_MONTH
from hpgjournal.domain.records import Dose, Phase
from hpgjournal.domain.results import make_result
from hpgjournal.services.chartdata import load_chart_data, sperm_chart_data
from hpgjournal.store.journal import Journal


@pytest.fixture(scope="module")
def demo(demo_template: Path):
    with Journal.open(demo_template, readonly=True) as journal:
        yield journal


def test_time_counts_from_the_first_missed_dose(demo: Journal) -> None:
    data = load_chart_data(demo, ["sperm_concentration"], with_doses=False)
    last = max(d.taken_at for d in demo.all(Dose) if d.drug == "Testosterone cypionate")
    anchor, how = first_missed_dose(data)  # type: ignore[misc]
    assert how == "the first missed testosterone dose"
    assert (anchor - datetime.fromisoformat(last)).days == 7  # weekly injections


def test_the_chart(demo: Journal) -> None:
    result = build_sperm_recovery_chart(sperm_chart_data(demo))
    assert result.x_is_date is False
    values, curve = result.marker_axes["sperm_concentration"], result.marker_axes["recovery_curve"]
    assert values.get_yscale() == "log"
    points = sorted(result.points, key=lambda p: p.taken_at)
    assert [p.value_text for p in points] == ["<0.1", "17.5"]
    assert points[0].censored and points[0].y == 0.1
    data = load_chart_data(demo, ["sperm_concentration"], with_doses=False)
    anchor, _ = first_missed_dose(data)  # type: ignore[misc]
    expected = (datetime.fromisoformat(points[1].taken_at) - anchor).total_seconds() / 86400
    assert points[1].x == pytest.approx(expected / DAYS_PER_MONTH)
    # the published curve: 67 / 90 / 96 / 100 % at 6 / 12 / 16 / 24 months
    line = curve.get_lines()[0]
    assert list(line.get_xdata()) == [0.0, 3.4, 6.0, 12.0, 16.0, 24.0]
    assert list(line.get_ydata()) == [0.0, 50.0, 67.0, 90.0, 96.0, 100.0]
    assert "Liu 2006" in curve.get_title(loc="left")
    assert values.get_lines()[0].get_ydata()[0] == 20.0  # the study's mark
    assert {s.kind for s in result.phase_spans} >= {"trt", "hcg", "recovery"}
    verdicts = {a.phase_kind: a.verdict for a in result.assessments}
    assert verdicts["recovery"] == "as_expected"
    assert any("optimistic" in n for n in result.notes)
    FigureCanvasAgg(result.figure).draw()


def test_without_any_testosterone_the_curve_is_not_drawn(journal: Journal) -> None:
    journal.add_many([Phase(None, "baseline", "2026-01-01", None),
                      make_result("2026-01-10", "sperm_concentration", "35", "million/mL")])
    result = build_sperm_recovery_chart(sperm_chart_data(journal))
    assert result.points == []
    assert result.notes and "no day to count the recovery from" in result.notes[0]
