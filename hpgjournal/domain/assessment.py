"""Observed against expected: a verdict, with its numbers, for each phase and marker.

For every phase of the journal and every marker the knowledge base has an expectation for (and
the journal has results of), :func:`assess` compares the user's values with the expected
response and returns an :class:`Assessment`: the verdict, a sentence or two that say what
happened and what was expected (with sources), and the numbers behind them. The GUI shows them
beside the chart; the report prints them.

How a verdict is reached:

* The **start** is the last result of the same marker and method on or before the phase's first
  day; the **observation** is the latest result inside the phase, except that a result taken
  while an overlapping phase pushes the marker the other way is passed over when an unaffected
  one exists (the overlap is then named in the text).
* Censored values are intervals: ``<0.2`` is anything from 0 to 0.2, ``>1000`` anything above
  1000. A rise from ``<0.2`` to 4.8 is a rise of at least 4.6; nothing is ever read as 0.
* With a band (see :mod:`hpgjournal.domain.expected`), the observation is **as expected** when it
  overlaps the band on its day (widened by 5 %), **more than expected** beyond it in the direction
  of the expected change, **less than expected** short of it, **opposite** when it moved clearly
  the other way.
* Without a band, only the direction is judged: a clear change (more than 5 %) the expected way
  is **as expected**, the other way **opposite**; no clear change is **as expected** before the
  change is due, **not enough data** while it may still come (or when no time frame is
  published), and **less than expected** after it was due. A change where little change is
  expected is **more than expected**.
* A published recovery curve (sperm after stopping testosterone) is read as a share of men:
  reaching the threshold is **as expected**; not reaching it is **less than expected** only when
  nine in ten men of the study had reached it by then (the study's men recovered faster than most
  men stopping TRT, so a slower recovery is not singled out earlier).
* Direction ``variable`` or ``unknown`` without a band, or a GAP, gives **no expectation**; a
  missing start or observation gives **not enough data**.

The texts say what the documents and data show; they give no advice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hpgjournal.domain import analytes
from hpgjournal.domain.display import value_in
from hpgjournal.domain.expected import NO_CHANGE_TOLERANCE, build_envelope, no_band_reason
from hpgjournal.domain.knowledge import (
    DAYS_PER_MONTH,
    VERDICTS,
    ExpectedResponse,
    Knowledge,
    marker_decimals,
    marker_name,
    marker_short,
    marker_to_system,
    marker_unit,
)
from hpgjournal.domain.records import LabResult, Phase
from hpgjournal.domain.results import reference_range
from hpgjournal.domain.timestamps import to_datetime
from hpgjournal.domain.values import format_number

__all__ = [
    "VERDICTS",
    "Assessment",
    "TherapyTimes",
    "anchor_for",
    "assess",
    "assess_phase",
    "interval",
    "pushes_against",
]

PHASE_PHRASES = {
    "baseline": "baseline", "trt": "TRT", "washout": "the washout", "hcg": "hCG",
    "serm_clomiphene": "clomiphene", "serm_tamoxifen": "tamoxifen",
    "aromatase_inhibitor": "the aromatase inhibitor", "gonadorelin": "gonadorelin",
    "recovery": "recovery monitoring",
}
_INTO_PHASES = ("washout", "recovery")  # "12 days into the washout" rather than "in 12 days of"
_SLOWER_THAN_SHARE = 90.0  # % of men recovered by then, beyond which not recovering is "less"


@dataclass(frozen=True)
class TherapyTimes:
    """When testosterone was last taken, for phases timed from the last or first missed dose.

    ``trt_doses`` are the journal's testosterone dose times (ISO text, any order);
    ``dosing_interval_days`` the interval of the regimen (7 for weekly injections).
    """

    trt_doses: tuple[str, ...] = ()
    dosing_interval_days: float | None = None

    def last_dose_before(self, day: date, phases: Sequence[Phase] = ()) -> tuple[datetime, str] | None:
        """The last testosterone dose on or before ``day`` and how it was found."""
        cutoff = datetime.combine(day, datetime.max.time())
        doses = [to_datetime(d) for d in self.trt_doses]
        earlier = [d for d in doses if d <= cutoff]
        if earlier:
            return max(earlier), "the last testosterone dose"
        ends = [to_datetime(p.end_date) for p in phases
                if p.kind == "trt" and p.end_date and to_datetime(p.end_date) <= cutoff]
        if ends:
            return max(ends), "the end of the TRT phase (no dose logged)"
        return None


@dataclass(frozen=True)
class Assessment:
    """The verdict on one marker in one phase, with the numbers a view or report may show.

    Values are in the marker's canonical unit; ``text`` uses the unit system it was asked for.
    ``expected_low``/``expected_high`` are the band on the observation's day (``None`` without a
    band; ``expected_high`` may be ``inf``). ``change_percent`` is None when either value is
    censored; ``change_at_least``/``change_at_most`` then bound the change in canonical units.
    """

    phase_id: int | None
    phase_kind: str
    analyte: str
    method: str
    verdict: str
    text: str
    direction: str
    origin: str
    tag: str
    source_ids: tuple[str, ...]
    reference_value: float | None = None
    reference_comparator: str = ""
    reference_taken_at: str = ""
    observed_value: float | None = None
    observed_comparator: str = ""
    observed_taken_at: str = ""
    observed_result_id: int | None = None
    change_percent: float | None = None
    change_at_least: float | None = None
    change_at_most: float | None = None
    days_into_phase: float | None = None
    days_from_anchor: float | None = None
    expected_low: float | None = None
    expected_high: float | None = None
    share_recovered: float | None = None
    confounders: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()

    @property
    def literature_only(self) -> bool:
        return self.origin == "literature"


def interval(result: LabResult) -> tuple[float, float]:
    """The range of true values a result allows: ``<0.2`` is (0, 0.2), ``>1000`` is (1000, inf)."""
    if result.value is None:
        raise ValueError(f"result {result.id} of {result.analyte} has no number")
    if result.comparator in ("<", "<="):
        return 0.0, result.value
    if result.comparator in (">", ">="):
        return result.value, math.inf
    return result.value, result.value


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------


_ABBREVIATED = ("lh", "fsh", "shbg", "psa", "dht", "tsh")


def _label(key: str) -> str:
    if key == "t_e2_ratio":
        return "T/E2 ratio"
    return marker_short(key) if key in _ABBREVIATED else marker_name(key)


def _lower(label: str) -> str:
    return label if label.split()[0].isupper() or "/" in label else label.lower()


def _value(result: LabResult, system: str) -> str:
    if result.analyte in analytes.CATALOGUE:
        text, _ = value_in(result, system)
        return text
    assert result.value is not None
    number = marker_to_system(result.analyte, result.value, system)
    return result.comparator + format_number(number, marker_decimals(result.analyte))


def _number(key: str, value: float, system: str) -> str:
    shown = marker_to_system(key, value, system)
    if shown == 0:
        return "0"
    size = abs(shown)
    decimals = 0 if size >= 100 else max(marker_decimals(key), 1 if size >= 1 else 2)
    return format_number(shown, decimals)


def _unit(key: str, system: str) -> str:
    unit = marker_unit(key, system)
    return "" if unit in ("ratio", "ratio (SI)") else unit


def _with_unit(number: str, unit: str) -> str:
    return f"{number} {unit}" if unit else number


def _points(key: str) -> bool:
    """True for markers measured in % (hematocrit), whose changes read as percentage points."""
    return marker_unit(key, "us") == "%"


def _duration(days: float) -> str:
    if days < 14:
        whole = max(1, round(days))
        return f"{whole} day{'s' if whole != 1 else ''}"
    if days < 84:
        return f"{round(days / 7)} weeks"
    months = days / DAYS_PER_MONTH
    return f"{round(months)} months"


def _when(kind: str, days: float) -> str:
    phrase = PHASE_PHRASES.get(kind, kind)
    if kind in _INTO_PHASES:
        return f"{_duration(days)} into {phrase}"
    return f"in {_duration(days)} of {phrase}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fold(ratio: float) -> str:
    return f"{ratio:.1f}-fold" if ratio < 10 else f"{ratio:.0f}-fold"


def _percent(value: float) -> str:
    return f"{abs(value):.0f} %"


def _sources_phrase(knowledge: Knowledge, ids: Sequence[str]) -> str:
    names = knowledge.short_names(ids)
    documents = any(i in knowledge.sources and knowledge.sources[i].is_source_document for i in ids)
    parts = [p for p in (names, "the source documents" if documents else "") if p]
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# Change between two results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Change:
    kind: str  # "rise", "fall", "none"
    percent: float | None
    at_least: float | None
    at_most: float | None
    phrase: str


def _change(key: str, ref: LabResult, obs: LabResult, system: str) -> _Change:
    r_lo, r_hi = interval(ref)
    o_lo, o_hi = interval(obs)
    unit = _unit(key, system)
    span = f"{_value(ref, system)} to {_with_unit(_value(obs, system), unit)}"
    label = _label(key)
    if o_lo > r_hi * (1 + NO_CHANGE_TOLERANCE):
        kind = "rise"
    elif o_hi < r_lo * (1 - NO_CHANGE_TOLERANCE):
        kind = "fall"
    else:
        kind = "none"
    censored = bool(ref.comparator or obs.comparator)
    at_least = o_lo - r_hi if kind == "rise" else (r_lo - o_hi if kind == "fall" else None)
    at_most = (o_hi - r_lo) if kind == "rise" else (r_hi - o_lo if kind == "fall" else None)
    if not censored:
        assert ref.value is not None and obs.value is not None
        percent = (obs.value - ref.value) / ref.value * 100 if ref.value else None
        difference = obs.value - ref.value
        if kind == "none":
            if _points(key):
                shown = f", {format_number(difference, 1)} points"
            else:
                shown = f", {percent:+.0f} %" if percent is not None else ""
            return _Change(kind, percent, None, None, f"{label} changed little ({span}{shown})")
        verb = "rose" if kind == "rise" else "fell"
        if _points(key):
            amount = f"{format_number(abs(difference), 1)} points"
        elif kind == "rise" and percent is not None and percent >= 200:
            amount = _fold(obs.value / ref.value)
        elif percent is not None:
            amount = _percent(percent)
        else:
            amount = ""
        return _Change(kind, percent, None, None, f"{label} {verb} {amount} ({span})")
    if kind == "none":
        if obs.comparator and obs.comparator == ref.comparator:
            where = "below" if obs.comparator.startswith("<") else "above"
            return _Change(kind, None, None, None,
                           f"{label} stayed {where} the test's limit ({span})")
        return _Change(kind, None, None, None, f"{label} showed no clear change ({span})")
    verb = "rose" if kind == "rise" else "fell"
    assert at_least is not None
    ref_top = r_hi if kind == "rise" else r_lo
    if ref_top > 0 and not math.isinf(ref_top):
        bound = abs(at_least) / ref_top * 100
        if kind == "rise" and bound >= 200:
            amount = f"at least {_fold((ref_top + at_least) / ref_top)}"
        else:
            amount = f"by at least {_percent(bound)}"
    else:
        amount = f"by at least {_with_unit(_number(key, abs(at_least), system), unit)}"
    return _Change(kind, None, at_least, at_most, f"{label} {verb} {amount} ({span})")


# ---------------------------------------------------------------------------------------------
# The verdict for one phase and marker
# ---------------------------------------------------------------------------------------------


def _day(stamp: str) -> datetime:
    return to_datetime(stamp)


def _in_phase(phase: Phase, stamp: str, until: date | None) -> bool:
    day = stamp[:10]
    if day <= phase.start_date:
        return False
    end = phase.end_date or (until.isoformat() if until else None)
    return end is None or day <= end


def _running(phase: Phase, day: str, until: date | None) -> bool:
    end = phase.end_date or (until.isoformat() if until else "9999-12-31")
    return phase.start_date <= day <= end


def pushes_against(response: ExpectedResponse, other: ExpectedResponse | None) -> bool:
    """True when ``other`` (an overlapping phase's response) moves the marker another way."""
    if other is None or other.direction not in ("up", "down"):
        return False
    if response.direction in ("up", "down"):
        return other.direction != response.direction
    return response.direction == "flat"


def _confounders(phase: Phase, response: ExpectedResponse, stamp: str, phases: Sequence[Phase],
                 knowledge: Knowledge, until: date | None) -> tuple[Phase, ...]:
    """Other phases, pushing the marker another way, that ran between the start and ``stamp``."""
    found = []
    for other in phases:
        if other is phase or other.kind in (phase.kind, "baseline"):
            continue
        overlaps = other.start_date <= stamp[:10] and _running(other, max(other.start_date,
                                                                          phase.start_date), until)
        if overlaps and pushes_against(response, knowledge.response(other.kind, response.analyte)):
            found.append(other)
    return tuple(found)




def anchor_for(response: ExpectedResponse, phase: Phase, phases: Sequence[Phase],
               times: TherapyTimes) -> tuple[datetime, str]:
    """When the response's windows start counting for ``phase``, and how that was found."""
    start = _day(phase.start_date)
    if response.anchor == "phase_start":
        return start, "the start of the phase"
    found = times.last_dose_before(start.date(), phases)
    if found is None:
        return start, "the start of the phase (no testosterone dose found)"
    when, how = found
    if response.anchor == "first_missed_dose":
        if times.dosing_interval_days:
            return (when + timedelta(days=times.dosing_interval_days),
                    "the first missed testosterone dose")
        return when, f"{how} (the dosing interval is unknown)"
    return when, how


def _judge_band(response: ExpectedResponse, low: float, high: float, change: _Change,
                obs: LabResult) -> str:
    o_lo, o_hi = interval(obs)
    wide_low, wide_high = low * (1 - NO_CHANGE_TOLERANCE), high * (1 + NO_CHANGE_TOLERANCE)
    if o_hi >= wide_low and o_lo <= wide_high:
        return "as expected"
    above = o_lo > wide_high
    if response.direction == "down":
        if above:
            return "opposite" if change.kind == "rise" else "less than expected"
        return "more than expected"
    if response.direction == "up" and not above:
        return "opposite" if change.kind == "fall" else "less than expected"
    return "more than expected" if above else "less than expected"


def _judge_direction(response: ExpectedResponse, change: _Change, since_anchor: float
                     ) -> tuple[str, str]:
    """Verdict and a timing remark for a response judged by its direction only."""
    if response.direction == "flat":
        return ("as expected", "") if change.kind == "none" else ("more than expected", "")
    wanted = "rise" if response.direction == "up" else "fall"
    if change.kind == wanted:
        return "as expected", ""
    if change.kind != "none":
        return "opposite", ""
    onset, plateau = response.onset_days, response.plateau_days
    if onset is not None:
        if since_anchor < onset[0]:
            return "as expected", f"no change is expected before day {onset[0]:g}"
        if since_anchor < onset[1]:
            return "not enough data", (f"too early to tell: the change usually shows between "
                                       f"days {onset[0]:g} and {onset[1]:g}")
        return "less than expected", f"the change usually shows by day {onset[1]:g}"
    if plateau is not None:
        if since_anchor < plateau[0]:
            return "not enough data", (f"too early to tell: the change usually takes "
                                       f"{_duration(plateau[0])} to {_duration(plateau[1])}")
        return "less than expected", f"the change is usually complete by {_duration(plateau[1])}"
    return "not enough data", "no time frame is published for this change"


def _expectation_text(response: ExpectedResponse, key: str, system: str, band: tuple | None,
                      knowledge: Knowledge) -> str:
    unit = _unit(key, system)
    where = _sources_phrase(knowledge, response.sources)
    cite = f" ({where})" if where else ""
    if band is not None:
        low, high = band
        if math.isinf(high):
            span = f"{_with_unit(_number(key, low, system), unit)} or more"
        else:
            span = (f"{_number(key, low, system)} to "
                    f"{_with_unit(_number(key, high, system), unit)}")
        if response.size == "relative" and response.low is not None and response.high is not None:
            verb = "a rise" if response.high > 0 else "a fall"
            lo, hi = sorted((abs(response.low), abs(response.high)))
            full = f" ({verb} of {lo:.0f} to {hi:.0f} % once the full effect shows)"
        elif response.size == "reference_range":
            full = " (the lab's reference range)"
        else:
            full = ""
        return f"Expected by this point: {span}{full}{cite}."
    if response.typical is not None:
        if response.size == "relative":
            size = f"{response.typical:+.0f} %"
        elif _points(key):
            size = f"{response.typical:+.1f} percentage points"
        else:
            size = f"{_with_unit(_number(key, abs(response.typical), system), unit)}"
            size = ("+" if response.typical >= 0 else "-") + size
        return (f"The literature reports {size} on average, with no range, so only the "
                f"direction is judged{cite}.")
    if response.direction == "flat":
        return f"Expected: little change{cite}."
    words = {"up": "a rise", "down": "a fall"}
    return f"Expected: {words.get(response.direction, 'no clear direction')}, with no published size{cite}."


def assess_phase(phase: Phase, knowledge: Knowledge, series: Mapping[str, Sequence[LabResult]], *,
                 phases: Sequence[Phase] = (), times: TherapyTimes | None = None,
                 system: str = "us", until: date | None = None) -> list[Assessment]:
    """Verdicts for every marker of ``series`` the knowledge base has an expectation for.

    ``series`` maps a marker key to its results (any methods, numbers only are used);
    ``phases`` are all of the journal's phases (for overlaps and own-baseline values);
    ``times`` the testosterone doses; ``until`` the last day of an open-ended phase.
    """
    phase_knowledge = knowledge.phase(phase.kind)
    if phase_knowledge is None:
        return []
    times = times or TherapyTimes()
    out = []
    for response in phase_knowledge.responses:
        results = [r for r in series.get(response.analyte, ()) if r.value is not None]
        if not results:
            continue
        out.append(_assess_one(phase, response, results, knowledge, phases, times, system, until))
    return out


def assess(phases: Sequence[Phase], knowledge: Knowledge, series: Mapping[str, Sequence[LabResult]],
           *, times: TherapyTimes | None = None, system: str = "us",
           until: date | None = None) -> list[Assessment]:
    """Verdicts for every phase of the journal, in phase order."""
    ordered = sorted(phases, key=lambda p: (p.start_date, p.id or 0))
    return [a for phase in ordered
            for a in assess_phase(phase, knowledge, series, phases=ordered, times=times,
                                  system=system, until=until)]


def _pick_series(phase: Phase, results: Sequence[LabResult], until: date | None
                 ) -> tuple[str, LabResult | None, list[LabResult]]:
    """(method, start result, results inside the phase) of the best method series."""
    by_method: dict[str, list[LabResult]] = {}
    for result in sorted(results, key=lambda r: (r.taken_at, r.id or 0)):
        by_method.setdefault(result.method, []).append(result)
    candidates = []
    for method, items in by_method.items():
        before = [r for r in items if r.taken_at[:10] <= phase.start_date]
        inside = [r for r in items if _in_phase(phase, r.taken_at, until)]
        if inside:
            candidates.append((bool(before), inside[-1].taken_at, len(inside), method,
                               before[-1] if before else None, inside))
    if not candidates:
        return "", None, []
    best = max(candidates, key=lambda c: c[:3])
    return best[3], best[4], best[5]


def _own_baseline(results: Sequence[LabResult], method: str, phases: Sequence[Phase]
                  ) -> LabResult | None:
    starts = [p.start_date for p in phases if p.kind == "trt"]
    if not starts:
        return None
    first = min(starts)
    before = [r for r in results if r.method == method and r.taken_at[:10] <= first]
    return max(before, key=lambda r: r.taken_at) if before else None


def _assess_one(phase: Phase, response: ExpectedResponse, results: Sequence[LabResult],
                knowledge: Knowledge, phases: Sequence[Phase], times: TherapyTimes, system: str,
                until: date | None) -> Assessment:
    key = response.analyte
    base = {"phase_id": phase.id, "phase_kind": phase.kind, "analyte": key,
            "direction": response.direction, "origin": response.origin, "tag": response.tag,
            "source_ids": response.sources}
    label = _label(key)
    phrase = PHASE_PHRASES.get(phase.kind, phase.kind)
    method, ref, inside = _pick_series(phase, results, until)

    if response.size != "recovery_curve" and (
            response.is_gap or (response.direction in ("variable", "unknown") and not response.has_band)):
        text = f"No expectation for {_lower(label)} during {phrase}. {response.evidence}"
        return Assessment(method=method, verdict="no expectation", text=text, **base)
    if not inside:
        text = f"{label}: no result during {phrase}, so it cannot be judged."
        return Assessment(method=method, verdict="not enough data", text=text, **base)

    start = _day(phase.start_date)
    anchor, anchor_how = anchor_for(response, phase, phases, times)
    clean = [r for r in inside
             if not _confounders(phase, response, r.taken_at, phases, knowledge, until)]
    obs = (clean or inside)[-1]
    confounding = _confounders(phase, response, obs.taken_at, phases, knowledge, until)
    confounders = tuple(dict.fromkeys(p.kind for p in confounding))
    later = [p for p in _confounders(phase, response, inside[-1].taken_at, phases, knowledge,
                                     until) if p not in confounding]
    obs_time = _day(obs.taken_at)
    days_in = (obs_time - start).total_seconds() / 86400
    since_anchor = (obs_time - anchor).total_seconds() / 86400
    numbers = {"observed_value": obs.value, "observed_comparator": obs.comparator,
               "observed_taken_at": obs.taken_at, "observed_result_id": obs.id,
               "days_into_phase": days_in, "days_from_anchor": since_anchor,
               "confounders": confounders}
    extras = _extras(phase, response, knowledge, confounders, label, later)

    if response.size == "recovery_curve":
        return _assess_curve(response, obs, since_anchor, anchor_how, knowledge, system, base,
                             method, numbers, extras)
    if ref is None:
        text = f"{label}: no result from before {phrase} began, so the change cannot be judged."
        return Assessment(method=method, verdict="not enough data", text=text, **base, **numbers)

    change = _change(key, ref, obs, system)
    numbers.update(reference_value=ref.value, reference_comparator=ref.comparator,
                   reference_taken_at=ref.taken_at, change_percent=change.percent,
                   change_at_least=change.at_least, change_at_most=change.at_most)
    lab_range = reference_range(obs)
    reason = no_band_reason(response, ref.value, ref.comparator, lab_range, system)
    band = None
    timing = ""
    if reason is None:
        assert ref.value is not None
        envelope = build_envelope(response, phase_start=start, phase_end=obs_time.date(),
                                  reference=ref.value, anchor=anchor,
                                  reference_range=lab_range)
        band = envelope.at((obs_time.date() - start.date()).days)  # the band on that day
        verdict = _judge_band(response, band[0], band[1], change, obs)
        numbers.update(expected_low=band[0], expected_high=band[1])
    else:
        verdict, timing = _judge_direction(response, change, since_anchor)
    cautions = tuple(c.text for c in knowledge.phase(phase.kind).cautions_for(key, verdict))
    numbers["cautions"] = cautions

    when = _when(phase.kind, days_in)
    if phase.kind in _INTO_PHASES and response.anchor != "phase_start":
        when += f" ({_duration(since_anchor)} after {anchor_how})"
    sentences = [f"{change.phrase} {when}: {verdict}."]
    sentences.append(_expectation_text(response, key, system, band, knowledge))
    if reason is not None and band is None and response.has_band:
        sentences.append(f"No band: {reason}.")
    if timing:
        sentences.append(_capital(timing) + ".")
    if band is None and response.typical is None and verdict not in ("as expected",
                                                                      "not enough data"):
        sentences.append(response.evidence)
    own = _own_baseline(results, method, phases) if phase.kind in _INTO_PHASES else None
    if own is not None:
        unit = _unit(key, system)
        sentences.append(f"Before treatment it was {_with_unit(_value(own, system), unit)} "
                         f"({own.taken_at[:10]}).")
    sentences.extend(extras)
    sentences.extend(cautions)
    return Assessment(method=method, verdict=verdict, text=" ".join(sentences), **base, **numbers)


def _extras(phase: Phase, response: ExpectedResponse, knowledge: Knowledge,
            confounders: Sequence[str], label: str, later: Sequence[Phase] = ()) -> list[str]:
    out = []
    for kind in confounders:
        other = knowledge.response(kind, response.analyte)
        if other is None:
            continue
        out.append(f"{_capital(PHASE_PHRASES.get(kind, kind))} ran at the same time and is "
                   f"expected to push {_lower(label)} {other.direction}.")
    for other_phase in later:
        other = knowledge.response(other_phase.kind, response.analyte)
        if other is None:
            continue
        out.append(f"Later results are not judged against this expectation: "
                   f"{PHASE_PHRASES.get(other_phase.kind, other_phase.kind)}, started "
                   f"{other_phase.start_date}, is expected to push {_lower(label)} "
                   f"{other.direction}.")
    for table, row in knowledge.study_rows(phase.kind, response.analyte):
        status = "" if table.verified else "; its study could not be traced"
        months = round(table.after_days / DAYS_PER_MONTH)
        out.append(f"The source document's own table shows {row.change_percent:+.0f} % after "
                   f"{months} months{status}.")
    return out


def _assess_curve(response: ExpectedResponse, obs: LabResult, since_anchor: float,
                  anchor_how: str, knowledge: Knowledge, system: str, base: dict,
                  method: str, numbers: dict, extras: list[str]) -> Assessment:
    curve = knowledge.curve_for(response)
    key = response.analyte
    label = _label(key)
    unit = _unit(key, system)
    assert curve is not None
    threshold = _with_unit(_number(key, curve.threshold, system), unit)
    value = _with_unit(_value(obs, system), unit)
    when = f"{_duration(since_anchor)} after {anchor_how}"
    study = knowledge.short_names(curve.sources)
    if since_anchor < 0:
        text = f"{label} was {value} before {anchor_how}: the recovery curve does not apply yet."
        return Assessment(method=method, verdict="not enough data", text=text, **base, **numbers)
    share = curve.share_at(since_anchor)
    numbers["share_recovered"] = share
    o_lo, _ = interval(obs)
    first = next((p for p in curve.points if p.share > 0), curve.points[-1])
    if o_lo < curve.threshold and since_anchor < first.day:
        verdict = "as expected"
        detail = (f"It is below {threshold}, but it is early: the study's first figure is "
                  f"{first.share:.0f} % of men recovered by {first.month:g} months ({study}).")
    elif o_lo >= curve.threshold:
        verdict = "as expected"
        detail = (f"It has reached {threshold}; in the study {share:.0f} % of men had done so by "
                  f"this time ({study}).")
    elif share >= _SLOWER_THAN_SHARE:
        verdict = "less than expected"
        detail = (f"It is below {threshold}, which {share:.0f} % of men in the study had reached "
                  f"by this time ({study}); recovery is slower than in nine in ten of them.")
    else:
        verdict = "as expected"
        detail = (f"It is below {threshold}; in the study {share:.0f} % of men had reached that by "
                  f"this time ({study}), so a slower recovery is within what was seen.")
    caveat = curve.caveats[0] if curve.caveats else ""
    text = " ".join(s for s in (f"{label} was {value} {when}: {verdict}.", detail, caveat, *extras)
                    if s)
    return Assessment(method=method, verdict=verdict, text=text, **base, **numbers)
