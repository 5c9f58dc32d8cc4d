"""Tests of calculated free testosterone (Vermeulen 1999) and the T/E2 ratio.

Expected figures are the worked examples in research/formats.md section 4.
"""

from __future__ import annotations

import math

import pytest

from hpgjournal.domain.derived import (
    T_E2_LOW,
    FreeTestosterone,
    calculated_free_testosterone,
    t_e2_ratio,
)

NG_DL_PER_NMOL_L = 28.842  # testosterone, 288.42 g/mol
REL = 0.005  # 0.5 % relative


def test_issam_published_example() -> None:
    # TT 288.4 ng/dL (10 nmol/L), SHBG 40 nmol/L, albumin 43 g/L.
    result = calculated_free_testosterone(288.4, 40.0, 4.3)
    assert isinstance(result, FreeTestosterone)
    assert result.free_nmol_l == pytest.approx(0.1739, rel=REL)
    assert result.free_pg_ml == pytest.approx(50.2, rel=REL)
    assert result.percent_free == pytest.approx(1.74, rel=REL)
    assert result.bioavailable_ng_dl == pytest.approx(117.5, rel=REL)


# (total T, unit, SHBG nmol/L, albumin g/L, FT nmol/L, FT pg/mL, FT %, BioT ng/dL)
TABLE = [
    (15.0, "nmol/L", 40.0, 45.0, 0.2677, 77.2, 1.78, 189.0),
    (10.0, "nmol/L", 20.0, 42.0, 0.2576, 74.3, 2.58, 170.3),
    (20.0, "nmol/L", 35.0, 43.0, 0.4152, 119.8, 2.08, 280.7),
    (5.0, "nmol/L", 30.0, 40.0, 0.1018, 29.4, 2.04, 64.2),
    (30.0, "nmol/L", 60.0, 40.0, 0.4809, 138.7, 1.60, 303.3),
    (25.0, "nmol/L", 20.0, 43.0, 0.7119, 205.3, 2.85, 481.2),
    (500.0, "ng/dL", 30.0, 45.0, 0.3744, 108.0, 2.16, 264.3),
    (1200.0, "ng/dL", 18.0, 43.0, 1.3361, 385.4, 3.21, 903.1),
    (150.0, "ng/dL", 45.0, 43.0, 0.0799, 23.0, 1.54, 54.0),
    (1077.0, "ng/dL", 24.0, 42.0, 1.0847, 312.8, 2.90, 716.8),
]


@pytest.mark.parametrize(
    ("total", "unit", "shbg", "albumin_g_l", "ft_nmol", "ft_pg", "ft_pct", "bio_ng_dl"), TABLE
)
def test_worked_examples_table(
    total: float, unit: str, shbg: float, albumin_g_l: float, ft_nmol: float, ft_pg: float,
    ft_pct: float, bio_ng_dl: float,
) -> None:
    total_ng_dl = total * NG_DL_PER_NMOL_L if unit == "nmol/L" else total
    result = calculated_free_testosterone(total_ng_dl, shbg, albumin_g_l / 10)
    assert result.free_nmol_l == pytest.approx(ft_nmol, rel=REL)
    assert result.free_pg_ml == pytest.approx(ft_pg, rel=REL)
    assert result.percent_free == pytest.approx(ft_pct, rel=REL)
    assert result.bioavailable_ng_dl == pytest.approx(bio_ng_dl, rel=REL)


def test_default_albumin_is_43_g_per_l() -> None:
    assert calculated_free_testosterone(500.0, 30.0) == calculated_free_testosterone(
        500.0, 30.0, 4.3)


def test_parts_are_consistent() -> None:
    result = calculated_free_testosterone(650.0, 35.0, 4.5)
    assert result.free_pg_ml == pytest.approx(result.free_nmol_l * 288.42, rel=1e-9)
    assert result.percent_free == pytest.approx(100 * (result.free_pg_ml / 10) / 650.0, rel=1e-9)
    assert result.free_pg_ml / 10 < result.bioavailable_ng_dl < 650.0


def test_more_shbg_means_less_free_testosterone() -> None:
    frees = [calculated_free_testosterone(600.0, shbg).free_pg_ml for shbg in (10, 30, 60, 120)]
    assert frees == sorted(frees, reverse=True)


def test_extreme_inputs_stay_finite_and_inside_the_total() -> None:
    for total, shbg, albumin in [(2.0, 250.0, 2.0), (5000.0, 1.0, 6.0), (0.01, 0.01, 0.5)]:
        result = calculated_free_testosterone(total, shbg, albumin)
        assert math.isfinite(result.free_pg_ml)
        assert 0 < result.percent_free < 100


@pytest.mark.parametrize(
    ("total", "shbg", "albumin", "word"),
    [
        (0.0, 40.0, 4.3, "total testosterone"), (-5.0, 40.0, 4.3, "total testosterone"),
        (500.0, 0.0, 4.3, "SHBG"), (500.0, -1.0, 4.3, "SHBG"), (500.0, 40.0, 0.0, "albumin"),
        (math.nan, 40.0, 4.3, "total testosterone"), (500.0, math.inf, 4.3, "SHBG"),
        (500.0, 40.0, 43.0, "g/L"),
    ],
)
def test_bad_inputs_raise_a_clear_value_error(
    total: float, shbg: float, albumin: float, word: str
) -> None:
    with pytest.raises(ValueError, match=word):
        calculated_free_testosterone(total, shbg, albumin)


def test_t_e2_ratio() -> None:
    assert t_e2_ratio(500.0, 25.0) == pytest.approx(20.0)
    assert t_e2_ratio(250.0, 30.0) < T_E2_LOW
    assert t_e2_ratio(0.0, 30.0) == 0.0
    assert T_E2_LOW == 10.0


@pytest.mark.parametrize(("total", "estradiol"), [(500.0, 0.0), (500.0, -3.0), (-1.0, 20.0),
                                                  (500.0, math.nan)])
def test_t_e2_ratio_refuses_impossible_inputs(total: float, estradiol: float) -> None:
    with pytest.raises(ValueError):
        t_e2_ratio(total, estradiol)


# --- one definition of "same draw" and of a censored ratio (issue 20, part 3)

def _lab(key: str, value: float, taken_at: str, comparator: str = ""):
    from hpgjournal.domain.records import LabResult
    return LabResult(id=None, taken_at=taken_at, analyte=key, value=value, unit="",
                     reported_value=f"{comparator}{value:g}", comparator=comparator)


def test_t_and_e2_five_minutes_apart_give_both_an_alert_and_a_chart_point() -> None:
    from hpgjournal.domain.alerts import find_alerts
    from hpgjournal.domain.derived import t_e2_series

    t = _lab("testosterone_total", 250.0, "2026-03-01T08:00")
    e2 = _lab("estradiol", 40.0, "2026-03-01T08:05")
    (point,) = t_e2_series([t], [e2])
    assert point.value == pytest.approx(6.25) and point.comparator == ""
    alerts = [a for a in find_alerts([t, e2]) if a.key == "te2"]
    assert len(alerts) == 1 and "6.2" in alerts[0].title


def test_results_of_different_days_are_not_one_draw() -> None:
    from hpgjournal.domain.alerts import find_alerts
    from hpgjournal.domain.derived import t_e2_series

    t = _lab("testosterone_total", 250.0, "2026-03-01T23:30")
    e2 = _lab("estradiol", 40.0, "2026-03-02T00:10")
    assert t_e2_series([t], [e2]) == []
    assert [a for a in find_alerts([t, e2]) if a.key == "te2"] == []


def test_the_closest_partner_of_the_day_is_taken() -> None:
    from hpgjournal.domain.derived import same_draw_pairs

    early = _lab("testosterone_total", 300.0, "2026-03-01T08:00")
    late = _lab("testosterone_total", 500.0, "2026-03-01T18:00")
    e2 = _lab("estradiol", 40.0, "2026-03-01T17:50")
    assert same_draw_pairs([early, late], [e2]) == [(late, e2)]


@pytest.mark.parametrize(("t", "e2", "chart", "alerted"), [
    (("", 300.0), ("<", 5.0), ">60", False),  # E2 below 5: ratio above 60, surely not low
    (("", 30.0), ("<", 5.0), ">6", False),  # above 6: may or may not be low, not judged
    (("", 300.0), (">", 50.0), "<6", True),  # E2 above 50: ratio below 6, surely low
    (("<", 20.0), ("", 25.0), "<0.8", True),
    (("", 300.0), (">", 20.0), "<15", False),  # below 15: not judged
    (("<", 20.0), ("<", 5.0), None, False),  # both censored: no ratio anywhere
])
def test_a_censored_term_is_treated_the_same_by_the_alert_and_the_chart(t, e2, chart, alerted
                                                                        ) -> None:
    from hpgjournal.domain.alerts import find_alerts
    from hpgjournal.domain.derived import t_e2_series

    tt = _lab("testosterone_total", t[1], "2026-03-01T08:00", t[0])
    ee = _lab("estradiol", e2[1], "2026-03-01T08:05", e2[0])
    points = t_e2_series([tt], [ee])
    shown = [f"{p.comparator}{p.value:g}" for p in points]
    assert shown == ([chart] if chart else [])
    alerts = [a for a in find_alerts([tt, ee]) if a.key == "te2"]
    assert bool(alerts) is alerted
    if alerted:
        assert alerts[0].title.startswith(f"T/E2 ratio {points[0].comparator}")
