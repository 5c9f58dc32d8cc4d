"""Issue 20: each concept is defined once; a second definition is how two screens came to
disagree (T/E2 pairing by day in the alerts and by minute in the chart)."""

from __future__ import annotations

import ast
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hpgjournal"

ONCE = ("same_draw_pairs", "draw_day", "censored_ratio", "t_e2_of", "t_e2_series", "free_t_series",
        "testicular_volume_series", "is_testosterone_dose", "unit_like", "_unit_like",
        "flag_code", "load_chart_data", "assess_journal", "review", "default_knowledge",
        "save_figure", "dose_table", "_last_testosterone", "phase_lanes", "layout_lanes",
        "assign_lanes", "marker_name", "marker_short", "interval_days", "next_site", "day_before",
        "worked_out_total", "phases_to_start")


@cache
def _definitions() -> Counter[str]:
    found: Counter[str] = Counter()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                found[node.name] += 1
    return found


@pytest.mark.parametrize("name", ONCE)
def test_a_concept_has_at_most_one_definition(name: str) -> None:
    assert _definitions()[name] <= 1, f"{name} is defined more than once"


def test_a_flag_word_means_the_same_in_a_value_and_in_a_flag_column() -> None:
    from hpgjournal.domain.values import FLAG_WORDS, flag_code, parse_value

    for word, code in FLAG_WORDS.items():
        assert flag_code(word) == (code, ""), word
    assert parse_value("12.1 crit").flag == flag_code("crit")[0] == "A"


def test_a_unit_in_a_name_and_after_a_number() -> None:
    from hpgjournal.domain.values import unit_like

    assert unit_like("ng/dL") and unit_like("ng/dL", in_name=True)
    assert unit_like("kg", in_name=True) and not unit_like("kg")
    assert not unit_like("LC/MS/MS", in_name=True)
