"""How much a marker varies on its own: the reference change value (RCV) between two results.

Two results of the same man differ even when nothing changed: the assay's own imprecision
(analytical CV, ``cv_a``) and the day-to-day swing of his body (within-subject biological CV,
``cv_i``). A change is read as real only when it is larger than both together allow, 19 times
in 20 (two-sided 95 %). Most hormones are log-normally distributed, so the limits are worked on
the log scale and are asymmetric: a rise must be larger than a fall (Fokkema et al., Clin Chem
2006, as described in ``research/verdicts_pk.md`` section 1.1)::

    sigma = sqrt(ln(1 + cv_a^2) + ln(1 + cv_i^2))
    up    = exp(+1.96 x sqrt(2) x sigma) - 1
    down  = 1 - exp(-1.96 x sqrt(2) x sigma)

The within-subject CVs are those of the primary studies that ``research/verdicts_pk.md`` read in
the studies' own text; the analytical CVs are typical figures for modern assays (the project's
assumption, said so in :attr:`Variation.cv_a_origin`), since a man's lab rarely publishes its own.
Where no study gives a figure, a marker has no :class:`Variation`: its changes are still shown,
but a verdict that would rest on them says it cannot judge (``not_judged``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["VARIATION", "Z_TWO_SIDED", "Variation", "variation_for"]

Z_TWO_SIDED = 1.96


@dataclass(frozen=True)
class Variation:
    """A marker's analytical and within-subject variation, with where each figure comes from."""

    analyte: str
    cv_i: float  # within-subject biological CV, a fraction
    cv_a: float  # analytical CV, a fraction
    cv_i_source: str  # in words: study, population, how sure
    cv_a_origin: str  # "the study" or "assumed"
    sources: tuple[str, ...]  # knowledge-base source ids

    @property
    def sigma(self) -> float:
        return math.sqrt(math.log1p(self.cv_a ** 2) + math.log1p(self.cv_i ** 2))

    @property
    def up(self) -> float:
        """The smallest real rise, as a fraction of the first value (0.59 = +59 %)."""
        return math.exp(Z_TWO_SIDED * math.sqrt(2) * self.sigma) - 1

    @property
    def down(self) -> float:
        """The smallest real fall, as a fraction of the first value (0.37 = -37 %)."""
        return 1 - math.exp(-Z_TWO_SIDED * math.sqrt(2) * self.sigma)

    @property
    def single_up(self) -> float:
        """How far one result may lie above the true value, 19 times in 20 (no sqrt 2)."""
        return math.exp(Z_TWO_SIDED * self.sigma) - 1

    @property
    def single_down(self) -> float:
        return 1 - math.exp(-Z_TWO_SIDED * self.sigma)

    def words(self) -> str:
        """The limits and their basis, for a verdict's text."""
        assay = (f" and the assay's own imprecision ({self.cv_a * 100:.0f} %, {self.cv_a_origin})"
                 if self.cv_a else "")
        return (f"a change counts only beyond +{self.up * 100:.0f} % or -{self.down * 100:.0f} %, "
                f"what {self.cv_i_source}{assay} allow between two results")


_ASSUMED = "a typical figure for modern assays, assumed by the app"
_T_CV_I = ("the day-to-day variation of testosterone in 30 volunteers sampled weekly ten times "
           "(16 %, men and women together; Guldhaug et al.)")

VARIATION: Mapping[str, Variation] = MappingProxyType({v.analyte: v for v in (
    Variation("testosterone_total", 0.16, 0.05, _T_CV_I, _ASSUMED, ("guldhaug_bv",)),
    # Free and bioavailable testosterone inherit the noise of total testosterone and SHBG: no
    # study of their own was found, so at least that of total testosterone is used.
    *(Variation(key, 0.16, 0.05, f"the variation of total testosterone ({why})", _ASSUMED,
                ("guldhaug_bv",)) for key, why in (
        ("testosterone_free", "no study of free testosterone was found; it varies at least as "
                              "much"),
        ("testosterone_bioavailable", "no study of bioavailable testosterone was found"),
        ("free_t_calculated", "a calculated value varies at least as much as the results it "
                              "is calculated from"))),
    Variation("estradiol", 0.14, 0.08,
              "the day-to-day variation of estradiol in men (14 %; Guldhaug et al.)",
              "assumed by the app; immunoassays are less precise at male levels",
              ("guldhaug_bv",)),
    Variation("lh", 0.26, 0.05, "the day-to-day variation of LH in men (26 %; Guldhaug et al.)",
              _ASSUMED, ("guldhaug_bv",)),
    Variation("fsh", 0.08, 0.05, "the day-to-day variation of FSH in men (8 %; Guldhaug et al.)",
              _ASSUMED, ("guldhaug_bv",)),
    Variation("shbg", 0.14, 0.05,
              "the month-to-month variation of SHBG in 27 men sampled for 17 months (14 %; "
              "Andersson et al. 2003)", "the study's", ("andersson2003",)),
    Variation("hematocrit", 0.028, 0.015,
              "the within-person variation of red-cell measures (below 3 %; EFLM meta-analysis, "
              "Coskun et al. 2020)", _ASSUMED, ("coskun2020",)),
    Variation("hemoglobin", 0.028, 0.015,
              "the within-person variation of red-cell measures (below 3 %; EFLM meta-analysis, "
              "Coskun et al. 2020)", _ASSUMED, ("coskun2020",)),
    Variation("psa", 0.073, 0.05,
              "the day-to-day variation of PSA in 24 men sampled on ten weekdays (7.3 %; Nixon "
              "et al. 1997); other studies found up to 21 %", "the study's", ("nixon1997",)),
    Variation("albumin", 0.035, 0.029,
              "the week-to-week variation of albumin in 21 adults (3.5 %)", "the study's",
              ("albumin_bv2021",)),
)})


def variation_for(analyte: str) -> Variation | None:
    """The variation of a marker, or None where no study gives a figure."""
    if analyte == "t_e2_ratio":  # a ratio of two results: their log variances add
        t, e2 = VARIATION["testosterone_total"], VARIATION["estradiol"]
        cv = math.sqrt(math.expm1(t.sigma ** 2 + e2.sigma ** 2))
        return Variation("t_e2_ratio", cv, 0.0,
                         "the variation of testosterone and of estradiol together (a ratio "
                         "varies as both of its parts do)", "included", t.sources + e2.sources)
    return VARIATION.get(analyte)
