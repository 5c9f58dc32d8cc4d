"""Tests of the marker catalogue: keys, units, conversions, LOINC codes and printed names."""

from __future__ import annotations

import pytest

from hpgjournal.domain import analytes
from hpgjournal.domain.analytes import (
    CATALOGUE,
    KEY_MARKERS,
    UnitError,
    display_unit,
    find_analyte,
    from_canonical,
    get_analyte,
    normalise_unit,
    to_canonical,
    to_system,
    units_for,
)

# DESIGN.md section 3: key, canonical unit, SI unit, SI factor, primary LOINC, SI LOINC.
DESIGN_TABLE = [
    ("testosterone_total", "ng/dL", "nmol/L", 0.03467, "2986-8", "14913-8"),
    ("testosterone_free", "pg/mL", "pmol/L", 3.467, "2991-8", "14914-6"),
    ("testosterone_bioavailable", "ng/dL", "nmol/L", 0.03467, "2990-0", None),
    ("estradiol", "pg/mL", "pmol/L", 3.671, "2243-4", "14715-7"),
    ("lh", "IU/L", "IU/L", 1.0, "10501-5", None),
    ("fsh", "IU/L", "IU/L", 1.0, "15067-2", None),
    ("shbg", "nmol/L", "nmol/L", 1.0, "13967-5", None),
    ("albumin", "g/dL", "g/L", 10.0, "1751-7", None),
    ("prolactin", "ng/mL", "mIU/L", 21.2, "2842-3", None),
    ("dht", "ng/dL", "nmol/L", 0.03443, "1848-1", None),
    ("hematocrit", "%", "L/L", 0.01, "4544-3", None),
    ("hemoglobin", "g/dL", "g/L", 10.0, "718-7", None),
    ("psa", "ng/mL", "ug/L", 1.0, "2857-1", None),
    ("sperm_concentration", "million/mL", "10^6/mL", 1.0, "9780-8", None),
    ("sperm_motility", "%", "%", 1.0, "6800-7", None),
    ("semen_volume", "mL", "mL", 1.0, "3160-9", None),
    ("testicular_volume", "mL", "mL", 1.0, "", None),
]

EXTENSION_KEYS = [
    "testosterone_bioavailable", "dht", "albumin", "prolactin", "hematocrit", "hemoglobin",
    "rbc", "psa", "cholesterol_total", "hdl", "ldl", "triglycerides", "alt", "ast",
    "creatinine", "egfr", "ferritin", "tsh", "free_t4", "cortisol", "progesterone", "dhea_s",
    "igf1", "vitamin_d", "hba1c", "glucose", "inhibin_b", "amh", "free_androgen_index",
    "semen_volume", "sperm_concentration", "sperm_total_count", "sperm_motility",
    "sperm_progressive_motility", "sperm_morphology", "testicular_volume",
]


def loinc_check_digit_ok(code: str) -> bool:
    """LOINC's mod-10 check: the Luhn algorithm over the digits, check digit included."""
    body, _, check = code.partition("-")
    if not (body.isdigit() and check.isdigit() and len(check) == 1):
        return False
    total = 0
    for position, char in enumerate(reversed(body + check)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def all_units() -> list[tuple[str, str]]:
    return [(key, unit) for key in CATALOGUE for unit in units_for(key)]


# ---- the catalogue against DESIGN.md ---------------------------------------------------------


@pytest.mark.parametrize(("key", "unit", "si_unit", "factor", "loinc", "si_loinc"), DESIGN_TABLE)
def test_design_table_markers_have_the_contracted_units_and_codes(
    key: str, unit: str, si_unit: str, factor: float, loinc: str, si_loinc: str | None
) -> None:
    analyte = CATALOGUE[key]
    assert analyte.key == key
    assert analyte.unit == unit
    assert analyte.si_unit == si_unit
    assert analyte.si_factor == pytest.approx(factor)
    assert analyte.loinc == loinc
    if si_loinc is not None:
        assert si_loinc in analyte.alt_loinc


@pytest.mark.parametrize("key", EXTENSION_KEYS)
def test_extension_markers_are_in_the_catalogue(key: str) -> None:
    analyte = get_analyte(key)
    assert analyte.key == key
    assert analyte.name
    assert analyte.short


def test_catalogue_keys_match_their_entries_and_categories_are_known() -> None:
    for key, analyte in CATALOGUE.items():
        assert analyte.key == key
        assert analyte.category in analytes.CATEGORIES
        assert analyte.decimals >= 0
        if analyte.ref_low is not None and analyte.ref_high is not None:
            assert analyte.ref_low < analyte.ref_high, key


def test_key_markers_are_the_dashboard_set_in_catalogue_order() -> None:
    assert set(KEY_MARKERS) == {
        "testosterone_total", "testosterone_free", "estradiol", "lh", "fsh", "shbg",
        "hematocrit", "psa", "prolactin", "sperm_concentration",
    }
    order = list(CATALOGUE)
    assert list(KEY_MARKERS) == sorted(KEY_MARKERS, key=order.index)
    assert all(CATALOGUE[k].key_marker for k in KEY_MARKERS)


def test_catalogue_order_puts_hormones_first_then_blood_and_semen_last() -> None:
    categories = [a.category for a in CATALOGUE.values()]
    first_blood = categories.index("blood")
    assert next(iter(CATALOGUE)) == "testosterone_total"
    assert {"androgens", "estrogens", "gonadotropins"} >= set(categories[:8])
    assert all(c != "blood" for c in categories[:first_blood])
    blood = [i for i, c in enumerate(categories) if c == "blood"]
    assert blood == list(range(blood[0], blood[-1] + 1))
    semen = [i for i, c in enumerate(categories) if c == "semen"]
    assert semen == list(range(len(categories) - len(semen), len(categories)))


def test_only_free_testosterone_and_estradiol_have_methods() -> None:
    assert CATALOGUE["testosterone_free"].methods == ("measured", "direct", "calculated")
    assert CATALOGUE["estradiol"].methods == ("immunoassay", "sensitive")
    others = [k for k, a in CATALOGUE.items() if a.methods]
    assert sorted(others) == ["estradiol", "testosterone_free"]


@pytest.mark.parametrize(
    ("key", "limit"),
    [
        ("semen_volume", 1.4), ("sperm_concentration", 16.0), ("sperm_total_count", 39.0),
        ("sperm_motility", 42.0), ("sperm_progressive_motility", 30.0),
        ("sperm_morphology", 4.0),
    ],
)
def test_semen_markers_use_the_who_2021_lower_reference_limits(key: str, limit: float) -> None:
    analyte = CATALOGUE[key]
    assert analyte.ref_low == limit
    assert analyte.ref_high is None
    assert analyte.ref_source == "WHO 2021 lower reference limit"
    assert analyte.category == "semen"


def test_free_testosterone_default_range_depends_on_the_method() -> None:
    assert CATALOGUE["testosterone_free"].ref_low is None
    direct = analytes.default_range("testosterone_free", "direct")
    dialysis = analytes.default_range("testosterone_free", "measured")
    assert direct[:2] == (6.8, 21.5)
    assert dialysis[:2] == (35.0, 155.0)
    assert analytes.default_range("testosterone_total")[:2] == (264.0, 916.0)


# ---- LOINC ----------------------------------------------------------------------------------


def test_loinc_check_digit_helper_rejects_the_known_bad_code() -> None:
    assert loinc_check_digit_ok("2986-8")
    assert not loinc_check_digit_ok("38476-3")  # formats.md: an invalid code seen in the wild
    assert not loinc_check_digit_ok("2986-7")


def test_every_loinc_code_in_the_catalogue_passes_the_check_digit() -> None:
    bad = [
        (key, code)
        for key, analyte in CATALOGUE.items()
        for code in (analyte.loinc, *analyte.alt_loinc)
        if code and not loinc_check_digit_ok(code)
    ]
    assert bad == []


def test_no_loinc_code_belongs_to_two_markers() -> None:
    seen: dict[str, str] = {}
    for key, analyte in CATALOGUE.items():
        for code in (analyte.loinc, *analyte.alt_loinc):
            if code:
                assert seen.setdefault(code, key) == key, f"{code} in {seen[code]} and {key}"


@pytest.mark.parametrize(
    ("code", "key", "method"),
    [
        ("2986-8", "testosterone_total", ""),
        ("14913-8", "testosterone_total", ""),
        ("2991-8", "testosterone_free", ""),
        ("103227-5", "testosterone_free", "calculated"),
        ("2243-4", "estradiol", ""),
        ("10501-5", "lh", ""),
        ("4544-3", "hematocrit", ""),
        ("9780-8", "sperm_concentration", ""),
    ],
)
def test_find_analyte_matches_loinc_codes(code: str, key: str, method: str) -> None:
    found = find_analyte(code)
    assert found is not None
    assert (found[0].key, found[1]) == (key, method)


def test_find_analyte_returns_none_for_an_unknown_loinc_code() -> None:
    assert find_analyte("12345-6") is None


# ---- names ----------------------------------------------------------------------------------


def test_every_name_short_label_and_alias_resolves_to_its_own_marker() -> None:
    wrong = []
    for key, analyte in CATALOGUE.items():
        for label in (analyte.name, analyte.short, *analyte.aliases):
            found = find_analyte(label)
            if found is None or found[0].key != key:
                wrong.append((label, key, found and found[0].key))
            found = find_analyte(f"  {label.upper()}  ")
            if found is None or found[0].key != key:
                wrong.append((label.upper(), key, found and found[0].key))
    assert wrong == []


def test_no_alias_is_shared_by_two_markers() -> None:
    owners: dict[str, str] = {}
    for key, analyte in CATALOGUE.items():
        for label in {analyte.name.casefold(), analyte.short.casefold(),
                      *(a.casefold() for a in analyte.aliases)}:
            assert owners.setdefault(label, key) == key, f"{label!r}: {owners[label]}, {key}"
    assert analytes.name_index()[1] == []


# Printed names from formats.md sections 1.2 (Quest), 1.3 (Labcorp) and 1.9 (UK/EU/AU).
PRINTED_NAMES = [
    # 1.2 Quest
    ("TESTOSTERONE, TOTAL, MS", "testosterone_total", ""),
    ("TESTOSTERONE, FREE", "testosterone_free", ""),
    ("SEX HORMONE BINDING GLOBULIN", "shbg", ""),
    ("ESTRADIOL", "estradiol", ""),
    ("HDL CHOLESTEROL", "hdl", ""),
    ("LDL-CHOLESTEROL", "ldl", ""),
    ("EGFR", "egfr", ""),
    ("HEMOGLOBIN A1c", "hba1c", ""),
    ("CORTISOL, TOTAL", "cortisol", ""),
    ("ALBUMIN", "albumin", ""),
    ("TESTOSTERONE,BIOAVAILABLE", "testosterone_bioavailable", ""),
    ("IGF 1, LC/MS", "igf1", ""),
    ("Estradiol, Ultrasensitive, LC/MS", "estradiol", "sensitive"),
    ("DHEA SULFATE", "dhea_s", ""),
    ("CORTISOL, TOTAL, LC/MS", "cortisol", ""),
    ("VITAMIN D,25-OH,TOTAL,IA", "vitamin_d", ""),
    ("PSA, TOTAL", "psa", ""),
    ("T4, FREE", "free_t4", ""),
    ("TSH", "tsh", ""),
    ("FSH", "fsh", ""),
    ("LH", "lh", ""),
    ("PROLACTIN", "prolactin", ""),
    ("RED BLOOD CELL COUNT", "rbc", ""),
    ("HEMATOCRIT", "hematocrit", ""),
    ("ALT", "alt", ""),
    ("AST", "ast", ""),
    ("Testosterone, Free (Dialysis)", "testosterone_free", "measured"),
    # 1.3 Labcorp
    ("Testosterone", "testosterone_total", ""),
    ("Testosterone, Total, Serum", "testosterone_total", ""),
    ("Free Testosterone (Direct)", "testosterone_free", "direct"),
    ("Free Testosterone, Direct", "testosterone_free", "direct"),
    ("Sex Horm Binding Glob, Serum", "shbg", ""),
    ("Sex Horm Binding Glob,", "shbg", ""),
    ("Estradiol", "estradiol", ""),
    ("Estradiol, Sensitive", "estradiol", "sensitive"),
    ("Estradiol, Serum, MS", "estradiol", "sensitive"),
    ("Prolactin", "prolactin", ""),
    ("DHEA-Sulfate", "dhea_s", ""),
    ("DHEA-Sulfate, LCMS", "dhea_s", ""),
    ("Hemoglobin", "hemoglobin", ""),
    ("Hematocrit", "hematocrit", ""),
    ("RBC", "rbc", ""),
    ("Prostate Specific Ag, Serum", "psa", ""),
    ("AST (SGOT)", "ast", ""),
    ("ALT (SGPT)", "alt", ""),
    ("Creatinine", "creatinine", ""),
    ("eGFR", "egfr", ""),
    ("eGFR If NonAfricn Am", "egfr", ""),
    ("Ferritin, Serum", "ferritin", ""),
    ("T4, Free (Direct)", "free_t4", ""),
    ("Vitamin D, 25-Hydroxy", "vitamin_d", ""),
    ("Hemoglobin A1c", "hba1c", ""),
    ("Cholesterol, Total", "cholesterol_total", ""),
    ("HDL Cholesterol", "hdl", ""),
    ("LDL Chol Calc (NIH)", "ldl", ""),
    ("Triglycerides", "triglycerides", ""),
    ('Testosterone"', "testosterone_total", ""),  # stray quote left by OCR
    # MyChart cards (1.4) use "<Name> Level"
    ("Creatinine Level", "creatinine", ""),
    # 1.9 UK / EU / AU
    ("Total Testosterone", "testosterone_total", ""),
    ("SHBG", "shbg", ""),
    ("Free Testosterone", "testosterone_free", ""),
    ("Free Testosterone (nmol/L)", "testosterone_free", ""),
    ("Albumin (g/L)", "albumin", ""),
    ("Free Androgen Index (%)", "free_androgen_index", ""),
    ("Free Androgen Index", "free_androgen_index", ""),
    ("Oestradiol", "estradiol", ""),
    ("Haemoglobin", "hemoglobin", ""),
    ("Haematocrit", "hematocrit", ""),
    ("HbA1c", "hba1c", ""),
    ("Vitamin D", "vitamin_d", ""),
    ("Cortisol", "cortisol", ""),
    ("FT4", "free_t4", ""),
    ("Calculated Free Testosterone", "testosterone_free", "calculated"),
    ("Östradiol", "estradiol", ""),
    ("Hämatokrit", "hematocrit", ""),
    ("Testosteron", "testosterone_total", ""),
    ("Luteinising hormone", "lh", ""),
]


@pytest.mark.parametrize(("name", "key", "method"), PRINTED_NAMES)
def test_find_analyte_reads_printed_lab_names(name: str, key: str, method: str) -> None:
    found = find_analyte(name)
    assert found is not None, name
    assert (found[0].key, found[1]) == (key, method)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("Free Testosterone (Direct)", "direct"),
        ("Free Testosterone(Direct)", "direct"),
        ("Testosterone, Free, Direct", "direct"),
        ("Testosterone, Free (Dialysis)", "measured"),
        ("Calculated Free Testosterone", "calculated"),
        ("Free Testosterone (Calc)", "calculated"),
        ("Testosterone, Free (Calculated)", "calculated"),
        ("cFT", "calculated"),
        ("Testosterone, Free", ""),
        ("free   testosterone.", ""),
    ],
)
def test_free_testosterone_methods_are_told_apart(name: str, method: str) -> None:
    assert find_analyte(name) == (CATALOGUE["testosterone_free"], method)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("Estradiol, Sensitive", "sensitive"),
        ("Estradiol, Ultrasensitive, LC/MS", "sensitive"),
        ("Estradiol, Serum, MS", "sensitive"),
        ("Estradiol, Sensitive (LC/MS/MS)", "sensitive"),
        ("E2 sensitive", "sensitive"),
        ("Estradiol", ""),
        ("estradiol (e2)", ""),
        ("Estradiol, Immunoassay", "immunoassay"),
    ],
)
def test_estradiol_methods_are_told_apart(name: str, method: str) -> None:
    assert find_analyte(name) == (CATALOGUE["estradiol"], method)


@pytest.mark.parametrize(
    "name",
    [
        "", "   ", "HOMOCYSTEINE", "HS CRP", "NON HDL CHOLESTEROL", "CHOL/HDLC RATIO",
        "PSA, FREE", "PSA, % FREE", "T3, FREE", "ALBUMIN/GLOBULIN", "UREA NITROGEN",
        "Z SCORE (MALE)", "Neutrophils", "Pregnenolone, MS", "Calculated Free",
        "Free Testosterone (%)", "% Free Testosterone", "Estradiol, Free", "Estradiol, Direct",
        "Testosterone, Free and Total", "TESTOSTERONE, FREE, BIOAVAILABLE AND TOTAL, MS",
        "Volume", "Concentration", "DHEA", "1,25-Dihydroxy Vitamin D",
    ],
)
def test_find_analyte_does_not_guess(name: str) -> None:
    assert find_analyte(name) is None


def test_plain_testosterone_never_matches_free_testosterone() -> None:
    total = find_analyte("Testosterone")
    free = find_analyte("Free testosterone")
    assert total is not None and free is not None
    assert total[0].key == "testosterone_total"
    assert free[0].key == "testosterone_free"


def test_find_analyte_ignores_a_unit_written_after_the_name() -> None:
    assert find_analyte("Total T (ng/dL)") == (CATALOGUE["testosterone_total"], "")
    assert find_analyte("E2 (pg/mL)") == (CATALOGUE["estradiol"], "")
    assert find_analyte("Hct (%)") == (CATALOGUE["hematocrit"], "")
    assert find_analyte("Testosterone nmol/L") == (CATALOGUE["testosterone_total"], "")


# ---- custom markers and errors ---------------------------------------------------------------


def test_custom_marker_is_accepted_and_never_converted() -> None:
    custom = get_analyte("custom:Homocysteine")
    assert custom.key == "custom:Homocysteine"
    assert custom.name == "Homocysteine"
    assert custom.category == "other"
    assert custom.unit == ""
    assert to_canonical("custom:Homocysteine", 7.1, "") == 7.1
    assert to_canonical("custom:Homocysteine", 7.1, "umol/L") == 7.1
    assert to_system("custom:Homocysteine", 7.1, "si") == 7.1


def test_unknown_key_raises_a_helpful_key_error() -> None:
    with pytest.raises(KeyError, match="testosterone_total"):
        get_analyte("testosterone_totl")
    with pytest.raises(KeyError, match="custom"):
        get_analyte("custom:   ")


def test_unit_error_names_the_unit_the_marker_and_the_accepted_units() -> None:
    with pytest.raises(UnitError) as caught:
        to_canonical("testosterone_total", 12.0, "%")
    message = str(caught.value)
    assert "'%'" in message
    assert "Total testosterone" in message
    assert "ng/dL" in message and "nmol/L" in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("key", "unit"),
    [
        ("testosterone_total", "%"), ("testosterone_total", "pg/mL"),
        ("hematocrit", "g/dL"), ("estradiol", "ng/dL"), ("prolactin", "pmol/L"),
        ("lh", "ng/mL"), ("hba1c", "mg/dL"), ("shbg", "ug/dL"),
    ],
)
def test_units_that_do_not_fit_the_marker_are_refused(key: str, unit: str) -> None:
    with pytest.raises(UnitError):
        to_canonical(key, 1.0, unit)
    with pytest.raises(UnitError):
        from_canonical(key, 1.0, unit)


def test_an_empty_unit_means_the_canonical_unit() -> None:
    assert to_canonical("testosterone_total", 512.0, "") == 512.0
    assert to_canonical("hematocrit", 0.49, "") == 0.49


# ---- conversions ----------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "unit"), all_units())
def test_every_unit_of_every_marker_round_trips(key: str, unit: str) -> None:
    for value in (0.37, 5.0, 123.4):
        there = from_canonical(key, value, unit)
        assert to_canonical(key, there, unit) == pytest.approx(value, rel=1e-12)


def test_units_for_lists_canonical_then_si_then_others() -> None:
    assert units_for("testosterone_total") == ("ng/dL", "nmol/L", "ng/mL")
    assert units_for("estradiol")[:2] == ("pg/mL", "pmol/L")
    assert units_for("hematocrit") == ("%", "L/L")
    assert units_for("hba1c") == ("%", "mmol/mol")
    assert units_for("lh")[0] == "IU/L"
    assert "mIU/mL" in units_for("lh")
    for key in CATALOGUE:
        units = units_for(key)
        assert units[0] == CATALOGUE[key].unit
        assert len(set(units)) == len(units)


@pytest.mark.parametrize(
    ("key", "value", "unit", "canonical"),
    [
        ("testosterone_total", 5.12, "ng/mL", 512.0),
        ("testosterone_total", 17.34, "nmol/L", 17.34 / 0.03467),
        ("testosterone_total", 17.34, "nmol/l", 17.34 / 0.03467),
        ("testosterone_free", 347.0, "pmol/L", 100.09),
        ("testosterone_free", 0.347, "nmol/L", 100.09),
        ("estradiol", 110.0, "pmol/L", 110.0 / 3.671),
        ("prolactin", 212.0, "mIU/L", 10.0),
        ("hematocrit", 0.49, "L/L", 49.0),
        ("hematocrit", 0.49, "%", 0.49),  # a percent below 1 stays a percent
        ("lh", 4.2, "mIU/mL", 4.2),
        ("lh", 4.2, "U/L", 4.2),
        ("fsh", 3.3, "IU/L", 3.3),
        ("tsh", 1.8, "mIU/L", 1.8),
        ("tsh", 1.8, "mU/L", 1.8),
        ("tsh", 1.8, "µIU/mL", 1.8),
        ("hemoglobin", 152.0, "g/L", 15.2),
        ("albumin", 43.0, "g/L", 4.3),
        ("psa", 0.8, "ug/L", 0.8),
        ("psa", 0.8, "μg/L", 0.8),
        ("creatinine", 88.4, "umol/L", 1.0),
        ("cortisol", 275.9, "nmol/L", 10.0),
        ("vitamin_d", 75.0, "nmol/L", 75.0 / 2.496),
        ("dht", 1.0, "nmol/L", 1.0 / 0.03443),
        ("dht", 450.0, "pg/mL", 45.0),
        ("cholesterol_total", 5.172, "mmol/L", 200.0),
        ("triglycerides", 1.129, "mmol/L", 100.0),
        ("glucose", 5.551, "mmol/L", 100.0),
        ("hba1c", 38.8, "mmol/mol", 38.8 / 10.929 + 2.15),
        ("rbc", 5.1, "x10E6/uL", 5.1),
        ("rbc", 5.1, "Million/uL", 5.1),
        ("rbc", 5.1, "10^12/L", 5.1),
        ("sperm_concentration", 48.0, "10^6/mL", 48.0),
        ("sperm_concentration", 48.0, "M/mL", 48.0),
        ("dhea_s", 8.142, "umol/L", 300.0),
        ("free_t4", 16.0, "pmol/L", 16.0 / 12.87),
        ("egfr", 113.0, "mL/min/1.73", 113.0),
        ("estradiol", 25.0, "ng/L", 25.0),
        ("testosterone_free", 10.0, "ng/dL", 100.0),
        ("testosterone_free", 100.0, "ng/L", 100.0),
        ("testosterone_bioavailable", 5.0, "nmol/L", 5.0 / 0.03467),
        ("dht", 344.3, "pmol/L", 10.0),
        ("prolactin", 8.0, "ug/L", 8.0),
        ("prolactin", 212.0, "mU/L", 10.0),
        ("hemoglobin", 9.31, "mmol/L", 15.0),
        ("alt", 0.5, "ukat/L", 30.0),
        ("alt", 30.0, "IU/L", 30.0),
        ("igf1", 26.14, "nmol/L", 200.0),
        ("progesterone", 3.18, "nmol/L", 1.0),
        ("amh", 35.7, "pmol/L", 5.0),
        ("vitamin_d", 32.0, "ug/L", 32.0),
        ("inhibin_b", 150.0, "ng/L", 150.0),
        ("shbg", 40.0, "nmol/l", 40.0),
        ("sperm_total_count", 120.0, "x10^6", 120.0),
    ],
)
def test_conversions_are_specific_to_the_marker(
    key: str, value: float, unit: str, canonical: float
) -> None:
    assert to_canonical(key, value, unit) == pytest.approx(canonical, rel=1e-3)


def test_hba1c_percent_and_mmol_per_mol() -> None:
    assert from_canonical("hba1c", 5.7, "mmol/mol") == pytest.approx(38.8, abs=0.05)
    assert to_canonical("hba1c", 48.0, "mmol/mol") == pytest.approx(6.54, abs=0.01)
    assert CATALOGUE["hba1c"].si_factor is None


def test_display_unit_and_to_system_follow_the_users_choice() -> None:
    assert display_unit("testosterone_total", "us") == "ng/dL"
    assert display_unit("testosterone_total", "si") == "nmol/L"
    assert display_unit("estradiol", "si") == "pmol/L"
    assert to_system("testosterone_total", 500.0, "us") == 500.0
    assert to_system("testosterone_total", 500.0, "si") == pytest.approx(17.335)
    assert to_system("hematocrit", 49.0, "si") == pytest.approx(0.49)
    assert to_system("hba1c", 5.7, "si") == pytest.approx(38.8, abs=0.05)
    with pytest.raises(ValueError, match="us"):
        display_unit("testosterone_total", "metric")


# ---- units as printed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("ng/dL", "ng/dL"), (" ng / dl ", "ng/dL"), ("nmol/l", "nmol/L"), ("NMOL/L", "nmol/L"),
        ("mcg/dL", "ug/dL"), ("µg/L", "ug/L"), ("μg/L", "ug/L"), ("ug/L", "ug/L"),
        ("µmol/l", "umol/L"), ("µIU/mL", "uIU/mL"), ("mIU/mL", "mIU/mL"), ("mIU/L", "mIU/L"),
        ("m[IU]/mL", "mIU/mL"), ("x10E6/uL", "10^6/uL"), ("Million/uL", "10^6/uL"),
        ("x10E3/uL", "10^3/uL"), ("Thousand/uL", "10^3/uL"), ("10^6/mL", "million/mL"),
        ("M/mL", "million/mL"), ("million/mL", "million/mL"), ("mill/mL", "million/mL"),
        ("10*6/mL", "million/mL"), ("L/L", "L/L"), ("l/l", "L/L"), ("%", "%"),
        ("mL/min/1.73", "mL/min/1.73m2"), ("mL/min/1.73m2", "mL/min/1.73m2"),
        ("mL/min/1.73 m²", "mL/min/1.73m2"), ("mL/min/{1.73_m2}", "mL/min/1.73m2"),
        ("mg/dL (calc)", "mg/dL"), ("mmol/mol", "mmol/mol"), ("", ""),
        ("cells/ul", "cells/uL"),
    ],
)
def test_normalise_unit(printed: str, canonical: str) -> None:
    assert normalise_unit(printed) == canonical


def test_quirk_micro_sign_variants_all_mean_micro() -> None:
    # formats.md 1.11 "µ variants": U+00B5, U+03BC, "u" and "mcg" are the same prefix.
    spellings = ["\u00b5g/L", "\u03bcg/L", "ug/L", "mcg/L"]
    assert {normalise_unit(s) for s in spellings} == {"ug/L"}
    values = {to_canonical("ferritin", 85.0, s) for s in spellings}
    assert values == {85.0}
    assert to_canonical("cortisol", 11.2, "mcg/dL") == 11.2


def test_quirk_percent_units_are_analyte_specific() -> None:
    # formats.md 1.11 "Percent units": Hct % vs L/L, HbA1c % vs mmol/mol, FAI %.
    assert to_canonical("hematocrit", 0.45, "L/L") == pytest.approx(45.0)
    assert to_canonical("hematocrit", 45.0, "%") == 45.0
    assert to_canonical("hba1c", 5.4, "%") == 5.4
    assert to_canonical("hba1c", 36.0, "mmol/mol") == pytest.approx(5.444, abs=0.001)
    assert to_canonical("free_androgen_index", 62.5, "%") == 62.5
    with pytest.raises(UnitError):
        to_canonical("testosterone_free", 2.1, "%")


@pytest.mark.parametrize(
    ("printed", "unit"),
    [("G/DL", "g/dL"), ("mcIU/mL", "uIU/mL"), ("THOUS/MCL", "10^3/uL"), ("UNITS/L", "U/L"),
     ("m[IU]/L", "mIU/L"), ("MILL/MCL", "10^6/uL"), ("X_10-3/uL", "10^3/uL"),
     ("X_10-6/uL", "10^6/uL")],
)
def test_portal_spellings_of_units_are_understood(printed: str, unit: str) -> None:
    # C-CDA and portal tables (issue 14, part 4): upper case and non-UCUM spellings
    assert analytes.normalise_unit(printed) == unit


def test_whole_blood_glucose_codes_never_land_on_serum_glucose() -> None:
    for code in ("2339-0", "32016-8", "41653-7", "15074-8"):
        found = find_analyte(code)
        assert found is not None and found[0].key == "glucose_blood", code
    assert find_analyte("2345-7")[0].key == "glucose"  # type: ignore[index]
    assert analytes.to_canonical("glucose_blood", 5.0, "mmol/L") == pytest.approx(90.07, 0.01)


@pytest.mark.parametrize(("printed", "unit"), [
    ("G/l", "10^9/L"),  # a German lab's leukocytes or platelets: giga per litre
    ("T/l", "10^12/L"),  # its red cells: tera per litre
    ("g/l", "g/L"), ("G/L", "g/L"), ("G/DL", "g/dL"),  # grams, in any case but G + small l
])
def test_german_count_units_are_not_read_as_grams(printed: str, unit: str) -> None:
    assert normalise_unit(printed) == unit
