"""What the charts need, as plain data (issue 20: the charts never read the store).

:mod:`hpgjournal.services.chartdata` reads the journal into :class:`ChartData`; this module
names the panel and the keys a chart accepts, and re-exports the plain types and the derived
series (defined in :mod:`hpgjournal.domain.journal_data` and :mod:`hpgjournal.domain.derived`)
under their old names. :func:`review_json` is the ``hpgjournal assess --json`` document.
"""

from __future__ import annotations

import math

from hpgjournal.domain import analytes
from hpgjournal.domain.assessment import Assessment
from hpgjournal.domain.derived import free_t_series, t_e2_series, testicular_volume_series
from hpgjournal.domain.journal_data import ChartData, DoseMark, Review
from hpgjournal.domain.knowledge import DERIVED_MARKERS
from hpgjournal.services.knowledge import default_knowledge

__all__ = [
    "PANEL_MARKERS",
    "ChartData",
    "DoseMark",
    "Review",
    "chart_keys",
    "default_knowledge",
    "free_t_series",
    "review_json",
    "t_e2_series",
    "testicular_volume_series",
]

# The panel of DESIGN.md section 1: T, free T, E2, LH, FSH, SHBG, Hct on one time axis.
PANEL_MARKERS: tuple[str, ...] = ("testosterone_total", "testosterone_free", "estradiol", "lh",
                                  "fsh", "shbg", "hematocrit")


def chart_keys() -> tuple[str, ...]:
    """Every key a chart accepts: the catalogue's markers, then the derived series."""
    return (*analytes.CATALOGUE, *DERIVED_MARKERS)


def review_json(result: Review) -> dict[str, object]:
    """The ``hpgjournal assess --json`` document (DESIGN.md section 5, the verdicts issue)."""
    def expected(a: Assessment) -> dict[str, object]:
        out: dict[str, object] = {"direction": a.direction, "text": a.expectation}
        if a.expected_low is not None:
            out["low"] = a.expected_low
            out["high"] = None if a.expected_high is None or math.isinf(a.expected_high) \
                else a.expected_high
        return out

    return {
        "as_of": result.as_of.isoformat(),
        "verdicts": [{
            "phase": a.phase_kind, "phase_start": a.phase_start, "marker": a.analyte,
            "verdict": a.verdict, "reason": a.reason, "text": a.text,
            "compared": [list(c) for c in a.compared], "expected": expected(a),
            "origin": a.origin_key, "confidence": a.confidence, "sources": list(a.source_ids),
        } for a in result.verdicts],
        "flags": [{"key": f.key, "marker": f.marker, "level": f.level, "taken_at": f.taken_at,
                   "text": f.text, "threshold": f.source, "sources": list(f.source_ids)}
                  for f in result.flags],
        "due": [{"test": d.test, "due": d.due.isoformat(), "status": d.status, "why": d.why,
                 "origin": d.origin, "sources": list(d.sources)} for d in result.due],
    }
