"""Therapy phase kinds (DESIGN.md section 4)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol


class _PhaseLike(Protocol):  # records.Phase, read only
    @property
    def id(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def start_date(self) -> str: ...
    @property
    def end_date(self) -> str | None: ...


@dataclass(frozen=True)
class PhaseKind:
    """A kind of therapy phase: its label, colour and description."""
    key: str
    label: str
    colour: str  # the timeline strip and the chart lanes: 4.5:1 or more against white, so
    # white names on it and the colour itself on a white chart pass WCAG AA
    description: str


PHASE_KINDS: dict[str, PhaseKind] = {
    k.key: k
    for k in (
        PhaseKind("baseline", "Baseline", "#757575", "Before therapy: your own production."),
        PhaseKind("trt", "TRT", "#c0504d", "Testosterone from outside the body."),
        PhaseKind("washout", "Washout", "#a9650b", "Testosterone stopped, no restart drugs yet."),
        PhaseKind("hcg", "hCG", "#4477b4", "hCG standing in for LH at the testes."),
        PhaseKind(
            "serm_clomiphene", "SERM: clomiphene", "#268265",
            "Clomiphene or enclomiphene blocking estrogen feedback on the brain.",
        ),
        PhaseKind(
            "serm_tamoxifen", "SERM: tamoxifen", "#51803c",
            "Tamoxifen blocking estrogen feedback on the brain.",
        ),
        PhaseKind(
            "aromatase_inhibitor", "Aromatase inhibitor", "#8064a2",
            "Anastrozole or similar lowering estradiol.",
        ),
        PhaseKind("gonadorelin", "Gonadorelin", "#2f7e93", "GnRH pulses acting on the pituitary."),
        PhaseKind("recovery", "Recovery monitoring", "#657d33", "Off all drugs, watching recovery."),
    )
}


def phase_label(kind: str) -> str:
    known = PHASE_KINDS.get(kind)
    return known.label if known else kind


# Phases that mean "no drug of the therapy is being taken": a span of one of these cannot
# share days with a drug phase (a washout during TRT, a baseline during hCG). Drug phases may
# overlap one another: hCG on TRT and a SERM with hCG are common regimens.
DRUG_FREE_KINDS = frozenset({"baseline", "washout", "recovery"})


@dataclass(frozen=True)
class Overlap:
    """Days two phases share: ``first`` to ``last`` (inclusive)."""

    other_kind: str
    first: str
    last: str
    days: int
    contradicts: bool  # a drug-free phase sharing days with a drug phase (or another drug-free)

    def sentence(self, kind: str) -> str:
        span = f"{self.first} to {self.last} ({self.days} day{'s' if self.days != 1 else ''})"
        if self.contradicts:
            return (f"{phase_label(kind)} would share {span} with {phase_label(self.other_kind)}: "
                    f"{_state(kind, self.other_kind)}")
        return (f"{phase_label(kind)} overlaps {phase_label(self.other_kind)} {span}: both "
                "phases' expected responses apply there, and a marker they move opposite ways "
                "is not judged")


def _state(kind: str, other: str) -> str:
    free = kind if kind in DRUG_FREE_KINDS else other
    return f"{phase_label(free).lower()} means no therapy drug is taken, so both cannot be true"


def overlaps(phase: _PhaseLike, others: Iterable[_PhaseLike], today: date) -> list[Overlap]:
    """The phases among ``others`` that share days with ``phase`` (an open end runs to
    ``today``), with the days shared. ``phase`` itself (same id) is left out."""
    start, end = _days(phase, today)
    found = []
    for other in others:
        if other.id is not None and other.id == phase.id:
            continue
        other_start, other_end = _days(other, today)
        first, last = max(start, other_start), min(end, other_end)
        if first > last:
            continue
        free = (phase.kind in DRUG_FREE_KINDS) + (other.kind in DRUG_FREE_KINDS)
        contradicts = free >= 1 and phase.kind != other.kind
        found.append(Overlap(other.kind, first.isoformat(), last.isoformat(),
                             (last - first).days + 1, contradicts))
    return found


def _days(phase: _PhaseLike, today: date) -> tuple[date, date]:
    start = date.fromisoformat(phase.start_date)
    end = date.fromisoformat(phase.end_date) if phase.end_date else max(today, start)
    return start, end


def new_overlaps(before: _PhaseLike, after: _PhaseLike, others: Iterable[_PhaseLike],
                 today: date) -> list[Overlap]:
    """Overlaps ``after`` has that ``before`` (the same phase before a change) did not have
    with the same phase kind, or has for more days."""
    others = list(others)
    old = {o.other_kind: o.days for o in overlaps(before, others, today)}
    return [o for o in overlaps(after, others, today) if o.days > old.get(o.other_kind, 0)]


def phase_lanes(phases: Sequence[_PhaseLike], open_until: date) -> dict[int, int]:
    """THE lane layout (issue 20), for the chart's phase lanes and the phases page's strip:
    lane number by index into ``phases``. Phases sharing a day go to separate lanes; in order
    of start (then id), each takes the first lane free before it starts. An open phase runs to
    ``open_until`` (the view's last day), and at least to its own start."""
    ends: list[date] = []  # last day used on each lane
    lanes: dict[int, int] = {}
    for i in sorted(range(len(phases)), key=lambda i: (phases[i].start_date, phases[i].id or 0)):
        start, end = _days(phases[i], open_until)
        lane = next((n for n, last in enumerate(ends) if last < start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes[i] = lane
    return lanes
