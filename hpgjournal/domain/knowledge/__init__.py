"""The knowledge base: what each therapy phase does to the HPG axis and to each marker.

The knowledge lives in ``hpgjournal/resources/knowledge/`` as TOML (DESIGN.md section 4): one file per phase
kind of :data:`hpgjournal.domain.phases.PHASE_KINDS` (``trt.toml``, ``hcg.toml`` ...), plus
``sources.toml`` (every cited work, and the source documents' reference lists with their
corrections), ``tables.toml`` (the source documents' tables as data) and ``curves.toml``
(published recovery curves). :func:`load_knowledge` reads and validates all of it; the domain
layer takes the folder as a parameter (callers pass ``hpgjournal.paths.resources_dir() /
"knowledge"``).

Every statement says where it comes from (``origin``: ``seed`` for the two source documents,
``literature``, or ``seed+literature`` when the documents state the idea and the literature gives
the figure) and how strong it is (``tag``: ``SA``, ``EXT-P``, ``EXT-S``, ``DERIVED`` or ``GAP``,
the tags of the project's research notes). A ``GAP`` never carries a band.

Each phase lists the expected response per marker: a direction, a typical size (a range of
relative or absolute values, a single published figure, the lab's reference range, or a
published recovery curve), onset and plateau windows in days after an anchor (the phase start,
the last testosterone dose, or the first missed dose), the evidence in words, and its sources.
Numbers are converted to the marker's canonical unit on loading.

The loader rejects, with a :class:`KnowledgeError` naming the file and the key: unknown keys,
unknown markers, phase kinds, sources or curves, statements without sources, bands on gaps,
and bad numbers (not finite, low above high, onset after plateau, falls beyond -100 %).
"""


from typing import TYPE_CHECKING, Any

from hpgjournal.domain.knowledge.markers import (
    DERIVED_MARKERS,
    DerivedMarker,
    is_marker_key,
    marker_decimals,
    marker_short,
    marker_to_system,
    marker_unit,
)

if TYPE_CHECKING:
    from hpgjournal.domain.knowledge.loader import load_knowledge
    from hpgjournal.domain.knowledge.model import (
        ANCHORS,
        DAYS_PER_MONTH,
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

# The statements' classes and their loader load when first asked for (a chart, a verdict):
# the marker names, which the window's first page needs, do not wait for them (issue 17).
# A public name asked for here is not one of the markers' (those are found above): it is the
# model's, or the loader.


def __getattr__(name: str) -> Any:
    if name == "load_knowledge":
        from hpgjournal.domain.knowledge.loader import load_knowledge

        return load_knowledge
    if name in __all__:
        from hpgjournal.domain.knowledge import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ANCHORS",
    "DAYS_PER_MONTH",
    "DERIVED_MARKERS",
    "DIRECTIONS",
    "ORIGINS",
    "SEED_REFERENCE_STATUSES",
    "SIZES",
    "SOURCE_KINDS",
    "TAGS",
    "TIMING_ORIGINS",
    "VERDICTS",
    "Agent",
    "CurvePoint",
    "DerivedMarker",
    "ExpectedResponse",
    "Knowledge",
    "KnowledgeError",
    "MedicationClass",
    "PhaseKnowledge",
    "RecoveryCurve",
    "Reference",
    "SeedReference",
    "Source",
    "Statement",
    "StudyRow",
    "StudyTable",
    "is_marker_key",
    "load_knowledge",
    "marker_decimals",
    "marker_short",
    "marker_to_system",
    "marker_unit",
]
