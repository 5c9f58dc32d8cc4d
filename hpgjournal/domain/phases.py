"""Therapy phase kinds (DESIGN.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhaseKind:
    key: str
    label: str
    colour: str  # used by the timeline strip and the chart lanes
    description: str


PHASE_KINDS: dict[str, PhaseKind] = {
    k.key: k
    for k in (
        PhaseKind("baseline", "Baseline", "#9e9e9e", "Before therapy: your own production."),
        PhaseKind("trt", "TRT", "#c0504d", "Testosterone from outside the body."),
        PhaseKind("washout", "Washout", "#f2a33a", "Testosterone stopped, no restart drugs yet."),
        PhaseKind("hcg", "hCG", "#4f81bd", "hCG standing in for LH at the testes."),
        PhaseKind(
            "serm_clomiphene", "SERM: clomiphene", "#2e9e7a",
            "Clomiphene or enclomiphene blocking estrogen feedback on the brain.",
        ),
        PhaseKind(
            "serm_tamoxifen", "SERM: tamoxifen", "#6aa84f",
            "Tamoxifen blocking estrogen feedback on the brain.",
        ),
        PhaseKind(
            "aromatase_inhibitor", "Aromatase inhibitor", "#8064a2",
            "Anastrozole or similar lowering estradiol.",
        ),
        PhaseKind("gonadorelin", "Gonadorelin", "#4bacc6", "GnRH pulses acting on the pituitary."),
        PhaseKind("recovery", "Recovery monitoring", "#77933c", "Off all drugs, watching recovery."),
    )
}


def phase_label(kind: str) -> str:
    known = PHASE_KINDS.get(kind)
    return known.label if known else kind
