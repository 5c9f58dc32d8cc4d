"""Which tests the sources describe as due, for the phase a man is in (no advice).

Each rule says what a guideline's monitoring table or the source documents describe, and where
the rule is the app's own reading (no society publishes a schedule for a restart after TRT,
``research/verdicts_pk.md`` section 2.5), it says so. A test is **due** on the date the rule
gives and **overdue** once that date has passed with no result of it.

On TRT (Endocrine Society 2010 monitoring table, read for this project; AUA 2018 Table 7):
testosterone and hematocrit 3 months after starting, then yearly; PSA 3 to 6 months after
starting in men 40 or older. In a restart (hCG, SERMs, aromatase inhibitor, gonadorelin,
washout, recovery monitoring): the documents' restart panel (total and free testosterone,
estradiol, LH and FSH) "regularly", read by the app as every 8 weeks; LH 4 weeks after a SERM
starts (AUA 2018 Table 7); estradiol on an aromatase inhibitor (AUA 2018 Table 7), at 2 weeks as
the anastrozole trial measured it; a semen analysis every 3 months, about the time a new
cohort of sperm takes to form (the app's reading of the 42 to 76 days measured by Misell 2006).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from hpgjournal.domain.records import LabResult, Phase

__all__ = ["RESTART_KINDS", "Due", "due_tests"]

RESTART_KINDS = ("hcg", "serm_clomiphene", "serm_tamoxifen", "aromatase_inhibitor",
                 "gonadorelin", "washout", "recovery")
_MONTH = 30.44
_PANEL = ("testosterone_total", "testosterone_free", "estradiol", "lh", "fsh")
TEST_NAMES = {
    "testosterone_total": "Total testosterone", "hematocrit": "Hematocrit", "psa": "PSA",
    "restart_panel": "Restart panel (total and free testosterone, estradiol, LH, FSH)",
    "lh": "LH", "estradiol": "Estradiol", "semen_analysis": "Semen analysis",
}


@dataclass(frozen=True)
class Due:
    """A test the sources describe as due on ``due`` (``overdue`` when that day has passed)."""

    test: str  # a key of TEST_NAMES
    due: date
    why: str  # what the source describes, and who says it
    origin: str  # "literature", "documents" or "assumption"
    sources: tuple[str, ...]
    overdue: bool

    @property
    def name(self) -> str:
        return TEST_NAMES[self.test]

    @property
    def status(self) -> str:
        return "overdue" if self.overdue else "due"


def _days(n: float) -> timedelta:
    return timedelta(days=round(n))


def _last(results: Sequence[LabResult], keys: Sequence[str], since: date, until: date
          ) -> date | None:
    days = [date.fromisoformat(r.taken_at[:10]) for r in results
            if r.analyte in keys and since <= date.fromisoformat(r.taken_at[:10]) <= until]
    return max(days) if days else None


def _current(phases: Sequence[Phase], as_of: date) -> list[Phase]:
    day = as_of.isoformat()
    return [p for p in phases if p.start_date <= day and (p.end_date is None or p.end_date >= day)]


def due_tests(phases: Sequence[Phase], results: Sequence[LabResult], as_of: date,
              age: int | None = None) -> list[Due]:
    """The tests due for the phases running on ``as_of``, soonest first."""
    out: list[Due] = []
    running = _current(phases, as_of)

    def add(test: str, when: date, why: str, origin: str, sources: tuple[str, ...]) -> None:
        out.append(Due(test, when, why, origin, sources, when < as_of))

    for phase in running:
        start = date.fromisoformat(phase.start_date)
        if phase.kind == "trt":
            for key, name in (("testosterone_total", "testosterone"), ("hematocrit", "hematocrit")):
                last = _last(results, (key,), start + _days(28), as_of)
                if last is None:
                    add(key, start + _days(3 * _MONTH),
                        f"The Endocrine Society's 2010 monitoring table measures {name} 3 months "
                        "after testosterone therapy starts.", "literature", ("es2010",))
                else:
                    add(key, last + _days(12 * _MONTH),
                        f"After the first months the Endocrine Society's 2010 table measures "
                        f"{name} yearly (the AUA's 2018 guideline: every 6 to 12 months); the "
                        f"last was on {last}.", "literature", ("es2010", "aua2018"))
            if age is not None and age >= 40 and _last(results, ("psa",), start, as_of) is None:
                add("psa", start + _days(6 * _MONTH),
                    "The Endocrine Society's 2010 table measures PSA 3 to 6 months after therapy "
                    "starts in men 40 or older; after that, the usual screening applies.",
                    "literature", ("es2010",))
        if phase.kind in ("serm_clomiphene", "serm_tamoxifen") and \
                _last(results, ("lh",), start, as_of) is None:
            add("lh", start + _days(28),
                "The AUA's 2018 guideline measures LH 4 weeks after a SERM starts when "
                "testosterone stays low.", "literature", ("aua2018",))
        if phase.kind == "aromatase_inhibitor" and \
                _last(results, ("estradiol",), start, as_of) is None:
            add("estradiol", start + _days(14),
                "The AUA's 2018 guideline measures estradiol in every man on an aromatase "
                "inhibitor; the anastrozole trial measured it at 2 weeks and 4 months.",
                "literature", ("aua2018", "shoshany2017"))

    restart = [p for p in running if p.kind in RESTART_KINDS]
    if restart:
        first = min(date.fromisoformat(p.start_date) for p in restart)
        since = first - _days(14)
        last = _last(results, _PANEL, since, as_of)
        add("restart_panel", (last or first) + _days(8 * 7),
            "The source documents monitor total and free testosterone, estradiol, LH and FSH "
            "regularly through a restart; no published schedule gives the interval, so every "
            "8 weeks is the app's own reading" + (f" (the last was on {last})." if last else "."),
            "assumption", ("seed_restart", "seed_atrophy"))
        semen = _last(results, ("sperm_concentration", "sperm_motility", "semen_volume"),
                      since, as_of)
        add("semen_analysis", (semen or first) + _days(3 * _MONTH),
            "A new cohort of sperm takes about 6 to 11 weeks to form (Misell 2006), so a semen "
            "analysis every 3 months sees a new one; the interval is the app's own reading, not "
            "a guideline's" + (f" (the last was on {semen})." if semen else "."),
            "assumption", ("misell2006",))
    best: dict[str, Due] = {}
    for item in out:  # one line per test: the soonest
        if item.test not in best or item.due < best[item.test].due:
            best[item.test] = item
    return sorted(best.values(), key=lambda d: (d.due, d.test))
