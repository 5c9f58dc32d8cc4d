"""C-CDA documents (CCD, referral and discharge summaries, consultation notes) and bare
Results ``<section>`` fragments: what patient portals give (MyChart's "Download my record"
puts them in an IHE-XDM zip, read by :mod:`hpgjournal.importers.xdm`).

Lab results are the observations of the Results section (template
``2.16.840.1.113883.10.20.22.2.3(.1)``, or the section coded LOINC ``30954-2``), usually in
result organizers (one panel, one draw). Each observation gives:

- its marker from ``code``: the LOINC code first (of the code or of a translation), then its
  ``displayName``, ``originalText`` or the narrative it points to;
- its date from its own ``effectiveTime``, else its organizer's (``YYYYMMDD[HHMM[SS]]`` with
  or without fractional seconds and a zone: the clock time as printed is kept, the zone is
  not applied, as the lab's report shows it);
- its value from ``value``: ``PQ`` (number and unit), ``IVL_PQ`` with one open bound (a
  censored value: ``low 500 inclusive=false`` is ">500"), ``ST``/``ED`` text, coded values by
  their display name, ``INT``/``REAL``;
- its range from ``referenceRange`` (the normal one when several are given) and its flag
  from ``interpretationCode``.

Observations that are not results (planned, negated, cancelled) and results without a value
are listed as ignored, with the reason. Line numbers count the Results observations (1 = the
first).
"""

from __future__ import annotations

import re
from typing import Any

from hpgjournal.domain.display import count_of
from hpgjournal.importers.errors import NoLabResultsError, UnknownFormatError
from hpgjournal.importers.formats.base import Format, Probe, Reading
from hpgjournal.importers.formats.xmldoc import XmlDocument, attr, child, children, local, text_of
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import FORMAT_LABELS
from hpgjournal.importers.rows import Candidate, Failed, Ignored, Item

__all__ = ["CCDA", "CcdaFormat", "hl7_time"]

HL7_V3 = "urn:hl7-org:v3"
LOINC_SYSTEM = "2.16.840.1.113883.6.1"
# Results section (entries optional, entries required); HITSP C83 and IHE coded results
RESULTS_TEMPLATES = frozenset({
    "2.16.840.1.113883.10.20.22.2.3", "2.16.840.1.113883.10.20.22.2.3.1",
    "2.16.840.1.113883.3.88.11.83.122", "1.3.6.1.4.1.19376.1.3.3.2.1",
})
RESULTS_CODE = "30954-2"
_SKIPPED_STATUS = {"aborted": "aborted", "cancelled": "cancelled", "nullified": "nullified",
                   "obsolete": "replaced by a newer result"}
# HL7 ObservationInterpretation codes flag_code() does not read as they mean
_INTERPRETATIONS = {">": "H", "<": "L", "HU": "HH", "LU": "LL", "H>": "HH", "L<": "LL",
                    "HX": "H", "LX": "L", "AA": "A"}
_LOINC_SHAPE = re.compile(r"\d{1,8}-\d")
# A panel of urine tests: its uncoded "Glucose", "Blood", "Leukocytes" are not the blood tests
_URINE_PANEL = re.compile(r"urin|\bUA\b", re.IGNORECASE)
# Names that only make sense with their panel's ("Hematocrit": "Female", "Male")
_PANEL_QUALIFIERS = frozenset({"female", "male", "adult", "child", "result", "value", "total"})
# Texts that say there is no result
_NO_RESULT_TEXTS = frozenset({"n/a", "na", "-", "--", "none", "not applicable", "see note",
                              "see below", "see comment"})
_HL7_TIME = re.compile(r"(?P<date>\d{8})(?P<time>\d*)(?:\.\d+)?(?P<zone>[+-]\d{2,4})?")


def hl7_time(text: str) -> tuple[str, str]:
    """An HL7 timestamp as ``(date text, problem)``: ``20130710222500.000-0500`` ->
    ``("2013-07-10 22:25", "")``.

    The clock time is kept as printed (the zone says where the lab was, not a correction to
    make); a time of an impossible length keeps its date with the problem said; a text with
    no day gives ``("", problem)``.
    """
    value = text.strip()
    match = _HL7_TIME.fullmatch(value)
    if match is None:
        if re.fullmatch(r"\d{4}(?:\d{2})?", value):
            return "", f"the date {value} has no day"
        return "", f"{value!r} is not an HL7 date"
    digits = match["date"]
    date = f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    time = match["time"]
    if not time:
        return date, ""
    if len(time) not in (2, 4, 6):
        return date, (f"the time of {value} has {len(digits) + len(time)} digits, which no time "
                      "has: its date was kept, its time left out")
    minutes = time[2:4] or "00"
    return f"{date} {time[:2]}:{minutes}", ""


def _is_results_section(section: Any) -> bool:
    if any(attr(t, "root") in RESULTS_TEMPLATES for t in children(section, "templateId")):
        return True
    code = child(section, "code")
    return attr(code, "code") == RESULTS_CODE


def _narrative_ids(section: Any) -> dict[str, str]:
    """The section's narrative by ``ID`` (what ``<reference value="#id"/>`` points to)."""
    narrative = child(section, "text")
    found: dict[str, str] = {}
    if narrative is None:
        return found
    for element in narrative.iter():
        ident = element.get("ID") or element.get("id")
        if ident:
            found[ident] = text_of(element)
    return found


def _referenced(element: Any, narrative: dict[str, str]) -> str:
    """The text of an ``originalText``/``text`` element, or the narrative its reference names."""
    if element is None:
        return ""
    reference = child(element, "reference")
    pointed = attr(reference, "value")
    if pointed.startswith("#") and pointed[1:] in narrative:
        return narrative[pointed[1:]]
    return text_of(element)


def _code_parts(code: Any, narrative: dict[str, str]) -> tuple[str, str]:
    """``(name, LOINC code)`` of a ``code`` element."""
    if code is None:
        return "", ""
    loinc = attr(code, "code") if attr(code, "codeSystem") == LOINC_SYSTEM else ""
    if not _LOINC_SHAPE.fullmatch(loinc):
        loinc = ""  # "UNKNOWN" and the like
    # the name the lab printed first (Cerner's displayName is LOINC's "GLUCOSE:MCNC:PT:BLD:QN")
    name = _referenced(child(code, "originalText"), narrative) or attr(code, "displayName")
    for translation in children(code, "translation"):
        if not loinc and attr(translation, "codeSystem") == LOINC_SYSTEM and \
                _LOINC_SHAPE.fullmatch(attr(translation, "code")):
            loinc = attr(translation, "code")
        name = name or attr(translation, "displayName")
    return name, loinc


def _time_of(element: Any) -> str:
    """The HL7 timestamp of an ``effectiveTime`` (its value, low, or center)."""
    if element is None:
        return ""
    value = attr(element, "value")
    if value:
        return value
    for part in ("low", "center", "high"):
        found = attr(child(element, part), "value")
        if found:
            return found
    return ""


def _number(text: str) -> str:
    return text.strip()


def _bound(element: Any) -> tuple[str, str, bool] | None:
    """``(value, unit, inclusive)`` of an interval bound; None when open (PINF, NINF, none)."""
    if element is None or attr(element, "nullFlavor") or not attr(element, "value"):
        return None
    return attr(element, "value"), attr(element, "unit"), attr(element, "inclusive") != "false"


def _value(value: Any) -> tuple[str, str, str]:
    """``(value text, unit, problem)`` of an observation's ``value``."""
    if value is None:
        return "", "", "no value"
    if attr(value, "nullFlavor"):
        return "", "", f"no value (null flavor {attr(value, 'nullFlavor')})"
    kind = attr(value, "type").rpartition(":")[2].upper()
    if kind == "IVL_PQ":
        low, high = _bound(child(value, "low")), _bound(child(value, "high"))
        if low is not None and high is None:
            return (">=" if low[2] else ">") + _number(low[0]), low[1], ""
        if high is not None and low is None:
            return ("<=" if high[2] else "<") + _number(high[0]), high[1], ""
        if low is not None and high is not None:
            if low[0] == high[0] and low[2] and high[2]:
                return _number(low[0]), low[1], ""
            return "", "", (f"the value is an interval ({low[0]} to {high[0]} {low[1]}), not "
                            "one result")
        return "", "", "no value (an interval without bounds)"
    if kind in ("ST", "ED", "SC"):
        text = text_of(value)
        return text, "", "" if text else "no value (empty text)"
    if kind in ("CD", "CE", "CV", "CO", "CS"):
        text = (attr(value, "displayName") or text_of(child(value, "originalText"))
                or attr(value, "code"))
        return text, "", "" if text else "no value (a code without a name)"
    if kind == "BL":
        return attr(value, "value"), "", ""
    if kind in ("PQ", "INT", "REAL", "") and attr(value, "value"):
        unit = attr(value, "unit") if kind in ("PQ", "") else ""
        return _number(attr(value, "value")), unit, ""
    if kind in ("PQ", "INT", "REAL", ""):
        text = text_of(value)
        return (text, "", "") if text else ("", "", "no value")
    return "", "", f"a value of type {kind} cannot be read as a result"


def _range(observation: Any, unit: str, narrative: dict[str, str]) -> str:
    """The printed range of an observation: its normal range when it gives several."""
    ranges = [child(r, "observationRange") for r in children(observation, "referenceRange")]
    ranges = [r for r in ranges if r is not None]
    normal = [r for r in ranges if attr(child(r, "interpretationCode"), "code") in ("", "N")]
    for candidate in normal or ranges[:1]:
        value = child(candidate, "value")
        if value is not None and not attr(value, "nullFlavor"):
            low, high = _bound(child(value, "low")), _bound(child(value, "high"))
            units = {b[1] for b in (low, high) if b is not None and b[1] and b[1] != "1"}
            if units and unit and units != {unit}:
                from hpgjournal.domain.analytes import normalise_unit
                if {normalise_unit(u) for u in units} != {normalise_unit(unit)}:
                    continue  # a range in another unit than the value is not compared
            if low is not None and high is not None:
                return f"{low[0]} - {high[0]}"
            if high is not None:
                return f"{'<=' if high[2] else '<'} {high[0]}"
            if low is not None:
                return f"{'>=' if low[2] else '>'} {low[0]}"
            text = text_of(value)
            if text:
                return _unwrapped(text)
        text = _referenced(child(candidate, "text"), narrative)
        if text:
            return _unwrapped(text)
    return ""


def _unwrapped(text: str) -> str:
    """A range printed in parentheses without them: ``(3.8-10.8)`` -> ``3.8-10.8``."""
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:-1]:
        return text[1:-1].strip()
    return text


def _flag(observation: Any) -> str:
    for code in children(observation, "interpretationCode"):
        printed = attr(code, "code") or attr(code, "displayName")
        if printed:
            return _INTERPRETATIONS.get(printed.upper(), printed)
    return ""


class _Found:
    """The results of a document, read once: items, lab dates and counts."""

    def __init__(self, sections: list[Any]) -> None:
        self.items: list[Item] = []
        self.dates: set[str] = set()
        self.results = 0
        self.observations = 0
        self.problems: list[str] = []
        seen: set[int] = set()
        for section in sections:
            narrative = _narrative_ids(section)
            for entry in section.iter():
                if local(entry.tag) != "entry":
                    continue
                for node in entry:
                    self._visit(node, "", "", narrative, seen)

    def _visit(self, node: Any, panel_time: str, panel: str, narrative: dict[str, str],
               seen: set[int]) -> None:
        name = local(node.tag)
        if name == "organizer":
            time = _time_of(child(node, "effectiveTime")) or panel_time
            title = _code_parts(child(node, "code"), narrative)[0] or panel
            for component in children(node, "component"):
                for inner in component:
                    self._visit(inner, time, title, narrative, seen)
        elif name == "observation" and id(node) not in seen:
            seen.add(id(node))
            self.observations += 1
            self.items.append(self._item(node, panel_time, panel, narrative))

    def _item(self, obs: Any, panel_time: str, panel: str, narrative: dict[str, str]) -> Item:
        line = self.observations
        name, loinc = _code_parts(child(obs, "code"), narrative)
        if not name:
            name = _referenced(child(obs, "text"), narrative) or loinc
        if not loinc and panel and name:
            if name.casefold() in _PANEL_QUALIFIERS:
                name = f"{panel} ({name})"
            elif _URINE_PANEL.search(panel) and not _URINE_PANEL.search(name):
                name = f"{name}, urine"
        label = name or f"observation {line}"
        if attr(obs, "moodCode") not in ("", "EVN"):
            return Ignored(line, label, "planned or ordered, not a result")
        if attr(obs, "negationInd") == "true":
            return Ignored(line, label, "marked as not done")
        status = attr(child(obs, "statusCode"), "code")
        if status in _SKIPPED_STATUS:
            return Ignored(line, label, f"the result was {_SKIPPED_STATUS[status]}")
        stamp = _time_of(child(obs, "effectiveTime")) or panel_time
        value, unit, problem = _value(child(obs, "value"))
        raw = {"entry": f"observation {line}", "panel": panel, "name": name, "code": loinc,
               "effectiveTime": stamp, "value": value, "unit": unit}
        if problem.startswith("no value"):
            return Ignored(line, label, problem)
        if value.casefold() in _NO_RESULT_TEXTS:
            return Ignored(line, label, f"no value ({value})")
        if problem:
            return Failed(line, raw, problem)
        date, time_problem = hl7_time(stamp) if stamp else ("", "")
        if not stamp:
            return Failed(line, raw, "no date: neither the result nor its panel has an "
                                     "effectiveTime")
        if not date:
            return Failed(line, raw, time_problem)
        if time_problem:
            self.problems.append(f"{label}: {time_problem}")
        ref = _range(obs, unit, narrative)
        raw["referenceRange"] = ref
        self.results += 1
        self.dates.add(date[:10])
        note = f"status {status}" if status not in ("", "completed", "final") else ""
        return Candidate(line, raw, date, name, value, loinc=loinc, unit=unit, range=ref,
                         flag=_flag(obs), note=note)


def _results_sections(root: Any) -> list[Any]:
    sections = [s for s in root.iter() if local(s.tag) == "section" and _is_results_section(s)]
    # a Results section inside another is read with it
    inner = {id(e) for s in sections for e in s.iter() if e is not s}
    return [s for s in sections if id(s) not in inner]


def _document_title(root: Any) -> str:
    if local(root.tag) == "section":
        return "C-CDA Results section"
    code = child(root, "code")
    title = text_of(child(root, "title")) or attr(code, "displayName")
    return f"C-CDA document ({title})" if title else "C-CDA document"


class CcdaFormat(Format):
    """C-CDA documents and Results section fragments (XML)."""

    name = "ccda"
    label = FORMAT_LABELS["ccda"]
    kind = "xml"

    def score(self, probe: Probe) -> float:
        document = probe.document
        if not isinstance(document, XmlDocument):
            return 0.0
        root = document.root
        name = local(root.tag)
        if name == "ClinicalDocument":
            return 1.0 if root.tag.startswith("{" + HL7_V3) else 0.9
        if name == "section" and _is_results_section(root):
            return 0.95
        # any other XML: this format names what it is when asked to read it
        return 0.3

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        document = probe.document
        path, name = probe.source.path, probe.source.name
        assert isinstance(document, XmlDocument)
        root = document.root
        if local(root.tag) not in ("ClinicalDocument", "section"):
            raise UnknownFormatError(path, f"{name} is an XML document (<{local(root.tag)}>) but "
                                     "not a C-CDA document, the only XML this importer reads: "
                                     "export your results as CSV, or as a C-CDA document from "
                                     "your patient portal")
        sections = _results_sections(root)
        what = _document_title(root)
        if not sections:
            raise NoLabResultsError(path, f"{name} is a {what} with no Results section: it holds "
                                    "no lab results. Download the record again with test results "
                                    "included (in MyChart: the visit or lab summary), or choose "
                                    "another file")
        found = _Found(sections)
        kind = "C-CDA Results section" if local(root.tag) == "section" else "C-CDA document"
        summary = (f"{kind}, {count_of(len(found.dates), 'lab date')}, "
                   f"{count_of(found.results, 'result')}")
        warnings = list(document.notes)
        if not found.results and not any(isinstance(i, Failed) for i in found.items):
            # said, not refused: in a record of many documents the others still import
            ignored = "; ".join(sorted({i.reason for i in found.items if isinstance(i, Ignored)}))
            warnings.append(f"this {what} holds no lab results: its Results section is empty"
                            + (f" ({ignored})" if ignored else "") + "; download the record "
                            "again once the results are in, or choose another file")
        warnings.extend(found.problems[:20])
        return Reading(items=iter(found.items), layout=what, date_order="ymd",
                       warnings=warnings, contents=summary, needs_decimal_decision=False,
                       expected=len(found.items))  # the bar counts results, not lines


CCDA = CcdaFormat()
