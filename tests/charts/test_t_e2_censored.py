"""The T/E2 ratio of a draw with a censored result (issue 20, item 6).

A censored value is an interval, and the ratio is worked out from the interval: T 500 ng/dL over
an estradiol below 5 pg/mL is above 500 / 5 = 100, never below it and never exactly 100; a
testosterone above its limit over a plain estradiol is above the quotient; when both are
censored nothing can be said.
"""

from __future__ import annotations

import pytest

from hpgjournal.charts.data import t_e2_series
from hpgjournal.domain.records import LabResult

DRAW = "2026-03-01T08:00"


def lab(key: str, value: float, comparator: str = "", taken_at: str = DRAW) -> LabResult:
    return LabResult(id=None, taken_at=taken_at, analyte=key, value=value, unit="",
                     reported_value=f"{comparator}{value:g}", comparator=comparator)


@pytest.mark.parametrize(("t", "e2", "shown"), [
    (("", 500.0), ("", 25.0), "20"),
    (("", 500.0), ("<", 5.0), ">100"),  # E2 below 5: the ratio is above 100
    (("", 500.0), ("<=", 5.0), ">=100"),
    (("", 500.0), (">", 50.0), "<10"),  # E2 above 50: the ratio is below 10
    (("", 500.0), (">=", 50.0), "<=10"),
    ((">", 1500.0), ("", 25.0), ">60"),  # T above 1500: the ratio is above 60
    (("<", 20.0), ("", 25.0), "<0.8"),
    ((">=", 1500.0), ("", 25.0), ">=60"),
    (("<=", 20.0), ("", 25.0), "<=0.8"),
])
def test_a_censored_result_bounds_the_ratio_on_the_side_it_implies(t, e2, shown) -> None:
    (ratio,) = t_e2_series([lab("testosterone_total", t[1], t[0])],
                           [lab("estradiol", e2[1], e2[0])])
    assert f"{ratio.comparator}{ratio.value:g}" == shown
    assert ratio.reported_value == shown
    assert ratio.analyte == "t_e2_ratio" and ratio.taken_at == DRAW


@pytest.mark.parametrize(("t", "e2"), [
    (("<", 20.0), ("<", 5.0)), ((">", 1500.0), ("<", 5.0)), (("<", 20.0), (">", 50.0)),
])
def test_both_censored_gives_no_ratio(t, e2) -> None:
    assert t_e2_series([lab("testosterone_total", t[1], t[0])],
                       [lab("estradiol", e2[1], e2[0])]) == []

