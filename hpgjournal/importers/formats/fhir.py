"""FHIR lab results: a Bundle (collection, searchset, transaction...), a single Observation or
DiagnosticReport, or an NDJSON bulk export; R4, STU3 and DSTU2 (Apple's Health Records).

Each Observation is one result (or one per component, for a panel written as components):

- the marker: by LOINC first (every coding of ``code``, the first the catalogue knows), then
  by ``code.text`` or a coding's display; a LOINC code the catalogue does not know travels
  with the name, which then decides;
- the value: ``valueQuantity`` (its ``comparator`` kept: ``<`` 0.5), ``valueString`` as
  printed (``<0.5``), ``valueCodeableConcept`` as its text, ``valueInteger``; the unit is the
  quantity's ``unit``, or its UCUM ``code`` when that is the spelling hpgjournal knows;
- the range: the first ``referenceRange`` with bounds in the value's unit, or its text; a
  range of 0 to 0 (as generated sample data writes when there is none) is no range;
- the flag: ``interpretation`` (H, L, HH, LL, A, N...);
- the date: ``effectiveDateTime``, ``effectivePeriod.start``, ``effectiveInstant``,
  ``issued``, or else the date of the DiagnosticReport that lists the observation;
- ``status`` entered-in-error and cancelled: skipped; observations of other categories
  (vital signs, examinations, social history...) are not lab results and are skipped.

The narrative (``text.div``) is never read: the coded value is the result. Line numbers in the
plan count a bundle's entries (1 = the first), or an NDJSON file's lines.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from hpgjournal.domain import analytes
from hpgjournal.domain.analytes import find_analyte
from hpgjournal.domain.display import count_of
from hpgjournal.importers.errors import UnknownFormatError
from hpgjournal.importers.formats.base import Format, Probe, Reading
from hpgjournal.importers.jsonlines import JsonLines
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import FORMAT_LABELS
from hpgjournal.importers.rows import Candidate, Failed, Ignored, Item

__all__ = ["FHIR", "FhirFormat", "ObservationReader", "fhir_resources", "version_of"]

LOINC_SYSTEMS = frozenset({"http://loinc.org", "urn:oid:2.16.840.1.113883.6.1"})
_SKIPPED_STATUSES = {"entered-in-error": "entered in error", "cancelled": "cancelled"}
# Observation categories that are not lab results, in words
_NOT_LAB = {"vital-signs": "vital signs", "exam": "an examination finding",
            "social-history": "social history", "survey": "a questionnaire answer",
            "imaging": "an imaging finding", "procedure": "a procedure result",
            "therapy": "a therapy note", "activity": "an activity measure",
            "sdoh": "social history"}
# Glucose measured in whole or capillary blood (meters, point of care) reads lower than serum
# glucose: by name alone it would land as serum glucose. Kept as a marker of its own unless
# the catalogue knows the code.
_BLOOD_GLUCOSE_LOINC = frozenset({"2339-0", "15074-8", "41653-7", "32016-8", "14743-9",
                                  "41652-9", "2340-8", "14770-2"})
# FHIR interpretation codes (v3 ObservationInterpretation, v2 0078) in the words flags use
_INTERPRETATION = {"H": "H", "L": "L", "HH": "HH", "LL": "LL", "HU": "H", "LU": "L", "A": "A",
                   "AA": "A", "N": "", "<": "L", ">": "H", "H>": "HH", "L<": "LL"}
_RESULT_TYPES = ("Observation", "DiagnosticReport")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dicts(value: Any) -> list[dict[str, Any]]:
    """A list of objects from a FHIR list (or from a single object, as DSTU2 often writes)."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def number_text(value: Any) -> str | None:
    """A JSON number as printed without exponent (``1e-05`` -> ``0.00001``); None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def concept_name(concept: Any) -> tuple[str, str]:
    """``(name, loinc)`` of a CodeableConcept: the first LOINC code the catalogue knows (else
    the first LOINC code), and ``text`` or a coding's display (else its code)."""
    concept = concept if isinstance(concept, dict) else {}
    codings = _dicts(concept.get("coding"))
    loincs = [_text(c.get("code")) for c in codings
              if _text(c.get("system")) in LOINC_SYSTEMS and _text(c.get("code"))]
    known = next((code for code in loincs if find_analyte(code) is not None), "")
    loinc = known or (loincs[0] if loincs else "")
    displays = [_text(c.get("display")) for c in codings if _text(c.get("display"))]
    loinc_displays = [_text(c.get("display")) for c in codings if _text(c.get("display"))
                      and _text(c.get("system")) in LOINC_SYSTEMS]
    name = _text(concept.get("text")) or next(iter(loinc_displays + displays), "")
    if not name:
        name = next((_text(c.get("code")) for c in codings if _text(c.get("code"))), "")
    if not known and loinc in _BLOOD_GLUCOSE_LOINC and not any(
            word in name.casefold() for word in ("blood", "bld")):
        name = f"{name or 'Glucose'}, whole blood"
    return name, loinc


def _systems(resource: dict[str, Any]) -> Iterator[str]:
    for key in ("category", "interpretation"):
        for concept in _dicts(resource.get(key)):
            for coding in _dicts(concept.get("coding")):
                yield _text(coding.get("system"))
    meta = resource.get("meta")
    if isinstance(meta, dict):
        for tag in _dicts(meta.get("tag")):
            yield _text(tag.get("system"))
        for profile in meta.get("profile") or ():
            yield _text(profile)


def version_hint(resource: dict[str, Any]) -> str:
    """The FHIR version a resource is written in, from its shape ("" when it does not say)."""
    if isinstance(resource.get("category"), dict):
        return "DSTU2"  # a single category: DSTU2 (a list from STU3 on)
    systems = set(_systems(resource))
    if any(s.startswith("http://terminology.hl7.org/") for s in systems):
        return "R4"  # terminology.hl7.org code systems came with R4
    if "context" in resource or isinstance(resource.get("interpretation"), dict) or \
            "http://hl7.org/fhir/observation-category" in systems:
        return "STU3"
    if isinstance(resource.get("interpretation"), list) or "encounter" in resource:
        return "R4"
    return ""


def version_of(resources: Iterable[dict[str, Any]]) -> str:
    """The most common version hint of some resources ("" when none says)."""
    hints = Counter(h for r in resources if (h := version_hint(r)))
    return hints.most_common(1)[0][0] if hints else ""


def _reference_keys(reference: str) -> tuple[str, ...]:
    """What a reference may be matched by: itself and its ``Type/id`` tail."""
    parts = reference.rstrip("/").split("/")
    tail = "/".join(parts[-2:]) if len(parts) >= 2 else reference
    if len(parts) >= 4 and parts[-2] == "_history":  # Type/id/_history/n
        tail = "/".join(parts[-4:-2])
    return (reference, tail) if tail != reference else (reference,)


def observation_date(resource: dict[str, Any]) -> str:
    """When an observation (or report) was taken: effective[x], else ``issued``."""
    for key in ("effectiveDateTime", "effectiveInstant"):
        if _text(resource.get(key)):
            return _text(resource[key])
    period = resource.get("effectivePeriod")
    if isinstance(period, dict) and (_text(period.get("start")) or _text(period.get("end"))):
        return _text(period.get("start")) or _text(period.get("end"))
    return _text(resource.get("issued"))


def _category(resource: dict[str, Any]) -> str:
    """Why an observation is not a lab result ("" when it is one, or does not say)."""
    codes: list[str] = []
    for concept in _dicts(resource.get("category")):
        codes += [_text(c.get("code")).casefold() for c in _dicts(concept.get("coding"))]
        codes.append(_text(concept.get("text")).casefold())
    if any(c in ("laboratory", "lab") for c in codes):
        return ""
    return next((_NOT_LAB[c] for c in codes if c in _NOT_LAB), "")


def _flag(resource: dict[str, Any]) -> str:
    for concept in _dicts(resource.get("interpretation")):
        for coding in _dicts(concept.get("coding")):
            code = _text(coding.get("code"))
            if code:
                return _INTERPRETATION.get(code.upper(), code)
        if _text(concept.get("text")):
            return _text(concept["text"])
    return ""


def _same_unit(a: str, b: str) -> bool:
    return not a or not b or analytes.normalise_unit(a).casefold() == \
        analytes.normalise_unit(b).casefold()


def _range(resource: dict[str, Any], units: tuple[str, ...]) -> tuple[str, str]:
    """``(range text, note)`` of the first reference range with bounds or text."""
    note = ""
    for reference in _dicts(resource.get("referenceRange")):
        bounds: list[str | None] = []
        for side in ("low", "high"):
            quantity = reference.get(side)
            quantity = quantity if isinstance(quantity, dict) else {}
            number = number_text(quantity.get("value"))
            unit = _text(quantity.get("unit")) or _text(quantity.get("code"))
            if number is not None and unit and units and not any(
                    _same_unit(unit, u) for u in units if u):
                note = f"reference range in {unit}, not the result's unit: not used"
                number = None
            bounds.append(number)
        low, high = bounds
        if low is not None and high is not None and float(low) == 0 and float(high) == 0:
            low = high = None  # 0 to 0: generated data's way of writing "no range"
        if low is not None and high is not None:
            return f"{low} - {high}", ""
        if low is not None:
            return f">={low}", ""
        if high is not None:
            return f"<={high}", ""
        if _text(reference.get("text")):
            return _text(reference["text"]), ""
    return "", note


_ANNOTATION = re.compile(r"\{[^{}]*\}")


def _unit(quantity: dict[str, Any]) -> str:
    """The unit of a quantity: its ``unit`` or its UCUM ``code``, whichever hpgjournal knows;
    a UCUM annotation (``mg/dL{calc}``, ``{beats}/min``) means nothing to the value and goes
    when the unit is known without it."""
    unit, code = _text(quantity.get("unit")), _text(quantity.get("code"))
    for text in (unit, code):
        if text and analytes.is_known_unit(text):
            return text
    for text in (unit, code):
        bare = _ANNOTATION.sub("", text).strip()
        if bare and bare != text and analytes.is_known_unit(bare):
            return bare
    return unit or code


def _value(resource: dict[str, Any]) -> tuple[str, str, str]:
    """``(value text, unit, why there is none)`` of an observation or component."""
    quantity = resource.get("valueQuantity")
    if isinstance(quantity, dict):
        number = number_text(quantity.get("value"))
        if number is None:
            return "", "", "its quantity has no number"
        comparator = _text(quantity.get("comparator"))
        return f"{comparator}{number}", _unit(quantity), ""
    if isinstance(resource.get("valueString"), str):
        text = " ".join(resource["valueString"].split())
        return text, "", "" if text else "an empty value"
    concept = resource.get("valueCodeableConcept")
    if isinstance(concept, dict):
        text = _text(concept.get("text")) or next(
            (_text(c.get("display")) or _text(c.get("code")) for c in _dicts(concept.get("coding"))
             if _text(c.get("display")) or _text(c.get("code"))), "")
        return text, "", "" if text else "a coded value with no text"
    if number_text(resource.get("valueInteger")) is not None:
        return number_text(resource["valueInteger"]) or "", "", ""
    others = [k for k in resource if k.startswith("value") and k != "valueQuantity"]
    if others:
        return "", "", f"its value is a {others[0][5:]}, which hpgjournal does not import"
    absent = resource.get("dataAbsentReason")
    if isinstance(absent, dict):
        reason = _text(absent.get("text")) or next(
            (_text(c.get("display")) or _text(c.get("code")) for c in _dicts(absent.get("coding"))),
            "")
        return "", "", f"no value ({reason})" if reason else "no value"
    return "", "", "no value"


def _lab(resource: dict[str, Any]) -> str:
    return next((_text(p.get("display")) for p in _dicts(resource.get("performer"))
                 if _text(p.get("display"))), "")


def _notes(resource: dict[str, Any]) -> list[str]:
    notes = [" ".join(_text(n.get("text")).split()) for n in _dicts(resource.get("note"))]
    comments = _text(resource.get("comments"))  # DSTU2
    status = _text(resource.get("status"))
    if status in ("preliminary", "registered"):
        notes.append(f"status: {status}")
    return [n for n in (*notes, comments) if n]


class ObservationReader:
    """Turns Observations into items, counting what it read (the plan names the counts).

    ``report_dates`` maps references to the date of the DiagnosticReport that lists them
    (:meth:`note_report`); an observation with no date of its own takes it.
    """

    def __init__(self) -> None:
        self.report_dates: dict[str, str] = {}
        self.observations = 0
        self.lab_results = 0
        self.reports = 0

    def note_report(self, report: dict[str, Any]) -> None:
        """Remember a DiagnosticReport's date for the observations it lists."""
        self.reports += 1
        date = observation_date(report)
        if not date:
            return
        for result in _dicts(report.get("result")):
            reference = _text(result.get("reference"))
            for key in _reference_keys(reference) if reference else ():
                self.report_dates.setdefault(key, date)

    def date_from_report(self, resource: dict[str, Any], full_url: str = "") -> str:
        keys: list[str] = []
        if full_url:
            keys += _reference_keys(full_url)
        if _text(resource.get("id")):
            keys += [f"Observation/{resource['id']}", f"#{resource['id']}"]
        return next((self.report_dates[k] for k in keys if k in self.report_dates), "")

    def items(self, line: int, resource: dict[str, Any], full_url: str = "",
              entry: str = "") -> Iterator[Item]:
        """The items of one Observation (one per component of a panel without a value);
        ``entry`` names where it is in the file (its line by default)."""
        self.observations += 1
        name, loinc = concept_name(resource.get("code"))
        label = name or loinc or "an observation"
        status = _text(resource.get("status"))
        if status in _SKIPPED_STATUSES:
            yield Ignored(line, label, f"status {_SKIPPED_STATUSES[status]}: not a result")
            return
        not_lab = _category(resource)
        if not_lab:
            yield Ignored(line, label, f"{not_lab}, not a lab result")
            return
        date = observation_date(resource) or self.date_from_report(resource, full_url)
        parts: list[tuple[dict[str, Any], str, str]] = [(resource, name, loinc)]
        value, _unit_text, _why = _value(resource)
        components = _dicts(resource.get("component"))
        if not value and components:
            parts = [(c, *concept_name(c.get("code"))) for c in components]
        for part, part_name, part_loinc in parts:
            yield self._item(line, resource, part, part_name, part_loinc, date, entry)

    def _item(self, line: int, resource: dict[str, Any], part: dict[str, Any], name: str,
              loinc: str, date: str, entry: str) -> Item:
        label = name or loinc or "an observation"
        value, unit, why = _value(part)
        raw = {"entry": entry or str(line), "id": _text(resource.get("id")), "code": name, "loinc": loinc,
               "date": date, "value": value, "unit": unit}
        if not value:
            return Ignored(line, label, why)
        if not name and not loinc:
            return Failed(line, raw, "the observation has no code or name")
        if not date:
            return Failed(line, raw, "no date: neither the observation nor a report listing it "
                                     "has one")
        quantity = part.get("valueQuantity")
        units = (unit, _text(quantity.get("code"))) if isinstance(quantity, dict) else ()
        ranged = part if part.get("referenceRange") else resource
        range_text, range_note = _range(ranged, units)
        raw["range"] = range_text
        flag = _flag(part) or (_flag(resource) if part is not resource else "")
        method = part.get("method")
        if not isinstance(method, dict):
            method = {}
        notes = _notes(resource) + ([range_note] if range_note else [])
        self.lab_results += 1
        return Candidate(line, raw, date, name, value, loinc=loinc, method=_text(method.get("text")),
                         unit=unit, range=range_text, flag=flag, lab=_lab(resource),
                         note="; ".join(notes))


def fhir_resources(document: Any) -> tuple[str, list[tuple[int, dict[str, Any], str]]] | None:
    """``(shape, [(line, resource, full URL)])`` of a FHIR document; None if it is not one.

    ``shape`` is ``bundle`` (with its type), ``Observation``, ``DiagnosticReport`` or
    ``bulk`` (NDJSON). Contained resources of a report follow it.
    """
    found: list[tuple[int, dict[str, Any], str]] = []
    if isinstance(document, JsonLines):
        if not any(isinstance(r.get("resourceType"), str) for r in document):
            return None
        found = [(line, r, "") for line, r in zip(document.lines, document, strict=True)]
        shape = "bulk"
    elif isinstance(document, dict) and document.get("resourceType") == "Bundle" \
            and isinstance(document.get("entry", []), list):
        for index, entry in enumerate(document.get("entry") or [], start=1):
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
                found.append((index, entry["resource"], _text(entry.get("fullUrl"))))
        shape = f"{_text(document.get('type'))} bundle".strip()
    elif isinstance(document, dict) and document.get("resourceType") in _RESULT_TYPES:
        found = [(1, document, "")]
        shape = str(document["resourceType"])
    else:
        return None
    with_contained: list[tuple[int, dict[str, Any], str]] = []
    for line, resource, url in found:
        with_contained.append((line, resource, url))
        for inner in _dicts(resource.get("contained")):
            if inner.get("resourceType") == "Observation":
                with_contained.append((line, inner, f"#{_text(inner.get('id'))}"))
    return shape, with_contained


def _described(shape: str, version: str) -> str:
    fhir = f"FHIR {version}".strip()
    if shape == "bulk":
        return f"{fhir} bulk export (NDJSON)"
    if shape.endswith("bundle"):
        return f"{fhir} bundle"
    return f"{fhir} {shape[0].lower()}{shape[1:]}" if shape else fhir


class FhirFormat(Format):
    """FHIR resources holding lab results (Observations, DiagnosticReports)."""

    name = "fhir"
    label = FORMAT_LABELS["fhir"]
    kind = "json"

    def score(self, probe: Probe) -> float:
        found = fhir_resources(probe.document)
        if found is None:
            return 0.0
        return 0.95 if any(r.get("resourceType") in _RESULT_TYPES for _, r, _ in found[1]) \
            else 0.6

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        path = probe.source.path
        found = fhir_resources(probe.document)
        if found is None:
            raise UnknownFormatError(path, f"{path.name} is not a FHIR document (no Bundle, "
                                           "Observation or DiagnosticReport): choose another "
                                           "format")
        shape, resources = found
        what = _described(shape, version_of(r for _, r, _ in resources))
        if not any(r.get("resourceType") == "Observation" for _, r, _ in resources):
            raise UnknownFormatError(path, f"{path.name} is a {what} that holds no observations, "
                                           "so no lab results: export the laboratory results "
                                           "(Observation resources) from your portal or app")
        reading = Reading(items=(), layout=what, date_order="ymd", needs_decimal_decision=False,
                          expected=sum(r.get("resourceType") == "Observation"
                                       for _, r, _ in resources))
        reader = ObservationReader()
        for _, resource, _ in resources:
            if resource.get("resourceType") == "DiagnosticReport":
                reader.note_report(resource)
        reading.items = self._items(resources, reader, reading, what)
        return reading

    def _items(self, resources: list[tuple[int, dict[str, Any], str]], reader: ObservationReader,
               reading: Reading, what: str) -> Iterator[Item]:
        for line, resource, url in resources:
            if resource.get("resourceType") == "Observation":
                yield from reader.items(line, resource, url)
        reading.contents = (f"{what}, {count_of(reader.observations, 'observation')}, "
                            f"{count_of(reader.lab_results, 'lab result')}")
        if not reader.lab_results:
            reading.warnings.append(f"this {what} holds no lab results: its observations are "
                                    "vital signs or other findings (listed as lines without a "
                                    "result)")


FHIR = FhirFormat()
