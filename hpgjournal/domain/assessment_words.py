"""The words of the verdicts: labels, numbers, durations and the sentences users read.

:mod:`hpgjournal.domain.assessment` decides the verdicts; this module only says them. It holds the
verdict and phase wording (:data:`VERDICT_WORDS`, :data:`PHASE_PHRASES`), how markers, values,
numbers and durations are written (``_label``, ``_value``, ``_number``, ``_duration``,
``_when``), and every sentence of a verdict: how the marker moved (:func:`change_phrase`), why it
is not judged or what the verdict leaves out (the reasons and remarks of ``_judge``, ``_due``,
``_slower_recovery``, ``_draw_timing_problem`` and ``_hematocrit_levels``), the expected band,
the marker's variation, the notes on overlapping phases and study tables, the recovery curve's
texts and the whole text of a verdict (:func:`verdict_text`). Nothing here judges: a function
takes the numbers the judging has found and returns text, byte for byte what
:mod:`hpgjournal.domain.assessment` wrote itself before. That module re-exports
:data:`VERDICT_WORDS` and :data:`PHASE_PHRASES`, so callers keep importing them from there.

The texts say what the documents and data show; they give no advice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from hpgjournal.domain import analytes
from hpgjournal.domain.display import marker_name, value_in
from hpgjournal.domain.knowledge import (
    DAYS_PER_MONTH,
    CurvePoint,
    ExpectedResponse,
    Knowledge,
    marker_decimals,
    marker_short,
    marker_to_system,
    marker_unit,
)
from hpgjournal.domain.records import LabResult, Phase
from hpgjournal.domain.values import format_number
from hpgjournal.domain.variation import variation_for

__all__ = [
    "BAND_INCLUDES_START",
    "BAND_LEFT_START",
    "BOTH_BEYOND_LIMIT",
    "CHANGED_WHERE_FLAT",
    "CONFIDENCE_ASSUMED",
    "CONFIDENCE_BAND",
    "CONFIDENCE_DIRECTION",
    "CONFIDENCE_SECOND_HAND",
    "CURVE_CONFIDENCE",
    "FIRST_MISSED_DOSE",
    "LAST_DOSE",
    "LONG_ACTING_RECOVERY",
    "LOW_POINT_FIRST",
    "NO_TIME_FRAME",
    "OTHER_WAY_ASSUMED",
    "OUTSIDE_POPULATION",
    "OWN_TIME_FRAME",
    "PHASE_PHRASES",
    "PHASE_START",
    "PHASE_START_NO_DOSE",
    "ROSE_WITHOUT_LOW_POINT",
    "SHORT_OF_BAND_OWN_TIMING",
    "SHORT_OF_TARGET_OWN_TIMING",
    "TRT_PHASE_END",
    "VERDICT_WORDS",
    "above_guideline_hematocrit",
    "above_starting_hematocrit",
    "above_watch_hematocrit",
    "change_phrase",
    "climbed_from_low",
    "complete_by",
    "confidence_sentence",
    "curve_early",
    "curve_not_yet",
    "curve_reached",
    "curve_slower",
    "curve_text",
    "curve_within",
    "drawn_off_mid_interval",
    "interval_unknown",
    "long_use_recovery",
    "no_expectation",
    "no_result_before",
    "no_result_during",
    "not_before_day",
    "pushed_both_ways",
    "shows_by_day",
    "too_early_between_days",
    "too_early_takes",
    "verdict_text",
]

VERDICT_WORDS = {
    "as_expected": "as expected", "in_expected_direction": "in the expected direction",
    "no_clear_change": "no clear change", "less_than_expected": "less than expected",
    "more_than_expected": "more than expected", "opposite": "the opposite way",
    "not_judged": "not judged", "not_enough_data": "not enough data",
    "no_expectation": "no expectation",
}

PHASE_PHRASES = {
    "baseline": "baseline", "trt": "TRT", "washout": "the washout", "hcg": "hCG",
    "serm_clomiphene": "clomiphene", "serm_tamoxifen": "tamoxifen",
    "aromatase_inhibitor": "the aromatase inhibitor", "gonadorelin": "gonadorelin",
    "recovery": "recovery monitoring",
}
_INTO_PHASES = ("washout", "recovery")  # "12 days into the washout" rather than "in 12 days of"


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


def change_phrase(key: str, ref: LabResult, obs: LabResult, system: str, *, kind: str,
                  percent: float | None, at_least: float | None, ref_top: float,
                  beyond: bool) -> str:
    """How a marker moved from ``ref`` to ``obs``: "Estradiol rose 35 % (20 to 27 pg/mL)".

    ``kind`` is the judged change (rise, fall or none), ``percent`` the change of two uncensored
    values, ``at_least`` the smallest change a censored pair allows, ``ref_top`` the edge of the
    first result it is counted from and ``beyond`` whether both results lie beyond the same limit.
    """
    unit = _unit(key, system)
    span = f"{_value(ref, system)} to {_with_unit(_value(obs, system), unit)}"
    label = _label(key)
    if not (ref.comparator or obs.comparator):
        assert ref.value is not None and obs.value is not None
        difference = obs.value - ref.value
        if kind == "none":
            if _points(key):
                shown = f", {format_number(difference, 1)} points"
            else:
                shown = f", {percent:+.0f} %" if percent is not None else ""
            return f"{label} changed little ({span}{shown})"
        verb = "rose" if kind == "rise" else "fell"
        if _points(key):
            amount = f"{format_number(abs(difference), 1)} points"
        elif kind == "rise" and percent is not None and percent >= 200:
            amount = _fold(obs.value / ref.value)
        elif percent is not None:
            amount = _percent(percent)
        else:
            amount = ""
        return f"{label} {verb} {amount} ({span})"
    if kind == "none":
        if beyond:
            where = "below" if obs.comparator.startswith("<") else "above"
            return f"{label} stayed {where} the test's limit ({span})"
        return f"{label} showed no clear change ({span})"
    verb = "rose" if kind == "rise" else "fell"
    assert at_least is not None
    if ref_top > 0 and not math.isinf(ref_top):
        bound = abs(at_least) / ref_top * 100
        if kind == "rise" and bound >= 200:
            amount = f"at least {_fold((ref_top + at_least) / ref_top)}"
        else:
            amount = f"by at least {_percent(bound)}"
    else:
        amount = f"by at least {_with_unit(_number(key, abs(at_least), system), unit)}"
    return f"{label} {verb} {amount} ({span})"


# What a phase's windows count from (TherapyTimes.last_dose_before, assessment.anchor_for)
LAST_DOSE = "the last testosterone dose"
TRT_PHASE_END = "the end of the TRT phase (no dose logged)"
PHASE_START = "the start of the phase"
PHASE_START_NO_DOSE = "the start of the phase (no testosterone dose found)"
FIRST_MISSED_DOSE = "the first missed testosterone dose"


def interval_unknown(how: str) -> str:
    return f"{how} (the dosing interval is unknown)"


# What stops a verdict before anything is compared (assessment._assess_one)
OUTSIDE_POPULATION = ("the published figures come from men who started elsewhere, so they do not "
                      "say how much to expect here")


def no_expectation(key: str, kind: str, evidence: str) -> str:
    return f"No expectation for {_lower(_label(key))} during {PHASE_PHRASES.get(kind, kind)}. {evidence}"


def no_result_during(key: str, kind: str) -> tuple[str, str]:
    """(reason, text) when the phase holds no result of the marker."""
    reason = f"no result of {_lower(_label(key))} during {PHASE_PHRASES.get(kind, kind)}"
    return reason, f"{_capital(reason)}, so it cannot be judged."


def no_result_before(key: str, kind: str, expectation: str) -> tuple[str, str]:
    """(reason, text) when no result comes from before the phase."""
    reason = f"no result of {_lower(_label(key))} from before {PHASE_PHRASES.get(kind, kind)} began"
    return reason, f"{_capital(reason)}, so the change cannot be judged. {expectation}"


def pushed_both_ways(key: str, kind: str, others: Sequence[str]) -> str:
    """Why overlapping phases that push the marker other ways leave it not judged."""
    together = " and ".join(PHASE_PHRASES.get(k, k) for k in others)
    return (f"{PHASE_PHRASES.get(kind, kind)} and {together} push {_lower(_label(key))} different "
            "ways, and no result comes from a time without both")


def verdict_text(response: ExpectedResponse, system: str, phase_kind: str, verdict: str, *,
                 change_phrase: str, change_kind: str, days_in: float, since_anchor: float,
                 anchor_how: str, reason: str, expectation: str,
                 band: tuple[float, float] | None, no_band: str | None, remark: str,
                 limit_note: str, ref_day: str, obs_day: str, own: LabResult | None,
                 extras: Sequence[str], cautions: Sequence[str], confidence: str) -> str:
    """The text of a verdict on a change between two results, from what the judging found.

    ``no_band`` is why there is no expected band (said only when the response has one),
    ``own`` the man's result from before treatment (shown in a washout or recovery).
    """
    key = response.analyte
    phrase = PHASE_PHRASES.get(phase_kind, phase_kind)
    when = _when(phase_kind, days_in)
    if phase_kind in _INTO_PHASES and response.anchor != "phase_start":
        when += f" ({_duration(since_anchor)} after {anchor_how})"
    if verdict == "not_judged":
        sentences = [f"{change_phrase} {when}: not judged, because {reason}."]
    else:
        sentences = [f"{change_phrase} {when}: {VERDICT_WORDS[verdict]}."]
    sentences.append(expectation)
    if band is not None:
        sentences.append(_band_text(response, key, system, band))
    elif no_band is not None and response.has_band:
        sentences.append(f"No band: {no_band}.")
    if remark:
        sentences.append(_capital(remark) + ".")
    if limit_note:
        sentences.append(limit_note)
    sentences.append(f"Compared: {ref_day} (before {phrase}) with {obs_day}.")
    if verdict not in ("not_judged",) or change_kind == "none":
        sentences.append(_variation_words(key))
    if own is not None:
        unit = _unit(key, system)
        sentences.append(f"Before treatment it was {_with_unit(_value(own, system), unit)} "
                         f"({own.taken_at[:10]}).")
    sentences.extend(extras)
    sentences.extend(cautions)
    if confidence:
        sentences.append(confidence_sentence(confidence))
    return " ".join(sentences)


# Why a change is not judged, or what the verdict leaves out (assessment._judge)
CHANGED_WHERE_FLAT = ("it changed where little change is expected, but no study says how much it "
                      "varies on its own")
BOTH_BEYOND_LIMIT = "both results are beyond the test's limit, so no change can be seen"
SHORT_OF_TARGET_OWN_TIMING = ("short of the expected level, but when it should be reached is the "
                              "app's own reading, so it is not called less")
LOW_POINT_FIRST = "the low point comes first"
ROSE_WITHOUT_LOW_POINT = ("it rose, but no lower result earlier in the phase shows the low point "
                          "that comes first")
OTHER_WAY_ASSUMED = "it moved the other way, but no study says how much it varies on its own"
SHORT_OF_BAND_OWN_TIMING = ("short of the expected band, but when the full effect shows is the "
                            "app's own reading, so it is not called less")
OWN_TIME_FRAME = "; that time frame is the app's own reading, so it is not called less"


def climbed_from_low(key: str, comparator: str, value: float, day: str) -> str:
    """A washout's climb from its low point (the number in US units, as it always was)."""
    return f"it climbed from its low of {comparator}{_number(key, value, 'us')} on {day}"


# Why a slow recovery is not called less than expected (assessment._slower_recovery)
LONG_ACTING_RECOVERY = ("after long-acting testosterone (undecanoate, pellets) recovery takes 9 to "
                        "more than 12 months, so a slow change is not called less than expected")


def long_use_recovery(trt_days: float) -> str:
    years = trt_days / 365.25
    return (f"after {years:.1f} years of testosterone recovery is slower than in the shorter "
            "use the published windows come from (Kohn 2017), so a slow change is not "
            "called less than expected")


def drawn_off_mid_interval(days_after_dose: float, position: str, interval_days: float) -> str:
    """Why a draw near the peak or trough is not judged (assessment._draw_timing_problem)."""
    return (f"it was drawn {_duration(days_after_dose)} after the last injection, near the "
            f"{position} of a {interval_days:g}-day interval, and the target "
            "applies to a draw midway between two doses")


# Hematocrit on TRT against the guideline levels (assessment._hematocrit_levels), in %
def above_guideline_hematocrit(guideline: float) -> str:
    return (f"It is above {guideline:g} %, the level at which the "
            "Endocrine Society's 2010 monitoring table stops therapy until it falls "
            "(the AUA's 2018 guideline keeps it below the same level).")


def above_watch_hematocrit(watch: float, guideline: float) -> str:
    return (f"It is above {watch:g} %, the level a study of men on TRT "
            "used to define polycythemia (Wheeler 2017; a research definition, not "
            f"a guideline's), and below the {guideline:g} % at which "
            "therapy is reviewed.")


def above_starting_hematocrit(before: float, guideline: float) -> str:
    return (f"It is above {before:g} %, the level the AUA's 2018 "
            "guideline asks to be under before starting, and below the "
            f"{guideline:g} % at which therapy is reviewed.")


# When the expected change should show (the remarks of assessment._due)
BAND_INCLUDES_START = "by this point the expected band still includes the starting value"
BAND_LEFT_START = "by this point the expected band has moved away from the starting value"
NO_TIME_FRAME = "no time frame is published for this change"


def not_before_day(day: float) -> str:
    return f"no change is expected before day {day:g}"


def too_early_between_days(first: float, last: float) -> str:
    return f"too early to tell: the change usually shows between days {first:g} and {last:g}"


def shows_by_day(day: float) -> str:
    return f"the change usually shows by day {day:g}"


def too_early_takes(shortest: float, longest: float) -> str:
    return f"too early to tell: the change usually takes {_duration(shortest)} to {_duration(longest)}"


def complete_by(days: float) -> str:
    return f"the change is usually complete by {_duration(days)}"


def _variation_words(key: str) -> str:
    variation = variation_for(key)
    if variation is None:
        return ("No study of how much this marker varies on its own was found, so a change "
                "counts only beyond a doubling or a halving (the app's assumption).")
    return _capital(variation.words()) + "."


def _band_text(response: ExpectedResponse, key: str, system: str, band: tuple[float, float]
               ) -> str:
    unit = _unit(key, system)
    low, high = band
    if math.isinf(high):
        span = f"{_with_unit(_number(key, low, system), unit)} or more"
    else:
        span = f"{_number(key, low, system)} to {_with_unit(_number(key, high, system), unit)}"
    if response.size == "reference_range":
        return f"Expected by this point: {span} (the lab's reference range)."
    if response.size == "absolute":
        return f"Expected by this point: {span}."
    return f"Expected by this point, from the starting value: {span}."


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


# How sure a verdict is (assessment._confidence)
CONFIDENCE_ASSUMED = "low: it rests partly on the app's own assumptions"
CONFIDENCE_SECOND_HAND = ("moderate: the published figures were seen second-hand or worked out by "
                          "the project")
CONFIDENCE_BAND = "fair: a published range and the marker's published variation"
CONFIDENCE_DIRECTION = "moderate: a published direction, without a published size"


# A published recovery curve (assessment._assess_curve)
CURVE_CONFIDENCE = ("fair: a published recovery curve, although its men (contraceptive trials) "
                    "recovered faster than most men stopping TRT")


def confidence_sentence(confidence: str) -> str:
    return f"Confidence: {confidence}."


def _threshold(key: str, threshold: float, system: str) -> str:
    return _with_unit(_number(key, threshold, system), _unit(key, system))


def _by(point: CurvePoint | None) -> str:
    assert point is not None
    return f"{point.share:.0f} % of men by {point.month:g} months"


def curve_not_yet(key: str, obs: LabResult, system: str, anchor_how: str) -> tuple[str, str]:
    """(reason, text) for a result taken before the curve starts counting."""
    label = _label(key)
    value = _with_unit(_value(obs, system), _unit(key, system))
    return (f"{_lower(label)} was measured before {anchor_how}",
            f"{label} was {value} before {anchor_how}: the recovery curve does not apply yet.")


def curve_reached(key: str, threshold: float, system: str, point: CurvePoint | None,
                  first: CurvePoint, study: str) -> str:
    shown = _threshold(key, threshold, system)
    # the curve's starting point (0 % at month 0) is no figure to compare with
    return (f"It has reached {shown}; the study reported {_by(point)} ({study})."
            if point is not None and point.share > 0
            else f"It has reached {shown}, earlier than the study's first "
                 f"figure, {_by(first)} ({study}).")


def curve_early(key: str, threshold: float, system: str, first: CurvePoint, study: str) -> str:
    return (f"It is below {_threshold(key, threshold, system)}, but it is early: the study's "
            f"first figure is {_by(first)} ({study}).")


def curve_slower(key: str, threshold: float, system: str, point: CurvePoint, study: str) -> str:
    return (f"It is below {_threshold(key, threshold, system)}; the study reported {_by(point)} "
            f"({study}), so recovery is slower than in nine in ten of its men.")


def curve_within(key: str, threshold: float, system: str, point: CurvePoint, study: str) -> str:
    return (f"It is below {_threshold(key, threshold, system)}; the study reported {_by(point)} "
            f"({study}), so a slower recovery is within what was seen.")


def curve_text(key: str, obs: LabResult, system: str, since_anchor: float, anchor_how: str,
               verdict: str, detail: str, caveat: str, extras: Sequence[str]) -> str:
    """The text of a curve verdict, without its confidence sentence."""
    value = _with_unit(_value(obs, system), _unit(key, system))
    when = f"{_duration(since_anchor)} after {anchor_how}"
    return " ".join(s for s in (f"{_label(key)} was {value} {when}: {VERDICT_WORDS[verdict]}.",
                                detail, "The study's figures are read as published; nothing "
                                "between them was measured.", caveat, *extras) if s)
