"""The journal's records as the charts and the verdicts need them.

Everything here reads the journal (no matplotlib): the results of a marker (all methods), the
derived series (calculated free testosterone and the T/E2 ratio from results of the same draw,
testicular volume from the body measures), phases, doses with the phase kind of their drug, and
the testosterone dose times that washout and recovery are timed from. :func:`assess_journal`
runs the observed-against-expected verdicts over a whole journal (the report calls it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from hpgjournal.domain import analytes
from hpgjournal.domain.alerts import Alert, find_alerts
from hpgjournal.domain.assessment import Assessment, TherapyTimes, assess
from hpgjournal.domain.derived import free_t_series, t_e2_series, testicular_volume_series
from hpgjournal.domain.drugs import find_drug
from hpgjournal.domain.knowledge import DERIVED_MARKERS, Knowledge, load_knowledge
from hpgjournal.domain.monitoring import Due, due_tests
from hpgjournal.domain.plausible import usable
from hpgjournal.domain.profile import age_on
from hpgjournal.domain.records import LabResult, Measure, Medication, Phase
from hpgjournal.paths import resources_dir
from hpgjournal.store.journal import Journal

__all__ = [
    "PANEL_MARKERS",
    "ChartData",
    "DoseMark",
    "Review",
    "assess_journal",
    "chart_keys",
    "default_knowledge",
    "free_t_series",
    "load_chart_data",
    "review",
    "review_json",
    "t_e2_series",
    "testicular_volume_series",
]

# The panel of DESIGN.md section 1: T, free T, E2, LH, FSH, SHBG, Hct on one time axis.
PANEL_MARKERS: tuple[str, ...] = ("testosterone_total", "testosterone_free", "estradiol", "lh",
                                  "fsh", "shbg", "hematocrit")
_CLASS_PHASES = {"testosterone": "trt", "gonadotropin": "hcg",
                 "aromatase_inhibitor": "aromatase_inhibitor", "gnrh": "gonadorelin"}
_SOURCES_FOR = {
    "t_e2_ratio": ("testosterone_total", "estradiol"),
    "free_t_calculated": ("testosterone_total", "shbg", "albumin"),
}


def chart_keys() -> tuple[str, ...]:
    """Every key a chart accepts: the catalogue's markers, then the derived series."""
    return (*analytes.CATALOGUE, *DERIVED_MARKERS)


@lru_cache(maxsize=4)
def _load_cached(folder: str) -> Knowledge:
    return load_knowledge(Path(folder))


def default_knowledge() -> Knowledge:
    """The bundled knowledge base (read once per process)."""
    return _load_cached(str(resources_dir() / "knowledge"))


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


def _phase_kind_of(drug: str, medication: Medication | None) -> str:
    known = find_drug(drug)
    if known is not None:
        return known.phase_kind
    if medication is not None:
        return _CLASS_PHASES.get(medication.drug_class, "")
    return ""


def _is_testosterone(drug: str, medication: Medication | None) -> bool:
    known = find_drug(drug)
    if known is not None:
        return known.drug_class == "testosterone"
    return bool(medication and medication.drug_class == "testosterone")


def _results(journal: Journal, key: str, cache: dict[str, list[LabResult]],
             left_out: dict[str, list[tuple[LabResult, str]]]) -> list[LabResult]:
    """The usable results of a marker (the impossible ones go to ``left_out``)."""
    if key in cache:
        return cache[key]
    if key == "t_e2_ratio":
        found = t_e2_series(_results(journal, "testosterone_total", cache, left_out),
                            _results(journal, "estradiol", cache, left_out))
    elif key == "free_t_calculated":
        found = free_t_series(*(_results(journal, k, cache, left_out)
                                for k in _SOURCES_FOR[key]))
    else:
        found = journal.lab_results(key)
        if key == "testicular_volume":
            found = sorted([*found, *testicular_volume_series(journal.all(Measure))],
                           key=lambda r: r.taken_at)
        found, dropped = usable(found)
        if dropped:
            left_out[key] = dropped
    cache[key] = found
    return found


def _dose_table(journal: Journal) -> list[tuple[str, str, int | None, float | None, str]]:
    """(taken_at, drug, medication_id, amount, unit) of every dose, in time order.

    A light query of its own (no record objects): ten years of daily doses are thousands of
    rows, and a chart only needs these columns.
    """
    rows = journal.conn.execute(
        "SELECT taken_at, drug, medication_id, amount, unit FROM doses ORDER BY taken_at, id")
    return [tuple(r) for r in rows]  # type: ignore[misc]


LONG_ACTING_DAYS = 28  # an interval this long or longer: undecanoate injections, pellets


def _therapy_times(doses: Sequence[tuple], medications: dict[int | None, Medication],
                   phases: Sequence[Phase] = (), last_day: date | None = None) -> TherapyTimes:
    times = tuple(d[0] for d in doses if _is_testosterone(d[1], medications.get(d[2])))
    trt = [m for m in medications.values() if _is_testosterone(m.drug, m)]
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


def therapy_times(journal: Journal) -> TherapyTimes:
    """The testosterone dose times and the TRT regimen's dosing interval."""
    medications = {m.id: m for m in journal.all(Medication)}
    span = journal.date_span()
    return _therapy_times(_dose_table(journal), medications, journal.all(Phase),
                          date.fromisoformat(span[1]) if span else None)


def load_chart_data(journal: Journal, markers: Sequence[str], *, with_doses: bool = True,
                    assess_markers: Sequence[str] = ()) -> ChartData:
    """Read what a chart of ``markers`` needs (and the series of ``assess_markers``)."""
    cache: dict[str, list[LabResult]] = {}
    left_out: dict[str, list[tuple[LabResult, str]]] = {}
    series = {key: _results(journal, key, cache, left_out) for key in markers}
    for key in assess_markers:
        _results(journal, key, cache, left_out)
    medications = {m.id: m for m in journal.all(Medication)}
    table = _dose_table(journal)
    kinds: dict[tuple[str, int | None], str] = {}
    doses = []
    if with_doses:
        for taken_at, drug, medication_id, amount, unit in table:
            kind = kinds.get((drug, medication_id))
            if kind is None:
                kind = kinds[(drug, medication_id)] = _phase_kind_of(
                    drug, medications.get(medication_id))
            doses.append(DoseMark(taken_at, drug, kind, amount, unit))
    span = journal.date_span()
    first_day, last_day = (date.fromisoformat(span[0]), date.fromisoformat(span[1])) if span \
        else (None, None)
    phases = journal.all(Phase)
    return ChartData(series=series, phases=phases, doses=doses,
                     times=_therapy_times(table, medications, phases, last_day),
                     first_day=first_day, last_day=last_day, all_series=dict(cache),
                     left_out=left_out)


def assess_journal(journal: Journal, knowledge: Knowledge | None = None, *, system: str = "us"
                   ) -> list[Assessment]:
    """Observed-against-expected verdicts for every phase and marker of the journal."""
    knowledge = knowledge or default_knowledge()
    keys = sorted({r.analyte for p in knowledge.phases.values() for r in p.responses})
    present = set(journal.analytes_present()) | set(DERIVED_MARKERS) | {"testicular_volume"}
    data = load_chart_data(journal, [k for k in keys if k in present], with_doses=False)
    span = journal.date_span()
    until = date.fromisoformat(span[1]) if span else None
    return assess(data.phases, knowledge, data.series, times=data.times, system=system,
                  until=until)


@dataclass(frozen=True)
class Review:
    """What the window, the report and ``hpgjournal assess`` show: verdicts, flags, tests due."""

    as_of: date
    verdicts: list[Assessment]
    flags: list[Alert]
    due: list[Due]


def _trimmed(phases: Sequence[Phase], as_of: date) -> list[Phase]:
    """The phases as they stood on ``as_of``: later ones left out, running ones open."""
    day = as_of.isoformat()
    out = []
    for p in phases:
        if p.start_date > day:
            continue
        out.append(p if p.end_date is None or p.end_date <= day else replace(p, end_date=None))
    return out


def review(journal: Journal, knowledge: Knowledge | None = None, *, as_of: date | None = None,
           system: str = "us") -> Review:
    """The journal's verdicts, safety flags and tests due, as of a day (default: today).

    With ``as_of`` in the past, only what the journal held up to that day counts.
    """
    knowledge = knowledge or default_knowledge()
    as_of = as_of or date.today()
    day = as_of.isoformat()
    keys = sorted({r.analyte for p in knowledge.phases.values() for r in p.responses})
    present = set(journal.analytes_present()) | set(DERIVED_MARKERS) | {"testicular_volume"}
    data = load_chart_data(journal, [k for k in keys if k in present], with_doses=False)
    series = {k: [r for r in v if r.taken_at[:10] <= day] for k, v in data.series.items()}
    phases = _trimmed(data.phases, as_of)
    times = replace(data.times, trt_doses=tuple(t for t in data.times.trt_doses if t[:10] <= day))
    span = journal.date_span()
    until = min(date.fromisoformat(span[1]), as_of) if span else as_of
    verdicts = assess(phases, knowledge, series, times=times, system=system, until=until)
    results = [r for r in usable(journal.lab_results())[0] if r.taken_at[:10] <= day]
    medications = [m for m in journal.all(Medication) if m.start_date <= day]
    flags = find_alerts(results, phases, medications)
    age = age_on(journal.profile().get("birth_date", ""), as_of)
    return Review(as_of, verdicts, flags, due_tests(phases, results, as_of, age))


def review_json(result: Review) -> dict[str, object]:
    """The ``hpgjournal assess --json`` document (DESIGN.md section 5, the verdicts issue)."""
    def expected(a: Assessment) -> dict[str, object]:
        out: dict[str, object] = {"direction": a.direction, "text": a.expectation}
        if a.expected_low is not None:
            out["low"] = a.expected_low
            out["high"] = None if a.expected_high is None or math.isinf(a.expected_high) \
                else a.expected_high
        return out

    return {
        "as_of": result.as_of.isoformat(),
        "verdicts": [{
            "phase": a.phase_kind, "phase_start": a.phase_start, "marker": a.analyte,
            "verdict": a.verdict, "reason": a.reason, "text": a.text,
            "compared": [list(c) for c in a.compared], "expected": expected(a),
            "origin": a.origin_key, "confidence": a.confidence, "sources": list(a.source_ids),
        } for a in result.verdicts],
        "flags": [{"key": f.key, "marker": f.marker, "level": f.level, "taken_at": f.taken_at,
                   "text": f.text, "threshold": f.source, "sources": list(f.source_ids)}
                  for f in result.flags],
        "due": [{"test": d.test, "due": d.due.isoformat(), "status": d.status, "why": d.why,
                 "origin": d.origin, "sources": list(d.sources)} for d in result.due],
    }
