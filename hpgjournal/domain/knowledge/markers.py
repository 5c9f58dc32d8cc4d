"""The markers the knowledge base may talk about: the catalogue's, and two series this app derives
(the T/E2 ratio and a calculated free testosterone), with their names, units and decimals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from hpgjournal.domain import analytes


@dataclass(frozen=True)
class DerivedMarker:
    """A series computed from other results (not a lab result itself)."""

    key: str
    name: str
    short: str
    unit: str
    si_unit: str
    si_factor: float
    decimals: int
    description: str


DERIVED_MARKERS: Mapping[str, DerivedMarker] = MappingProxyType({
    "t_e2_ratio": DerivedMarker(
        "t_e2_ratio", "Testosterone / estradiol ratio", "T/E2", "ratio", "ratio (SI)",
        0.03467 / 3.671, 1,
        "total testosterone in ng/dL divided by estradiol in pg/mL, from the same draw (in SI "
        "units: nmol/L divided by pmol/L)",
    ),
    "free_t_calculated": DerivedMarker(
        "free_t_calculated", "Free testosterone, calculated here", "cFT (calc.)", "pg/mL",
        "pmol/L", 3.467, 1,
        "calculated by hpgjournal from total testosterone, SHBG and albumin of the same draw "
        "(Vermeulen 1999)",
    ),
})


def is_marker_key(key: str) -> bool:
    """True for a catalogue key or a derived-series key."""
    return key in analytes.CATALOGUE or key in DERIVED_MARKERS


def marker_short(key: str) -> str:
    derived = DERIVED_MARKERS.get(key)
    return derived.short if derived else analytes.get_analyte(key).short


def marker_decimals(key: str) -> int:
    derived = DERIVED_MARKERS.get(key)
    return derived.decimals if derived else analytes.get_analyte(key).decimals


def marker_unit(key: str, system: str = "us") -> str:
    """The display unit of a catalogue or derived marker in ``system`` (``us`` or ``si``)."""
    derived = DERIVED_MARKERS.get(key)
    if derived is None:
        return analytes.display_unit(key, system)
    if system not in ("us", "si"):
        raise ValueError(f"unit system must be 'us' or 'si', not {system!r}")
    return derived.unit if system == "us" else derived.si_unit


def marker_to_system(key: str, value: float, system: str = "us") -> float:
    """A canonical value of a catalogue or derived marker in the display unit of ``system``."""
    derived = DERIVED_MARKERS.get(key)
    if derived is None:
        return analytes.to_system(key, value, system)
    if system not in ("us", "si"):
        raise ValueError(f"unit system must be 'us' or 'si', not {system!r}")
    return value if system == "us" else value * derived.si_factor
