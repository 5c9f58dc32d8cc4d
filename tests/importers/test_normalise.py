"""Names, units, flags and values to results: the normaliser and the column aliases."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hpgjournal.domain import analytes
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.results import make_result
from hpgjournal.importers.dates import DateOrder
from hpgjournal.importers.mapping import match_columns, norm_header
from hpgjournal.importers.normalise import (
    Normaliser,
    context_cells,
    decide_decimal_comma,
    flag_code,
    resolve_name,
    result_key,
    split_name_unit,
    ungroup_digits,
)
from hpgjournal.importers.rows import Candidate, RowError
from hpgjournal.store.journal import LAB_COLUMNS


@pytest.mark.parametrize(("text", "code", "note"), [
    ("H", "H", ""), ("High", "H", ""), ("low", "L", ""), ("LL", "LL", ""),
    ("Critical High", "HH", ""), ("Abnormal", "A", ""), ("true", "A", ""), ("FALSE", "", ""),
    ("N", "", ""), ("H*", "H", ""), ("Out of Range", "A", ""), ("", "", ""),
    ("Borderline", "", "flag printed: Borderline"),
])
def test_flag_codes(text, code, note):
    assert flag_code(text) == (code, note)


@pytest.mark.parametrize(("name", "bare", "unit"), [
    ("Total T (ng/dL)", "Total T", "ng/dL"), ("E2 (pg/mL)", "E2", "pg/mL"),
    ("Hct (%)", "Hct", "%"), ("Weight (kg)", "Weight", "kg"), ("Testosterone nmol/L",
                                                                 "Testosterone", "nmol/L"),
    ("Estradiol, Sensitive (LC/MS/MS)", "Estradiol, Sensitive (LC/MS/MS)", ""),
    ("Testosterone, Free (Dialysis)", "Testosterone, Free (Dialysis)", ""),
    ("Vitamin D (25-OH)", "Vitamin D (25-OH)", ""), ("LH", "LH", ""),
])
def test_units_split_off_names(name, bare, unit):
    assert split_name_unit(name) == (bare, unit)


@pytest.mark.parametrize(("name", "method", "loinc", "key", "found_method"), [
    ("Testosterone, Total", "", "", "testosterone_total", ""),
    ("Free Testosterone", "Direct", "", "testosterone_free", "direct"),
    ("Free Testosterone", "Equilibrium dialysis", "", "testosterone_free", "measured"),
    ("Estradiol", "LC/MS/MS", "", "estradiol", "sensitive"),
    ("Testosterone [Mass/volume] in Serum", "", "2986-8", "testosterone_total", ""),
    ("anything", "", "103227-5", "testosterone_free", "calculated"),
    ("testosterone_free", "", "", "testosterone_free", ""),
    ("custom:ApoB", "", "", "custom:ApoB", ""),
    ("Apolipoprotein B", "", "", "custom:Apolipoprotein B", ""),
    ("Free Testosterone (%)", "", "", "custom:Free Testosterone (%)", ""),
])
def test_names_resolve_to_markers_and_methods(name, method, loinc, key, found_method):
    resolved = resolve_name(name, method, loinc)
    assert (resolved.key, resolved.method) == (key, found_method)


def test_a_method_the_marker_does_not_have_is_kept_as_a_note():
    resolved = resolve_name("LH", "ECLIA on Cobas")
    assert resolved.key == "lh"
    assert resolved.note == "method printed: ECLIA on Cobas"


def test_a_unit_in_the_name_that_does_not_fit_is_an_error():
    with pytest.raises(RowError, match="'mmol/L' in the name 'Total T \\(mmol/L\\)' does not fit"):
        resolve_name("Total T (mmol/L)")


def test_decimal_comma_decision():
    assert decide_decimal_comma(["21,3", "18"], ";") is True
    assert decide_decimal_comma(["21,3", "18.2"], ";") is False
    assert decide_decimal_comma(["1,077"], ",") is False
    assert decide_decimal_comma(["1,077"], ";") is True
    assert decide_decimal_comma(["0,500"], ",") is True
    assert decide_decimal_comma(["60 mL/min/1.73m2", "5,1"], ";") is True  # units do not count
    assert decide_decimal_comma([], ",") is False


@pytest.mark.parametrize(("text", "out"), [
    ("1 077", "1077"), ("1\u202f077,5", "1077,5"), ("1'077", "1077"), ("< 1 500", "< 1500"),
    ("12 345 ng/dL", "12345 ng/dL"), ("5 see note", "5 see note"), ("650", "650"),
])
def test_grouped_digits(text, out):
    assert ungroup_digits(text) == out


def test_duplicate_keys_compare_values_not_spellings():
    a = make_result("2024-01-01", "testosterone_total", "2.3", "ng/mL")
    b = make_result("2024-01-01", "testosterone_total", "230", "ng/dL")
    c = make_result("2024-01-01", "testosterone_total", "<30", "ng/dL")
    d = make_result("2024-01-01", "testosterone_total", "TNP")
    e = make_result("2024-01-01", "testosterone_total", "tnp ")
    assert a.value != b.value and result_key(a) == result_key(b)
    assert result_key(b) != result_key(c)
    assert result_key(d) == result_key(e)


# ---- column aliases ----------------------------------------------------------------------


@pytest.mark.parametrize(("headers", "expected"), [
    (["date", "marker", "value", "unit"], {"date": 0, "marker": 1, "value": 2, "unit": 3}),
    (["Collection Date", "Test Name", "Result", "Units", "Reference Range", "Flag"],
     {"date": 0, "marker": 1, "value": 2, "unit": 3, "range": 4, "flag": 5}),
    (["test_date", "marker", "value", "unit", "ref_low", "ref_high", "is_abnormal", "lab_name"],
     {"date": 0, "marker": 1, "value": 2, "unit": 3, "low": 4, "high": 5, "flag": 6, "lab": 7}),
    (["Result", "Result Unit", "Test"], {"value": 0, "unit": 1, "marker": 2}),
    (["Test", "Result", "Previous Result", "Previous Date", "Date Collected"],
     {"marker": 0, "value": 1, "date": 4}),
    (["Datum", "Untersuchung", "Ergebnis", "Einheit", "Referenzbereich"],
     {"date": 0, "marker": 1, "value": 2, "unit": 3, "range": 4}),
    (["Patient Name", "DOB", "Test", "Value"], {"marker": 2, "value": 3}),
])
def test_columns_match_their_aliases(headers, expected):
    assert match_columns(headers) == expected


def test_headers_are_compared_loosely():
    assert norm_header("  Réf. Range (units) ") == "ref range units"


# ---- the direct path gives what make_result gives -----------------------------------------

CATALOGUE_KEYS = sorted(analytes.CATALOGUE)


@st.composite
def plain_rows(draw):
    custom = draw(st.booleans())
    key = "custom:Thing" if custom else draw(st.sampled_from(CATALOGUE_KEYS))
    units = ["", "mg/dL", "%"] if custom else ["", *analytes.units_for(key), "furlongs", "%"]
    decimal_comma = draw(st.booleans())
    mark = "," if decimal_comma else "."
    whole = draw(st.integers(min_value=0, max_value=99999))
    frac = draw(st.one_of(st.just(""), st.integers(min_value=0, max_value=999).map(str)))
    sign = draw(st.sampled_from(["", "-"]))
    value = f"{sign}{whole}{mark + frac if frac else ''}"
    ref = draw(st.sampled_from(["", "1-10", "<5", ">2", "Not Estab.", "0,5-1,5", "3 - 4 mg/dL"]))
    return dict(key=key, value=value, unit=draw(st.sampled_from(units)), ref=ref,
                flag=draw(st.sampled_from(["", "H", "L", "A"])), decimal_comma=decimal_comma,
                lab=draw(st.sampled_from(["", "Quest"])), note=draw(st.sampled_from(["", "fasting"])))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_rows())
def test_the_direct_path_equals_make_result(row):
    normaliser = Normaliser(decimal_comma=row["decimal_comma"], order=DateOrder("ymd", "file"),
                            source="f.csv")
    candidate = Candidate(1, {}, "2024-05-06", row["key"], row["value"], unit=row["unit"],
                          range=row["ref"], flag=row["flag"], lab=row["lab"], note=row["note"])
    try:
        expected = make_result("2024-05-06", row["key"], row["value"], row["unit"],
                               ref_text=row["ref"], flag=row["flag"], lab=row["lab"],
                               note=row["note"], source="f.csv",
                               decimal_comma=row["decimal_comma"])
    except ValidationError as exc:
        with pytest.raises(RowError, match=re.escape(str(exc)[:20])):
            normaliser.build(candidate)
        return
    assert normaliser.build(candidate) == expected
    assert normaliser.build(candidate) == expected  # and again, from the caches
    made = normaliser.prepare(candidate.date, candidate.time, candidate.value,
                              context_cells(candidate))
    if made.__class__ is tuple:  # the direct path: what the commit writes is the same too
        context, stamp, text, _number = made
        written = context.values(stamp, text)
        assert written == tuple(vars(expected)[name] for name in LAB_COLUMNS)
        assert [type(v) for v in written] == [type(vars(expected)[n]) for n in LAB_COLUMNS]


def test_a_number_too_large_is_refused_as_by_make_result():
    normaliser = Normaliser(decimal_comma=False, order=DateOrder("ymd", "file"), source="f.csv")
    for digits, words in (("9" * 299, "impossible"), ("9" * 400, "not a finite number")):
        candidate = Candidate(1, {}, "2024-05-06", "LH", digits, unit="IU/L")
        with pytest.raises(ValidationError, match=words) as refused:
            make_result("2024-05-06", "lh", digits, "IU/L", source="f.csv")
        with pytest.raises(RowError) as row_error:
            normaliser.build(candidate)
        assert str(row_error.value) == str(refused.value)
    # a custom marker has no limits, but a number that is not finite is refused all the same
    candidate = Candidate(1, {}, "2024-05-06", "Thing", "9" * 299, unit="U")
    assert normaliser.build(candidate).value == pytest.approx(float("9" * 299))
    with pytest.raises(RowError, match="not a finite number"):
        normaliser.build(Candidate(1, {}, "2024-05-06", "Thing", "9" * 400, unit="U"))
