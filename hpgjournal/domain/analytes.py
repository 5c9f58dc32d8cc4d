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

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from hpgjournal.domain.catalogue import CATEGORIES, Analyte, CatalogueError, read_catalogue

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

class UnitError(ValueError):
    """A unit that does not fit a marker (or that no conversion is known for)."""


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

# Counts as German-speaking labs print them: a capital G or T and a small l, where grams are
# always a small g ("G/L" in capitals stays grams: all-capital portals print "G/DL" too).
_GIGA = {"G/l": "10^9/L", "T/l": "10^12/L"}
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
    if cleaned in _GIGA:  # German labs' "G/l" (giga per litre) is a count, not grams
        return _GIGA[cleaned]
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

_CATALOGUE = read_catalogue()
_ANALYTES: tuple[Analyte, ...] = _CATALOGUE.analytes
CATALOGUE: dict[str, Analyte] = {a.key: a for a in _ANALYTES}
KEY_MARKERS: tuple[str, ...] = tuple(a.key for a in _ANALYTES if a.key_marker)

# Units each marker accepts besides its canonical and SI units: unit -> factor, such that
# canonical value x factor = value in that unit.
_EXTRA_UNITS: dict[str, tuple[tuple[str, float], ...]] = _CATALOGUE.units

# HbA1c: NGSP percent <-> IFCC mmol/mol is affine, not a factor.
_HBA1C_OFFSET = 2.15
_HBA1C_SLOPE = 10.929

# Default ranges for markers whose range depends on the method. method -> (low, high, source).
_METHOD_RANGES: dict[str, dict[str, tuple[float | None, float | None, str]]] = \
    _CATALOGUE.method_ranges


def _conversions(analyte: Analyte) -> dict[str, float]:
    """Normalised unit -> factor from canonical, canonical first, SI second, then others."""
    table: dict[str, float] = {normalise_unit(analyte.unit): 1.0}
    if analyte.si_factor is not None:
        table.setdefault(normalise_unit(analyte.si_unit), analyte.si_factor)
    for unit, factor in _EXTRA_UNITS.get(analyte.key, ()):
        table.setdefault(normalise_unit(unit), factor)
    return table


def _unknown_units() -> list[str]:
    """Units the catalogue file names that no spelling above knows (each would never match)."""
    return [f"{a.key}: {unit!r}" for a in _ANALYTES
            for unit in (a.unit, a.si_unit, *(u for u, _ in _EXTRA_UNITS.get(a.key, ())))
            if not is_known_unit(unit)]


if _unknown_units():
    raise CatalogueError("hpgjournal/resources/catalogue/analytes.toml names units this "
                         f"version cannot read: {', '.join(_unknown_units())}")

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
    import difflib  # only for this message: not loaded at every start

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
_NOISE = frozenset({"serum", "ser", "plasma", "level",
                    # "serum" in other languages (issue 15): French "sérique", Italian
                    # "sierico", Spanish "suero", Spanish/Portuguese "sérica", Polish "surowica"
                    "serique", "sierico", "suero", "serica", "surowica"})
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
        # the same methods in other languages (issue 15): "calculated" in German, French,
        # Spanish/Portuguese, Italian, Dutch and Polish; "dialysis" in German/French/Dutch,
        # Spanish, Italian, Portuguese and Polish (words are compared folded: é -> e)
        "berechnet": "calculated", "calculee": "calculated", "calcule": "calculated",
        "calculada": "calculated", "calculado": "calculated", "calcolato": "calculated",
        "berekend": "calculated", "obliczony": "calculated", "wyliczony": "calculated",
        "dialyse": "measured", "dialisis": "measured", "dialisi": "measured",
        "dialise": "measured", "dializa": "measured",
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
# Letters NFKD does not take apart into a base letter and an accent: without this table they
# would vanish from a name (French "Œstradiol" read as "stradiol", Polish "całkowity" as
# "ca kowity", German "ß" dropped). Issue 15.
_LETTERS = str.maketrans({
    "Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l",
    "ß": "ss", "ẞ": "SS", "Đ": "D", "đ": "d",
})
_TOKEN_RE = re.compile(r"[a-z0-9]+|%")
_TRAILING_PAREN_RE = re.compile(r"\(([^()]*)\)\s*$")
_LOINC_RE = re.compile(r"\d{1,8}-\d")


def _tokens(name: str) -> list[str]:
    text = name.translate(_SUPERSCRIPTS).translate(_LETTERS).replace("\u00b5", "u").replace("\u03bc", "u")
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


@cache
def name_index() -> tuple[dict[tuple[str, ...], str], list[str]]:
    """The catalogue's names (name, short name, aliases) by their words, and the names that
    clash or have no words (none, says a test); built when first needed, by an import or a
    lab entry, not at the window's start."""
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


def _build_loinc_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for analyte in _ANALYTES:
        for code in (analyte.loinc, *analyte.alt_loinc):
            if code:
                index[code] = (analyte.key, "")
    index.update(_CATALOGUE.loinc_methods)  # codes defined "by calculation" name the method
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
_LOINC_UNITS: dict[str, tuple[str, str]] = _CATALOGUE.loinc_units


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
    names = name_index()[0]
    plain = names.get(tuple(sorted(t for t in tokens if t not in _TECHNIQUE)))
    core = names.get(tuple(sorted(t for t in tokens if t not in _METHODISH)))
    if plain is not None and plain not in _METHOD_WORDS:
        found = CATALOGUE[plain], ""
    elif core is not None and core in _METHOD_WORDS:
        method = _method_from(core, tokens)
        if method is not None:
            found = CATALOGUE[core], method
    if found is not None and unit and normalise_unit(unit) not in _CONVERSIONS[found[0].key]:
        return None  # e.g. "Free testosterone (%)" is the percentage free, another marker
    return found
