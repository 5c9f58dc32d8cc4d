"""Things in the latest results that published thresholds say are worth raising with a clinician.

Each alert names its threshold and source. None of them is advice: the app points at the
number and the source; what to do belongs to the user and his clinician.
Thresholds and sources: research/phases.md section 2 (H2, P1, R1, EL).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hpgjournal.domain.derived import T_E2_LOW, t_e2_ratio
from hpgjournal.domain.records import LabResult, Medication, Phase
from hpgjournal.domain.timestamps import days_between

HEMATOCRIT_LIMIT = 54.0  # %
PSA_RISE_LIMIT = 1.4  # ng/mL within 12 months
PSA_LIMIT = 4.0  # ng/mL
E2_LOW_WARN = 10.0  # pg/mL
E2_LOW_INFO = 15.0  # pg/mL

SOURCES = {
    "hct": "Endocrine Society testosterone therapy guideline (Bhasin et al., J Clin Endocrinol "
           "Metab 2018) and AUA guideline (Mulhall et al., J Urol 2018;200:423): hematocrit above "
           "54 % on therapy calls for a review.",
    "psa": "Endocrine Society guideline 2018: a confirmed PSA rise of more than 1.4 ng/mL within "
           "12 months, or a PSA above 4.0 ng/mL, is a reason for urological evaluation.",
    "te2": "Pavlovich et al., J Urol 2001;165:837 and Raman & Schlegel, J Urol 2002;167:624: a "
           "T/E2 ratio (ng/dL over pg/mL) below 10 was used to select men for aromatase "
           "inhibitors in fertility care.",
    "e2low": "There is no guideline threshold for too-low estradiol in men. Studies of bone "
             "health (MrOS, Fink et al.; Khosla et al., J Clin Endocrinol Metab 2001) link "
             "estradiol below about 10-15 pg/mL with bone loss; the source documents warn "
             "against pushing estradiol too low with anastrozole.",
}


@dataclass(frozen=True)
class Alert:
    level: str  # "warning" or "info"
    key: str  # which rule: hct, psa, te2, e2low
    title: str
    text: str
    source: str
    taken_at: str


def _latest(results: Sequence[LabResult], analyte: str) -> LabResult | None:
    numeric = [r for r in results if r.analyte == analyte and r.value is not None]
    return max(numeric, key=lambda r: r.taken_at) if numeric else None


def find_alerts(results: Sequence[LabResult], phases: Sequence[Phase] = (),
                medications: Sequence[Medication] = ()) -> list[Alert]:
    """Alerts that the newest results support, most serious first."""
    alerts: list[Alert] = []
    hct = _latest(results, "hematocrit")
    if hct and hct.value is not None and hct.value > HEMATOCRIT_LIMIT and hct.comparator != "<":
        alerts.append(Alert(
            "warning", "hct", f"Hematocrit {hct.value:g} % is above {HEMATOCRIT_LIMIT:g} %",
            f"Your hematocrit on {hct.taken_at[:10]} was {hct.value:g} %. Guidelines for "
            "testosterone therapy name 54 % as the level at which treatment is reviewed. Worth "
            "discussing with your clinician.", SOURCES["hct"], hct.taken_at))
    alerts += _psa(results)
    alerts += _t_e2(results)
    alerts += _low_e2(results, phases, medications)
    return sorted(alerts, key=lambda a: (a.level != "warning", a.taken_at))


def _psa(results: Sequence[LabResult]) -> list[Alert]:
    psa = _latest(results, "psa")
    if psa is None or psa.value is None:
        return []
    out = []
    if psa.value > PSA_LIMIT and psa.comparator != "<":
        out.append(Alert("warning", "psa", f"PSA {psa.value:g} ng/mL is above {PSA_LIMIT:g}",
                         f"Your PSA on {psa.taken_at[:10]} was {psa.value:g} ng/mL. Worth "
                         "discussing with your clinician.", SOURCES["psa"], psa.taken_at))
    earlier = [r for r in results if r.analyte == "psa" and r.value is not None
               and r.comparator not in (">", ">=") and r.taken_at < psa.taken_at
               and days_between(r.taken_at, psa.taken_at) <= 366]
    if earlier:
        low = min(earlier, key=lambda r: r.value or 0.0)
        rise = psa.value - (low.value or 0.0)
        if rise > PSA_RISE_LIMIT:
            out.append(Alert(
                "warning", "psa", f"PSA rose by {rise:.1f} ng/mL within a year",
                f"PSA went from {low.value:g} ng/mL on {low.taken_at[:10]} to {psa.value:g} "
                f"ng/mL on {psa.taken_at[:10]}, a rise above {PSA_RISE_LIMIT:g} ng/mL in 12 "
                "months. Guidelines ask for the rise to be confirmed and discussed with a "
                "clinician.", SOURCES["psa"], psa.taken_at))
    return out


def _t_e2(results: Sequence[LabResult]) -> list[Alert]:
    """The newest draw that has both a total T and an estradiol number."""
    draws: dict[str, dict[str, LabResult]] = {}
    for r in results:
        if r.analyte in ("testosterone_total", "estradiol") and r.value is not None \
                and not r.comparator:
            draws.setdefault(r.taken_at[:10], {})[r.analyte] = r
    both = [d for d in sorted(draws) if len(draws[d]) == 2]
    if not both:
        return []
    day = both[-1]
    t, e2 = draws[day]["testosterone_total"], draws[day]["estradiol"]
    if not e2.value:
        return []
    ratio = t_e2_ratio(t.value or 0.0, e2.value)
    if ratio >= T_E2_LOW:
        return []
    return [Alert("info", "te2", f"T/E2 ratio {ratio:.1f} is below {T_E2_LOW:g}",
                  f"On {day}, total testosterone {t.value:g} ng/dL over estradiol {e2.value:g} "
                  f"pg/mL gives {ratio:.1f}. In fertility care a ratio under 10 is a reason "
                  "clinicians consider an aromatase inhibitor. Worth discussing if fertility is "
                  "your goal.", SOURCES["te2"], t.taken_at)]


def _on_aromatase_inhibitor(day: str, phases: Sequence[Phase],
                            medications: Sequence[Medication]) -> bool:
    def running(start: str, end: str | None) -> bool:
        return start <= day and (end is None or end >= day)

    return any(p.kind == "aromatase_inhibitor" and running(p.start_date, p.end_date)
               for p in phases) or any(
        m.drug_class == "aromatase_inhibitor" and running(m.start_date, m.end_date)
        for m in medications)


def _low_e2(results: Sequence[LabResult], phases: Sequence[Phase],
            medications: Sequence[Medication]) -> list[Alert]:
    e2 = _latest(results, "estradiol")
    if e2 is None or e2.value is None or e2.comparator in (">", ">="):
        return []
    on_ai = _on_aromatase_inhibitor(e2.taken_at[:10], phases, medications)
    if e2.value >= E2_LOW_INFO or not on_ai:
        return []
    level = "warning" if e2.value < E2_LOW_WARN or e2.comparator == "<" else "info"
    shown = f"{e2.comparator}{e2.value:g}"
    return [Alert(level, "e2low", f"Estradiol {shown} pg/mL on an aromatase inhibitor",
                  f"Your estradiol on {e2.taken_at[:10]} was {shown} pg/mL while taking an "
                  "aromatase inhibitor. Very low estradiol has been linked with bone loss and "
                  "symptoms; the source documents caution against lowering it too far. Worth "
                  "discussing with your clinician.", SOURCES["e2low"], e2.taken_at)]
