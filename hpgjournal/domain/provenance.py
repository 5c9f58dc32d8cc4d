"""Where an expectation comes from and how strong it is, in words a user reads.

The knowledge base records, for every statement, its ``origin`` (``seed``: the two source
documents; ``literature``; ``seed+literature``: the documents give the idea and the literature
the figure) and its ``tag`` (the research notes' strength codes). Those codes never reach a
user: this module turns them into sentences, such as "The source documents say it rises; the
Endocrine Society 2010 monitoring table: 400 to 700 ng/dL".

The origin keys of ``hpgjournal assess --json``: ``documents``, ``literature``, ``both`` and
``assumption`` (the app's own reading, when neither the documents nor a study give it).
"""

from __future__ import annotations

import math

from hpgjournal.domain.knowledge import (
    ExpectedResponse,
    Knowledge,
    marker_decimals,
    marker_to_system,
    marker_unit,
)
from hpgjournal.domain.values import format_number

__all__ = ["ORIGIN_KEYS", "STRENGTH_WORDS", "cite_words", "direction_words", "expectation_words",
           "origin_key", "response_details", "sources_words", "strength_words"]

ORIGIN_KEYS = {"seed": "documents", "literature": "literature", "seed+literature": "both"}

STRENGTH_WORDS = {
    "SA": "stated in the source documents",
    "EXT-P": "from a primary study or guideline read for this project",
    "EXT-S": "from a secondary source (a review, or figures seen second-hand)",
    "DERIVED": "the project's own arithmetic on published figures",
    "GAP": "no published figure was found",
}

# Said after a source's name when its kind matters to how far to trust it.
KIND_WORDS = {"clinic_protocol": ", a published clinic protocol"}

_DIRECTION = {
    "up": "it rises", "down": "it falls", "flat": "it changes little",
    "down_then_up": "it falls to a low point, then climbs", "variable": "it varies from man to man",
    "unknown": "nothing about its direction",
}
SHORT_DIRECTION = {"up": "rises", "down": "falls", "flat": "stays about the same",
                   "down_then_up": "falls, then climbs", "variable": "varies", "unknown": ""}


def origin_key(origin: str) -> str:
    """``documents``, ``literature`` or ``both`` for a knowledge-base origin."""
    return ORIGIN_KEYS.get(origin, "assumption")


def strength_words(tag: str) -> str:
    return STRENGTH_WORDS.get(tag, "of unknown strength")


def direction_words(direction: str) -> str:
    return _DIRECTION.get(direction, direction)


def sources_words(knowledge: Knowledge, ids: tuple[str, ...] | list[str]) -> str:
    """'Coviello 2005; Wallace 1993' (the literature only), or '' when only documents are cited.

    A clinic's protocol is said to be one ('Defy Medical 2014, a published clinic protocol'):
    a reader should not take it for a study.
    """
    names: list[str] = []
    for key in ids:
        source = knowledge.sources.get(key)
        if source is None or source.is_source_document:
            continue
        name = source.short + (KIND_WORDS.get(source.kind, ""))
        if name not in names:
            names.append(name)
    return "; ".join(names)


def _number(key: str, value: float, system: str) -> str:
    shown = marker_to_system(key, value, system)
    size = abs(shown)
    decimals = 0 if size >= 100 else max(marker_decimals(key), 1 if size >= 1 else 2)
    return format_number(shown, decimals)


def _size_words(response: ExpectedResponse, system: str) -> str:
    """The literature's figure for a response, or '' when it has none."""
    key = response.analyte
    unit = marker_unit(key, system)
    unit = "" if unit.startswith("ratio") else unit
    def with_unit(text):
        return (f"{text} {unit}".strip())
    low, high, typical = response.low, response.high, response.typical
    if response.size == "relative":
        if low is not None and high is not None:
            return f"{low:+.0f} to {high:+.0f} %"
        if typical is not None:
            return f"about {typical:+.0f} % on average (one figure, not a range)"
    if response.size == "absolute":
        if low is not None and high is not None and not math.isinf(high):
            return with_unit(f"{_number(key, low, system)} to {_number(key, high, system)}")
        if low is not None:
            return with_unit(f"{_number(key, low, system)} or more")
        if high is not None:
            return with_unit(f"up to {_number(key, high, system)}")
        if typical is not None:
            return with_unit(f"about {_number(key, typical, system)}")
    if response.size == "change":
        points = unit == "%"
        if low is not None and high is not None:
            text = f"{_number(key, low, system)} to {_number(key, high, system)}"
            return f"{text} percentage points" if points else with_unit(text)
        if typical is not None:
            shown = f"{typical:+.1f}" if points else f"{_number(key, typical, system)}"
            return (f"{shown} percentage points on average" if points
                    else with_unit(f"{shown} on average"))
    if response.size == "reference_range":
        return "back within the lab's reference range"
    return ""


def expectation_words(response: ExpectedResponse, knowledge: Knowledge, system: str = "us"
                      ) -> str:
    """What is expected and who says so, in one or two plain sentences (never a code, never an
    empty citation)."""
    documents = "seed" in response.origin
    literature = "literature" in response.origin
    direction = direction_words(response.direction)
    size = _size_words(response, system)
    names = sources_words(knowledge, response.sources)
    who = response.population
    parts = []
    if documents:
        parts.append(f"The source documents say {direction}")
    if literature:
        cited = f" ({names})" if names else ""
        if size:
            lead = f"{who}: {size}" if response.population else f"the literature gives {size}"
            alone = (f"The literature ({response.population}): {size}" if response.population
                     else f"The literature: {size}")
            parts.append(f"{lead}{cited}" if documents else f"{alone}{cited}")
        elif documents:
            parts.append(f"the literature{cited} gives no size")
        else:
            parts.append(f"The literature{cited} says {direction}, with no published size")
    if not parts:
        parts.append("No source gives an expectation")
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:] + "."
    if response.timing_origin == "assumption":
        text += " When the change shows is the app's own reading of the sources."
    return text


def cite_words(origin: str, ids: tuple[str, ...] | list[str], knowledge: Knowledge) -> str:
    """Who says it, for a parenthesis: 'source documents', 'literature: Coviello 2005',
    'source documents and literature: Wallace 1993' (never an empty list of names)."""
    names = sources_words(knowledge, ids)
    who = {"seed": "source documents", "literature": "literature",
           "seed+literature": "source documents and literature"}.get(origin, "the app's assumption")
    return f"{who}: {names}" if names and origin != "seed" else who


def response_details(response: ExpectedResponse, knowledge: Knowledge, system: str = "us") -> str:
    """Everything the knowledge base holds about one expectation, as plain sentences: what and
    who says so, the study's men and regimen, when it shows and where that timing comes from,
    how strong it is, and its caveats."""
    from hpgjournal.domain.display import marker_name

    parts = [f"{marker_name(response.analyte)}: {expectation_words(response, knowledge, system)}"]
    if response.regimen:
        parts.append(f"Regimen studied: {response.regimen}.")
    if response.timing:
        whose = {"literature": "published", "assumption": "the app's own reading"}.get(
            response.timing_origin, "")
        parts.append(f"When: {response.timing.rstrip('.')}" + (f" ({whose})." if whose else "."))
    parts.append(f"How strong: {strength_words(response.tag)}.")
    parts += [c if c.endswith(".") else c + "." for c in response.caveats]
    return " ".join(parts)
