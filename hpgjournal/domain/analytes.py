"""The marker catalogue: keys, units, conversions, LOINC codes and the names labs print.

Every lab result is stored with a canonical number in its marker's canonical unit (the US
conventional unit). This module knows, for each marker, which units are accepted and how to
convert between them. Conversions are specific to each marker (they depend on its molar mass
or on an assay calibration), never generic. Figures come from the project's research notes
(``research/formats.md`` section 2), which cite their sources.

A result whose name is not in the catalogue is kept as a custom marker, keyed
``custom:<name>``; it has no canonical unit and is never converted.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CATALOGUE",
    "CATEGORIES",
    "CUSTOM_PREFIX",
    "KEY_MARKERS",
    "Analyte",
    "UnitError",
    "default_range",
    "display_unit",
    "find_analyte",
    "fold_name",
    "from_canonical",
    "get_analyte",
    "is_custom",
    "is_known_unit",
    "loinc_unit",
    "normalise_unit",
    "to_canonical",
    "to_system",
    "units_for",
]

CUSTOM_PREFIX = "custom:"

CATEGORIES: tuple[str, ...] = (
    "androgens", "estrogens", "gonadotropins", "binding", "blood", "prostate", "lipids",
    "liver", "kidney", "thyroid", "adrenal", "metabolic", "pituitary", "fertility", "semen",
    "body", "other",
)


class UnitError(ValueError):
    """A unit that does not fit a marker (or that no conversion is known for)."""


@dataclass(frozen=True)
class Analyte:
    """One marker of the catalogue (or a custom marker the user's lab reported)."""

    key: str
    name: str
    short: str
    category: str
    unit: str
    si_unit: str
    si_factor: float | None
    loinc: str
    alt_loinc: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    ref_low: float | None = None
    ref_high: float | None = None
    ref_source: str = ""
    methods: tuple[str, ...] = ()
    decimals: int = 1
    key_marker: bool = False


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------

# Canonical spellings of the units this app knows. normalise_unit() maps every spelling below
# (compared without case and spaces) onto them.
_UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ng/dL": (),
    "ng/mL": (),
    "ng/L": (),
    "pg/mL": (),
    "pg/L": (),
    "ug/dL": (),
    "ug/L": (),
    "ug/mL": (),
    "mg/dL": (),
    "mg/L": (),
    "g/dL": (),
    "g/L": (),
    "mmol/L": (),
    "umol/L": (),
    "nmol/L": (),
    "pmol/L": (),
    "mmol/mol": (),
    "IU/L": ("[iu]/l",),
    "IU/mL": ("[iu]/ml",),
    "mIU/mL": ("m[iu]/ml",),
    "mIU/L": ("m[iu]/l",),
    "uIU/mL": ("u[iu]/ml",),
    "U/L": ("units/l", "unit/l"),
    "mU/L": (),
    "mU/mL": (),
    "uU/mL": (),
    "ukat/L": (),
    "%": ("percent", "per cent"),
    "L/L": (),
    "mL": ("cc",),
    "10^6/uL": (
        "x10e6/ul", "x10^6/ul", "x10*6/ul", "10e6/ul", "10*6/ul", "million/ul", "millions/ul",
        "mill/ul", "mil/ul", "m/ul", "x_10-6/ul", "x10-6/ul",
    ),
    "10^12/L": ("x10e12/l", "x10^12/l", "x10*12/l", "10e12/l", "10*12/l", "t/l"),
    "10^3/uL": (
        "x10e3/ul", "x10^3/ul", "x10*3/ul", "10e3/ul", "10*3/ul", "thousand/ul", "k/ul",
        "thous/ul", "thou/ul", "x_10-3/ul", "x10-3/ul",
    ),
    "10^9/L": ("x10e9/l", "x10^9/l", "x10*9/l", "10e9/l", "10*9/l"),
    "million/mL": (
        "10^6/ml", "x10^6/ml", "x10e6/ml", "x10*6/ml", "10e6/ml", "10*6/ml", "m/ml", "mill/ml",
        "mil/ml", "millions/ml",
    ),
    "million": (
        "10^6", "x10^6", "x10e6", "10e6", "10*6", "millions", "mill", "million/ejaculate",
        "10^6/ejaculate", "x10^6/ejaculate",
    ),
    "mL/min/1.73m2": (
        "ml/min/1.73", "ml/min/1.73m^2", "ml/min/{1.73_m2}", "ml/min/1.73sqm",
        "ml/min/1.73m*2", "ml/min/1.73m**2",
    ),
    "SD": (),
    "fL": (),
    "pg": (),
    "mm/h": ("mm/hr",),
}


_UNIT_INDEX: dict[str, str] = {
    spelling.lower(): canonical
    for canonical, spellings in _UNIT_SPELLINGS.items()
    for spelling in (canonical, *spellings)
}

_CALC_RE = re.compile(r"\(\s*calc(?:ulated)?\s*\)", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")
_MCG_RE = re.compile(r"mcg", re.IGNORECASE)
# "mc" for micro before international units and litres: mcIU/mL, THOUS/MCL (cells per uL)
_MC_RE = re.compile(r"mc(?=iu|u/|l$)", re.IGNORECASE)
_CASE_FIXES = ((re.compile(r"/dl$", re.IGNORECASE), "/dL"),
               (re.compile(r"/ml$", re.IGNORECASE), "/mL"),
               (re.compile(r"/ul$", re.IGNORECASE), "/uL"),
               (re.compile(r"/l$"), "/L"))


def normalise_unit(text: str) -> str:
    """Return the canonical spelling of a printed unit.

    Spaces and a ``(calc)`` remark are dropped, ``mcg``/``µg``/``μg`` become ``ug``, the case
    is fixed (``nmol/l`` -> ``nmol/L``, ``G/DL`` -> ``g/dL``) and the many spellings of counts
    are unified (``x10E6/uL`` and ``Million/uL`` -> ``10^6/uL``; ``10^6/mL``, ``M/mL`` ->
    ``million/mL``; ``THOUS/MCL`` -> ``10^3/uL``). Non-UCUM spellings of portals are read too:
    ``mcIU/mL`` is ``uIU/mL``, ``UNITS/L`` is ``U/L``, ``m[IU]/L`` is ``mIU/L``.
    A unit this module does not know comes back cleaned but otherwise as printed.
    """
    cleaned = _CALC_RE.sub("", text or "")
    cleaned = cleaned.replace("\u00b5", "u").replace("\u03bc", "u")
    cleaned = cleaned.replace("\u00b2", "2").replace("\u00b3", "3")
    cleaned = _MCG_RE.sub("ug", cleaned)
    cleaned = _SPACE_RE.sub("", cleaned)
    cleaned = _MC_RE.sub("u", cleaned)
    known = _UNIT_INDEX.get(cleaned.lower())
    if known is not None:
        return known
    for pattern, replacement in _CASE_FIXES:
        cleaned = pattern.sub(replacement, cleaned)
    return cleaned


def is_known_unit(text: str) -> bool:
    """True when ``text`` is a spelling of a unit this module knows (e.g. ``mcg/dL``)."""
    return bool(text and text.strip()) and normalise_unit(text) in _UNIT_SPELLINGS


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------

_LABCORP = "Labcorp adult male range printed on real reports"
_QUEST = "Quest adult male range printed on real reports"
_WHO = "WHO 2021 lower reference limit"

_ANALYTES: tuple[Analyte, ...] = (
    # ---- hormones -------------------------------------------------------------------------
    Analyte(
        key="testosterone_total", name="Total testosterone", short="Total T",
        category="androgens", unit="ng/dL", si_unit="nmol/L", si_factor=0.03467,
        loinc="2986-8", alt_loinc=("14913-8", "49041-7", "70239-9", "83116-4"),
        aliases=(
            "Testosterone", "Testosterone, Total", "Testosterone, Total, MS",
            "Testosterone, Total, LC/MS/MS", "Testosterone, Total, Serum", "Testosterone,Total,S",
            "Total Testosterone", "TT", "Testosteron",
        ),
        ref_low=264.0, ref_high=916.0,
        ref_source="Labcorp, CDC-harmonised range (Travison et al., JCEM 2017)",
        decimals=0, key_marker=True,
    ),
    Analyte(
        key="testosterone_free", name="Free testosterone", short="Free T",
        category="androgens", unit="pg/mL", si_unit="pmol/L", si_factor=3.467,
        loinc="2991-8",
        alt_loinc=("14914-6", "49042-5", "70240-7", "25987-9", "103227-5", "96559-0"),
        aliases=(
            "Testosterone, Free", "Free Testosterone", "Testosterone, Free (Dialysis)",
            "Testosterone,Free,S", "FT", "Free Testosterone (Direct)",
            "Free Testosterone, Direct", "Testosterone, Free, Direct",
            "Free Testosterone (Calc)", "Calculated Free Testosterone",
            "Testosterone, Free (Calculated)", "cFT", "Free testosterone calculated",
        ),
        ref_source=("none: free testosterone ranges depend on the method (direct, dialysis or "
                    "calculated); use the lab's range"),
        methods=("measured", "direct", "calculated"), decimals=1, key_marker=True,
    ),
    Analyte(
        key="testosterone_bioavailable", name="Bioavailable testosterone", short="Bio T",
        category="androgens", unit="ng/dL", si_unit="nmol/L", si_factor=0.03467,
        loinc="2990-0", alt_loinc=("41018-3",),
        aliases=("Testosterone, Bioavailable", "Bioavailable Testosterone", "BAT", "BioT"),
        ref_low=110.0, ref_high=575.0, ref_source=_QUEST, decimals=0,
    ),
    Analyte(
        key="dht", name="Dihydrotestosterone", short="DHT",
        category="androgens", unit="ng/dL", si_unit="nmol/L", si_factor=0.03443,
        loinc="1848-1", alt_loinc=("15057-3",),
        aliases=("DHT", "Dihydrotestosterone, LC/MS/MS", "Androstanolone"),
        ref_source="none: laboratory-specific", decimals=0,
    ),
    Analyte(
        key="free_androgen_index", name="Free androgen index", short="FAI",
        category="androgens", unit="%", si_unit="%", si_factor=1.0, loinc="",
        aliases=("FAI",),
        ref_source="none: laboratory-specific (100 x total T nmol/L / SHBG nmol/L)", decimals=1,
    ),
    Analyte(
        key="estradiol", name="Estradiol", short="E2",
        category="estrogens", unit="pg/mL", si_unit="pmol/L", si_factor=3.671,
        loinc="2243-4", alt_loinc=("14715-7", "83096-8"),
        aliases=(
            "Estradiol, Serum", "Estradiol,S", "Estradiol (E2)", "Oestradiol", "Östradiol",
            "Estradiol, Sensitive", "Estradiol, Sensitive (LC/MS/MS)",
            "Estradiol, Ultrasensitive, LC/MS", "Estradiol, Ultrasensitive",
            "Ultrasensitive Estradiol", "Estradiol, Serum, MS", "Oestradiol (Sensitive)",
            "E2 sensitive",
        ),
        ref_low=7.6, ref_high=42.6, ref_source="Labcorp immunoassay (Roche) adult male range",
        methods=("immunoassay", "sensitive"), decimals=1, key_marker=True,
    ),
    Analyte(
        key="lh", name="Luteinizing hormone", short="LH",
        category="gonadotropins", unit="IU/L", si_unit="IU/L", si_factor=1.0,
        loinc="10501-5", alt_loinc=("83103-2",),
        aliases=(
            "Luteinizing Hormone (LH)", "Luteinizing Hormone (LH), S", "Lutropin",
            "Luteinising hormone", "Luteinising hormone (LH)",
        ),
        ref_low=1.7, ref_high=8.6, ref_source=_LABCORP + " (Roche assay)", decimals=1,
        key_marker=True,
    ),
    Analyte(
        key="fsh", name="Follicle-stimulating hormone", short="FSH",
        category="gonadotropins", unit="IU/L", si_unit="IU/L", si_factor=1.0,
        loinc="15067-2", alt_loinc=("83098-4",),
        aliases=(
            "Follicle Stimulating Hormone (FSH)", "Follicle Stimulating Hormone (FSH), S",
            "Follitropin",
        ),
        ref_low=1.5, ref_high=12.4, ref_source=_LABCORP + " (Roche assay)", decimals=1,
        key_marker=True,
    ),
    Analyte(
        key="shbg", name="Sex hormone-binding globulin", short="SHBG",
        category="binding", unit="nmol/L", si_unit="nmol/L", si_factor=1.0,
        loinc="13967-5",
        aliases=(
            "Sex Hormone Binding Globulin", "Sex Horm Binding Glob, Serum", "TeBG", "SSBG",
        ),
        ref_low=16.5, ref_high=55.9, ref_source=_LABCORP, decimals=1, key_marker=True,
    ),
    Analyte(
        key="albumin", name="Albumin", short="Alb",
        category="binding", unit="g/dL", si_unit="g/L", si_factor=10.0,
        loinc="1751-7", alt_loinc=("2862-1",),
        aliases=("Albumin Level", "Albumin, Serum"),
        ref_low=3.6, ref_high=5.1, ref_source=_QUEST, decimals=1,
    ),
    Analyte(
        key="prolactin", name="Prolactin", short="PRL",
        category="pituitary", unit="ng/mL", si_unit="mIU/L", si_factor=21.2,
        loinc="2842-3",
        aliases=("Prolactin, Serum",),
        ref_low=4.0, ref_high=15.2, ref_source="Labcorp (Roche) range from third-party catalogues",
        decimals=1, key_marker=True,
    ),
    Analyte(
        key="igf1", name="IGF-1", short="IGF-1",
        category="pituitary", unit="ng/mL", si_unit="nmol/L", si_factor=0.1307,
        loinc="2484-4",
        aliases=("IGF 1, LC/MS", "IGF-I", "Somatomedin C", "Insulin-like growth factor 1"),
        ref_source="none: depends on age", decimals=0,
    ),
    Analyte(
        key="inhibin_b", name="Inhibin B", short="Inh B",
        category="fertility", unit="pg/mL", si_unit="ng/L", si_factor=1.0,
        loinc="34319-4",
        aliases=("Inhibin B, Serum",),
        ref_source="none: laboratory-specific", decimals=0,
    ),
    Analyte(
        key="amh", name="Anti-Müllerian hormone", short="AMH",
        category="fertility", unit="ng/mL", si_unit="pmol/L", si_factor=7.14,
        loinc="38476-8",
        aliases=("AMH", "Anti-Mullerian Hormone", "Müllerian-inhibiting substance", "MIS"),
        ref_source="none: laboratory-specific", decimals=2,
    ),
    Analyte(
        key="tsh", name="Thyroid-stimulating hormone", short="TSH",
        category="thyroid", unit="uIU/mL", si_unit="mIU/L", si_factor=1.0,
        loinc="3016-3", alt_loinc=("11579-0", "11580-8"),
        aliases=("Thyroid Stimulating Hormone", "Thyrotropin"),
        ref_low=0.45, ref_high=4.5, ref_source=_LABCORP, decimals=2,
    ),
    Analyte(
        key="free_t4", name="Free thyroxine (FT4)", short="FT4",
        category="thyroid", unit="ng/dL", si_unit="pmol/L", si_factor=12.87,
        loinc="3024-7", alt_loinc=("14920-3", "6892-4"),
        aliases=(
            "T4, Free (Direct)", "T4,Free(Direct)", "T4, Free", "Free T4", "Free Thyroxine",
        ),
        ref_low=0.82, ref_high=1.77, ref_source=_LABCORP, decimals=2,
    ),
    Analyte(
        key="cortisol", name="Cortisol", short="Cortisol",
        category="adrenal", unit="ug/dL", si_unit="nmol/L", si_factor=27.59,
        loinc="2143-6", alt_loinc=("14675-3", "9813-7", "14679-5"),
        aliases=("Cortisol, Total", "Cortisol, Total, LC/MS", "Cortisol - AM"),
        ref_low=6.2, ref_high=19.4,
        ref_source="Labcorp morning range from a third-party table (depends on the hour)",
        decimals=1,
    ),
    Analyte(
        key="dhea_s", name="DHEA sulfate", short="DHEA-S",
        category="adrenal", unit="ug/dL", si_unit="umol/L", si_factor=0.02714,
        loinc="2191-5", alt_loinc=("14688-6",),
        aliases=(
            "DHEA Sulfate", "DHEA-Sulfate", "DHEAS", "DHEA-Sulfate, LCMS", "DHEA Sulphate",
            "Dehydroepiandrosterone sulfate",
        ),
        ref_source="none: depends on age", decimals=0,
    ),
    Analyte(
        key="progesterone", name="Progesterone", short="Prog",
        category="other", unit="ng/mL", si_unit="nmol/L", si_factor=3.180,
        loinc="2839-9", alt_loinc=("14890-8",),
        aliases=("Progesterone, LC/MS",),
        ref_source="none: no verified adult male range", decimals=2,
    ),
    # ---- blood ----------------------------------------------------------------------------
    Analyte(
        key="hematocrit", name="Hematocrit", short="Hct",
        category="blood", unit="%", si_unit="L/L", si_factor=0.01,
        loinc="4544-3", alt_loinc=("20570-8", "31100-1", "4545-0"),
        aliases=("HCT", "HCT, Auto", "Haematocrit", "PCV", "Hämatokrit"),
        ref_low=37.5, ref_high=51.0, ref_source=_LABCORP, decimals=1, key_marker=True,
    ),
    Analyte(
        key="hemoglobin", name="Hemoglobin", short="Hgb",
        category="blood", unit="g/dL", si_unit="g/L", si_factor=10.0,
        loinc="718-7",
        aliases=("HGB", "Hb", "Haemoglobin"),
        ref_low=13.0, ref_high=17.7, ref_source=_LABCORP, decimals=1,
    ),
    Analyte(
        key="rbc", name="Red blood cells", short="RBC",
        category="blood", unit="10^6/uL", si_unit="10^12/L", si_factor=1.0,
        loinc="789-8",
        aliases=("Red Blood Cell Count", "Erythrocytes"),
        ref_low=4.14, ref_high=5.80, ref_source=_LABCORP, decimals=2,
    ),
    Analyte(
        key="ferritin", name="Ferritin", short="Ferritin",
        category="blood", unit="ng/mL", si_unit="ug/L", si_factor=1.0,
        loinc="2276-4",
        aliases=("Ferritin, Serum",),
        ref_low=30.0, ref_high=400.0, ref_source=_LABCORP, decimals=0,
    ),
    # ---- the rest -------------------------------------------------------------------------
    Analyte(
        key="psa", name="Prostate-specific antigen", short="PSA",
        category="prostate", unit="ng/mL", si_unit="ug/L", si_factor=1.0,
        loinc="2857-1", alt_loinc=("35741-8",),
        aliases=(
            "PSA, Total", "Prostate Specific Ag", "Prostate Specific Ag, Serum",
            "Prostate Specific Antigen", "PSA, ultrasensitive",
        ),
        ref_low=0.0, ref_high=4.0, ref_source=_LABCORP, decimals=2, key_marker=True,
    ),
    Analyte(
        key="cholesterol_total", name="Total cholesterol", short="Chol",
        category="lipids", unit="mg/dL", si_unit="mmol/L", si_factor=0.02586,
        loinc="2093-3", alt_loinc=("14647-2",),
        aliases=("Cholesterol, Total", "Cholesterol"),
        ref_low=100.0, ref_high=199.0, ref_source=_LABCORP, decimals=0,
    ),
    Analyte(
        key="hdl", name="HDL cholesterol", short="HDL",
        category="lipids", unit="mg/dL", si_unit="mmol/L", si_factor=0.02586,
        loinc="2085-9", alt_loinc=("14646-4",),
        aliases=("HDL-C", "HDL-Cholesterol"),
        ref_low=40.0, ref_source="Quest adult range (40 or more)", decimals=0,
    ),
    Analyte(
        key="ldl", name="LDL cholesterol", short="LDL",
        category="lipids", unit="mg/dL", si_unit="mmol/L", si_factor=0.02586,
        loinc="13457-7", alt_loinc=("39469-2", "2089-1", "22748-8", "18262-6", "69419-0"),
        aliases=(
            "LDL Chol Calc (NIH)", "LDL-Cholesterol", "LDL-C", "LDL Direct",
            "LDL Cholesterol Calc",
        ),
        ref_low=0.0, ref_high=99.0, ref_source=_LABCORP, decimals=0,
    ),
    Analyte(
        key="triglycerides", name="Triglycerides", short="Trig",
        category="lipids", unit="mg/dL", si_unit="mmol/L", si_factor=0.01129,
        loinc="2571-8", alt_loinc=("14927-8",),
        aliases=("Triglyceride",),
        ref_low=0.0, ref_high=149.0, ref_source=_LABCORP, decimals=0,
    ),
    Analyte(
        key="alt", name="Alanine aminotransferase (ALT)", short="ALT",
        category="liver", unit="U/L", si_unit="U/L", si_factor=1.0,
        loinc="1742-6",
        aliases=("ALT (SGPT)", "SGPT", "Alanine aminotransferase"),
        ref_low=0.0, ref_high=44.0, ref_source=_LABCORP, decimals=0,
    ),
    Analyte(
        key="ast", name="Aspartate aminotransferase (AST)", short="AST",
        category="liver", unit="U/L", si_unit="U/L", si_factor=1.0,
        loinc="1920-8",
        aliases=("AST (SGOT)", "SGOT", "Aspartate aminotransferase"),
        ref_low=0.0, ref_high=40.0, ref_source=_LABCORP, decimals=0,
    ),
    Analyte(
        key="creatinine", name="Creatinine", short="Creat",
        category="kidney", unit="mg/dL", si_unit="umol/L", si_factor=88.4,
        loinc="2160-0", alt_loinc=("14682-9",),
        aliases=("Creatinine, Serum", "Creatinine Level"),
        ref_low=0.76, ref_high=1.27, ref_source=_LABCORP, decimals=2,
    ),
    Analyte(
        key="egfr", name="Estimated glomerular filtration rate", short="eGFR",
        category="kidney", unit="mL/min/1.73m2", si_unit="mL/min/1.73m2", si_factor=1.0,
        loinc="98979-8",
        alt_loinc=("33914-3", "48642-3", "48643-1", "62238-1", "88293-6", "88294-4"),
        aliases=("eGFR If NonAfricn Am", "eGFR Non-Afr. American", "Estimated GFR"),
        ref_low=60.0, ref_source="Quest adult range (60 or more)", decimals=0,
    ),
    Analyte(
        key="hba1c", name="HbA1c (glycated hemoglobin)", short="HbA1c",
        category="metabolic", unit="%", si_unit="mmol/mol", si_factor=None,
        loinc="4548-4", alt_loinc=("17856-6", "59261-8"),
        aliases=("Hemoglobin A1c", "A1c", "Glycated haemoglobin", "Glycated hemoglobin"),
        ref_low=4.8, ref_high=5.6, ref_source=_LABCORP, decimals=1,
    ),
    Analyte(
        key="glucose", name="Glucose", short="Glucose",
        category="metabolic", unit="mg/dL", si_unit="mmol/L", si_factor=0.05551,
        loinc="2345-7", alt_loinc=("14749-6", "1558-6", "14771-0"),
        aliases=("Glucose Level", "Fasting Glucose"),
        ref_low=65.0, ref_high=99.0, ref_source="Labcorp and Quest adult range", decimals=0,
    ),
    # Whole-blood (venous or capillary, meter) glucose reads lower than serum or plasma
    # glucose of the same draw: a marker of its own, found by its LOINC codes (issue 14).
    Analyte(
        key="glucose_blood", name="Glucose (whole blood)", short="Glucose (blood)",
        category="metabolic", unit="mg/dL", si_unit="mmol/L", si_factor=0.05551,
        loinc="2339-0", alt_loinc=("32016-8", "41653-7", "2340-8", "2341-6", "15074-8",
                                   "14743-9"),
        aliases=("Glucose, whole blood", "Whole blood glucose", "Glucose, capillary",
                 "Capillary glucose", "Capillary blood glucose", "Glucose Bld"),
        ref_source="none: whole-blood ranges depend on the sample and the meter", decimals=0,
    ),
    Analyte(
        key="vitamin_d", name="Vitamin D (25-OH)", short="Vit D",
        category="other", unit="ng/mL", si_unit="nmol/L", si_factor=2.496,
        loinc="62292-8", alt_loinc=("35365-6",),
        aliases=(
            "Vitamin D, 25-Hydroxy", "VITAMIN D,25-OH,TOTAL,IA", "Vitamin D 25-OH", "25(OH)D",
            "Calcidiol", "Vitamin D", "25-Hydroxyvitamin D",
        ),
        ref_low=30.0, ref_high=100.0, ref_source="Labcorp and Quest adult range", decimals=0,
    ),
    Analyte(
        key="testicular_volume", name="Testicular volume", short="Testis vol",
        category="body", unit="mL", si_unit="mL", si_factor=1.0, loinc="",
        aliases=("Testis volume", "Testes volume", "Orchidometer volume"),
        ref_source="none: measured by orchidometer or ultrasound", decimals=0,
    ),
    # ---- semen analysis -------------------------------------------------------------------
    Analyte(
        key="semen_volume", name="Semen volume", short="Semen vol",
        category="semen", unit="mL", si_unit="mL", si_factor=1.0,
        loinc="3160-9", alt_loinc=("40692-6",),
        aliases=("Ejaculate volume",),
        ref_low=1.4, ref_source=_WHO, decimals=1,
    ),
    Analyte(
        key="sperm_concentration", name="Sperm concentration", short="Sperm conc",
        category="semen", unit="million/mL", si_unit="10^6/mL", si_factor=1.0,
        loinc="9780-8", alt_loinc=("38544-3",),
        aliases=("Sperm Count", "Sperm Density"),
        ref_low=16.0, ref_source=_WHO, decimals=1, key_marker=True,
    ),
    Analyte(
        key="sperm_total_count", name="Total sperm count", short="Sperm total",
        category="semen", unit="million", si_unit="10^6", si_factor=1.0, loinc="",
        aliases=("Total Sperm Number", "Total sperm count per ejaculate"),
        ref_low=39.0, ref_source=_WHO, decimals=0,
    ),
    Analyte(
        key="sperm_motility", name="Sperm motility (total)", short="Motility",
        category="semen", unit="%", si_unit="%", si_factor=1.0,
        loinc="6800-7", alt_loinc=("38540-1",),
        aliases=("Total Motility", "Sperm Motility", "PR+NP"),
        ref_low=42.0, ref_source=_WHO, decimals=0,
    ),
    Analyte(
        key="sperm_progressive_motility", name="Progressive motility", short="Prog motility",
        category="semen", unit="%", si_unit="%", si_factor=1.0,
        loinc="14194-5",
        aliases=("Sperm progressive motility",),
        ref_low=30.0, ref_source=_WHO, decimals=0,
    ),
    Analyte(
        key="sperm_morphology", name="Sperm morphology (normal forms)", short="Morphology",
        category="semen", unit="%", si_unit="%", si_factor=1.0,
        loinc="10622-9",
        aliases=("Normal Forms", "Strict (Kruger) Morphology", "Sperm Morphology"),
        ref_low=4.0, ref_source=_WHO, decimals=0,
    ),
)

CATALOGUE: dict[str, Analyte] = {a.key: a for a in _ANALYTES}
KEY_MARKERS: tuple[str, ...] = tuple(a.key for a in _ANALYTES if a.key_marker)

# Units each marker accepts besides its canonical and SI units: unit -> factor, such that
# canonical value x factor = value in that unit.
_EXTRA_UNITS: dict[str, tuple[tuple[str, float], ...]] = {
    "testosterone_total": (("ng/mL", 0.01),),
    "testosterone_free": (("ng/dL", 0.1), ("nmol/L", 0.003467), ("ng/L", 1.0)),
    "dht": (("pg/mL", 10.0), ("pmol/L", 34.43)),
    "estradiol": (("ng/L", 1.0),),
    "lh": (("mIU/mL", 1.0), ("U/L", 1.0), ("mU/mL", 1.0)),
    "fsh": (("mIU/mL", 1.0), ("U/L", 1.0), ("mU/mL", 1.0)),
    "prolactin": (("ug/L", 1.0), ("mU/L", 21.2), ("uIU/mL", 21.2)),
    "igf1": (("ug/L", 1.0),),
    "amh": (("ug/L", 1.0),),
    "tsh": (("mU/L", 1.0), ("uU/mL", 1.0)),
    "hemoglobin": (("mmol/L", 0.6206),),
    "alt": (("IU/L", 1.0), ("ukat/L", 0.01667)),
    "ast": (("IU/L", 1.0), ("ukat/L", 0.01667)),
    "vitamin_d": (("ug/L", 1.0),),
}

# HbA1c: NGSP percent <-> IFCC mmol/mol is affine, not a factor.
_HBA1C_OFFSET = 2.15
_HBA1C_SLOPE = 10.929

# Default ranges for markers whose range depends on the method. method -> (low, high, source).
_METHOD_RANGES: dict[str, dict[str, tuple[float | None, float | None, str]]] = {
    "testosterone_free": {
        "measured": (35.0, 155.0, "Quest free testosterone by dialysis, adult male range"),
        "direct": (6.8, 21.5, "Labcorp free testosterone (direct), adult male range"),
        "calculated": (
            70.7, 226.4,
            "Vermeulen calculated free T in healthy men 20-45 (Ho et al. 2006: "
            "0.245-0.785 nmol/L)",
        ),
    },
    "estradiol": {
        "sensitive": (8.0, 35.0, "Labcorp estradiol by LC/MS, adult male range"),
    },
}


def _conversions(analyte: Analyte) -> dict[str, float]:
    """Normalised unit -> factor from canonical, canonical first, SI second, then others."""
    table: dict[str, float] = {normalise_unit(analyte.unit): 1.0}
    if analyte.si_factor is not None:
        table.setdefault(normalise_unit(analyte.si_unit), analyte.si_factor)
    for unit, factor in _EXTRA_UNITS.get(analyte.key, ()):
        table.setdefault(normalise_unit(unit), factor)
    return table


_CONVERSIONS: dict[str, dict[str, float]] = {a.key: _conversions(a) for a in _ANALYTES}


# --------------------------------------------------------------------------------------------
# Lookup by key
# --------------------------------------------------------------------------------------------


def fold_name(name: str) -> str:
    """A marker name as printed, folded for matching: spaces collapsed, case ignored."""
    return " ".join(name.split()).casefold()


def is_custom(key: str) -> bool:
    """True for a ``custom:<name>`` key (a marker the catalogue does not know)."""
    return key.startswith(CUSTOM_PREFIX)


def get_analyte(key: str) -> Analyte:
    """The catalogue entry for ``key``, or a plain entry for a ``custom:<name>`` key.

    Raises KeyError naming the closest known keys when ``key`` is unknown.
    """
    found = CATALOGUE.get(key)
    if found is not None:
        return found
    if is_custom(key):
        name = key[len(CUSTOM_PREFIX):].strip()
        if not name:
            raise KeyError("a custom marker needs a name after 'custom:'")
        return Analyte(
            key=key, name=name, short=name, category="other", unit="", si_unit="",
            si_factor=1.0, loinc="", ref_source="", decimals=2,
        )
    close = difflib.get_close_matches(key, list(CATALOGUE), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KeyError(f"unknown marker key {key!r}{hint} (unknown lab names are stored as "
                   f"'custom:<name>')")


def units_for(key: str) -> tuple[str, ...]:
    """Units accepted for a marker: canonical first, SI second, then the others.

    A custom marker accepts any unit and returns ``()``.
    """
    analyte = get_analyte(key)
    if is_custom(key):
        return ()
    units: list[str] = []
    seen: set[str] = set()
    extra = tuple(u for u, _ in _EXTRA_UNITS.get(key, ()))
    for unit in (analyte.unit, analyte.si_unit, *extra):
        if unit not in seen:
            seen.add(unit)
            units.append(unit)
    return tuple(units)


def _factor(key: str, unit: str) -> float | None:
    """Factor from canonical to ``unit``; None for HbA1c in mmol/mol (affine)."""
    analyte = get_analyte(key)
    norm = normalise_unit(unit)
    if not norm:
        return 1.0
    if key == "hba1c" and norm == "mmol/mol":
        return None
    factor = _CONVERSIONS[key].get(norm)
    if factor is None:
        accepted = ", ".join(units_for(key))
        raise UnitError(f"unit {unit!r} does not fit {analyte.name} ({key}); accepted units: "
                        f"{accepted}")
    return factor


def to_canonical(key: str, value: float, unit: str) -> float:
    """Convert ``value`` printed in ``unit`` to the marker's canonical unit.

    An empty unit means the value is already canonical. A custom marker is never converted.
    Raises UnitError when the unit does not fit the marker (e.g. ``%`` for testosterone).
    """
    if is_custom(key):
        get_analyte(key)
        return value
    factor = _factor(key, unit)
    if factor is None:
        return value / _HBA1C_SLOPE + _HBA1C_OFFSET
    return value / factor


def from_canonical(key: str, value: float, unit: str) -> float:
    """Convert a canonical ``value`` into ``unit`` (the inverse of to_canonical)."""
    if is_custom(key):
        get_analyte(key)
        return value
    factor = _factor(key, unit)
    if factor is None:
        return (value - _HBA1C_OFFSET) * _HBA1C_SLOPE
    return value * factor


def _check_system(system: str) -> None:
    if system not in ("us", "si"):
        raise ValueError(f"unit system must be 'us' or 'si', not {system!r}")


def display_unit(key: str, system: str) -> str:
    """The unit a marker is shown in: canonical for ``"us"``, SI for ``"si"``."""
    _check_system(system)
    analyte = get_analyte(key)
    return analyte.unit if system == "us" else analyte.si_unit


def to_system(key: str, value: float, system: str) -> float:
    """A canonical value expressed in the display unit of ``system`` (``"us"`` or ``"si"``)."""
    _check_system(system)
    if system == "us" or is_custom(key):
        get_analyte(key)
        return value
    return from_canonical(key, value, get_analyte(key).si_unit)


def default_range(key: str, method: str = "") -> tuple[float | None, float | None, str]:
    """Default adult-male range (low, high, source) in the canonical unit, for a method.

    Used only when the lab printed no range. Free testosterone has no method-free default,
    because direct, dialysis and calculated results differ several-fold.
    """
    analyte = get_analyte(key)
    by_method = _METHOD_RANGES.get(key, {})
    if method in by_method:
        return by_method[method]
    return analyte.ref_low, analyte.ref_high, analyte.ref_source


# --------------------------------------------------------------------------------------------
# Lookup by printed name
# --------------------------------------------------------------------------------------------

# Specimen and filler words that never change what was measured.
_NOISE = frozenset({"serum", "ser", "plasma", "level"})
# Assay techniques: dropped for markers without methods, read as a method for the others.
_TECHNIQUE = frozenset({
    "ms", "lc", "lcms", "msms", "lcmsms", "gcms", "hplc", "ia", "immunoassay", "eclia", "ecl",
    "cia", "cmia", "ria", "auto", "automated",
})
# Words naming a method. Markers with methods translate them; for the rest they are ordinary
# words (so "T4, Free (Direct)" must be listed as an alias of free T4).
_METHOD_WORDS: dict[str, dict[str, str]] = {
    "testosterone_free": {
        "calc": "calculated", "calculated": "calculated", "calculation": "calculated",
        "direct": "direct", "analog": "direct", "analogue": "direct", "ria": "direct",
        "ia": "direct", "immunoassay": "direct",
        "dialysis": "measured", "equilibrium": "measured", "ed": "measured",
        "measured": "measured", "ultrafiltration": "measured", "uf": "measured",
        "ms": "measured", "lc": "measured", "lcms": "measured", "msms": "measured",
        "lcmsms": "measured",
    },
    "estradiol": {
        "sensitive": "sensitive", "ultrasensitive": "sensitive", "ultra": "sensitive",
        "ms": "sensitive", "lc": "sensitive", "lcms": "sensitive", "msms": "sensitive",
        "lcmsms": "sensitive", "gcms": "sensitive",
        "immunoassay": "immunoassay", "ia": "immunoassay", "eclia": "immunoassay",
        "ecl": "immunoassay", "cia": "immunoassay", "cmia": "immunoassay",
        "ria": "immunoassay",
    },
}
# When a name carries several method words, the first method listed here wins.
_METHOD_PRECEDENCE: dict[str, tuple[str, ...]] = {
    "testosterone_free": ("calculated", "direct", "measured"),
    "estradiol": ("sensitive", "immunoassay"),
}
_METHODISH = frozenset(_TECHNIQUE).union(*(words for words in _METHOD_WORDS.values()))
# Abbreviations that stand for a whole name.
_EXPANSIONS: dict[str, tuple[str, ...]] = {"cft": ("calculated", "free", "testosterone")}

_SUPERSCRIPTS = str.maketrans("", "", "¹²³⁰⁴⁵⁶⁷⁸⁹*†‡")
_TOKEN_RE = re.compile(r"[a-z0-9]+|%")
_TRAILING_PAREN_RE = re.compile(r"\(([^()]*)\)\s*$")
_LOINC_RE = re.compile(r"\d{1,8}-\d")


def _tokens(name: str) -> list[str]:
    text = name.translate(_SUPERSCRIPTS).replace("\u00b5", "u").replace("\u03bc", "u")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    tokens: list[str] = []
    for token in _TOKEN_RE.findall(text):
        tokens.extend(_EXPANSIONS.get(token, (token,)))
    return [t for t in tokens if t not in _NOISE]


def _split_unit(name: str) -> tuple[str, str]:
    """Split a unit off a name: ``Total T (ng/dL)`` -> ``("Total T", "ng/dL")``."""
    text = name.strip().rstrip(".,;:")
    match = _TRAILING_PAREN_RE.search(text)
    if match and is_known_unit(match.group(1)) and text[: match.start()].strip():
        return text[: match.start()].strip(), match.group(1)
    head, _, last = text.rpartition(" ")
    if head.strip() and is_known_unit(last):
        return head.strip(), last
    return text, ""


def _key_for(analyte_key: str, tokens: Iterable[str]) -> tuple[str, ...]:
    drop = _METHODISH if analyte_key in _METHOD_WORDS else _TECHNIQUE
    return tuple(sorted(t for t in tokens if t not in drop))


def _build_name_index() -> tuple[dict[tuple[str, ...], str], list[str]]:
    index: dict[tuple[str, ...], str] = {}
    clashes: list[str] = []
    for analyte in _ANALYTES:
        for label in (analyte.name, analyte.short, *analyte.aliases):
            key = _key_for(analyte.key, _tokens(_split_unit(label)[0]))
            if not key:
                clashes.append(f"{analyte.key}: {label!r} has no words")
                continue
            owner = index.setdefault(key, analyte.key)
            if owner != analyte.key:
                clashes.append(f"{label!r} names both {owner} and {analyte.key}")
    return index, clashes


_NAME_INDEX, _NAME_CLASHES = _build_name_index()


def _build_loinc_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for analyte in _ANALYTES:
        for code in (analyte.loinc, *analyte.alt_loinc):
            if code:
                index[code] = (analyte.key, "")
    # Codes defined as "by calculation" say which method was used.
    index["103227-5"] = ("testosterone_free", "calculated")
    index["96559-0"] = ("testosterone_free", "calculated")
    return index


_LOINC_INDEX = _build_loinc_index()


def _method_from(analyte_key: str, tokens: Iterable[str]) -> str | None:
    """The method named by ``tokens`` ("" if none); None when a word does not fit."""
    words = _METHOD_WORDS[analyte_key]
    found: set[str] = set()
    for token in tokens:
        if token in _METHODISH:
            method = words.get(token)
            if method is None:
                return None
            found.add(method)
    for method in _METHOD_PRECEDENCE[analyte_key]:
        if method in found:
            return method
    return ""


# The unit of LOINC codes whose property is not their marker's canonical one (moles where the
# marker is stored by mass, IFCC mmol/mol): a value printed under such a code without a unit
# is in this unit. A printed unit always wins over the code (eMERGE codes HDL in moles and
# prints mg/dL): the number and its unit travel together.
_LOINC_UNITS: dict[str, tuple[str, str]] = {
    "14913-8": ("testosterone_total", "nmol/L"), "14914-6": ("testosterone_free", "pmol/L"),
    "14715-7": ("estradiol", "pmol/L"), "14920-3": ("free_t4", "pmol/L"),
    "14675-3": ("cortisol", "nmol/L"), "14890-8": ("progesterone", "nmol/L"),
    "14647-2": ("cholesterol_total", "mmol/L"), "14646-4": ("hdl", "mmol/L"),
    "14927-8": ("triglycerides", "mmol/L"), "14682-9": ("creatinine", "umol/L"),
    "14749-6": ("glucose", "mmol/L"), "14771-0": ("glucose", "mmol/L"),
    "15074-8": ("glucose_blood", "mmol/L"), "14743-9": ("glucose_blood", "mmol/L"),
    "59261-8": ("hba1c", "mmol/mol"),
}


def loinc_unit(code: str, key: str) -> str:
    """The unit a value coded ``code`` is in when none is printed, if the code says one that is
    not ``key``'s canonical unit ("" otherwise): ``14646-4`` (HDL, moles) -> ``mmol/L``."""
    found = _LOINC_UNITS.get(code.strip())
    return found[1] if found is not None and found[0] == key else ""


def find_analyte(name: str) -> tuple[Analyte, str] | None:
    """Match a printed lab name (or a LOINC code) to ``(analyte, method)``.

    Matching ignores case, accents, punctuation, word order, specimen words (``Serum``) and a
    trailing unit. Assay words decide the method of free testosterone (direct, measured,
    calculated) and estradiol (sensitive, immunoassay); for other markers only technique words
    such as ``MS`` or ``LC/MS`` are ignored. Every remaining word must match a known name, so
    ``Free testosterone`` never matches ``Testosterone``. Returns None for unknown names.
    """
    if not isinstance(name, str) or not name.strip():
        return None
    text = name.strip()
    if _LOINC_RE.fullmatch(text):
        hit = _LOINC_INDEX.get(text)
        return (CATALOGUE[hit[0]], hit[1]) if hit else None
    bare, unit = _split_unit(text)
    tokens = _tokens(bare)
    if not tokens:
        return None
    found: tuple[Analyte, str] | None = None
    plain = _NAME_INDEX.get(tuple(sorted(t for t in tokens if t not in _TECHNIQUE)))
    core = _NAME_INDEX.get(tuple(sorted(t for t in tokens if t not in _METHODISH)))
    if plain is not None and plain not in _METHOD_WORDS:
        found = CATALOGUE[plain], ""
    elif core is not None and core in _METHOD_WORDS:
        method = _method_from(core, tokens)
        if method is not None:
            found = CATALOGUE[core], method
    if found is not None and unit and normalise_unit(unit) not in _CONVERSIONS[found[0].key]:
        return None  # e.g. "Free testosterone (%)" is the percentage free, another marker
    return found
