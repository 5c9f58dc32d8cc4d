"""The journal's records as the charts, the verdicts and the report need them.

Everything here reads the journal (no matplotlib): the results of a marker (all methods), the
derived series of :mod:`hpgjournal.domain.derived` (calculated free testosterone and the T/E2
ratio of the same draw, testicular volume from the body measures), phases, doses with the phase
kind of their drug, and the testosterone dose times that washout and recovery are timed from.
:func:`assess_journal` runs the observed-against-expected verdicts over a whole journal and
:func:`review` adds the safety flags and the tests due (the window, the report and
``hpgjournal assess`` call them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from hpgjournal.domain.alerts import find_alerts
from hpgjournal.domain.assessment import Assessment, TherapyTimes, assess
from hpgjournal.domain.derived import free_t_series, t_e2_series, testicular_volume_series
from hpgjournal.domain.journal_data import (
    ChartData,
    DoseMark,
    Review,
    as_it_stood,
    phase_kind_of,
    therapy_times_of,
)
from hpgjournal.domain.knowledge import DERIVED_MARKERS, Knowledge
from hpgjournal.domain.monitoring import due_tests
from hpgjournal.domain.plausible import usable
from hpgjournal.domain.profile import age_on
from hpgjournal.domain.records import LabResult, Measure, Medication, Phase
from hpgjournal.services.knowledge import default_knowledge
from hpgjournal.store.journal import Journal

__all__ = ["assess_journal", "load_chart_data", "open_journal", "review", "sperm_chart_data",
           "therapy_times"]

open_journal = Journal.open  # the CLI commands open the journal through the services

_SOURCES_FOR = {
    "t_e2_ratio": ("testosterone_total", "estradiol"),
    "free_t_calculated": ("testosterone_total", "shbg", "albumin"),
}


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


def _last_day(journal: Journal) -> date | None:
    span = journal.date_span()
    return date.fromisoformat(span[1]) if span else None


def therapy_times(journal: Journal) -> TherapyTimes:
    """The testosterone dose times and the TRT regimen's dosing interval."""
    medications = {m.id: m for m in journal.all(Medication)}
    return therapy_times_of(journal.dose_table(), medications, journal.all(Phase),
                            _last_day(journal))


def load_chart_data(journal: Journal, markers: Sequence[str], *, with_doses: bool = True,
                    assess_markers: Sequence[str] = (), shared: ChartData | None = None
                    ) -> ChartData:
    """Read what a chart of ``markers`` needs (and the series of ``assess_markers``).

    ``shared``: the data of another chart of the same journal, as it is now (loaded with its
    doses): its phases, doses, dose times and date span are the same for every marker, so only
    the markers' own results are read (the chart page switching markers)."""
    cache: dict[str, list[LabResult]] = {}
    left_out: dict[str, list[tuple[LabResult, str]]] = {}
    series = {key: _results(journal, key, cache, left_out) for key in markers}
    for key in assess_markers:
        _results(journal, key, cache, left_out)
    if shared is not None and with_doses:
        return ChartData(series=series, phases=shared.phases, doses=shared.doses,
                         times=shared.times, first_day=shared.first_day,
                         last_day=shared.last_day, all_series=dict(cache), left_out=left_out,
                         kept=shared.kept)
    medications = {m.id: m for m in journal.all(Medication)}
    table = journal.dose_table()
    kinds: dict[tuple[str, int | None], str] = {}
    doses = []
    if with_doses:
        for taken_at, drug, medication_id, amount, unit in table:
            kind = kinds.get((drug, medication_id))
            if kind is None:
                kind = kinds[(drug, medication_id)] = phase_kind_of(
                    drug, medications.get(medication_id))
            doses.append(DoseMark(taken_at, drug, kind, amount, unit))
    span = journal.date_span()
    first_day, last_day = (date.fromisoformat(span[0]), date.fromisoformat(span[1])) if span \
        else (None, None)
    phases = journal.all(Phase)
    return ChartData(series=series, phases=phases, doses=doses,
                     times=therapy_times_of(table, medications, phases, last_day),
                     first_day=first_day, last_day=last_day, all_series=dict(cache),
                     left_out=left_out)


def sperm_chart_data(journal: Journal) -> ChartData:
    """What the sperm recovery chart draws: the sperm concentrations, phases and dose times."""
    return load_chart_data(journal, ["sperm_concentration"], with_doses=False)


def _verdict_data(journal: Journal, knowledge: Knowledge) -> ChartData:
    keys = sorted({r.analyte for p in knowledge.phases.values() for r in p.responses})
    present = set(journal.analytes_present()) | set(DERIVED_MARKERS) | {"testicular_volume"}
    return load_chart_data(journal, [k for k in keys if k in present], with_doses=False)


def assess_journal(journal: Journal, knowledge: Knowledge | None = None, *, system: str = "us"
                   ) -> list[Assessment]:
    """Observed-against-expected verdicts for every phase and marker of the journal."""
    knowledge = knowledge or default_knowledge()
    data = _verdict_data(journal, knowledge)
    return assess(data.phases, knowledge, data.series, times=data.times, system=system,
                  until=_last_day(journal))


def review(journal: Journal, knowledge: Knowledge | None = None, *, as_of: date | None = None,
           system: str = "us") -> Review:
    """The journal's verdicts, safety flags and tests due, as of a day (default: today).

    With ``as_of`` in the past, only what the journal held up to that day counts.
    """
    knowledge = knowledge or default_knowledge()
    as_of = as_of or date.today()
    day = as_of.isoformat()
    data = _verdict_data(journal, knowledge)
    series = {k: [r for r in v if r.taken_at[:10] <= day] for k, v in data.series.items()}
    results, phases, medications = as_it_stood(usable(journal.lab_results())[0], data.phases,
                                               journal.all(Medication), as_of)
    times = replace(data.times, trt_doses=tuple(t for t in data.times.trt_doses if t[:10] <= day))
    last = _last_day(journal)
    until = min(last, as_of) if last else as_of
    verdicts = assess(phases, knowledge, series, times=times, system=system, until=until)
    flags = find_alerts(results, phases, medications)
    age = age_on(journal.profile().get("birth_date", ""), as_of)
    return Review(as_of, verdicts, flags, due_tests(phases, results, as_of, age))
