"""The catalogue's unit conversions against an independent table (issue 20, item 6).

The table below is not copied from the catalogue. Molar conversions are worked out here from
the molar mass of each substance (PubChem's computed molecular weights; hemoglobin per haem
monomer, as the IFCC reports mmol/L; IGF-1 and AMH from their published masses):

    1 ng/dL = 10 ng/L, so ng/dL -> nmol/L is 10 / M (M in g/mol), and so on for each prefix.

Assay-defined factors come from their standards: prolactin is calibrated against the WHO 3rd
International Standard 84/500, 1 ng = 21.2 mIU; an enzyme unit is 1 umol/min, so 1 U/L is
1/60 ukat/L; LH, FSH and TSH units are the same quantity with different prefixes (1 mIU/mL =
1 IU/L, 1 uIU/mL = 1 mIU/L). HbA1c follows the IFCC-NGSP master equation (Hoelzel et al., Clin
Chem 2004): IFCC mmol/mol = 10.929 x (NGSP % - 2.15).

Every unit the catalogue accepts must be in the table, and agree to 0.5 %.
"""

from __future__ import annotations

import pytest

from hpgjournal.domain.analytes import (
    CATALOGUE,
    display_unit,
    from_canonical,
    to_canonical,
    to_system,
    units_for,
)

# g/mol
MOLAR_MASS = {
    "testosterone": 288.42,  # C19H28O2
    "dht": 290.44,  # 5a-dihydrotestosterone, C19H30O2
    "estradiol": 272.38,  # C18H24O2
    "cortisol": 362.46,  # C21H30O5
    "progesterone": 314.46,  # C21H30O2
    "dhea_s": 368.49,  # dehydroepiandrosterone sulfate, C19H28O5S
    "thyroxine": 776.87,  # T4, C15H11I4NO4
    "cholesterol": 386.65,  # C27H46O
    "triolein": 885.43,  # triglycerides are reported as triolein
    "glucose": 180.16,  # C6H12O6
    "creatinine": 113.12,  # C4H7N3O
    "calcidiol": 400.64,  # 25-hydroxyvitamin D3, C27H44O2
    "hemoglobin_monomer": 16_114.5,  # 64 458 / 4 (per haem)
    "igf1": 7_649.0,  # 70 amino acids, 7.649 kDa
    "amh": 140_000.0,  # the 140 kDa dimer
}


def per_mass(scale: float, substance: str) -> float:
    """A molar unit per mass unit: ``scale`` is how many of the mass unit's grams per litre,
    in the molar unit's own prefix (1 ng/dL to nmol/L: 10 ng/L -> 10 / M nmol/L)."""
    return scale / MOLAR_MASS[substance]


SAME = 1.0
PROLACTIN_MIU_PER_NG = 21.2  # WHO 3rd IS 84/500
UKAT_PER_U = 1 / 60  # 1 U = 1 umol/min; 1 kat = 1 mol/s

# key -> {unit: how many of that unit one canonical unit is}
INDEPENDENT: dict[str, dict[str, float]] = {
    "testosterone_total": {"ng/dL": SAME, "nmol/L": per_mass(10, "testosterone"),  # 0.0347
                           "ng/mL": 0.01},
    "testosterone_free": {"pg/mL": SAME, "pmol/L": per_mass(1000, "testosterone"),  # 3.467
                          "nmol/L": per_mass(1, "testosterone"), "ng/dL": 0.1, "ng/L": SAME},
    "testosterone_bioavailable": {"ng/dL": SAME, "nmol/L": per_mass(10, "testosterone")},
    "dht": {"ng/dL": SAME, "nmol/L": per_mass(10, "dht"), "pg/mL": 10.0,
            "pmol/L": per_mass(10_000, "dht")},
    "free_androgen_index": {"%": SAME},
    "estradiol": {"pg/mL": SAME, "pmol/L": per_mass(1000, "estradiol"),  # 3.671
                  "ng/L": SAME},
    "lh": {"IU/L": SAME, "mIU/mL": SAME, "U/L": SAME, "mU/mL": SAME},
    "fsh": {"IU/L": SAME, "mIU/mL": SAME, "U/L": SAME, "mU/mL": SAME},
    "shbg": {"nmol/L": SAME},
    "albumin": {"g/dL": SAME, "g/L": 10.0},
    "prolactin": {"ng/mL": SAME, "ug/L": SAME, "mIU/L": PROLACTIN_MIU_PER_NG,
                  "mU/L": PROLACTIN_MIU_PER_NG, "uIU/mL": PROLACTIN_MIU_PER_NG},
    "igf1": {"ng/mL": SAME, "ug/L": SAME, "nmol/L": per_mass(1000, "igf1")},  # 0.1307
    "inhibin_b": {"pg/mL": SAME, "ng/L": SAME},
    "amh": {"ng/mL": SAME, "ug/L": SAME, "pmol/L": per_mass(1e6, "amh")},  # 7.14
    "tsh": {"uIU/mL": SAME, "mIU/L": SAME, "mU/L": SAME, "uU/mL": SAME},
    "free_t4": {"ng/dL": SAME, "pmol/L": per_mass(10_000, "thyroxine")},  # 12.87
    "cortisol": {"ug/dL": SAME, "nmol/L": per_mass(10_000, "cortisol")},  # 27.59
    "dhea_s": {"ug/dL": SAME, "umol/L": per_mass(10, "dhea_s")},  # 0.0271
    "progesterone": {"ng/mL": SAME, "nmol/L": per_mass(1000, "progesterone")},  # 3.18
    "hematocrit": {"%": SAME, "L/L": 0.01},
    "hemoglobin": {"g/dL": SAME, "g/L": 10.0,
                   "mmol/L": per_mass(10_000, "hemoglobin_monomer")},  # 0.6206
    "rbc": {"10^6/uL": SAME, "10^12/L": SAME},
    "ferritin": {"ng/mL": SAME, "ug/L": SAME},
    "psa": {"ng/mL": SAME, "ug/L": SAME},
    "cholesterol_total": {"mg/dL": SAME, "mmol/L": per_mass(10, "cholesterol")},  # 0.02586
    "hdl": {"mg/dL": SAME, "mmol/L": per_mass(10, "cholesterol")},
    "ldl": {"mg/dL": SAME, "mmol/L": per_mass(10, "cholesterol")},
    "triglycerides": {"mg/dL": SAME, "mmol/L": per_mass(10, "triolein")},  # 0.01129
    "alt": {"U/L": SAME, "IU/L": SAME, "ukat/L": UKAT_PER_U},
    "ast": {"U/L": SAME, "IU/L": SAME, "ukat/L": UKAT_PER_U},
    "creatinine": {"mg/dL": SAME, "umol/L": per_mass(10_000, "creatinine")},  # 88.4
    "egfr": {"mL/min/1.73m2": SAME},
    "glucose": {"mg/dL": SAME, "mmol/L": per_mass(10, "glucose")},  # 0.0555
    "glucose_blood": {"mg/dL": SAME, "mmol/L": per_mass(10, "glucose")},  # whole blood, same
    "vitamin_d": {"ng/mL": SAME, "ug/L": SAME, "nmol/L": per_mass(1000, "calcidiol")},  # 2.496
    "testicular_volume": {"mL": SAME},
    "semen_volume": {"mL": SAME},
    "sperm_concentration": {"million/mL": SAME, "10^6/mL": SAME},
    "sperm_total_count": {"million": SAME, "10^6": SAME},
    "sperm_motility": {"%": SAME},
    "sperm_progressive_motility": {"%": SAME},
    "sperm_morphology": {"%": SAME},
}

# The figures the issue names, as printed in the literature: the molar masses above must give them.
PRINTED = [
    ("testosterone_total", "nmol/L", 0.0347), ("testosterone_free", "pmol/L", 3.467),
    ("estradiol", "pmol/L", 3.671), ("prolactin", "mIU/L", 21.2),
    ("vitamin_d", "nmol/L", 2.496), ("cortisol", "nmol/L", 27.59),
    ("creatinine", "umol/L", 88.4), ("glucose", "mmol/L", 0.0555),
    ("cholesterol_total", "mmol/L", 0.02586), ("triglycerides", "mmol/L", 0.01129),
    ("hemoglobin", "mmol/L", 0.6206), ("hematocrit", "L/L", 0.01), ("dht", "nmol/L", 0.03443),
]

ROWS = [(key, unit, factor) for key, units in INDEPENDENT.items()
        for unit, factor in units.items()]
LINEAR = [(key, unit) for key in CATALOGUE if key != "hba1c" for unit in units_for(key)]


@pytest.mark.parametrize(("key", "unit", "printed"), PRINTED)
def test_the_independent_table_gives_the_printed_factors(key: str, unit: str,
                                                         printed: float) -> None:
    assert INDEPENDENT[key][unit] == pytest.approx(printed, rel=0.005)


def test_every_unit_the_catalogue_accepts_is_in_the_independent_table() -> None:
    known = {(key, unit) for key, unit, _ in ROWS}
    assert [row for row in LINEAR if row not in known] == []
    assert set(INDEPENDENT) | {"hba1c"} == set(CATALOGUE)


@pytest.mark.parametrize(("key", "unit", "factor"), ROWS)
def test_a_conversion_agrees_with_the_independent_table(key: str, unit: str,
                                                        factor: float) -> None:
    # A canonical value of 100 shown in the unit, and a value printed in the unit read back
    assert from_canonical(key, 100.0, unit) == pytest.approx(100.0 * factor, rel=0.005)
    assert to_canonical(key, 100.0 * factor, unit) == pytest.approx(100.0, rel=0.005)


@pytest.mark.parametrize("key", sorted(INDEPENDENT))
def test_the_si_display_agrees_with_the_independent_table(key: str) -> None:
    si = display_unit(key, "si")
    assert to_system(key, 50.0, "si") == pytest.approx(50.0 * INDEPENDENT[key][si], rel=0.005)
    assert to_system(key, 50.0, "us") == 50.0


@pytest.mark.parametrize(("ngsp", "ifcc"), [(5.0, 31.1), (5.7, 38.8), (6.5, 47.5), (8.0, 63.9)])
def test_hba1c_follows_the_ifcc_ngsp_master_equation(ngsp: float, ifcc: float) -> None:
    assert 10.929 * (ngsp - 2.15) == pytest.approx(ifcc, abs=0.05)  # the rows are the equation
    assert from_canonical("hba1c", ngsp, "mmol/mol") == pytest.approx(ifcc, rel=0.005)
    assert to_canonical("hba1c", ifcc, "mmol/mol") == pytest.approx(ngsp, rel=0.005)
