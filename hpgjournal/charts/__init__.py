"""matplotlib Figure builders (no pyplot, no Qt widgets), for the screen and the report alike.

Public API (stable; the GUI chart view, the report and ``hpgjournal chart`` call these):

``build_marker_chart(data, analytes, *, start=None, end=None, units="us", show_ranges=True,
show_phases=True, show_expected=True, show_doses=True, knowledge=None, figure=None,
size=(10, 6), footnote=False) -> ChartResult`` (:mod:`hpgjournal.charts.marker`)
    One marker, or several stacked on one time axis (``PANEL_MARKERS`` is the standard panel:
    T, free T, E2, LH, FSH, SHBG, Hct). ``analytes`` are catalogue keys or the derived series
    ``t_e2_ratio`` and ``free_t_calculated``; ``start``/``end`` are dates or ``YYYY-MM-DD``
    (default: the journal's whole span); ``units`` is ``"us"`` or ``"si"``. Pass the canvas'
    ``figure`` to draw into it (it is cleared); ``data`` is the plain ``ChartData`` that
    ``hpgjournal.services.chartdata.load_chart_data`` read from the journal (reuse it when only
    toggles change; the charts never read the store); ``footnote`` writes under the chart
    which phases have no band and why (for files; the GUI shows ``notes``). Raises ValueError
    for unknown markers or units.

``build_sperm_recovery_chart(data, *, units="us", knowledge=None, figure=None)
-> ChartResult`` (:mod:`hpgjournal.charts.sperm`)
    Sperm concentration in months after the first missed testosterone dose, above the published
    share of men recovered by each month (Liu 2006).

``ChartData``, ``default_knowledge() -> Knowledge``, ``chart_keys()``, ``PANEL_MARKERS``
(:mod:`hpgjournal.charts.data`)
    The plain data a chart draws, and the keys it accepts. Reading the journal
    (``load_chart_data``, ``assess_journal``, ``review``) is :mod:`hpgjournal.services.chartdata`.

``ChartResult`` (:mod:`hpgjournal.charts.result`) holds:

* ``figure``; ``marker_axes`` (marker key -> Axes, top to bottom); ``dose_axes``; ``lane_axes``;
* ``points``: one ``PointInfo`` per drawn value (marker, method, series label, journal
  ``result_id``, ``taken_at``, ``x``/``y`` in data units, ``value_text`` such as ``<0.2``, unit,
  censored, derived, lab, note, and ``phases``: the phases running that day with days into each);
* ``phase_spans``: one ``PhaseSpan`` per lane rectangle (phase id, kind, label, start, end, lane,
  x0/x1, colour, the phase's note, the Rectangle artist);
* ``envelopes``: one ``EnvelopeInfo`` per expected band (phase id and kind, marker, the
  knowledge's ExpectedResponse with its sources, the Envelope, literature-only flag, artist);
* ``notes``: sentences for what could not be drawn (why a phase has no band);
* ``assessments``: the verdicts for the charted markers (``hpgjournal.domain.assessment``).

and helpers for events: ``point_near(event.inaxes, event.x, event.y)`` -> PointInfo or None,
``phase_at(event.inaxes, event.xdata, event.ydata)`` -> PhaseSpan or None (a click on a lane),
``hover_text(point)`` -> the tooltip text. A clicked phase's explanation and sources are
``knowledge.phase(span.kind)`` (mechanism, practice, cautions, responses, each with origin, tag
and source ids; ``knowledge.sources[id]`` gives the citation).

Drawing conventions: the user's values are dark; censored values are open circles at the limit
with an arrow, never 0; each assay method is its own series; the lab's range is grey; each
phase's expected band is in the phase's colour (from ``PHASE_KINDS``), solid-edged when the
source documents state the response and fainter with dashed edges when only the literature
does; no band is drawn where no range is published (GAP, a single figure, or a start outside
the studied range), and ``notes`` says so.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "PANEL_MARKERS",
    "ChartData",
    "ChartResult",
    "EnvelopeInfo",
    "PhaseSpan",
    "PointInfo",
    "build_marker_chart",
    "build_sperm_recovery_chart",
    "chart_keys",
    "default_knowledge",
]

_HOMES = {
    "PANEL_MARKERS": "data", "ChartData": "data", "chart_keys": "data",
    "default_knowledge": "data",
    "ChartResult": "result", "EnvelopeInfo": "result", "PhaseSpan": "result", "PointInfo": "result",
    "build_marker_chart": "marker", "build_sperm_recovery_chart": "sperm",
}


def __getattr__(name: str) -> Any:
    """Load the submodules (and matplotlib) only when something is used."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'hpgjournal.charts' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"hpgjournal.charts.{home}"), name)
