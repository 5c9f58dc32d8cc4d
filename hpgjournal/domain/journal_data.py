"""The plain data the services hand to the charts and the report (issue 20).

No store, no matplotlib: :mod:`hpgjournal.services` reads the journal into these, and the chart
builders and the report draw from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from hpgjournal.domain.alerts import Alert
from hpgjournal.domain.assessment import Assessment, TherapyTimes
from hpgjournal.domain.drugs import find_drug, is_testosterone_dose
from hpgjournal.domain.monitoring import Due
from hpgjournal.domain.records import LabResult, Medication, Phase

__all__ = [
    "LONG_ACTING_DAYS",
    "ChartData",
    "DoseMark",
    "DoseRow",
    "Review",
    "as_it_stood",
    "phase_kind_of",
    "therapy_times_of",
    "trimmed_phases",
]

_CLASS_PHASES = {"testosterone": "trt", "gonadotropin": "hcg",
                 "aromatase_inhibitor": "aromatase_inhibitor", "gnrh": "gonadorelin"}
LONG_ACTING_DAYS = 28  # an interval this long or longer: undecanoate injections, pellets

# (taken_at, drug, medication_id, amount, unit) of a dose (Journal.dose_table)
DoseRow = tuple[str, str, int | None, float | None, str]


@dataclass(frozen=True)
class DoseMark:
    """One dose, with the phase kind its drug belongs to (for its colour)."""

    taken_at: str
    drug: str
    phase_kind: str
    amount: float | None
    unit: str


@dataclass
class ChartData:
    """What a chart of some markers needs from the journal."""

    series: dict[str, list[LabResult]]
    phases: list[Phase]
    doses: list[DoseMark]
    times: TherapyTimes
    first_day: date | None
    last_day: date | None
    all_series: dict[str, list[LabResult]] = field(default_factory=dict)
    # stored results that cannot be drawn or used (impossible values or dates), with the
    # reason, by marker: the chart says so in its notes instead of failing on them
    left_out: dict[str, list[tuple[LabResult, str]]] = field(default_factory=dict)
    # what the chart builders work out from these records and keep for the next chart of the
    # same data (a marker switch): theirs to fill, keyed by what each value depends on; the
    # data of one journal read share it (``load_chart_data(..., shared=)``)
    kept: dict[object, object] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Review:
    """What the window, the report and ``hpgjournal assess`` show: verdicts, flags, tests due."""

    as_of: date
    verdicts: list[Assessment]
    flags: list[Alert]
    due: list[Due]


def phase_kind_of(drug: str, medication: Medication | None) -> str:
    """The phase kind a dose's drug belongs to (its colour on a chart), or ""."""
    known = find_drug(drug)
    if known is not None:
        return known.phase_kind
    if medication is not None:
        return _CLASS_PHASES.get(medication.drug_class, "")
    return ""


def therapy_times_of(doses: Sequence[DoseRow], medications: dict[int | None, Medication],
                     phases: Sequence[Phase] = (), last_day: date | None = None
                     ) -> TherapyTimes:
    """The testosterone dose times, the TRT regimen's interval and the days on TRT."""
    testosterone: dict[tuple[str, int | None], bool] = {}  # each drug and medication once
    for dose in doses:
        if (dose[1], dose[2]) not in testosterone:
            testosterone[(dose[1], dose[2])] = is_testosterone_dose(dose[1],
                                                                     medications.get(dose[2]))
    times = tuple(d[0] for d in doses if testosterone[(d[1], d[2])])
    trt = [m for m in medications.values() if is_testosterone_dose(m.drug, m)]
    newest = max(trt, key=lambda m: m.start_date) if trt else None
    interval = newest.interval_days if newest else None
    long_acting = newest is not None and (
        (interval is not None and interval >= LONG_ACTING_DAYS)
        or any(word in newest.drug.casefold() for word in ("undecanoate", "pellet")))
    spans = [(date.fromisoformat(p.start_date),
              date.fromisoformat(p.end_date) if p.end_date else (last_day or date.today()))
             for p in phases if p.kind == "trt"]
    trt_days = float(sum(max(0, (end - start).days) for start, end in spans)) if spans else None
    return TherapyTimes(times, interval, long_acting, trt_days)


def trimmed_phases(phases: Sequence[Phase], as_of: date) -> list[Phase]:
    """The phases as they stood on ``as_of``: later ones left out, running ones open."""
    day = as_of.isoformat()
    out = []
    for p in phases:
        if p.start_date > day:
            continue
        out.append(p if p.end_date is None or p.end_date <= day else replace(p, end_date=None))
    return out


def as_it_stood(results: Sequence[LabResult], phases: Sequence[Phase],
                medications: Sequence[Medication],
                as_of: date) -> tuple[list[LabResult], list[Phase], list[Medication]]:
    """What the journal held on ``as_of``: the results drawn by then, the phases as they stood
    (:func:`trimmed_phases`) and the regimens begun by then. The safety flags and the tests
    due of the overview, the command line and a report ending that day all read this."""
    day = as_of.isoformat()
    return ([r for r in results if r.taken_at[:10] <= day], trimmed_phases(phases, as_of),
            [m for m in medications if m.start_date <= day])
