"""Building results from what a lab printed, and showing them back."""

from __future__ import annotations

import pytest

from hpgjournal.domain.display import range_text, status, trend, value_in
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.results import make_result
from hpgjournal.domain.timestamps import days_between, normalise_timestamp


@pytest.mark.parametrize("text, expected", [
    ("2025-03-04", "2025-03-04"), ("2025-03-04 08:15", "2025-03-04T08:15"),
    ("2025-03-04T08:15:59", "2025-03-04T08:15"), (" 2025-03-04 ", "2025-03-04"),
])
def test_timestamps_are_normalised(text, expected):
    assert normalise_timestamp(text) == expected


@pytest.mark.parametrize("text", ["2025-02-30", "04/03/2025", "", "2025-03-04 25:00", "yesterday"])
def test_bad_timestamps_say_what_to_write(text):
    with pytest.raises(ValidationError, match=r"YYYY-MM-DD|real"):
        normalise_timestamp(text)


def test_si_result_is_stored_canonical_and_shown_both_ways():
    r = make_result("2025-03-04", "testosterone_total", "18.9", "nmol/L", ref_text="8.64-29.0")
    assert r.unit == "ng/dL" and r.value == pytest.approx(545.1, abs=0.1)
    assert r.ref_low == pytest.approx(249.2, abs=0.1)
    assert value_in(r, "si") == ("18.9", "nmol/L")
    assert value_in(r, "us") == ("545", "ng/dL")
    lab_digits = make_result("2025-03-04", "psa", "0.8", "ng/mL")
    assert value_in(lab_digits) == ("0.8", "ng/mL")  # not padded to 0.80
    flagged = make_result("2025-03-04", "testosterone_free", "235.8 H", "pg/mL")
    assert value_in(flagged) == ("235.8", "pg/mL")
    censored = make_result("2025-03-04", "lh", "< 0.2", "IU/L")
    assert value_in(censored) == ("<0.2", "IU/L")
    assert range_text(r, "si") == "8.64–29.0"
    assert status(r) == "in range"


def test_censored_result_keeps_its_comparator_and_flag():
    r = make_result("2025-03-04", "lh", "<0.2", "mIU/mL", ref_text="1.7-8.6")
    assert (r.comparator, r.value, r.unit, r.flag) == ("<", 0.2, "IU/L", "L")
    assert value_in(r)[0] == "<0.2"


def test_text_result_has_no_number():
    r = make_result("2025-03-04", "fsh", "TNP")
    assert r.value is None and r.reported_value == "TNP"
    assert value_in(r) == ("TNP", "")


def test_unit_that_does_not_fit_is_refused_on_the_unit_field():
    with pytest.raises(ValidationError) as info:
        make_result("2025-03-04", "testosterone_total", "500", "%")
    assert info.value.field == "unit"


def test_unknown_marker_and_method_are_refused():
    with pytest.raises(ValidationError) as info:
        make_result("2025-03-04", "unobtainium", "5", "mg")
    assert info.value.field == "analyte"
    with pytest.raises(ValidationError) as info:
        make_result("2025-03-04", "lh", "5", "IU/L", method="sensitive")
    assert info.value.field == "method"


def test_custom_marker_keeps_its_own_unit():
    r = make_result("2025-03-04", "custom:Zinc", "92", "ug/dL")
    assert (r.value, r.unit) == (92.0, "ug/dL")


def test_glued_flag_wins_over_computed():
    r = make_result("2025-03-04", "testosterone_free", "235.8 H", "pg/mL", ref_text="46.0-224.0")
    assert r.flag == "H" and r.value == pytest.approx(235.8)


def test_trend_reads_as_a_person_would():
    before = make_result("2025-01-01", "testosterone_total", "600", "ng/dL")
    after = make_result("2025-03-01", "testosterone_total", "480", "ng/dL")
    t = trend(after, before)  # -20 %: inside total T's own variation (-37 %), so no arrow down
    assert t.arrow == "→" and t.text == "-20 % since 2025-01-01 (600)"
    lower = make_result("2025-03-01", "testosterone_total", "360", "ng/dL")
    assert trend(lower, before).arrow == "↓"  # -40 %
    assert trend(after, None).text == "first result"


def test_two_results_beyond_the_same_limit_have_no_arrow():
    before = make_result("2025-01-01", "lh", "<0.2", "IU/L")
    after = make_result("2025-03-01", "lh", "<0.3", "IU/L")
    t = trend(after, before)
    assert t.arrow == "" and "still beyond the test's limit" in t.text
    risen = make_result("2025-05-01", "lh", "4.8", "IU/L")
    assert trend(risen, after).arrow == "↑"


def test_a_german_decimal_comma_never_reaches_a_us_report():
    comma = make_result("2025-01-01", "hematocrit", "49,8", "%")
    assert value_in(comma, "us") == ("49.8", "%")
    thousands = make_result("2025-01-01", "testosterone_total", "1,104", "ng/dL")
    assert value_in(thousands, "us") == ("1,104", "ng/dL")
    none = make_result("2025-01-01", "sperm_concentration", "0", "million/mL")
    assert value_in(none, "us")[0] == "none seen"
    assert days_between("2025-01-01", "2025-01-02T12:00") == 1.5


def test_an_own_marker_shows_the_digits_the_lab_printed():
    from hpgjournal.domain.display import value_in

    assert value_in(make_result("2025-03-04", "custom:Zinc", "18.9", "ug/dL")) == ("18.9", "ug/dL")
    assert value_in(make_result("2025-03-04", "custom:Zinc", "18,90", "ug/dL",
                                decimal_comma=True)) == ("18.90", "ug/dL")
    assert value_in(make_result("2025-03-04", "custom:Zinc", "<5", "ug/dL")) == ("<5", "ug/dL")
