"""A value typed by hand that is no number where the marker needs one (issue 13)."""

from __future__ import annotations

import pytest

from hpgjournal.domain.plausible import (
    is_text_result,
    judge_text,
    judge_value,
    look_alike_number,
)


@pytest.mark.parametrize(("typed", "meant"), [
    ("4OO", "400"), ("4oo", "400"), ("l0", "10"), ("1I.5", "11.5"), ("<O.2", "<0.2"),
    ("TNP", ""), ("abc", ""), ("4 OO", ""), ("12", ""),
])
def test_letters_typed_for_digits_give_the_number_meant(typed, meant):
    assert look_alike_number(typed) == meant


def test_a_catalogue_marker_refuses_text_that_is_no_number_and_names_the_number_meant():
    verdict = judge_text("testosterone_total", "4OO")
    assert verdict.refused.startswith("4OO is not a number: did you mean 400?")
    assert (verdict.field, verdict.suggestion) == ("value", "400")
    other = judge_text("testosterone_total", "high-ish")
    assert "is not a number" in other.refused and other.suggestion == ""


@pytest.mark.parametrize("typed", ["TNP", "QNS", "See note", "pending.", "--", "<0.2", "545",
                                   "Negative"])
def test_text_results_labs_print_and_numbers_are_fine(typed):
    assert judge_text("testosterone_total", typed).ok


def test_an_own_marker_may_hold_any_text():
    assert judge_text("custom:Blood group", "A Rh+").ok
    assert not is_text_result("4OO") and is_text_result("see comment")


def test_a_hematocrit_fraction_suggests_the_percentage():
    assert judge_value("hematocrit", 0.51).suggestion == "51"
    assert judge_value("hematocrit", 0.45, "<").suggestion == "<45"
    assert judge_value("testosterone_total", 6000).suggestion == ""


@pytest.mark.parametrize("typed", ["Not assessable", "No data available", "not calculated",
                                   "No sample received."])
def test_words_a_lab_writes_instead_of_a_number_are_text_results(typed):
    assert is_text_result(typed) and judge_text("sperm_motility", typed).ok


def test_a_word_merely_starting_like_them_is_not():
    assert not is_text_result("nothing") and not is_text_result("note")
    assert judge_text("testosterone_total", "nothing").refused
