"""Safety flags: things in the results that published thresholds say are worth raising with a
clinician. Kept apart from the verdicts (a verdict compares a phase's change with what is
expected; a flag compares a value with a published level).

Each flag names its threshold and where it comes from, as ``research/phases.md`` section 2 and
``research/verdicts_pk.md`` confirm them, with the knowledge base's source ids. None of them is
advice: the app points at the number and the source; what to do belongs to the user and his
clinician. No flag names a drug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from hpgjournal.domain.derived import (
    T_E2_LOW,
    below_t_e2_low,
    draw_day,
    same_draw_pairs,
    t_e2_of,
)
from hpgjournal.domain.drugs import is_testosterone_dose
from hpgjournal.domain.records import LabResult, Medication, Phase
from hpgjournal.domain.timestamps import days_between

HEMATOCRIT_LIMIT = 54.0  # % on therapy (Endocrine Society 2010 Table 8; AUA 2018 Table 7)
HEMATOCRIT_BEFORE = 50.0  # % before starting (AUA 2018 Table 7)
HEMATOCRIT_BASELINE_DAYS = 183  # a hematocrit this close before TRT counts as its baseline
PSA_RISE_LIMIT = 1.4  # ng/mL within 12 months (Endocrine Society 2018)
PSA_LIMIT = 4.0  # ng/mL
E2_DEFICIENT = 10.0  # pg/mL: MrOS's deficiency level; Finkelstein 2016's sufficiency level
E2_LOW_INFO = 15.0  # pg/mL: the app's own cautious band above it, on an aromatase inhibitor
AZOOSPERMIA_MONTHS = 12  # the app's design choice: no guideline gives this point

SOURCES = {
    "hct": "The Endocrine Society's 2010 monitoring table stops testosterone therapy while "
           "hematocrit is above 54 %; the AUA's 2018 guideline (Table 7) keeps it below 54 %.",
    "hct_baseline": "The Endocrine Society's 2010 monitoring table and the AUA's 2018 guideline "
                    "(Table 7) check hematocrit before testosterone therapy starts; the AUA asks "
                    "for it to be below 50 %.",
    "psa": "Endocrine Society guideline 2018 (Bhasin et al.; its PSA rule was seen in a verbatim "
           "copy of the recommendations): a confirmed PSA rise of more than 1.4 ng/mL within 12 "
           "months, or a confirmed PSA above 4.0 ng/mL, is a reason for a urology referral.",
    "te2": "Panken et al., Urology 2025: a T/E2 ratio (ng/dL over pg/mL) of 10 is about the "
           "20th percentile of 651 fertile men. Fertile and subfertile men had the same median "
           "ratio, so this is information, not a diagnosis.",
    "e2low": "There is no guideline level for estradiol that is too low in men. In the MrOS "
             "study of older men, total estradiol below 10 pg/mL defined deficiency (Fink et "
             "al.); 15 pg/mL is the app's own cautious level above it. Immunoassays read "
             "estradiol high at male levels (by 6 to 74 %; Handelsman et al. 2014).",
    "azoospermia": "By 12 months after the last testosterone, 90 % of 1,549 men in contraceptive "
                   "studies had recovered to 20 million/mL (Liu et al., Lancet 2006); men after "
                   "long TRT recover more slowly (Kohn et al. 2017). No guideline gives a time "
                   "point: 12 months is the app's design choice.",
}
SOURCE_IDS = {
    "hct": ("es2010", "aua2018"), "hct_baseline": ("es2010", "aua2018"), "psa": ("es2018",),
    "te2": ("panken2025",), "e2low": ("fink2006", "handelsman2014"),
    "azoospermia": ("liu2006", "kohn2017"),
}
MARKERS = {"hct": "hematocrit", "hct_baseline": "hematocrit", "psa": "psa",
           "te2": "t_e2_ratio", "e2low": "estradiol", "azoospermia": "sperm_concentration"}


@dataclass(frozen=True)
class Alert:
    """A safety flag (the window calls them alerts): ``key`` names the rule."""

    level: str  # "warning" or "info"
    key: str  # hct, hct_baseline, psa, te2, e2low, azoospermia
    title: str
    text: str
    source: str  # the threshold's source, in words
    taken_at: str

    @property
    def marker(self) -> str:
        return MARKERS[self.key]

    @property
    def source_ids(self) -> tuple[str, ...]:
        return SOURCE_IDS[self.key]


def _alert(level: str, key: str, title: str, text: str, taken_at: str) -> Alert:
    return Alert(level, key, title, text, SOURCES[key], taken_at)


def _latest(results: Sequence[LabResult], analyte: str) -> LabResult | None:
    numeric = [r for r in results if r.analyte == analyte and r.value is not None]
    return max(numeric, key=lambda r: r.taken_at) if numeric else None


def find_alerts(results: Sequence[LabResult], phases: Sequence[Phase] = (),
                medications: Sequence[Medication] = ()) -> list[Alert]:
    """The flags that the results support, most serious first."""
    alerts: list[Alert] = []
    hct = _latest(results, "hematocrit")
    if hct and hct.value is not None and hct.value > HEMATOCRIT_LIMIT and hct.comparator != "<":
        alerts.append(_alert(
            "warning", "hct", f"Hematocrit {hct.value:g} % is above {HEMATOCRIT_LIMIT:g} %",
            f"Your hematocrit on {hct.taken_at[:10]} was {hct.value:g} %. Guidelines for "
            "testosterone therapy name 54 % as the level at which treatment is reviewed. Worth "
            "discussing with your clinician.", hct.taken_at))
    alerts += _hematocrit_before_trt(results, phases)
    alerts += _psa(results)
    alerts += _t_e2(results)
    alerts += _low_e2(results, phases, medications)
    alerts += _azoospermia(results, phases, medications)
    return sorted(alerts, key=lambda a: (a.level != "warning", a.taken_at))


def _hematocrit_before_trt(results: Sequence[LabResult], phases: Sequence[Phase]) -> list[Alert]:
    """The first TRT phase: no hematocrit in the half year before it, or one above 50 %."""
    trt = sorted((p for p in phases if p.kind == "trt"), key=lambda p: p.start_date)
    if not trt:
        return []
    start = trt[0].start_date
    window = (date.fromisoformat(start) - timedelta(days=HEMATOCRIT_BASELINE_DAYS)).isoformat()
    before = [r for r in results if r.analyte == "hematocrit" and r.value is not None
              and window <= r.taken_at[:10] <= start]
    if not before:
        return [_alert("info", "hct_baseline", "No hematocrit from before TRT began",
                       f"TRT began on {start} and the journal has no hematocrit from the half "
                       "year before it. Guidelines check it before starting. If one was taken, "
                       "adding it lets the app compare.", start)]
    last = max(before, key=lambda r: r.taken_at)
    if last.value is not None and last.value > HEMATOCRIT_BEFORE and last.comparator != "<":
        return [_alert("info", "hct_baseline",
                       f"Hematocrit {last.value:g} % before TRT was above {HEMATOCRIT_BEFORE:g} %",
                       f"Your hematocrit on {last.taken_at[:10]}, before TRT began on {start}, "
                       f"was {last.value:g} %. The AUA's guideline asks for it to be below 50 % "
                       "before starting. Worth discussing with your clinician.", last.taken_at)]
    return []


def _psa(results: Sequence[LabResult]) -> list[Alert]:
    psa = _latest(results, "psa")
    if psa is None or psa.value is None:
        return []
    out = []
    if psa.value > PSA_LIMIT and psa.comparator != "<":
        out.append(_alert("warning", "psa", f"PSA {psa.value:g} ng/mL is above {PSA_LIMIT:g}",
                          f"Your PSA on {psa.taken_at[:10]} was {psa.value:g} ng/mL. The "
                          "guideline asks for it to be confirmed. Worth discussing with your "
                          "clinician.", psa.taken_at))
    earlier = [r for r in results if r.analyte == "psa" and r.value is not None
               and r.comparator not in (">", ">=") and r.taken_at < psa.taken_at
               and days_between(r.taken_at, psa.taken_at) <= 366]
    if earlier:
        low = min(earlier, key=lambda r: r.value or 0.0)
        rise = psa.value - (low.value or 0.0)
        if rise > PSA_RISE_LIMIT:
            out.append(_alert(
                "warning", "psa", f"PSA rose by {rise:.1f} ng/mL within a year",
                f"PSA went from {low.value:g} ng/mL on {low.taken_at[:10]} to {psa.value:g} "
                f"ng/mL on {psa.taken_at[:10]}, a rise above {PSA_RISE_LIMIT:g} ng/mL in 12 "
                "months. The guideline asks for the rise to be confirmed. Worth discussing with "
                "your clinician.", psa.taken_at))
    return out


def _t_e2(results: Sequence[LabResult]) -> list[Alert]:
    """The newest draw that has both a total T and an estradiol (same draw and censored
    ratio as :mod:`hpgjournal.domain.derived` defines them, like the chart)."""
    pairs = same_draw_pairs([r for r in results if r.analyte == "testosterone_total"],
                            [r for r in results if r.analyte == "estradiol"])
    if not pairs:
        return []
    newest = max(range(len(pairs)), key=lambda i: (draw_day(pairs[i][1].taken_at), i))
    t, e2 = pairs[newest]
    found = t_e2_of(t, e2)
    if found is None or not below_t_e2_low(*found):
        return []
    ratio, comparator = found
    day = draw_day(e2.taken_at)
    method = f" ({e2.method} estradiol)" if e2.method else ""
    return [_alert("info", "te2", f"T/E2 ratio {comparator}{ratio:.1f} is below {T_E2_LOW:g}",
                   f"On {day}, total testosterone {t.comparator}{t.value:g} ng/dL over estradiol "
                   f"{e2.comparator}{e2.value:g} pg/mL{method} gives {comparator}{ratio:.1f}, "
                   "below the 20th percentile of fertile men "
                   "in one study. It matters mostly when fertility is the goal. Worth discussing "
                   "with your clinician.", t.taken_at)]


def _running(day: str, start: str, end: str | None) -> bool:
    return start <= day and (end is None or end >= day)


def _on_aromatase_inhibitor(day: str, phases: Sequence[Phase],
                            medications: Sequence[Medication]) -> bool:
    return any(p.kind == "aromatase_inhibitor" and _running(day, p.start_date, p.end_date)
               for p in phases) or any(
        m.drug_class == "aromatase_inhibitor" and _running(day, m.start_date, m.end_date)
        for m in medications)


def _low_e2(results: Sequence[LabResult], phases: Sequence[Phase],
            medications: Sequence[Medication]) -> list[Alert]:
    e2 = _latest(results, "estradiol")
    if e2 is None or e2.value is None or e2.comparator in (">", ">="):
        return []
    on_ai = _on_aromatase_inhibitor(e2.taken_at[:10], phases, medications)
    deficient = e2.value <= E2_DEFICIENT if e2.comparator else e2.value < E2_DEFICIENT
    if not deficient and not (on_ai and e2.value < E2_LOW_INFO):
        return []
    shown = f"{e2.comparator}{e2.value:g}"
    method = {"immunoassay": "by immunoassay, which reads high at male levels, so the true "
                             "value may be lower",
              "sensitive": "by a sensitive (mass spectrometry) method"}.get(
        e2.method, "by a method the journal does not record")
    level = "warning" if deficient else "info"
    where = (f"below {E2_DEFICIENT:g} pg/mL, the level one large study of older men defined as "
             "deficiency" if deficient else
             f"below {E2_LOW_INFO:g} pg/mL, the app's own cautious level above that")
    during = " while an aromatase inhibitor was running" if on_ai else ""
    return [_alert(level, "e2low", f"Estradiol {shown} pg/mL is low",
                   f"Your estradiol on {e2.taken_at[:10]} was {shown} pg/mL{during}, measured "
                   f"{method}: {where}. Very low estradiol has been linked with bone loss. "
                   "Worth discussing with your clinician.", e2.taken_at)]


def _last_testosterone(phases: Sequence[Phase], medications: Sequence[Medication], day: str
                       ) -> str | None:
    """When testosterone last ended before ``day`` (None while it still runs, or never ran)."""
    spans = [(p.start_date, p.end_date) for p in phases if p.kind == "trt"]
    spans += [(m.start_date, m.end_date) for m in medications if is_testosterone_dose(m.drug, m)]
    spans = [s for s in spans if s[0] <= day]
    if not spans or any(end is None or end >= day for _, end in spans):
        return None
    return max(end for _, end in spans if end is not None)


def _azoospermia(results: Sequence[LabResult], phases: Sequence[Phase],
                 medications: Sequence[Medication]) -> list[Alert]:
    sperm = _latest(results, "sperm_concentration")
    if sperm is None or sperm.value is None:
        return []
    none_seen = sperm.value == 0 or (sperm.comparator.startswith("<") and sperm.value <= 0.1)
    if not none_seen:
        return []
    ended = _last_testosterone(phases, medications, sperm.taken_at[:10])
    if ended is None:
        return []
    months = days_between(ended, sperm.taken_at) / 30.44
    if months < AZOOSPERMIA_MONTHS:
        return []
    return [_alert("warning", "azoospermia",
                   f"No sperm {months:.0f} months after the last testosterone",
                   f"The semen analysis of {sperm.taken_at[:10]} found no sperm "
                   f"({sperm.comparator}{sperm.value:g} million/mL), {months:.0f} months after "
                   f"testosterone ended on {ended}. Most men in large studies had recovered by "
                   "12 months. Worth discussing with your clinician.", sperm.taken_at)]
