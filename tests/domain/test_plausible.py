"""Plausibility limits: impossible values are refused with the reason, implausible ones warned."""

from __future__ import annotations

from datetime import date

import pytest

from hpgjournal.domain import analytes
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.plausible import (
    LIMITS,
    impossible_date,
    judge_result,
    judge_value,
    require_possible,
)
from hpgjournal.domain.results import make_result

TODAY = date(2026, 12, 1)


def test_every_catalogue_marker_has_limits_wider_than_its_range():
    assert set(LIMITS) == set(analytes.CATALOGUE)
    for key, marker in analytes.CATALOGUE.items():
        limits = LIMITS[key]
        assert limits.ceiling >= 100 if limits.percent else limits.ceiling >= 10 * limits.high
        for bound in (marker.ref_low, marker.ref_high):
            if bound:
                assert judge_value(key, bound).ok, (key, bound)
        for method in marker.methods:
            low, high, _ = analytes.default_range(key, method)
            for bound in (low, high):
                if bound:
                    assert judge_value(key, bound).ok, (key, method, bound)


@pytest.mark.parametrize(("value", "unit", "words"), [
    ("1e308", "ng/dL", "impossible: it is far beyond anything measured"),
    ("1e308", "nmol/L", "not a finite number"),  # converted, it overflows
    (">1e308", "ng/dL", "impossible"),
    ("<-5", "ng/dL", "cannot be below 0"),
    ("-5", "ng/dL", "Total testosterone -5 ng/dL is impossible"),
    ("NaN", "ng/dL", "'NaN' is not a finite number"),
    ("inf", "ng/dL", "'inf' is not a finite number"),
    ("-Infinity", "", "not a finite number"),
    ("1e999", "", "not a finite number"),
    ("1.5e999", "", "not a finite number"),
    ("<inf", "", "not a finite number"),
])
def test_impossible_values_are_refused_with_the_reason(value, unit, words):
    with pytest.raises(ValidationError, match=words) as caught:
        make_result("2024-03-01", "testosterone_total", value, unit)
    assert caught.value.field == "value"


def test_percentages_over_100_are_impossible():
    for key in ("hematocrit", "sperm_motility", "sperm_morphology", "hba1c"):
        with pytest.raises(ValidationError, match="a percentage cannot be above 100"):
            make_result("2024-03-01", key, "101", "%")
        make_result("2024-03-01", key, "100" if key != "hba1c" else "20", "%")
    # the free androgen index is a ratio x 100, not a share: above 100 is ordinary
    assert judge_value("free_androgen_index", 120.0).ok


@pytest.mark.parametrize(("key", "value", "unit", "words"), [
    ("testosterone_total", "6000", "ng/dL", "above 5,000 ng/dL"),
    ("testosterone_total", ">6000", "ng/dL", "implausible"),
    ("hematocrit", "12", "%", "below 15 %"),
    ("hematocrit", "80", "%", "above 75 %"),
    ("psa", "20000", "ng/mL", "above 10,000 ng/mL"),
    ("hemoglobin", "150", "g/dL", "above 25 g/dL"),  # g/L typed as g/dL
    ("glucose", "5.5", "mg/dL", "below 10 mg/dL"),  # mmol/L typed as mg/dL
])
def test_implausible_values_are_kept_with_a_warning(key, value, unit, words):
    result = make_result("2024-03-01", key, value, unit)
    verdict = judge_result(result, today=TODAY)
    assert not verdict.refused and words in verdict.warning and verdict.field == "value"
    assert "check the value and its unit" in verdict.warning


def test_a_hematocrit_fraction_is_named_as_such():
    result = make_result("2024-03-01", "hematocrit", "0.51", "%")
    assert result.value == pytest.approx(0.51)
    warning = judge_result(result, today=TODAY).warning
    assert "Hematocrit 0.51 % is implausible" in warning
    assert "fraction 0.51, that is 51 %" in warning
    assert judge_result(make_result("2024-03-01", "hematocrit", "0.51", "L/L"), today=TODAY).ok


def test_censored_values_are_judged_by_their_bound():
    assert judge_value("testosterone_total", 6000.0, "<").ok  # anything under 6,000
    assert judge_value("testosterone_total", 6000.0, ">").warning
    assert judge_value("hematocrit", 20.0, ">").ok
    assert judge_value("hematocrit", 10.0, "<").warning
    assert judge_value("lh", -1.0, "<").refused


def test_custom_markers_refuse_only_numbers_that_are_not_finite():
    for value in ("-5", "1e300", "0.51"):
        assert judge_result(make_result("2024-03-01", "custom:Base excess", value, "mmol/L"),
                            today=TODAY).ok
    for value in ("NaN", "inf"):
        with pytest.raises(ValidationError, match="not a finite number"):
            make_result("2024-03-01", "custom:Base excess", value, "mmol/L")
    assert judge_value("custom:x", float("nan")).refused


def test_text_results_stay_text():
    for text in ("TNP", "See note", "Negative", "N/A", "none"):
        assert make_result("2024-03-01", "psa", text).value is None


@pytest.mark.parametrize(("stamp", "words"), [
    ("0001-03-06", "before 1900"),
    ("1899-12-30", "before 1900"),
    ("2026-12-03", "in the future"),
    ("2030-01-01T08:00", "in the future"),
])
def test_impossible_dates_are_refused(stamp, words):
    assert words in impossible_date(stamp, today=TODAY)
    result = make_result("2024-03-01", "lh", "5")
    from dataclasses import replace

    verdict = judge_result(replace(result, taken_at=stamp), today=TODAY)
    assert words in verdict.refused and verdict.field == "taken_at"
    with pytest.raises(ValidationError, match=words):
        require_possible(replace(result, taken_at=stamp), today=TODAY)


def test_dates_from_1900_to_tomorrow_are_fine():
    for stamp in ("1900-01-01", "1975-06-01", "2026-12-01T23:59", "2026-12-02"):
        assert impossible_date(stamp, today=TODAY) == ""


def test_make_result_refuses_the_year_one():
    with pytest.raises(ValidationError, match="before 1900") as caught:
        make_result("0001-03-06", "testosterone_total", "500", "ng/dL")
    assert caught.value.field == "taken_at"


def test_a_range_too_large_to_convert_is_no_range():
    result = make_result("2024-03-01", "testosterone_total", "10", "nmol/L", ref_text="1-1e308")
    assert result.ref_low is None and result.ref_high is None


def test_the_plausible_spans_are_what_judge_value_calls_fine():
    from hpgjournal.domain.plausible import PLAUSIBLE_SPANS

    assert set(PLAUSIBLE_SPANS) == set(LIMITS)
    for key, (low, high) in PLAUSIBLE_SPANS.items():
        assert judge_value(key, low).ok and judge_value(key, high).ok, key
        assert not judge_value(key, high * 1.001 + 0.001).ok, key
        if low > 0:
            assert not judge_value(key, low * 0.999).ok, key
        assert judge_value(key, -0.001).refused, key
