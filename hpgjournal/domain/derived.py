"""Values computed from other results: calculated free testosterone and the T/E2 ratio.

Calculated free testosterone follows Vermeulen, Verdonck and Kaufman (J Clin Endocrinol Metab
1999;84:3666), the method behind the ISSAM calculator: testosterone binds SHBG with high
affinity and albumin with low affinity, and the free fraction is the positive root of the
resulting quadratic mass-balance equation.

This module is the one place (issue 20) where these are decided, for the alerts, the charts,
the verdicts and the report alike:

* **Same draw.** Two results are of the same draw when they were collected on the same calendar
  day (the date part of ``taken_at``). A clinician who asks for "T and E2 drawn together" means
  one visit's venepuncture, not one timestamp: laboratories and portals stamp each analyte of the
  same tube with its own collection, receipt or reporting minute, and hand entry rounds times, so
  exact-time matching loses real pairs (a T at 08:00 and an E2 at 08:05). Same day, not "within N
  hours", because the calendar day is what a lab report and the user see, and it never pairs a
  late-evening draw with the next morning's. When a day holds several results of the partner
  marker, the one closest in time is used.
* **Censored ratio.** A censored term is an interval, and the ratio is the interval it implies:
  T 500 over an estradiol below 5 is above 100 (``">"``), a T above its limit over a plain E2 is
  above the quotient, a T or E2 bound on the other side gives ``"<"``. When both terms are
  censored the ratio is not computed. Consumers judge a bounded ratio only where the bound
  settles the question (a ratio ``"<"`` 8 is below 10; a ratio ``">"`` 3 is not judged).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hpgjournal.domain import analytes
from hpgjournal.domain.knowledge import DERIVED_MARKERS
from hpgjournal.domain.records import LabResult, Measure
from hpgjournal.domain.timestamps import to_datetime

__all__ = [
    "ALBUMIN_MOLAR_MASS",
    "DEFAULT_ALBUMIN_G_DL",
    "K_ALBUMIN",
    "K_SHBG",
    "TESTOSTERONE_MOLAR_MASS",
    "T_E2_LOW",
    "FreeTestosterone",
    "below_t_e2_low",
    "calculated_free_testosterone",
    "censored_ratio",
    "draw_day",
    "free_t_series",
    "same_draw_pairs",
    "t_e2_of",
    "t_e2_ratio",
    "t_e2_series",
    "testicular_volume_series",
]

K_SHBG = 1.0e9  # L/mol, association constant of testosterone with SHBG
K_ALBUMIN = 3.6e4  # L/mol, association constant of testosterone with albumin
ALBUMIN_MOLAR_MASS = 69_000.0  # g/mol, as used by Vermeulen and the ISSAM calculator
TESTOSTERONE_MOLAR_MASS = 288.42  # g/mol
DEFAULT_ALBUMIN_G_DL = 4.3  # the albumin Vermeulen suggests assuming when none is measured

# Total T (ng/dL) / E2 (pg/mL) below this is read as low (Pavlovich et al., J Urol 2001).
T_E2_LOW = 10.0

_NG_DL_PER_MOL_L = TESTOSTERONE_MOLAR_MASS * 1e8  # g/L -> ng/dL is x 1e8
_PG_ML_PER_MOL_L = TESTOSTERONE_MOLAR_MASS * 1e9  # g/L -> pg/mL is x 1e9


@dataclass(frozen=True)
class FreeTestosterone:
    """Result of the Vermeulen calculation."""

    free_pg_ml: float
    free_nmol_l: float
    bioavailable_ng_dl: float  # free plus albumin-bound testosterone
    percent_free: float


def _require_positive(name: str, value: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number in {unit}, not {value!r}")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive number in {unit}, not {value!r}")
    return number


def calculated_free_testosterone(
    total_ng_dl: float, shbg_nmol_l: float, albumin_g_dl: float = DEFAULT_ALBUMIN_G_DL
) -> FreeTestosterone:
    """Free and bioavailable testosterone from total T, SHBG and albumin (Vermeulen 1999).

    ``total_ng_dl`` is total testosterone in ng/dL, ``shbg_nmol_l`` SHBG in nmol/L and
    ``albumin_g_dl`` albumin in g/dL (default 4.3 g/dL, i.e. 43 g/L). Raises ValueError for
    inputs that are not positive, and for an albumin that can only be a g/L figure.
    """
    total = _require_positive("total testosterone", total_ng_dl, "ng/dL")
    shbg = _require_positive("SHBG", shbg_nmol_l, "nmol/L")
    albumin = _require_positive("albumin", albumin_g_dl, "g/dL")
    if albumin > 10:
        raise ValueError(f"albumin of {albumin_g_dl} g/dL is impossible; it looks like g/L "
                         f"(divide by 10 to get g/dL)")
    total_mol = total / _NG_DL_PER_MOL_L
    shbg_mol = shbg * 1e-9
    albumin_mol = albumin * 10.0 / ALBUMIN_MOLAR_MASS
    n = 1.0 + K_ALBUMIN * albumin_mol
    a = K_SHBG * n
    b = n + K_SHBG * (shbg_mol - total_mol)
    root = math.sqrt(b * b + 4.0 * a * total_mol)
    # Choose the form of the positive root that avoids subtracting nearly equal numbers.
    free_mol = (2.0 * total_mol) / (b + root) if b >= 0 else (root - b) / (2.0 * a)
    return FreeTestosterone(
        free_pg_ml=free_mol * _PG_ML_PER_MOL_L,
        free_nmol_l=free_mol * 1e9,
        bioavailable_ng_dl=n * free_mol * _NG_DL_PER_MOL_L,
        percent_free=100.0 * free_mol / total_mol,
    )


def t_e2_ratio(total_t_ng_dl: float, estradiol_pg_ml: float) -> float:
    """Total testosterone (ng/dL) divided by estradiol (pg/mL); below T_E2_LOW is low.

    Raises ValueError when estradiol is not positive or testosterone is negative.
    """
    estradiol = _require_positive("estradiol", estradiol_pg_ml, "pg/mL")
    if isinstance(total_t_ng_dl, bool) or not isinstance(total_t_ng_dl, int | float):
        raise ValueError(f"total testosterone must be a number in ng/dL, not {total_t_ng_dl!r}")
    total = float(total_t_ng_dl)
    if not math.isfinite(total) or total < 0:
        raise ValueError(f"total testosterone must be 0 or more ng/dL, not {total_t_ng_dl!r}")
    return total / estradiol


# --- same draw, censored ratio and the derived series (issue 20: one definition each)

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def draw_day(taken_at: str) -> str:
    """The draw a result belongs to: its calendar day (see the module docstring)."""
    return taken_at[:10]


def _apart(a: str, b: str) -> float:
    if "T" not in a or "T" not in b:
        return 0.0
    return abs((to_datetime(a) - to_datetime(b)).total_seconds())


def same_draw_pairs(first: Iterable[LabResult], second: Iterable[LabResult]
                    ) -> list[tuple[LabResult, LabResult]]:
    """Each result of ``second`` with a value, paired with ``first``'s result of the same draw.

    Results without a value are skipped; of several same-day results of ``first`` the one
    closest in time is taken (the earlier in order on a tie). In ``second``'s order.
    """
    by_day: dict[str, list[LabResult]] = {}
    for result in first:
        if result.value is not None:
            by_day.setdefault(draw_day(result.taken_at), []).append(result)
    pairs = []
    for result in second:
        if result.value is None:
            continue
        partners = by_day.get(draw_day(result.taken_at))
        if partners:
            pairs.append((min(partners, key=lambda p: _apart(p.taken_at, result.taken_at)),
                          result))
    return pairs


def censored_ratio(numerator: float, numerator_comparator: str, denominator: float,
                   denominator_comparator: str) -> tuple[float, str] | None:
    """``numerator / denominator`` and the comparator its censored terms imply.

    None when both terms are censored or the denominator is not positive.
    """
    if numerator_comparator and denominator_comparator:
        return None
    if denominator <= 0:
        return None
    return (numerator / denominator,
            numerator_comparator or _FLIP.get(denominator_comparator, ""))


def t_e2_of(t: LabResult, e2: LabResult) -> tuple[float, str] | None:
    """The T/E2 ratio of a same-draw pair, with its comparator (None: not computed)."""
    if t.value is None or e2.value is None:
        return None
    try:
        t_e2_ratio(t.value, e2.value)  # checks the numbers
    except ValueError:
        return None
    return censored_ratio(t.value, t.comparator, e2.value, e2.comparator)


def below_t_e2_low(ratio: float, comparator: str) -> bool:
    """Whether a (possibly bounded) T/E2 ratio is surely below T_E2_LOW; a bound that leaves
    the question open is not judged (False)."""
    if comparator in ("", "<="):
        return ratio < T_E2_LOW
    if comparator == "<":
        return ratio <= T_E2_LOW
    return False  # ">" or ">=": the ratio may be anything above


def _derived(key: str, taken_at: str, value: float, comparator: str, method: str, note: str
             ) -> LabResult:
    unit = DERIVED_MARKERS[key].unit if key in DERIVED_MARKERS else analytes.get_analyte(key).unit
    return LabResult(id=None, taken_at=taken_at, analyte=key, value=value, unit=unit,
                     reported_value=f"{comparator}{value:g}", reported_unit=unit, method=method,
                     comparator=comparator, source="derived", note=note)


def t_e2_series(testosterone: Sequence[LabResult], estradiol: Sequence[LabResult]
                ) -> list[LabResult]:
    """T (ng/dL) / E2 (pg/mL) for every draw holding both; one per estradiol method.

    Same draw and censored terms as the module docstring says (T / <5 is >T/5; both censored:
    left out).
    """
    out = []
    for t, e2 in same_draw_pairs(testosterone, estradiol):
        ratio = t_e2_of(t, e2)
        if ratio is None:
            continue
        out.append(_derived("t_e2_ratio", e2.taken_at, ratio[0], ratio[1], e2.method,
                            "total testosterone / estradiol of the same draw"))
    return out


def free_t_series(testosterone: Sequence[LabResult], shbg: Sequence[LabResult],
                  albumin: Sequence[LabResult]) -> list[LabResult]:
    """Calculated free testosterone (Vermeulen) for draws with exact TT, SHBG and albumin."""
    exact_t = [t for t in testosterone
               if t.value is not None and not t.comparator and t.value > 0]
    with_shbg = same_draw_pairs([r for r in shbg if not r.comparator and r.value], exact_t)
    with_albumin = dict((id(t), a) for a, t in same_draw_pairs(
        [r for r in albumin if not r.comparator and r.value], exact_t))
    out = []
    for s, t in with_shbg:
        a = with_albumin.get(id(t))
        if a is None:
            continue
        assert t.value is not None and s.value is not None and a.value is not None
        try:
            free = calculated_free_testosterone(t.value, s.value, a.value)
        except ValueError:
            continue
        out.append(_derived("free_t_calculated", t.taken_at, round(free.free_pg_ml, 2), "",
                            "calculated", "Vermeulen from total T, SHBG and albumin of this draw"))
    return out


def testicular_volume_series(measures: Sequence[Measure]) -> list[LabResult]:
    """Testicular volume from the body measures: the mean of both sides (or the one measured)."""
    out = []
    for m in measures:
        sides = [v for v in (m.testis_left_ml, m.testis_right_ml) if v is not None]
        if not sides:
            continue
        mean = sum(sides) / len(sides)
        out.append(LabResult(
            id=None, taken_at=m.measured_at, analyte="testicular_volume", value=mean, unit="mL",
            reported_value=f"{mean:g}", reported_unit="mL", method="", source="measure",
            note=("mean of left and right" if len(sides) == 2 else "one side") +
                 (f", {m.testis_method}" if m.testis_method else ""),
        ))
    return out
