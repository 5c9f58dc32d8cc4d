"""Charts never fail on a stored value: impossible ones (written into an old
journal by SQL) are left out of every drawing and calculation, and the chart's notes say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpgjournal.charts.data import PANEL_MARKERS
from hpgjournal.charts.marker import build_marker_chart
from hpgjournal.charts.sperm import build_sperm_recovery_chart
from hpgjournal.cli import main
from hpgjournal.services.chartdata import load_chart_data, review, sperm_chart_data
from hpgjournal.store.journal import Journal
from tests.conftest import DEMO_TODAY, IMPOSSIBLE_BY_SQL

BROKEN = [key for key, _ in IMPOSSIBLE_BY_SQL]


@pytest.mark.parametrize("markers", [
    ["testosterone_total"], ["panel"], ["t_e2_ratio"], ["free_t_calculated"],
    ["sperm_recovery"], ["testicular_volume"], ["lh", "fsh", "--units", "si"],
])
def test_the_chart_command_draws_around_impossible_values(broken_demo_path, tmp_path, capsys,
                                                          markers):
    out = tmp_path / "chart.png"
    status = main(["chart", *markers, "--journal", str(broken_demo_path), "-o", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert out.stat().st_size > 1000 and "written to" in captured.out


def test_an_svg_says_what_it_left_out_under_the_chart(broken_demo_path, tmp_path):
    out = tmp_path / "chart.svg"
    assert main(["chart", "testosterone_total", "--journal", str(broken_demo_path), "-o",
                 str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "left out because it is impossible" in text  # the footnote of a file


def test_the_chart_data_keeps_only_usable_values_and_says_why(broken_demo_path):
    with Journal.open(broken_demo_path, readonly=True) as journal:
        data = load_chart_data(journal, [*BROKEN, "testicular_volume"])
    for key in [*BROKEN, "testicular_volume"]:
        left_out = data.left_out[key]
        assert len(left_out) == 1 and left_out[0][1], key
        assert all(r.value is None or abs(r.value) < 1e6 for r in data.series[key]), key
    assert "before 1900" in data.left_out["fsh"][0][1]
    assert data.first_day is not None and data.first_day.year > 1900


def test_the_marker_chart_notes_what_it_left_out(broken_demo_path):
    with Journal.open(broken_demo_path, readonly=True) as journal:
        result = build_marker_chart(load_chart_data(journal, list(PANEL_MARKERS)), list(PANEL_MARKERS))
        sperm = build_sperm_recovery_chart(sperm_chart_data(journal))
    notes = " ".join(result.notes)
    assert "Total T of" in notes and "1e+308 ng/dL is impossible" in notes
    assert "E2 of" in notes and "inf is not a finite number" in notes
    assert "LH of" in notes and "not a finite number" in notes
    assert "Hct of" in notes and "cannot be below 0" in notes
    assert "FSH of 0001-01-01" in notes
    drawn = [p.y for p in result.points]
    assert drawn and all(abs(y) < 1e6 for y in drawn)
    assert any("left out because it is impossible" in n for n in sperm.notes)


def test_verdicts_flags_and_tests_due_skip_impossible_values(broken_demo_path):
    with Journal.open(broken_demo_path, readonly=True) as journal:
        found = review(journal, as_of=DEMO_TODAY)
    assert found.verdicts  # judged on the usable values


def test_check_lists_every_value_the_charts_leave_out(broken_demo_path):
    from hpgjournal.store.check import check

    with Journal.open(broken_demo_path, readonly=True) as journal:
        errors = [p for p in check(journal) if p.severity == "error"]
    assert len(errors) == len(IMPOSSIBLE_BY_SQL) + 1
    assert any(p.where.startswith("measure #") and "left testis volume inf is not a finite" in
               p.message for p in errors)


def test_the_demo_journal_has_nothing_to_leave_out(demo_path: Path):
    with Journal.open(demo_path, readonly=True) as journal:
        data = load_chart_data(journal, [*BROKEN, "testicular_volume"])
    assert data.left_out == {}
