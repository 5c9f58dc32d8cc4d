"""Observed against expected: a verdict, with its numbers, for each phase and marker.

For every phase of the journal and every marker the knowledge base has an expectation for (and
the journal has results of), :func:`assess` compares the user's values with the expected
response and returns an :class:`Assessment`: a verdict key (:data:`VERDICTS`, shown in words by
:data:`VERDICT_WORDS`), a reason when it is not judged, the draws compared, the expectation with
its origin in words, and how confident the verdict is.

How a verdict is reached:

* The **start** is the last result of the same marker and method on or before the phase's first
  day; the **observation** is the latest result inside the phase. A result taken while an
  overlapping phase pushes the marker the other way is passed over when an unaffected one
  exists; when none does, the verdict is **not judged** (the phases push opposite ways).
* Censored values are intervals: ``<0.2`` is anything from 0 to 0.2, ``>1000`` anything above
  1000; nothing is ever read as 0. Two results beyond the same limit show no change that can be
  judged (**not judged**, unless little change was expected).
* A **change** is real only beyond the marker's reference change value
  (:mod:`hpgjournal.domain.variation`: within-subject and analytical variation, log-normal and
  so asymmetric). Inside it, the change is **no clear change**. A marker without a published
  variation figure uses a wide assumed one (a doubling or a halving), and then no negative
  verdict (opposite, less than expected) rests on it.
* With a **band** (:mod:`hpgjournal.domain.expected`), a real change the expected way is **as
  expected** inside the band on its day (widened by one result's own variation), **more** or
  **less than expected** beyond or short of it. A target (an absolute band, such as the TRT
  guideline range) judges the level itself, whatever the change.
* Without a band, a real change the expected way is **in the expected direction**; the other
  way **opposite**; none is **no clear change**, or **less than expected** once the change was
  due by a published time frame (never by the app's own reading of the timing).
* Little change expected (``flat``): none is **as expected**, a real change **more than
  expected**. A low point then a climb (``down_then_up``, a washout): a fall, or a climb from a
  lower result earlier in the phase, is **in the expected direction**.
* On injections, an expectation measured midway between doses (``draw_timing``) is **not
  judged** for a draw near the peak or the trough.
* A published recovery curve (sperm after stopping testosterone) is read at the study's own
  figures, not between them: reaching the threshold is **as expected**; not reaching it is
  **less than expected** only once the study reported nine in ten men recovered.
* Direction ``variable`` or ``unknown`` without a band, or a GAP, gives **no expectation**; a
  missing start or observation gives **not enough data**.

This module judges; the words of the texts (labels, numbers, durations, sentences, and
:data:`VERDICT_WORDS` and :data:`PHASE_PHRASES`, re-exported here) are made in
:mod:`hpgjournal.domain.assessment_words`. The texts say what the documents and data show;
they give no advice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypedDict

from hpgjournal.domain import assessment_words as words
from hpgjournal.domain.assessment_words import (
    _INTO_PHASES,
    PHASE_PHRASES,
    VERDICT_WORDS,
    _extras,
    _label,
)
from hpgjournal.domain.expected import build_envelope, no_band_reason
from hpgjournal.domain.knowledge import (
    VERDICTS,
    ExpectedResponse,
    Knowledge,
)
from hpgjournal.domain.provenance import expectation_words, origin_key
from hpgjournal.domain.records import LabResult, Phase
from hpgjournal.domain.results import reference_range
from hpgjournal.domain.timestamps import to_datetime
from hpgjournal.domain.timing import position_in_interval
from hpgjournal.domain.variation import Variation, variation_for

__all__ = [
    "PHASE_PHRASES",
    "VERDICTS",
    "VERDICT_WORDS",
    "Assessment",
    "TherapyTimes",
    "anchor_for",
    "assess",
    "assess_phase",
    "interval",
    "pushes_against",
]

# A marker with no published variation figure: a change counts only beyond a doubling or a
# halving (the app's assumption), and no negative verdict rests on it.
ASSUMED_UP, ASSUMED_DOWN = 1.0, 0.5
HEMATOCRIT_GUIDELINE = 54.0  # % (Endocrine Society 2010 table; AUA 2018): therapy is reviewed
HEMATOCRIT_BEFORE = 50.0  # % (AUA 2018 Table 7): the level to be under before starting
HEMATOCRIT_WATCH = 52.0  # % (Wheeler 2017): a research definition of polycythemia on TRT

_SLOWER_THAN_SHARE = 90.0  # % of men recovered by then, beyond which not recovering is "less"


@dataclass(frozen=True)
class TherapyTimes:
    """When testosterone was last taken, for phases timed from the last or first missed dose.

    ``trt_doses`` are the journal's testosterone dose times (ISO text, any order);
    ``dosing_interval_days`` the interval of the regimen (7 for weekly injections).
    """

    trt_doses: tuple[str, ...] = ()
    dosing_interval_days: float | None = None
    long_acting: bool = False  # undecanoate injections, pellets: months to wash out
    trt_days: float | None = None  # how long testosterone was used, all TRT phases together

    def last_dose_before(self, day: date, phases: Sequence[Phase] = ()) -> tuple[datetime, str] | None:
        """The last testosterone dose on or before ``day`` and how it was found."""
        cutoff = datetime.combine(day, datetime.max.time())
        doses = [to_datetime(d) for d in self.trt_doses]
        earlier = [d for d in doses if d <= cutoff]
        if earlier:
            return max(earlier), words.LAST_DOSE
        ends = [to_datetime(p.end_date) for p in phases
                if p.kind == "trt" and p.end_date and to_datetime(p.end_date) <= cutoff]
        if ends:
            return max(ends), words.TRT_PHASE_END
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
    reason: str = ""  # why it is not judged, or why there is not enough data
    confidence: str = ""  # how sure the verdict is, in words
    expectation: str = ""  # what is expected and who says so, in words
    phase_start: str = ""
    compared: tuple[tuple[str, float | None, str], ...] = field(default_factory=tuple)

    @property
    def literature_only(self) -> bool:
        return self.origin == "literature"

    @property
    def words(self) -> str:
        """The verdict as a user reads it."""
        return VERDICT_WORDS.get(self.verdict, self.verdict)

    @property
    def origin_key(self) -> str:
        """documents, literature, both or assumption (``assess --json``)."""
        return origin_key(self.origin)


class _Base(TypedDict):
    """The fields of an :class:`Assessment` known before anything is compared."""

    phase_id: int | None
    phase_kind: str
    analyte: str
    direction: str
    origin: str
    tag: str
    source_ids: tuple[str, ...]
    phase_start: str
    expectation: str


class _Numbers(TypedDict, total=False):
    """The numbers of an :class:`Assessment`, filled in as the comparison goes."""

    observed_value: float | None
    observed_comparator: str
    observed_taken_at: str
    observed_result_id: int | None
    days_into_phase: float | None
    days_from_anchor: float | None
    confounders: tuple[str, ...]
    compared: tuple[tuple[str, float | None, str], ...]
    reference_value: float | None
    reference_comparator: str
    reference_taken_at: str
    change_percent: float | None
    change_at_least: float | None
    change_at_most: float | None
    expected_low: float | None
    expected_high: float | None
    share_recovered: float | None
    cautions: tuple[str, ...]


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
# Change between two results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Change:
    """A change between two results, judged against the marker's variation."""
    kind: str  # "rise", "fall", "none"
    percent: float | None
    at_least: float | None
    at_most: float | None
    phrase: str
    both_beyond_limit: bool = False  # both results censored on the same side
    assumed: bool = False  # judged against the app's assumed variation (no published figure)


def _limits(key: str) -> tuple[float, float, Variation | None]:
    """The smallest real rise and fall (fractions of the first value) and their basis."""
    variation = variation_for(key)
    if variation is None:
        return ASSUMED_UP, ASSUMED_DOWN, None
    return variation.up, variation.down, variation


def _change(key: str, ref: LabResult, obs: LabResult, system: str) -> _Change:
    r_lo, r_hi = interval(ref)
    o_lo, o_hi = interval(obs)
    up, down, variation = _limits(key)
    if not math.isinf(r_hi) and o_lo > r_hi * (1 + up) and o_lo > 0:
        kind = "rise"
    elif not math.isinf(o_hi) and o_hi < r_lo * (1 - down):
        kind = "fall"
    else:
        kind = "none"
    censored = bool(ref.comparator or obs.comparator)
    beyond = bool(ref.comparator and obs.comparator
                  and ref.comparator[0] == obs.comparator[0])
    assumed = variation is None
    at_least = o_lo - r_hi if kind == "rise" else (r_lo - o_hi if kind == "fall" else None)
    at_most = (o_hi - r_lo) if kind == "rise" else (r_hi - o_lo if kind == "fall" else None)
    percent = None
    if not censored:
        assert ref.value is not None and obs.value is not None
        percent = (obs.value - ref.value) / ref.value * 100 if ref.value else None
    phrase = words.change_phrase(key, ref, obs, system, kind=kind, percent=percent,
                                 at_least=at_least, ref_top=r_hi if kind == "rise" else r_lo,
                                 beyond=beyond)
    return _Change(kind, percent, at_least, at_most, phrase, beyond, assumed)


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
        return start, words.PHASE_START
    found = times.last_dose_before(start.date(), phases)
    if found is None:
        return start, words.PHASE_START_NO_DOSE
    when, how = found
    if response.anchor == "first_missed_dose":
        if times.dosing_interval_days:
            return when + timedelta(days=times.dosing_interval_days), words.FIRST_MISSED_DOSE
        return when, words.interval_unknown(how)
    return when, how


def _widened(key: str, low: float, high: float) -> tuple[float, float]:
    """A band widened by how far one result may lie from the true value (19 times in 20)."""
    variation = variation_for(key)
    if variation is None:
        return low, high
    return low * (1 - variation.single_down), high * (1 + variation.single_up)


def _due(response: ExpectedResponse, since_anchor: float, band: tuple[float, float] | None,
         ref: LabResult) -> tuple[bool, str]:
    """Whether the expected change should show by now, and a remark saying why (or why not)."""
    onset, plateau = response.onset_days, response.plateau_days
    if band is not None:
        r_lo, r_hi = interval(ref)
        if band[0] <= r_hi and r_lo <= band[1]:
            return False, words.BAND_INCLUDES_START
        return True, words.BAND_LEFT_START
    if onset is not None:
        if since_anchor < onset[0]:
            return False, words.not_before_day(onset[0])
        if since_anchor < onset[1]:
            return False, words.too_early_between_days(*onset)
        return True, words.shows_by_day(onset[1])
    if plateau is not None:
        if since_anchor < plateau[0]:
            return False, words.too_early_takes(*plateau)
        return True, words.complete_by(plateau[1])
    return False, words.NO_TIME_FRAME


def _judge(response: ExpectedResponse, change: _Change, band: tuple[float, float] | None,
           ref: LabResult, obs: LabResult, since_anchor: float, inside: Sequence[LabResult]
           ) -> tuple[str, str, str]:
    """(verdict key, reason when not judged, remark on timing or on the band)."""
    key, direction = response.analyte, response.direction
    o_lo, o_hi = interval(obs)
    if direction == "flat":
        if change.kind == "none":
            return "as_expected", "", ""
        if change.assumed:
            return "not_judged", words.CHANGED_WHERE_FLAT, ""
        return "more_than_expected", "", ""
    if change.both_beyond_limit:
        return "not_judged", words.BOTH_BEYOND_LIMIT, ""
    if band is not None and response.size == "absolute":  # a target: the level itself is judged
        low, high = _widened(key, *band)
        if o_hi >= low and o_lo <= high:
            return "as_expected", "", ""
        if o_lo > high:
            return "more_than_expected", "", ""
        if response.timing_origin == "literature":
            return "less_than_expected", "", ""
        return "no_clear_change", "", words.SHORT_OF_TARGET_OWN_TIMING
    if direction == "down_then_up":
        up, _, _ = _limits(key)
        lows = [r for r in inside if r.taken_at < obs.taken_at and r.value is not None
                and o_lo > interval(r)[1] * (1 + up)]
        if lows:
            lowest = min(lows, key=lambda r: interval(r)[1])
            return "in_expected_direction", "", words.climbed_from_low(
                key, lowest.comparator, lowest.value or 0, lowest.taken_at[:10])
        if change.kind == "fall":
            return "in_expected_direction", "", words.LOW_POINT_FIRST
        if change.kind == "rise":
            return "not_judged", words.ROSE_WITHOUT_LOW_POINT, ""
        return "no_clear_change", "", ""
    if direction not in ("up", "down"):
        return "no_expectation", "", ""
    wanted = "rise" if direction == "up" else "fall"
    if change.kind not in (wanted, "none"):
        if change.assumed:
            return "not_judged", words.OTHER_WAY_ASSUMED, ""
        return "opposite", "", ""
    if change.kind == wanted:
        if band is None:
            return "in_expected_direction", "", ""
        low, high = _widened(key, *band)
        if o_hi >= low and o_lo <= high:
            return "as_expected", "", ""
        beyond = o_lo > high if direction == "up" else o_hi < low
        if beyond:
            return "more_than_expected", "", ""
        if response.timing_origin == "literature" and not change.assumed:
            return "less_than_expected", "", ""
        return "in_expected_direction", "", words.SHORT_OF_BAND_OWN_TIMING
    due, remark = _due(response, since_anchor, band, ref)
    if due and response.timing_origin == "literature" and not change.assumed:
        return "less_than_expected", "", remark
    if due and response.timing_origin != "literature":
        remark += words.OWN_TIME_FRAME
    return "no_clear_change", "", remark


LONG_USE_DAYS = 365  # the app's reading of "longer use slows recovery" (Kohn 2017): a year


def _slower_recovery(times: TherapyTimes) -> str:
    """Why the published recovery windows may be too short for this man (or '')."""
    if times.long_acting:
        return words.LONG_ACTING_RECOVERY
    if times.trt_days is not None and times.trt_days > LONG_USE_DAYS:
        return words.long_use_recovery(times.trt_days)
    return ""


def _outside_population(response: ExpectedResponse, ref: LabResult) -> bool:
    """True when the start lies outside the starting values the published sizes came from."""
    r_lo, r_hi = interval(ref)
    return ((response.start_below is not None and r_lo >= response.start_below)
            or (response.start_above is not None and r_hi <= response.start_above))


def _draw_timing_problem(response: ExpectedResponse, obs: LabResult, times: TherapyTimes
                         ) -> str:
    """Why a draw cannot be judged against an expectation measured midway between injections."""
    if response.draw_timing != "mid_interval" or not times.dosing_interval_days:
        return ""
    drawn = to_datetime(obs.taken_at)
    if "T" not in obs.taken_at:  # no time of day: noon, the middle of the day
        drawn = drawn.replace(hour=12)
    doses = [d for d in map(to_datetime, times.trt_doses) if d <= drawn]
    if not doses:
        return ""
    dose = max(doses)
    hours = (drawn - dose).total_seconds() / 3600
    position = position_in_interval(hours, times.dosing_interval_days)
    if position in ("peak", "trough"):
        return words.drawn_off_mid_interval(hours / 24, position, times.dosing_interval_days)
    return ""


def _confidence(response: ExpectedResponse, band: tuple | None, change: _Change, verdict: str
                ) -> str:
    if verdict in ("not_judged", "not_enough_data", "no_expectation"):
        return ""
    assumed = change.assumed or response.timing_origin == "assumption"
    if assumed:
        return words.CONFIDENCE_ASSUMED
    if response.tag in ("EXT-S", "DERIVED"):
        return words.CONFIDENCE_SECOND_HAND
    if band is not None:
        return words.CONFIDENCE_BAND
    return words.CONFIDENCE_DIRECTION


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
    base: _Base = {
        "phase_id": phase.id, "phase_kind": phase.kind, "analyte": key,
        "direction": response.direction, "origin": response.origin, "tag": response.tag,
        "source_ids": response.sources, "phase_start": phase.start_date,
        "expectation": expectation_words(response, knowledge, system)}
    label = _label(key)
    method, ref, inside = _pick_series(phase, results, until)

    if response.size != "recovery_curve" and (
            response.is_gap or (response.direction in ("variable", "unknown") and not response.has_band)):
        text = words.no_expectation(key, phase.kind, response.evidence)
        return Assessment(method=method, verdict="no_expectation", text=text, **base)
    if not inside:
        reason, text = words.no_result_during(key, phase.kind)
        return Assessment(method=method, verdict="not_enough_data", reason=reason, text=text,
                          **base)

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
    compared = tuple((r.taken_at, r.value, r.comparator) for r in (ref, obs) if r is not None)
    numbers: _Numbers = {
        "observed_value": obs.value, "observed_comparator": obs.comparator,
        "observed_taken_at": obs.taken_at, "observed_result_id": obs.id,
        "days_into_phase": days_in, "days_from_anchor": since_anchor,
        "confounders": confounders, "compared": compared}
    extras = _extras(phase, response, knowledge, confounders, label, later)

    if response.size == "recovery_curve":
        return _assess_curve(response, obs, since_anchor, anchor_how, knowledge, system, base,
                             method, numbers, extras)
    if ref is None:
        reason, text = words.no_result_before(key, phase.kind, base["expectation"])
        return Assessment(method=method, verdict="not_enough_data", reason=reason, text=text,
                          **base, **numbers)

    change = _change(key, ref, obs, system)
    numbers.update({"reference_value": ref.value, "reference_comparator": ref.comparator,
                    "reference_taken_at": ref.taken_at, "change_percent": change.percent,
                    "change_at_least": change.at_least, "change_at_most": change.at_most})
    lab_range = reference_range(obs)
    no_band = no_band_reason(response, ref.value, ref.comparator, lab_range, system)
    band = None
    if no_band is None:
        assert ref.value is not None
        envelope = build_envelope(response, phase_start=start, phase_end=obs_time.date(),
                                  reference=ref.value, anchor=anchor,
                                  reference_range=lab_range)
        band = envelope.at((obs_time.date() - start.date()).days)  # the band on that day
        numbers.update({"expected_low": band[0], "expected_high": band[1]})

    remark = ""
    if confounders:
        verdict, reason = "not_judged", words.pushed_both_ways(key, phase.kind, confounders)
    elif problem := _draw_timing_problem(response, obs, times):
        verdict, reason = "not_judged", problem
    else:
        verdict, reason, remark = _judge(response, change, band, ref, obs, since_anchor, inside)
        if verdict in ("less_than_expected", "opposite") and _outside_population(response, ref):
            verdict = "no_clear_change" if change.kind == "none" else "not_judged"
            remark = words.OUTSIDE_POPULATION
            if verdict == "not_judged":
                reason, remark = remark, ""
    if verdict == "less_than_expected" and phase.kind in _INTO_PHASES:
        slower = _slower_recovery(times)
        if slower:
            verdict, remark = "no_clear_change", slower
    limit_note = ""
    if key == "hematocrit" and phase.kind == "trt":
        verdict, limit_note = _hematocrit_levels(obs, verdict)
    phase_knowledge = knowledge.phase(phase.kind)
    assert phase_knowledge is not None, "assess_phase only assesses phases the knowledge base has"
    cautions = tuple(c.text for c in phase_knowledge.cautions_for(key, verdict))
    numbers["cautions"] = cautions

    own = _own_baseline(results, method, phases) if phase.kind in _INTO_PHASES else None
    confidence = _confidence(response, band, change, verdict)
    text = words.verdict_text(
        response, system, phase.kind, verdict, change_phrase=change.phrase,
        change_kind=change.kind, days_in=days_in, since_anchor=since_anchor,
        anchor_how=anchor_how, reason=reason, expectation=base["expectation"], band=band,
        no_band=no_band, remark=remark, limit_note=limit_note, ref_day=ref.taken_at[:10],
        obs_day=obs.taken_at[:10], own=own, extras=extras, cautions=cautions,
        confidence=confidence)
    return Assessment(method=method, verdict=verdict, text=text, reason=reason,
                      confidence=confidence, **base, **numbers)


def _hematocrit_levels(obs: LabResult, verdict: str) -> tuple[str, str]:
    """On TRT, hematocrit against the guideline levels: never plainly as expected above 54 %."""
    o_lo, _ = interval(obs)
    if o_lo > HEMATOCRIT_GUIDELINE:
        if verdict in ("as_expected", "in_expected_direction", "no_clear_change"):
            verdict = "more_than_expected"
        return verdict, words.above_guideline_hematocrit(HEMATOCRIT_GUIDELINE)
    if o_lo > HEMATOCRIT_WATCH:
        return verdict, words.above_watch_hematocrit(HEMATOCRIT_WATCH, HEMATOCRIT_GUIDELINE)
    if o_lo > HEMATOCRIT_BEFORE:
        return verdict, words.above_starting_hematocrit(HEMATOCRIT_BEFORE, HEMATOCRIT_GUIDELINE)
    return verdict, ""


def _assess_curve(response: ExpectedResponse, obs: LabResult, since_anchor: float,
                  anchor_how: str, knowledge: Knowledge, system: str, base: _Base,
                  method: str, numbers: _Numbers, extras: list[str]) -> Assessment:
    curve = knowledge.curve_for(response)
    key = response.analyte
    assert curve is not None
    study = knowledge.short_names(curve.sources)
    if since_anchor < 0:
        reason, text = words.curve_not_yet(key, obs, system, anchor_how)
        return Assessment(method=method, verdict="not_enough_data", reason=reason, text=text,
                          **base, **numbers)
    point = curve.published_by(since_anchor)
    numbers["share_recovered"] = point.share if point else None
    o_lo, _ = interval(obs)
    first = next((p for p in curve.points if p.share > 0), curve.points[-1])
    if o_lo >= curve.threshold:
        verdict = "as_expected"
        detail = words.curve_reached(key, curve.threshold, system, point, first, study)
    elif point is None or point.share <= 0:
        verdict = "as_expected"
        detail = words.curve_early(key, curve.threshold, system, first, study)
    elif point.share >= _SLOWER_THAN_SHARE:
        verdict = "less_than_expected"
        detail = words.curve_slower(key, curve.threshold, system, point, study)
    else:
        verdict = "as_expected"
        detail = words.curve_within(key, curve.threshold, system, point, study)
    caveat = curve.caveats[0] if curve.caveats else ""
    text = words.curve_text(key, obs, system, since_anchor, anchor_how, verdict, detail, caveat,
                            extras)
    confidence = words.CURVE_CONFIDENCE
    return Assessment(method=method, verdict=verdict,
                      text=text + " " + words.confidence_sentence(confidence),
                      confidence=confidence, **base, **numbers)
