"""Values computed from other results: calculated free testosterone and the T/E2 ratio.

Calculated free testosterone follows Vermeulen, Verdonck and Kaufman (J Clin Endocrinol Metab
1999;84:3666), the method behind the ISSAM calculator: testosterone binds SHBG with high
affinity and albumin with low affinity, and the free fraction is the positive root of the
resulting quadratic mass-balance equation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "ALBUMIN_MOLAR_MASS",
    "DEFAULT_ALBUMIN_G_DL",
    "K_ALBUMIN",
    "K_SHBG",
    "TESTOSTERONE_MOLAR_MASS",
    "T_E2_LOW",
    "FreeTestosterone",
    "calculated_free_testosterone",
    "t_e2_ratio",
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
