"""The marker catalogue as data: ``hpgjournal/resources/catalogue/analytes.toml``, read and
checked here.

:func:`parse_catalogue` turns the file's text into :class:`Analyte` records and the tables
beside them (further units, method ranges, LOINC codes in another unit or of one method),
refusing with a :class:`CatalogueError` that names the entry and the field: an unknown or
missing field, a wrong type, a duplicate key or code, a category not in :data:`CATEGORIES`, a
factor that is not a positive finite number, a range whose low is above its high, a method
range for a method the marker does not list, a code pointing at no marker.
:func:`read_catalogue` reads the copy inside the package. Standard library only; the unit
spellings, conversions and name matching built on it live in ``domain/analytes.py``.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CATEGORIES", "Analyte", "Catalogue", "CatalogueError", "parse_catalogue",
           "read_catalogue"]

CATEGORIES: tuple[str, ...] = (
    "androgens", "estrogens", "gonadotropins", "binding", "blood", "prostate", "lipids",
    "liver", "kidney", "thyroid", "adrenal", "metabolic", "pituitary", "fertility", "semen",
    "body", "other",
)

_KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
_LOINC_RE = re.compile(r"\d{1,8}-\d")


class CatalogueError(ValueError):
    """The catalogue file is malformed: the message names the entry and the field."""


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


@dataclass(frozen=True)
class Catalogue:
    """The file's content: the markers in file order and the tables keyed by marker or code.

    ``units``: marker -> ((unit, factor), ...), canonical x factor = value in that unit;
    ``method_ranges``: marker -> method -> (low, high, source); ``loinc_units``: code ->
    (marker, unit); ``loinc_methods``: code -> (marker, method).
    """

    analytes: tuple[Analyte, ...]
    units: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    method_ranges: dict[str, dict[str, tuple[float | None, float | None, str]]] = \
        field(default_factory=dict)
    loinc_units: dict[str, tuple[str, str]] = field(default_factory=dict)
    loinc_methods: dict[str, tuple[str, str]] = field(default_factory=dict)


# field -> (type, required); tuples of strings are TOML arrays
_FIELDS: dict[str, tuple[type, bool]] = {
    "key": (str, True), "name": (str, True), "short": (str, True), "category": (str, True),
    "unit": (str, True), "si_unit": (str, True), "si_factor": (float, False),
    "loinc": (str, True), "alt_loinc": (tuple, False), "aliases": (tuple, False),
    "ref_low": (float, False), "ref_high": (float, False), "ref_source": (str, False),
    "methods": (tuple, False), "decimals": (int, False), "key_marker": (bool, False),
}
_TABLES = ("units", "method_ranges")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


def _positive(value: Any, where: str) -> float:
    if not _is_number(value) or value <= 0:
        raise CatalogueError(f"{where}: {value!r} is not a positive number")
    return float(value)


def _analyte(entry: dict[str, Any], where: str) -> Analyte:
    unknown = sorted(set(entry) - set(_FIELDS) - set(_TABLES))
    if unknown:
        raise CatalogueError(f"{where}: unknown field {unknown[0]!r}")
    values: dict[str, Any] = {}
    for name, (kind, required) in _FIELDS.items():
        if name not in entry:
            if required:
                raise CatalogueError(f"{where}: the field {name!r} is missing")
            continue
        value = entry[name]
        if kind is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                      for v in value):
                raise CatalogueError(f"{where}.{name}: must be a list of texts")
            value = tuple(value)
        elif kind is float:
            if not _is_number(value):
                raise CatalogueError(f"{where}.{name}: {value!r} is not a number")
            value = float(value)
        elif kind is int:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 6:
                raise CatalogueError(f"{where}.{name}: {value!r} is not a whole number 0-6")
        elif not isinstance(value, kind):
            raise CatalogueError(f"{where}.{name}: {value!r} is not a {kind.__name__}")
        values[name] = value
    analyte = Analyte(**{"si_factor": None, **values})
    if not _KEY_RE.fullmatch(analyte.key):
        raise CatalogueError(f"{where}.key: {analyte.key!r} is not a lower-case key")
    if analyte.category not in CATEGORIES:
        raise CatalogueError(f"{where}.category: {analyte.category!r} is not one of "
                             f"{', '.join(CATEGORIES)}")
    if analyte.si_factor is not None:
        _positive(analyte.si_factor, f"{where}.si_factor")
    for code in (analyte.loinc, *analyte.alt_loinc) if analyte.loinc else analyte.alt_loinc:
        if not _LOINC_RE.fullmatch(code):
            raise CatalogueError(f"{where}: {code!r} is not a LOINC code")
    if analyte.ref_low is not None and analyte.ref_high is not None \
            and analyte.ref_low > analyte.ref_high:
        raise CatalogueError(f"{where}: ref_low {analyte.ref_low} is above ref_high "
                             f"{analyte.ref_high}")
    return analyte


def _units(entry: dict[str, Any], where: str) -> tuple[tuple[str, float], ...]:
    table = entry.get("units", {})
    if not isinstance(table, dict):
        raise CatalogueError(f"{where}.units: must be a table of unit = factor")
    return tuple((unit, _positive(factor, f"{where}.units.{unit!r}"))
                 for unit, factor in table.items())


def _method_ranges(entry: dict[str, Any], analyte: Analyte,
                   where: str) -> dict[str, tuple[float | None, float | None, str]]:
    ranges: dict[str, tuple[float | None, float | None, str]] = {}
    for method, spec in entry.get("method_ranges", {}).items():
        here = f"{where}.method_ranges.{method}"
        if method not in analyte.methods:
            raise CatalogueError(f"{here}: {analyte.key} lists no method {method!r}")
        if not isinstance(spec, dict) or set(spec) - {"low", "high", "source"} \
                or not isinstance(spec.get("source"), str) or not spec["source"]:
            raise CatalogueError(f"{here}: needs a source and at most a low and a high")
        low, high = spec.get("low"), spec.get("high")
        for name, value in (("low", low), ("high", high)):
            if value is not None and not _is_number(value):
                raise CatalogueError(f"{here}.{name}: {value!r} is not a number")
        if low is not None and high is not None and low > high:
            raise CatalogueError(f"{here}: low {low} is above high {high}")
        ranges[method] = (None if low is None else float(low),
                          None if high is None else float(high), spec["source"])
    return ranges


def _codes(doc: dict[str, Any], table: str, second: str, keys: set[str],
           source: str) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for code, spec in doc.get(table, {}).items():
        here = f"{source}: [{table}] {code!r}"
        if not _LOINC_RE.fullmatch(code):
            raise CatalogueError(f"{here}: not a LOINC code")
        if not isinstance(spec, dict) or set(spec) != {"marker", second} \
                or not all(isinstance(v, str) and v for v in spec.values()):
            raise CatalogueError(f"{here}: needs exactly a marker and a {second}")
        if spec["marker"] not in keys:
            raise CatalogueError(f"{here}: no marker {spec['marker']!r} in the catalogue")
        found[code] = (spec["marker"], spec[second])
    return found


def parse_catalogue(text: str, source: str = "analytes.toml") -> Catalogue:
    """The catalogue in ``text`` (TOML), checked; ``source`` names the file in messages."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: not valid TOML: {exc}") from None
    unknown = sorted(set(doc) - {"marker", "loinc_units", "loinc_methods"})
    if unknown:
        raise CatalogueError(f"{source}: unknown table {unknown[0]!r}")
    entries = doc.get("marker")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{source}: no [[marker]] entries")
    analytes: list[Analyte] = []
    units: dict[str, tuple[tuple[str, float], ...]] = {}
    ranges: dict[str, dict[str, tuple[float | None, float | None, str]]] = {}
    seen_codes: dict[str, str] = {}
    for number, entry in enumerate(entries, 1):
        where = f"{source}: marker {number} ({entry.get('key', '?')})"
        analyte = _analyte(entry, where)
        if any(a.key == analyte.key for a in analytes):
            raise CatalogueError(f"{where}: the key {analyte.key!r} is used twice")
        for code in (analyte.loinc, *analyte.alt_loinc):
            if code and seen_codes.setdefault(code, analyte.key) != analyte.key:
                raise CatalogueError(f"{where}: LOINC {code} also names {seen_codes[code]}")
        analytes.append(analyte)
        if entry.get("units"):
            units[analyte.key] = _units(entry, where)
        if entry.get("method_ranges"):
            ranges[analyte.key] = _method_ranges(entry, analyte, where)
    keys = {a.key for a in analytes}
    return Catalogue(tuple(analytes), units, ranges,
                     _codes(doc, "loinc_units", "unit", keys, source),
                     _codes(doc, "loinc_methods", "method", keys, source))


def read_catalogue() -> Catalogue:
    """The catalogue shipped inside the package (a checkout, a wheel or the bundle alike: the
    resources sit beside the modules; see ``hpgjournal.paths.resources_dir``)."""
    resource = Path(__file__).parent.parent / "resources" / "catalogue" / "analytes.toml"
    return parse_catalogue(resource.read_text(encoding="utf-8"),
                           "hpgjournal/resources/catalogue/analytes.toml")
