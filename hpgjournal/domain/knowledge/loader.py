"""Reading the knowledge base's TOML files into the records of ``knowledge/model.py``, checking
every key, marker, source, number and unit on the way (see the package's description)."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any

from hpgjournal.domain import analytes
from hpgjournal.domain.knowledge.markers import DERIVED_MARKERS, is_marker_key
from hpgjournal.domain.knowledge.model import (
    _NON_PHASE_FILES,
    ANCHORS,
    DIRECTIONS,
    ORIGINS,
    SEED_REFERENCE_STATUSES,
    SIZES,
    SOURCE_KINDS,
    TAGS,
    TIMING_ORIGINS,
    VERDICTS,
    Agent,
    CurvePoint,
    ExpectedResponse,
    Knowledge,
    KnowledgeError,
    MedicationClass,
    PhaseKnowledge,
    RecoveryCurve,
    Reference,
    SeedReference,
    Source,
    Statement,
    StudyRow,
    StudyTable,
)
from hpgjournal.domain.phases import PHASE_KINDS


class _Table:
    """One TOML table being read: tracks the keys used and names itself in errors."""

    def __init__(self, file: str, where: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise KnowledgeError(file, where, f"must be a table, not {type(data).__name__}")
        self.file = file
        self.where = where
        self.data = data
        self.used: set[str] = set()

    def fail(self, key: str, problem: str) -> KnowledgeError:
        name = f"{self.where}.{key}" if self.where and key else self.where or key
        return KnowledgeError(self.file, name, problem)

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, not {value!r}")
        if required and not value.strip():
            raise self.fail(key, "is empty")
        return " ".join(value.split())

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise self.fail(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def number(self, key: str, required: bool = False) -> float | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, not {value!r}")
        if not math.isfinite(value):
            raise self.fail(key, f"must be a finite number, not {value!r}")
        return float(value)

    def flag(self, key: str) -> bool:
        value = self._get(key, True)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {value!r}")
        return value

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, f"must be a list of texts, not {value!r}")
        if required and not value:
            raise self.fail(key, "must not be empty")
        return tuple(" ".join(v.split()) for v in value)

    def window(self, key: str) -> tuple[float, float] | None:
        value = self._get(key, False)
        if value is None:
            return None
        if (not isinstance(value, list) or len(value) != 2
                or any(isinstance(v, bool) or not isinstance(v, int | float) for v in value)):
            raise self.fail(key, f"must be a pair of day numbers [earliest, latest], not {value!r}")
        first, last = float(value[0]), float(value[1])
        if not (math.isfinite(first) and math.isfinite(last)):
            raise self.fail(key, f"must be finite day numbers, not {value!r}")
        if first < 0:
            raise self.fail(key, f"days must not be negative, not {value!r}")
        if first > last:
            raise self.fail(key, f"the earliest day {first:g} comes after the latest {last:g}")
        return first, last

    def tables(self, key: str) -> list[_Table]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "must be an array of tables ([[...]])")
        return [_Table(self.file, f"{key}[{i}]", item) for i, item in enumerate(value)]

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], "unknown key (check its spelling)")


def _read_toml(folder: Path, name: str) -> _Table:
    path = folder / name
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise KnowledgeError(name, "", f"is missing from {folder}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(name, "", f"is not valid TOML ({exc})") from None
    return _Table(name, "", data)


def _marker(table: _Table, key: str = "analyte") -> str:
    value = table.text(key)
    if not is_marker_key(value):
        raise table.fail(key, f"unknown marker {value!r} (use a key of the analyte catalogue, "
                              f"or one of {', '.join(DERIVED_MARKERS)})")
    return value


def _phase_kinds(table: _Table) -> tuple[str, ...]:
    kinds = table.texts("phase_kinds", required=True)
    for kind in kinds:
        if kind not in PHASE_KINDS:
            raise table.fail("phase_kinds", f"unknown phase kind {kind!r}")
    return kinds


def _canonical(table: _Table, analyte: str, unit: str, key: str, value: float | None,
               difference: bool = False) -> float | None:
    """A number written in ``unit`` converted to the marker's canonical unit."""
    if value is None:
        return None
    if analyte in DERIVED_MARKERS:
        if unit != DERIVED_MARKERS[analyte].unit:
            raise table.fail("unit", f"{unit!r} does not fit {analyte}; write it in "
                                     f"{DERIVED_MARKERS[analyte].unit!r}")
        return value
    try:
        converted = analytes.to_canonical(analyte, value, unit)
        if difference:
            converted -= analytes.to_canonical(analyte, 0.0, unit)
    except analytes.UnitError as exc:
        raise table.fail("unit", str(exc)) from None
    return converted


class _Provenance:
    """Checks origin, tag and sources of a statement against the sources file."""

    def __init__(self, sources: Mapping[str, Source]) -> None:
        self.sources = sources

    def read(self, table: _Table) -> tuple[str, str, tuple[str, ...]]:
        origin = table.choice("origin", ORIGINS)
        tag = table.choice("tag", TAGS)
        ids = table.texts("sources", required=True)
        for source_id in ids:
            if source_id not in self.sources:
                raise table.fail("sources", f"unknown source {source_id!r} (add it to sources.toml)")
        documents = [i for i in ids if self.sources[i].is_source_document]
        others = [i for i in ids if not self.sources[i].is_source_document]
        if "seed" in origin and not documents:
            raise table.fail("sources", f"origin {origin!r} needs a source document among the "
                                        f"sources (seed_restart or seed_atrophy)")
        if "literature" in origin and not others:
            raise table.fail("sources", f"origin {origin!r} needs a source outside the source "
                                        f"documents")
        if tag == "SA" and "seed" not in origin:
            raise table.fail("tag", "SA means 'from the source documents'; origin must include seed")
        if tag == "EXT-P" and others and all(self.sources[i].kind in ("clinic_protocol",
                                                                      "project_note")
                                             for i in others):
            raise table.fail("tag", "EXT-P means a primary study or guideline; a clinic's "
                                    "protocol or the project's own note is at most EXT-S")
        return origin, tag, ids


def _statement(table: _Table, prov: _Provenance, with_targets: bool = False) -> Statement:
    text = table.text("text")
    origin, tag, ids = prov.read(table)
    markers: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    if with_targets:
        markers = table.texts("analytes")
        for key in markers:
            if not is_marker_key(key):
                raise table.fail("analytes", f"unknown marker {key!r}")
        when = table.texts("when")
        for verdict in when:
            if verdict not in VERDICTS:
                raise table.fail("when", f"{verdict!r} is not a verdict ({', '.join(VERDICTS)})")
    table.done()
    return Statement(text, origin, tag, ids, markers, when)


def _reference(table: _Table, prov: _Provenance) -> Reference:
    analyte = _marker(table)
    unit = table.text("unit", required=False)
    numbers = {k: table.number(k) for k in ("low", "high", "typical")}
    if any(v is not None for v in numbers.values()) and not unit:
        raise table.fail("unit", "is missing (the figures need a unit)")
    low, high, typical = (_canonical(table, analyte, unit, k, v) for k, v in numbers.items())
    if low is not None and high is not None and low > high:
        raise table.fail("low", f"low {numbers['low']:g} is above high {numbers['high']:g}")
    population = table.text("population")
    text = table.text("text")
    origin, tag, ids = prov.read(table)
    if tag == "GAP" and any(v is not None for v in numbers.values()):
        raise table.fail("tag", "a GAP has no figures")
    table.done()
    return Reference(analyte, low, high, typical, population, text, origin, tag, ids)


def _response(table: _Table, kind: str, prov: _Provenance,
              curves: Mapping[str, RecoveryCurve]) -> ExpectedResponse:
    analyte = _marker(table)
    table.where = f"{table.where} ({analyte})"
    direction = table.choice("direction", DIRECTIONS)
    size = table.choice("size", SIZES)
    anchor = table.choice("anchor", ANCHORS)
    unit = table.text("unit", required=False)
    raw = {k: table.number(k) for k in ("low", "high", "typical", "start_below", "start_above")}
    onset = table.window("onset_days")
    plateau = table.window("plateau_days")
    curve = table.text("curve", required=False)
    texts = {k: table.text(k, required=False) for k in ("timing", "population", "regimen")}
    timing_origin = table.text("timing_origin", required=False)
    draw_timing = table.text("draw_timing", required=False)
    if draw_timing not in ("", "mid_interval"):
        raise table.fail("draw_timing", "must be 'mid_interval' or left out")
    evidence = table.text("evidence")
    caveats = table.texts("caveats")
    origin, tag, ids = prov.read(table)
    table.done()

    low, high, typical = raw["low"], raw["high"], raw["typical"]
    figures = [k for k in ("low", "high", "typical") if raw[k] is not None]
    if low is not None and high is not None and low > high:
        raise table.fail("low", f"low {low:g} is above high {high:g}")
    if typical is not None and low is not None and high is not None and not low <= typical <= high:
        raise table.fail("typical", f"typical {typical:g} lies outside low-high {low:g}-{high:g}")
    if size in ("none", "reference_range", "recovery_curve") and figures:
        raise table.fail(figures[0], f"size {size!r} takes no figures")
    if size in ("relative", "change") and (low is None) != (high is None):
        raise table.fail("low" if low is None else "high", "a range needs both low and high")
    if size in ("relative", "absolute", "change") and not figures:
        raise table.fail("size", f"size {size!r} needs low and high, or a typical figure")
    if size == "relative" and low is not None and low < -100:
        raise table.fail("low", f"a fall of more than 100 % ({low:g}) is impossible")
    if size in ("absolute", "change") and not unit:
        raise table.fail("unit", f"is missing (size {size!r} is written in a unit)")
    if (raw["start_below"] is not None or raw["start_above"] is not None) and not unit:
        raise table.fail("unit", "is missing (start_below/start_above are written in a unit)")
    if tag == "GAP" and (figures or size != "none"):
        raise table.fail("tag", "a GAP has no figure and no band: size must be 'none'")
    if direction == "unknown" and size != "none":
        raise table.fail("direction", "an unknown direction cannot have a size")
    if size == "recovery_curve":
        if curve not in curves:
            raise table.fail("curve", f"unknown recovery curve {curve!r} (see curves.toml)")
        if curves[curve].analyte != analyte:
            raise table.fail("curve", f"curve {curve!r} is about {curves[curve].analyte}")
    elif curve:
        raise table.fail("curve", "only size 'recovery_curve' names a curve")
    if onset is not None and plateau is None:
        raise table.fail("plateau_days", "is missing (onset_days needs a plateau window)")
    if timing_origin and timing_origin not in TIMING_ORIGINS:
        raise table.fail("timing_origin", f"must be one of {', '.join(TIMING_ORIGINS)}")
    if (onset is not None or plateau is not None) and not timing_origin:
        raise table.fail("timing_origin", "is missing: say whether the windows are published "
                                          "(literature) or the project's assumption")
    if onset is not None and plateau is not None and (onset[0] > plateau[0] or onset[1] > plateau[1]):
        raise table.fail("onset_days", f"onset {list(onset)} must not come after plateau "
                                       f"{list(plateau)}")

    if size in ("absolute", "change"):
        low, high, typical = (_canonical(table, analyte, unit, k, v, difference=size == "change")
                              for k, v in (("low", low), ("high", high), ("typical", typical)))
    below = _canonical(table, analyte, unit, "start_below", raw["start_below"])
    above = _canonical(table, analyte, unit, "start_above", raw["start_above"])
    if below is not None and above is not None and above >= below:
        raise table.fail("start_above", "start_above must be below start_below")
    return ExpectedResponse(
        phase_kind=kind, analyte=analyte, direction=direction, size=size, anchor=anchor,
        origin=origin, tag=tag, sources=ids, evidence=evidence, low=low, high=high,
        typical=typical, start_below=below, start_above=above, onset_days=onset,
        plateau_days=plateau, curve=curve, timing=texts["timing"], timing_origin=timing_origin,
        draw_timing=draw_timing,
        population=texts["population"], regimen=texts["regimen"], caveats=caveats,
    )


def _phase(folder: Path, kind: str, prov: _Provenance,
           curves: Mapping[str, RecoveryCurve]) -> PhaseKnowledge:
    top = _read_toml(folder, f"{kind}.toml")
    declared = top.text("kind")
    if declared != kind:
        raise top.fail("kind", f"{declared!r} does not match the file name ({kind}.toml)")
    title = top.text("title")
    summary = top.text("summary")
    mechanism = tuple(_statement(t, prov) for t in top.tables("mechanism"))
    if not mechanism:
        raise top.fail("mechanism", "is missing: every phase explains what it does to the axis")
    practice = tuple(_statement(t, prov) for t in top.tables("practice"))
    cautions = tuple(_statement(t, prov, with_targets=True) for t in top.tables("caution"))
    references = tuple(_reference(t, prov) for t in top.tables("reference"))
    responses = tuple(_response(t, kind, prov, curves) for t in top.tables("response"))
    seen: set[str] = set()
    for i, response in enumerate(responses):
        if response.analyte in seen:
            raise KnowledgeError(top.file, f"response[{i}] ({response.analyte})",
                                 "a second response for the same marker")
        seen.add(response.analyte)
    top.done()
    return PhaseKnowledge(kind, title, summary, mechanism, practice, cautions, references,
                          responses, top.file)


def _sources(folder: Path) -> tuple[dict[str, Source], tuple[SeedReference, ...]]:
    top = _read_toml(folder, "sources.toml")
    sources: dict[str, Source] = {}
    for table in top.tables("source"):
        source = Source(
            id=table.text("id"), short=table.text("short"), citation=table.text("citation"),
            kind=table.choice("kind", SOURCE_KINDS), checked=table.text("checked"),
            link=table.text("link", required=False),
        )
        table.done()
        if source.id in sources:
            raise table.fail("id", f"{source.id!r} is listed twice")
        sources[source.id] = source
    if not sources:
        raise top.fail("source", "no sources are listed")
    references = []
    for table in top.tables("seed_reference"):
        document = table.text("document")
        if document not in sources or not sources[document].is_source_document:
            raise table.fail("document", f"{document!r} is not a source document")
        corrected = table.text("corrected", required=False)
        if corrected and corrected not in sources:
            raise table.fail("corrected", f"unknown source {corrected!r}")
        references.append(SeedReference(
            document, table.text("as_cited"), table.choice("status", SEED_REFERENCE_STATUSES),
            corrected, table.text("note"),
        ))
        table.done()
    top.done()
    return sources, tuple(references)


def _curves(folder: Path, prov: _Provenance) -> dict[str, RecoveryCurve]:
    top = _read_toml(folder, "curves.toml")
    curves: dict[str, RecoveryCurve] = {}
    for table in top.tables("recovery_curve"):
        curve_id = table.text("id")
        analyte = _marker(table)
        unit = table.text("unit")
        threshold = _canonical(table, analyte, unit, "threshold", table.number("threshold", True))
        anchor = table.choice("anchor", ANCHORS)
        points = []
        for point in table.tables("point"):
            point.where = f"{table.where}.{point.where}"
            month = point.number("month", True) or 0.0
            share = point.number("share", True) or 0.0
            ci_low, ci_high = point.number("ci_low"), point.number("ci_high")
            point.done()
            if month < 0 or not 0 <= share <= 100:
                raise point.fail("share", "month must be 0 or more and share between 0 and 100")
            if (ci_low is not None and ci_low > share) or (ci_high is not None and ci_high < share):
                raise point.fail("ci_low", f"the interval {ci_low}-{ci_high} does not hold {share:g}")
            points.append(CurvePoint(month, share, ci_low, ci_high))
        if len(points) < 2:
            raise table.fail("point", "a curve needs at least two points")
        for before, after in pairwise(points):
            if after.month <= before.month or after.share < before.share:
                raise table.fail("point", f"points must rise in month and share "
                                          f"(month {after.month:g} after {before.month:g})")
        median = table.number("median_months")
        origin, tag, ids = prov.read(table)
        curve = RecoveryCurve(
            id=curve_id, analyte=analyte, threshold=threshold or 0.0, anchor=anchor,
            title=table.text("title"), population=table.text("population"),
            median_months=median, caveats=table.texts("caveats"), points=tuple(points),
            origin=origin, tag=tag, sources=ids,
        )
        table.done()
        if threshold is None or threshold <= 0:
            raise table.fail("threshold", "must be above 0")
        if curve_id in curves:
            raise table.fail("id", f"{curve_id!r} is listed twice")
        curves[curve_id] = curve
    top.done()
    return curves


def _tables(folder: Path, prov: _Provenance
            ) -> tuple[tuple[MedicationClass, ...], tuple[Agent, ...], tuple[StudyTable, ...]]:
    top = _read_toml(folder, "tables.toml")
    classes = []
    for t in top.tables("medication_class"):
        classes.append(MedicationClass(t.text("name"), t.text("action"), t.text("target"),
                                       _phase_kinds(t), *prov.read(t)))
        t.done()
    agents = []
    for t in top.tables("agent"):
        agents.append(Agent(t.text("name"), t.text("action"), t.text("target"), t.text("outcome"),
                            _phase_kinds(t), *prov.read(t)))
        t.done()
    studies = []
    for t in top.tables("study_table"):
        kind = t.text("phase_kind")
        if kind not in PHASE_KINDS:
            raise t.fail("phase_kind", f"unknown phase kind {kind!r}")
        rows = []
        for row in t.tables("row"):
            row.where = f"{t.where}.{row.where}"
            analyte = _marker(row)
            unit = row.text("unit")
            before = _canonical(row, analyte, unit, "before", row.number("before", True))
            after = _canonical(row, analyte, unit, "after", row.number("after", True))
            row.done()
            if not before or before <= 0 or after is None or after < 0:
                raise row.fail("before", "before must be above 0 and after 0 or more")
            rows.append(StudyRow(analyte, before, after))
        after_days = t.number("after_days", True)
        if after_days is None or after_days <= 0:
            raise t.fail("after_days", "must be above 0")
        origin, tag, ids = prov.read(t)
        studies.append(StudyTable(
            id=t.text("id"), title=t.text("title"), phase_kind=kind,
            population=t.text("population"), after_days=after_days,
            verified=t.flag("verified"), caveat=t.text("caveat"), rows=tuple(rows),
            origin=origin, tag=tag, sources=ids,
        ))
        if not studies[-1].verified and not studies[-1].caveat:
            raise t.fail("caveat", "an unverified table needs its caveat")
        t.done()
    top.done()
    return tuple(classes), tuple(agents), tuple(studies)


def load_knowledge(folder: Path | str) -> Knowledge:
    """Read and validate the knowledge base in ``folder`` (``hpgjournal/resources/knowledge``).

    Raises :class:`KnowledgeError` naming the file and key for anything malformed, and when a
    phase kind has no file or a file names no known phase kind.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise KnowledgeError(str(folder), "", "is not a folder holding the knowledge base")
    known = set(PHASE_KINDS) | set(_NON_PHASE_FILES)
    for path in sorted(folder.glob("*.toml")):
        if path.stem not in known:
            raise KnowledgeError(path.name, "", f"names no phase kind (phase kinds: "
                                                f"{', '.join(PHASE_KINDS)})")
    sources, seed_references = _sources(folder)
    prov = _Provenance(sources)
    curves = _curves(folder, prov)
    classes, agents, studies = _tables(folder, prov)
    phases = {kind: _phase(folder, kind, prov, curves) for kind in PHASE_KINDS}
    return Knowledge(
        phases=MappingProxyType(phases), sources=MappingProxyType(sources),
        seed_references=seed_references, medication_classes=classes, agents=agents,
        study_tables=studies, curves=MappingProxyType(curves), folder=folder,
    )
