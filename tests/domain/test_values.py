"""Tests of value and range parsing, flags and number formatting.

One test per line of the value/range quirks table in research/formats.md section 1.11.
"""

from __future__ import annotations

import random

import pytest

from hpgjournal.domain.analytes import normalise_unit
from hpgjournal.domain.values import (
    ParsedRange,
    ParsedValue,
    flag_for,
    format_number,
    parse_range,
    parse_value,
)

# ---- quirks table: values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "comparator", "number"),
    [
        ("<0.5", "<", 0.5), ("<10", "<", 10.0), ("<1.0", "<", 1.0), ("<0.8", "<", 0.8),
        (">1500", ">", 1500.0), ("<0.04", "<", 0.04), ("GT 45", ">", 45.0), ("LT 5", "<", 5.0),
        ("< 0.2", "<", 0.2), ("<=4.00", "<=", 4.0), (">= 60", ">=", 60.0),
        ("< OR = 5", "<=", 5.0), ("> or = 60", ">=", 60.0), ("\u2264 3", "<=", 3.0),
        ("less than 0.1", "<", 0.1),
    ],
)
def test_quirk_censored_values_keep_comparator_and_number(
    text: str, comparator: str, number: float
) -> None:
    parsed = parse_value(text)
    assert parsed.number == number
    assert parsed.comparator == comparator
    assert parsed.censored
    assert parsed.text == text


def test_a_plain_number_is_not_censored() -> None:
    parsed = parse_value("656")
    assert parsed == ParsedValue(656.0, "", "656", "", "")
    assert not parsed.censored


@pytest.mark.parametrize(
    ("text", "number", "flag"),
    [
        ("235.8 H", 235.8, "H"), ("40 H", 40.0, "H"), ("4.6 Low", 4.6, "L"),
        ("52.3 High", 52.3, "H"), ("15.1 L", 15.1, "L"), ("235.8H", 235.8, "H"),
        ("3.1 (L)", 3.1, "L"), ("7.9 HH", 7.9, "HH"), ("0.1 LL", 0.1, "LL"),
        ("12 A", 12.0, "A"), ("12 Abnormal", 12.0, "A"), ("61 Critical", 61.0, "A"),
        ("61 Critical High", 61.0, "HH"), ("5.0 N", 5.0, ""), ("5.0 Normal", 5.0, ""),
    ],
)
def test_quirk_flag_glued_to_the_value_is_split_off(text: str, number: float, flag: str) -> None:
    parsed = parse_value(text)
    assert parsed.number == number
    assert parsed.flag == flag
    assert parsed.unit == ""


def test_quirk_flag_word_between_value_and_unit() -> None:
    parsed = parse_value("4.6 Low pg/mL")
    assert (parsed.number, parsed.flag, parsed.unit) == (4.6, "L", "pg/mL")


@pytest.mark.parametrize(
    ("text", "number"),
    [("1,077", 1077.0), ("18550", 18550.0), ("1,050", 1050.0), ("12,345,678", 12345678.0),
     ("1,077.5", 1077.5)],
)
def test_quirk_thousands_separator(text: str, number: float) -> None:
    assert parse_value(text).number == number


@pytest.mark.parametrize(
    ("text", "number"),
    [("21,3", 21.3), ("0,51", 0.51), ("0,500", 0.5), ("1,050", 1.05), ("1.077,5", 1077.5),
     ("1.077", 1077.0), ("4.5", 4.5), ("<0,1", 0.1)],
)
def test_quirk_decimal_comma(text: str, number: float) -> None:
    assert parse_value(text, decimal_comma=True).number == number


def test_quirk_decimal_comma_that_cannot_be_thousands_reads_as_decimal_anyway() -> None:
    # "21,3" and "0,500" cannot be thousands, so even a dot file reads them as decimals.
    assert parse_value("21,3").number == 21.3
    assert parse_value("0,500").number == 0.5


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("5.2 mmol/L", 5.2, "mmol/L"), ("1077 ng/dL", 1077.0, "ng/dL"),
        ("1,050 ng/mL", 1050.0, "ng/mL"), ("45%", 45.0, "%"), ("0.45 L/L", 0.45, "L/L"),
        ("5.1 x10E6/uL", 5.1, "x10E6/uL"), ("85 \u00b5g/L", 85.0, "\u00b5g/L"),
        ("97 mg/dL (calc)", 97.0, "mg/dL (calc)"), ("113 mL/min/1.73", 113.0, "mL/min/1.73"),
    ],
)
def test_quirk_unit_inside_the_value(text: str, number: float, unit: str) -> None:
    parsed = parse_value(text)
    assert parsed.number == number
    assert parsed.unit == unit  # as printed; normalise_unit() cleans it
    assert normalise_unit(parsed.unit)


@pytest.mark.parametrize(
    "text",
    ["TNP", "QNS", "DNR", "See Note", "SEE BELOW", "Positive", "--", "No Data Available",
     "Not detected", "Negative", "<LOD", "pending", "-", "2+", "5.0 see note", "1 077",
     "1.2.3", "8,64-29,0"],
)
def test_quirk_non_numeric_results_keep_their_text_and_have_no_number(text: str) -> None:
    parsed = parse_value(text)
    assert parsed.number is None
    assert parsed.text == text
    assert parsed.comparator == ""
    assert not parsed.censored


def test_value_edge_cases() -> None:
    assert parse_value("").number is None
    assert parse_value("   ").text == ""
    assert parse_value("-2.0").number == -2.0
    assert parse_value("+2.0").number == 2.0
    assert parse_value("1.2e3").number == 1200.0
    assert parse_value("1.2E+03").number == 1200.0
    assert parse_value("\u00a0656\u00a0").number == 656.0
    assert parse_value("\u2212 2").number is None  # a sign must touch its number
    assert parse_value("\u22122").number == -2.0
    assert parse_value(".5").number == 0.5
    assert parse_value("1e999").number is None  # overflow is not a number


ODD_INPUTS = [
    "", " ", "\u00a0", "\t\n", "<", ">=", "< OR =", "GT", "LT ", "e", "E5", ".", ",", ",,",
    "1,,2", "1..2", "--5", "++5", "+-5", "5-", "5e", "5e+", "1e308", "1e-400", "nan", "inf",
    "-inf", "NaN H", "0x1F", "1_000", "١٢٣", "５", "½", "²", "5²", "(5)", "[H]", "H", "Low",
    "<<5", "<>5", "=", "==5", "=<5", "=>5", "\u2264", "5 \u2265", "\x00", "\ud800", "😀",
    "5 😀", "<0.5 H ng/mL", "1,050 ng/mL H", "Critical", "9" * 400, "1," * 200,
    "<" + "9" * 5000, "5 " + "x" * 10_000, "Adult Males: 8.0 - 35", "-2.0 - +2.0",
    "> OR = 40", "above >=90", "None", "null", "True", "0,", ",5", "5,", "5.",
]


@pytest.mark.parametrize("decimal_comma", [False, True])
def test_parse_value_and_parse_range_never_raise_on_odd_input(decimal_comma: bool) -> None:
    rng = random.Random(20240601)
    alphabet = list("0123456789.,+-<>= eE%/HLlowhigAOR()\u00b5\u03bc\u00a0\u2212\u2264:x^*'\"")
    generated = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
                 for _ in range(3000)]
    for text in ODD_INPUTS + generated:
        value = parse_value(text, decimal_comma=decimal_comma)
        assert isinstance(value, ParsedValue)
        assert value.comparator in ("", "<", "<=", ">", ">=")
        assert value.flag in ("", "H", "L", "HH", "LL", "A")
        assert value.number is None or value.number == value.number  # never NaN
        if value.number is None:
            assert value.comparator == ""
        ranged = parse_range(text, decimal_comma=decimal_comma)
        assert isinstance(ranged, ParsedRange)
        if ranged.low is not None and ranged.high is not None:
            assert ranged.low <= ranged.high


# ---- quirks table: ranges ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "low_inclusive", "high_inclusive"),
    [
        ("264-916", 264.0, 916.0, True, True),
        ("264 - 916", 264.0, 916.0, True, True),
        ("0.0-4.0", 0.0, 4.0, True, True),
        ("0-99", 0.0, 99.0, True, True),
        ("<200", None, 200.0, True, False),
        ("<5.7", None, 5.7, True, False),
        (">59", 59.0, None, False, True),
        ("> OR = 40", 40.0, None, True, True),
        ("< OR = 39", None, 39.0, True, True),
        ("< or = 13.5", None, 13.5, True, True),
        ("<=4.00", None, 4.0, True, True),
        (">=90", 90.0, None, True, True),
        ("above >=90", 90.0, None, True, True),
        ("Adult Males: 8.0 - 35", 8.0, 35.0, True, True),
        ("Adults: <151", None, 151.0, True, False),
        ('"Adult Males (41 - 50y): 16 - 390"', 16.0, 390.0, True, True),
        ("Negative<0.8", None, 0.8, True, False),
        ("-2.0 - +2.0", -2.0, 2.0, True, True),
        ("3.5 \u2013 5.5", 3.5, 5.5, True, True),
        ("3.5 to 5.5", 3.5, 5.5, True, True),
        ("\u2264 39", None, 39.0, True, True),
    ],
)
def test_quirk_range_forms(
    text: str, low: float | None, high: float | None, low_inclusive: bool, high_inclusive: bool
) -> None:
    parsed = parse_range(text)
    assert (parsed.low, parsed.high) == (low, high)
    if low is not None:
        assert parsed.low_inclusive is low_inclusive
    if high is not None:
        assert parsed.high_inclusive is high_inclusive
    assert parsed.text == text


def test_quirk_range_with_decimal_comma() -> None:
    parsed = parse_range("8,64-29,0", decimal_comma=True)
    assert (parsed.low, parsed.high) == (8.64, 29.0)


@pytest.mark.parametrize(
    "text",
    ["", "Not Estab.", "Male Ranges by BMI (see report)", "See note", "<50 <165", "916-264",
     "Male 8-35 Female 15-350", "0-0", "0 - 0", "0.0 - 0.00"],
)
def test_ranges_without_readable_bounds_keep_only_the_text(text: str) -> None:
    parsed = parse_range(text)
    assert parsed.low is None and parsed.high is None
    assert parsed.text == text


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("250 - 1100 ng/dL", 250.0, 1100.0), ("250 - 1,100 ng/dL", 250.0, 1100.0),
     ("<5.7 %", None, 5.7), ("35.0-155.0 pg/mL", 35.0, 155.0), ("> OR = 60 mL/min/1.73m2", 60.0,
                                                                 None),
     ("1.0-2.5 (calc)", 1.0, 2.5)],
)
def test_quirk_range_with_unit(text: str, low: float | None, high: float | None) -> None:
    parsed = parse_range(text)
    assert (parsed.low, parsed.high) == (low, high)


# ---- flags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "comparator", "low", "high", "flag"),
    [
        (386.0, "", 264.0, 916.0, ""),
        (1077.0, "", 250.0, 1100.0, ""),
        (235.8, "", 46.0, 224.0, "H"),
        (4.6, "", 6.8, 21.5, "L"),
        (264.0, "", 264.0, 916.0, ""),  # on the bound is in range
        (0.2, "<", 1.7, None, "L"),  # "<0.2" against a low of 1.7 is low
        (5.0, "<", None, 3.0, ""),  # "<5" against a high of 3 might be in range
        (0.5, "<", 0.0, 4.0, ""),
        (1500.0, ">", 264.0, 916.0, "H"),
        (800.0, ">", 264.0, 916.0, ""),
        (916.0, ">", 264.0, 916.0, "H"),  # ">916" is above a high of 916
        (916.0, ">=", 264.0, 916.0, ""),
        (264.0, "<", 264.0, 916.0, "L"),
        (264.0, "<=", 264.0, 916.0, ""),
        (None, "", 264.0, 916.0, ""),
        (50.0, "", None, None, ""),
    ],
)
def test_flag_for(
    value: float | None, comparator: str, low: float | None, high: float | None, flag: str
) -> None:
    assert flag_for(value, comparator, low, high) == flag


def test_flag_for_respects_exclusive_bounds() -> None:
    # "<200": 200 itself is out of range; ">59": 59 itself is out of range.
    assert flag_for(200.0, "", None, 200.0, high_inclusive=False) == "H"
    assert flag_for(200.0, "", None, 200.0) == ""
    assert flag_for(59.0, "", 59.0, None, low_inclusive=False) == "L"
    assert flag_for(59.0, "<=", 59.0, None, low_inclusive=False) == "L"


def test_flag_for_refuses_an_unknown_comparator() -> None:
    with pytest.raises(ValueError, match="comparator"):
        flag_for(5.0, "~", 1.0, 10.0)


def test_parsed_range_and_value_work_together() -> None:
    value = parse_value("<0.2")
    rng = parse_range("1.7-8.6")
    assert flag_for(value.number, value.comparator, rng.low, rng.high) == "L"


# ---- formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (656.0, 0, "656"), (4.8, 1, "4.8"), (0.52, 2, "0.52"), (1077.0, 0, "1077"),
        (1077.4, 0, "1077"), (4.80, 2, "4.80"), (29.0, 1, "29.0"), (0.45, 3, "0.450"),
        (0.125, 2, "0.13"), (2.675, 2, "2.68"), (17.335, 1, "17.3"), (-0.0001, 2, "0.00"),
        (-0.0, 0, "0"), (-0.4, 0, "0"), (-2.04, 1, "-2.0"), (-2.06, 1, "-2.1"),
        (1e20, 0, "100000000000000000000"), (123456.789, 1, "123456.8"), (0.0004, 3, "0.000"),
    ],
)
def test_format_number(value: float, decimals: int, text: str) -> None:
    assert format_number(value, decimals) == text


def test_format_number_refuses_negative_decimals() -> None:
    with pytest.raises(ValueError, match="decimals"):
        format_number(1.0, -1)
