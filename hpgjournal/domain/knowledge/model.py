"""What the knowledge base holds, as frozen records: the vocabularies its files use, the phases
with their expected responses, statements and references, the sources, the source documents'
tables and the published recovery curves. Built by ``knowledge/loader.py``; read by the
verdicts, the charts and the report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ORIGINS = ("seed", "literature", "seed+literature")
TAGS = ("SA", "EXT-P", "EXT-S", "DERIVED", "GAP")
# down_then_up: a low point first, then a climb (total testosterone in a washout)
DIRECTIONS = ("up", "down", "down_then_up", "flat", "variable", "unknown")
TIMING_ORIGINS = ("literature", "assumption")
SIZES = ("relative", "absolute", "change", "reference_range", "recovery_curve", "none")
ANCHORS = ("phase_start", "last_trt_dose", "first_missed_dose")
SOURCE_KINDS = ("source_document", "study", "review", "guideline", "clinic_protocol", "label",
                "lab_catalogue", "project_note")
SEED_REFERENCE_STATUSES = ("verified", "corrected", "closest_match", "not_found", "not_checked")
# The verdicts of hpgjournal.domain.assessment (cautions may name the verdicts they go with).
# Stable keys (DESIGN.md section 5; ``hpgjournal assess --json``), shown to users in words.
VERDICTS = ("as_expected", "in_expected_direction", "no_clear_change", "less_than_expected",
            "more_than_expected", "opposite", "not_judged", "not_enough_data", "no_expectation")
DAYS_PER_MONTH = 30.44

_BAND_SIZES = ("relative", "absolute", "change", "reference_range")
_NON_PHASE_FILES = ("sources", "tables", "curves")


class KnowledgeError(ValueError):
    """The knowledge base is broken; the message names the file and the key at fault."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")
        self.file = file
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class Source:
    """A source a figure comes from: its citation, kind and when it was checked."""
    id: str
    short: str
    citation: str
    kind: str
    checked: str
    link: str = ""

    @property
    def is_source_document(self) -> bool:
        return self.kind == "source_document"


@dataclass(frozen=True)
class SeedReference:
    """One entry of a source document's reference list, as cited and as checked."""

    document: str
    as_cited: str
    status: str
    corrected: str
    note: str


@dataclass(frozen=True)
class Statement:
    """A sentence of explanation with its provenance.

    ``analytes`` (optional) ties a caution to markers; ``when`` (optional) to the verdicts that
    bring it up (e.g. the warning about too-low estradiol with "more than expected").
    """

    text: str
    origin: str
    tag: str
    sources: tuple[str, ...]
    analytes: tuple[str, ...] = ()
    when: tuple[str, ...] = ()

    @property
    def literature_only(self) -> bool:
        return self.origin == "literature"


@dataclass(frozen=True)
class Reference:
    """A typical value or range for a marker before therapy (canonical unit)."""

    analyte: str
    low: float | None
    high: float | None
    typical: float | None
    population: str
    text: str
    origin: str
    tag: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ExpectedResponse:
    """What a marker is expected to do in a phase.

    ``size`` says how ``low``, ``high`` and ``typical`` read: ``relative`` (% change from the
    value at the start), ``absolute`` (values in the canonical unit), ``change`` (a difference in
    the canonical unit), ``reference_range`` (the lab's range is the expected state),
    ``recovery_curve`` (``curve`` names a :class:`RecoveryCurve`) or ``none``. A band exists only
    where a range was published (:attr:`has_band`); ``typical`` alone is never drawn.
    ``start_below``/``start_above`` (canonical) bound the starting values the sizes were measured
    from. Windows are days after the ``anchor``.
    """

    phase_kind: str
    analyte: str
    direction: str
    size: str
    anchor: str
    origin: str
    tag: str
    sources: tuple[str, ...]
    evidence: str
    low: float | None = None
    high: float | None = None
    typical: float | None = None
    start_below: float | None = None
    start_above: float | None = None
    onset_days: tuple[float, float] | None = None
    plateau_days: tuple[float, float] | None = None
    curve: str = ""
    timing: str = ""
    timing_origin: str = ""  # where the onset/plateau windows come from: literature, assumption
    draw_timing: str = ""  # "mid_interval": on injections only a draw midway between doses counts
    population: str = ""
    regimen: str = ""
    caveats: tuple[str, ...] = ()

    @property
    def has_band(self) -> bool:
        """True when a band can be drawn (a published range, or the lab's reference range)."""
        if self.size == "reference_range":
            return True
        if self.size == "absolute":
            return self.low is not None or self.high is not None
        if self.size in ("relative", "change"):
            return self.low is not None and self.high is not None
        return False

    @property
    def literature_only(self) -> bool:
        """True when the source documents do not state this response (drawn fainter)."""
        return self.origin == "literature"

    @property
    def is_gap(self) -> bool:
        return self.tag == "GAP"


@dataclass(frozen=True)
class PhaseKnowledge:
    """What the sources say about one phase: mechanism, practice, cautions, responses."""
    kind: str
    title: str
    summary: str
    mechanism: tuple[Statement, ...]
    practice: tuple[Statement, ...]
    cautions: tuple[Statement, ...]
    references: tuple[Reference, ...]
    responses: tuple[ExpectedResponse, ...]
    file: str

    def response(self, analyte: str) -> ExpectedResponse | None:
        return next((r for r in self.responses if r.analyte == analyte), None)

    def cautions_for(self, analyte: str, verdict: str | None = None) -> tuple[Statement, ...]:
        """Cautions about a marker; with ``verdict``, only those that apply to it."""
        return tuple(
            c for c in self.cautions
            if analyte in c.analytes and (not c.when or verdict is None or verdict in c.when)
        )

    @property
    def source_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        items: tuple[Statement | Reference | ExpectedResponse, ...] = (
            *self.mechanism, *self.practice, *self.cautions, *self.references, *self.responses)
        for item in items:
            seen.update(dict.fromkeys(item.sources))
        return tuple(seen)


@dataclass(frozen=True)
class MedicationClass:
    """A row of the restart document's medication-class table."""

    name: str
    action: str
    target: str
    phase_kinds: tuple[str, ...]
    origin: str
    tag: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Agent:
    """A row of the testicular-atrophy document's agent table."""

    name: str
    action: str
    target: str
    outcome: str
    phase_kinds: tuple[str, ...]
    origin: str
    tag: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class StudyRow:
    """A marker's mean before and after in a study."""
    analyte: str
    before: float  # canonical unit
    after: float

    @property
    def change_percent(self) -> float:
        return (self.after - self.before) / self.before * 100.0


@dataclass(frozen=True)
class StudyTable:
    """A before/after table quoted by a source document; ``verified`` False means untraced."""

    id: str
    title: str
    phase_kind: str
    population: str
    after_days: float
    verified: bool
    caveat: str
    rows: tuple[StudyRow, ...]
    origin: str
    tag: str
    sources: tuple[str, ...]

    def row(self, analyte: str) -> StudyRow | None:
        return next((r for r in self.rows if r.analyte == analyte), None)


@dataclass(frozen=True)
class CurvePoint:
    """One point of a published recovery curve: month and share recovered."""
    month: float
    share: float  # % of men recovered
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def day(self) -> float:
        return self.month * DAYS_PER_MONTH


@dataclass(frozen=True)
class RecoveryCurve:
    """Share of men recovered to ``threshold`` (canonical unit) by time after the anchor."""

    id: str
    analyte: str
    threshold: float
    anchor: str
    title: str
    population: str
    median_months: float | None
    caveats: tuple[str, ...]
    points: tuple[CurvePoint, ...]
    origin: str
    tag: str
    sources: tuple[str, ...]

    def published_by(self, day: float) -> CurvePoint | None:
        """The study's last published figure at or before ``day`` (None before the first).

        The study reported shares at a few times only; nothing between them was measured, so
        verdicts read the last figure reached rather than a line drawn between figures.
        """
        reached = [p for p in self.points if p.day <= day]
        return reached[-1] if reached else None

    def share_at(self, day: float) -> float:
        """Share of men recovered (%) ``day`` days after the anchor, straight lines between points."""
        if day <= self.points[0].day:
            return self.points[0].share
        for before, after in pairwise(self.points):
            if day <= after.day:
                span = after.day - before.day
                return before.share + (after.share - before.share) * (day - before.day) / span
        return self.points[-1].share


@dataclass(frozen=True)
class Knowledge:
    """The whole knowledge base, validated."""

    phases: Mapping[str, PhaseKnowledge]
    sources: Mapping[str, Source]
    seed_references: tuple[SeedReference, ...]
    medication_classes: tuple[MedicationClass, ...]
    agents: tuple[Agent, ...]
    study_tables: tuple[StudyTable, ...]
    curves: Mapping[str, RecoveryCurve]
    folder: Path = field(compare=False)

    def phase(self, kind: str) -> PhaseKnowledge | None:
        return self.phases.get(kind)

    def response(self, kind: str, analyte: str) -> ExpectedResponse | None:
        phase = self.phases.get(kind)
        return phase.response(analyte) if phase else None

    def curve_for(self, response: ExpectedResponse) -> RecoveryCurve | None:
        return self.curves.get(response.curve) if response.curve else None

    def study_rows(self, kind: str, analyte: str) -> list[tuple[StudyTable, StudyRow]]:
        return [(t, row) for t in self.study_tables if t.phase_kind == kind
                for row in t.rows if row.analyte == analyte]

    def short_names(self, ids: Iterable[str]) -> str:
        """'Leder 2004; Taxel 2001' for a list of source ids (source documents left out)."""
        names = [self.sources[i].short for i in ids
                 if i in self.sources and not self.sources[i].is_source_document]
        return "; ".join(dict.fromkeys(names))
