"""One test per line of the value/range/flag quirks table (research/formats.md section 1.11).

Each reads a fixture file that shows the quirk (tests/data/import) through the whole planner.
The encoding and delimiter lines of section 1.12 are in test_source.py.
"""

from __future__ import annotations

import pytest

from tests.importers.helpers import by_line, one, plan_file, results


def test_censored_values_keep_comparator_and_number(journal):
    plan = plan_file(journal, "censored.csv")
    expected = {"estradiol": ("<", 0.5), "lh": ("<", 10.0), "fsh": ("<", 1.0),
                "psa": ("<", 0.04), "testosterone_total": (">", 1500.0), "egfr": (">", 45.0)}
    got = {r.analyte: (r.comparator, r.value) for r in results(plan)}
    assert got == expected
    assert one(plan, "estradiol").flag == "L"  # <0.5 is below 7.6 whatever it is
    assert one(plan, "lh").flag == ""  # <10 may or may not be above 8.6
    assert one(plan, "egfr").reported_value == "GT 45"


def test_flags_glued_to_values_are_split(journal):
    plan = plan_file(journal, "flag_glued.csv")
    got = {r.analyte: (r.value, r.flag, r.reported_value) for r in results(plan)}
    assert got == {
        "triglycerides": (235.8, "H", "235.8 H"), "alt": (40.0, "H", "40 H"),
        "albumin": (4.6, "L", "4.6 Low"), "hematocrit": (52.3, "H", "52.3 High"),
        "glucose": (61.0, "A", "61 Critical"),
    }


def test_a_flag_of_the_previous_result_is_not_taken(journal):
    plan = plan_file(journal, "flag_previous_result.csv")
    mapping = plan.files[0].mapping
    assert mapping is not None
    assert (mapping.value, mapping.flag, mapping.date) == ("Result", "Flag", "Collection Date")
    ldl = one(plan, "ldl")
    assert (ldl.value, ldl.flag, ldl.taken_at) == (97.0, "", "2026-04-14")
    assert one(plan, "hematocrit").flag == ""  # the H belongs to 10/10/2025's 52.1
    assert len(results(plan)) == 2  # previous results are not imported as current ones


def test_thousands_separators(journal):
    plan = plan_file(journal, "thousands.csv")
    assert plan.files[0].decimal_comma is False
    assert one(plan, "testosterone_total").value == 1077.0
    free = one(plan, "testosterone_free")
    assert (free.value, free.reported_unit) == (1050.0, "pg/mL")
    assert one(plan, "ferritin").value == 18550.0


def test_decimal_comma_is_decided_per_file(journal):
    plan = plan_file(journal, "decimal_comma.csv")
    assert plan.files[0].decimal_comma is True
    t = one(plan, "testosterone_total")
    assert t.value == pytest.approx(21.3 / 0.03467)
    assert (t.ref_low, t.ref_high) == (pytest.approx(8.64 / 0.03467), pytest.approx(29.0 / 0.03467))
    assert one(plan, "shbg").value == pytest.approx(0.51)
    assert one(plan, "testosterone_free").value == pytest.approx(0.5 / 0.003467)  # 0,500 is 0.5
    # in a decimal-comma file 1.077 is a thousand and seventy-seven
    assert one(plan, "custom:Vitamin B12").value == 1077.0


def test_units_inside_the_value_cell(journal):
    plan = plan_file(journal, "unit_in_value.csv")
    assert plan.files[0].format == "packed"
    chol = one(plan, "cholesterol_total")
    assert (chol.reported_unit, chol.value) == ("mmol/L", pytest.approx(5.2 / 0.02586))
    assert one(plan, "testosterone_total").value == 1077.0
    assert one(plan, "vitamin_d").value == pytest.approx(75 / 2.496)


def test_non_numeric_results_are_kept_as_text(journal):
    plan = plan_file(journal, "text_results.csv")
    got = {r.analyte: (r.value, r.reported_value) for r in results(plan)}
    assert got == {
        "estradiol": (None, "TNP"), "lh": (None, "QNS"), "fsh": (None, "DNR"),
        "prolactin": (None, "See Note"), "shbg": (None, "SEE BELOW"),
        "custom:HIV Ag/Ab": (None, "Positive"), "psa": (None, "--"),
        "ferritin": (None, "No Data Available"),
        "custom:Hepatitis B surface antigen": (None, "Not detected"),
    }
    assert plan.count("error") == 0


def test_range_forms(journal):
    plan = plan_file(journal, "range_forms.csv")
    got = {r.analyte: (r.ref_low, r.ref_high) for r in results(plan) if not r.method}
    assert got["testosterone_total"] == (264.0, 916.0)
    assert got["psa"] == (0.0, 4.0)
    assert got["cholesterol_total"] == (None, 200.0)
    assert got["egfr"] == (59.0, None)
    assert got["hdl"] == (40.0, None)
    assert got["estradiol"] == (None, 39.0)
    assert got["glucose"] == (None, 99.0)
    assert got["tsh"] == (None, 4.5)
    assert got["ferritin"] == (30.0, None)
    assert got["creatinine"] == (0.5, None)
    assert got["dht"] == (None, None)
    assert one(plan, "dht").ref_text == "Not Estab."
    sensitive = one(plan, "estradiol", method="sensitive")
    assert (sensitive.ref_low, sensitive.ref_high) == (8.0, 35.0)
    assert got["triglycerides"] == (None, 151.0)
    assert got["prolactin"] == (None, 15.2)
    assert got["custom:IGF-1 Z score"] == (-2.0, 2.0)


def test_ranges_with_a_unit_and_thousands(journal):
    plan = plan_file(journal, "range_with_unit.csv")
    assert [(r.ref_low, r.ref_high) for r in results(plan)] == [(250.0, 1100.0)] * 2
    assert [r.ref_text for r in results(plan)] == ["250 - 1100 ng/dL", "250 - 1,100 ng/dL"]


def test_footnotes_and_method_text_are_ignored(journal):
    plan = plan_file(journal, "footnotes.csv")
    assert plan.count("error") == 0
    assert {r.analyte for r in results(plan)} == {"testosterone_total", "ldl"}
    assert one(plan, "testosterone_total").value == 612.0  # the superscript 1 is not a word
    assert one(plan, "ldl").reported_unit == "mg/dL (calc)"
    ignored = {i.line: i.text for i in plan.files[0].ignored}
    assert set(ignored) == {4, 6}
    assert ignored[4].startswith("This test was developed")


def test_wrapped_names_are_joined(journal):
    plan = plan_file(journal, "wrapped_names.csv")
    rows = by_line(plan)
    assert rows[2].result.analyte == "shbg"  # a line break inside the quoted name
    free = rows[5].result
    assert (free.analyte, free.method, free.value) == ("testosterone_free", "calculated", 95.0)
    assert rows[7].result.analyte == "prolactin"  # "HORMONES" above is a title, not a name part
    assert [i.text for i in plan.files[0].ignored] == ["HORMONES"]
    assert plan.count("error") == 0


def test_micro_sign_variants(journal):
    plan = plan_file(journal, "micro_variants.csv")
    ferritin = sorted((r.reported_unit, r.value) for r in results(plan) if r.analyte == "ferritin")
    assert ferritin == [("ug/L", 82.0), ("\u00b5g/L", 80.0), ("\u03bcg/L", 81.0)]
    assert one(plan, "cortisol").value == 12.5  # mcg/dL is ug/dL


def test_percent_units_are_marker_specific(journal):
    plan = plan_file(journal, "percent_units.csv")
    hct = sorted(r.value for r in results(plan) if r.analyte == "hematocrit")
    assert hct == [pytest.approx(49.0), pytest.approx(49.0)]  # 0.49 L/L is 49 %, never 0.49 %
    a1c = {r.reported_unit: r.value for r in results(plan) if r.analyte == "hba1c"}
    assert a1c["%"] == 5.4
    assert a1c["mmol/mol"] == pytest.approx(36 / 10.929 + 2.15)
    assert one(plan, "free_androgen_index").value == 55.0
    bad = by_line(plan)[7]
    assert bad.status == "error"
    assert "'%' does not fit Total testosterone" in bad.reason
