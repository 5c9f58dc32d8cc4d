"""Every spelling of a comparator a lab prints is read as the comparator it means (issue 20).

Each row is written from what the words mean, not from the code: "=<" is "at most", "over" is
"more than", "LE" is "less than or equal", "GE" "greater than or equal". A value and a range
parsed from the same spelling must agree on the side and on whether the limit itself is allowed.
"""

from __future__ import annotations

import pytest

from hpgjournal.domain.values import flag_for, parse_range, parse_value

# text printed by a lab -> the comparator it means
VALUE_SPELLINGS = [
    ("<5", "<"), ("< 5", "<"), (">5", ">"), ("> 5", ">"),
    ("<=5", "<="), (">=5", ">="),
    ("=<5", "<="), ("=< 5", "<="), ("=>5", ">="), ("=> 5", ">="),
    ("< or = 5", "<="), ("> OR = 5", ">="), ("<or=5", "<="),
    ("\u22645", "<="), ("\u22655", ">="),
    ("LT 5", "<"), ("lt 5", "<"), ("GT 5", ">"), ("gt 5", ">"),
    ("LE 5", "<="), ("le 5", "<="), ("Le 5", "<="),
    ("GE 5", ">="), ("ge 5", ">="), ("Ge 5", ">="),
    ("less than 5", "<"), ("Less Than 5", "<"), ("greater than 5", ">"),
    ("less than or equal to 5", "<="), ("greater than or equal to 5", ">="),
    ("below 5", "<"), ("under 5", "<"), ("Under 5", "<"),
    ("above 5", ">"), ("over 5", ">"), ("Over 5", ">"), ("OVER 5", ">"),
]


@pytest.mark.parametrize(("text", "comparator"), VALUE_SPELLINGS)
def test_a_printed_comparator_means_what_it_says(text: str, comparator: str) -> None:
    parsed = parse_value(text)
    assert parsed.number == 5.0
    assert parsed.comparator == comparator, text
    assert parsed.censored


@pytest.mark.parametrize(("text", "comparator"), [
    ("=<0.2", "<="), ("over 1500", ">"), ("LE 0.2", "<="), ("GE 1500", ">="),
])
def test_the_comparator_decides_the_flag_at_the_limit(text: str, comparator: str) -> None:
    """A result printed at a range limit: "at most 0.2" against a range from 0.2 is not low,
    "below 0.2" is; "at least 1500" against a range up to 1500 is not high, "over 1500" is."""
    parsed = parse_value(text)
    assert parsed.comparator == comparator
    assert parsed.number is not None
    expected = {"<=": "", "<": "L", ">=": "", ">": "H"}[comparator]
    assert flag_for(parsed.number, comparator, 0.2, 1500.0) == expected


# range text -> (low, high, low inclusive, high inclusive)
RANGE_SPELLINGS = [
    ("=<39", None, 39.0, True, True),
    ("=>40", 40.0, None, True, True),
    ("LE 39", None, 39.0, True, True),
    ("le 39", None, 39.0, True, True),
    ("GE 40", 40.0, None, True, True),
    ("ge 40", 40.0, None, True, True),
    ("LT 39", None, 39.0, True, False),
    ("GT 40", 40.0, None, False, True),
    ("over 40", 40.0, None, False, True),
    ("Over 40", 40.0, None, False, True),
    ("above 40", 40.0, None, False, True),
    ("more than 40", 40.0, None, False, True),
    ("under 39", None, 39.0, True, False),
    ("below 39", None, 39.0, True, False),
    ("less than 39", None, 39.0, True, False),
    ("at most 39", None, 39.0, True, True),
    ("up to 39", None, 39.0, True, True),
    ("at least 40", 40.0, None, True, True),
]


@pytest.mark.parametrize(("text", "low", "high", "low_inclusive", "high_inclusive"),
                         RANGE_SPELLINGS)
def test_a_printed_range_word_means_what_it_says(text: str, low: float | None,
                                                 high: float | None, low_inclusive: bool,
                                                 high_inclusive: bool) -> None:
    parsed = parse_range(text)
    assert (parsed.low, parsed.high) == (low, high), text
    assert (parsed.low_inclusive, parsed.high_inclusive) == (low_inclusive, high_inclusive), text
