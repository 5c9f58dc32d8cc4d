"""Build the whole report: gather the journal's data, draw the charts, write the PDF."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hpgjournal.domain.display import marker_name
from hpgjournal.domain.phases import phase_label
from hpgjournal.report.content import (
    ChartImage,
    ReportData,
    ReportOptions,
    gather,
    render_html,
    result_rows,
)
from hpgjournal.store.journal import Journal

log = logging.getLogger("hpgjournal.report")

# The charts a clinician sees first, in this order; each is drawn when the journal has its data.
REPORT_CHARTS = (
    (("testosterone_total",), "Total testosterone"),
    (("lh", "fsh"), "LH and FSH"),
    (("estradiol",), "Estradiol"),
    (("hematocrit",), "Hematocrit"),
    (("psa",), "PSA"),
)


def _chart_images(journal: Journal, data: ReportData, options: ReportOptions
                  ) -> tuple[list[ChartImage], dict[str, Any]]:
    """The report's charts and their figures, which the PDF draws as vectors."""
    from matplotlib.figure import Figure

    from hpgjournal.charts import build_marker_chart, build_sperm_recovery_chart
    from hpgjournal.services.chartdata import load_chart_data, sperm_chart_data

    present = {r.analyte for r in data.results}
    charts: list[ChartImage] = []
    images: dict[str, Any] = {}
    wanted = [(keys, title) for keys, title in REPORT_CHARTS if any(k in present for k in keys)]
    if options.markers:
        wanted = [((k,), marker_name(k)) for k in options.markers if k in present]
    few = [title for keys, title in wanted
           if sum(1 for r in data.results if r.analyte in keys) < MIN_CHART_POINTS]
    wanted = [(keys, title) for keys, title in wanted if title not in few]
    data.few_for_chart = few
    for keys, title in wanted:
        figure = Figure(figsize=(9, 5.4))
        result = build_marker_chart(load_chart_data(journal, list(keys)), list(keys),
                                    start=data.start, end=data.end,
                                    units=options.units, figure=figure, footnote=False)
        name = f"chart-{'-'.join(keys)}.png"
        images[name] = figure  # drawn as vectors into the PDF (report/qtpaint.py)
        charts.append(ChartImage(name, title, " ".join(_telling(result.notes)), aspect=5.4 / 9))
    if "sperm_concentration" in present:
        figure = Figure(figsize=(9, 4.6))
        result = build_sperm_recovery_chart(sperm_chart_data(journal), units=options.units,
                                            figure=figure)
        images["chart-sperm.png"] = figure
        charts.append(ChartImage("chart-sperm.png", "Sperm concentration against the published "
                                 "recovery after stopping testosterone", " ".join(result.notes),
                                 aspect=4.6 / 9))
    return charts, images


MIN_CHART_POINTS = 3  # fewer results in the period: the table on page 1 shows them better


# Notes a chart repeats for phase after phase; the chart itself marks the direction instead.
_SAID_BY_THE_CHART = ("only a single published figure exists", "give a direction but no size",
                      "no published figure was found")


def _telling(notes: list[str]) -> list[str]:
    """The chart's notes that say something the chart does not show."""
    return [n for n in notes if not any(words in n for words in _SAID_BY_THE_CHART)]


_PLAIN = ("as_expected", "in_expected_direction", "no_clear_change")


def _verdicts(journal: Journal, data: ReportData, options: ReportOptions
              ) -> list[tuple[str, str, str, str]]:
    """(phase, marker, verdict, what happened) for the report's markers in the period, grouped
    by phase; the unremarkable ones of a phase fold into one row per verdict ("LH, FSH: as
    expected", with their numbers), the rest each with the expectation and its origin."""
    import re

    from hpgjournal.domain.knowledge import marker_short
    from hpgjournal.services.chartdata import assess_journal
    from hpgjournal.services.knowledge import default_knowledge

    knowledge = default_knowledge()
    wanted = set(data.markers) | {"t_e2_ratio", "sperm_concentration", "testicular_volume"}
    by_phase: dict[tuple[str, str], list] = {}
    sources: set[str] = set()
    for item in assess_journal(journal, knowledge, system=options.units):
        when = item.observed_taken_at[:10] if item.observed_taken_at else ""
        if not when or not (data.start <= when <= data.end) or item.analyte not in wanted:
            continue
        if item.verdict in ("no_expectation", "not_enough_data"):
            continue
        by_phase.setdefault((item.phase_start, item.phase_kind), []).append(item)
        sources.update(item.source_ids)
    rows = []
    for (_, kind), items in sorted(by_phase.items()):
        phase = phase_label(kind)
        plain = [i for i in items if i.verdict in _PLAIN and not i.cautions]
        for verdict in _PLAIN:
            group = [i for i in plain if i.verdict == verdict]
            if not group:
                continue
            names = ", ".join(marker_short(i.analyte) for i in group)
            numbers = "; ".join(
                f"{marker_short(i.analyte)} {m.group(1)}" for i in group
                if (m := re.search(r"\(([^()]*\d[^()]*)\)", i.text)))
            rows.append((phase, names, group[0].words, numbers + "." if numbers else ""))
        for item in items:
            if item in plain:
                continue
            happened = item.text.split(": ", 1)[0] if ": " in item.text else item.text
            why = (f" Not judged because {item.reason}." if item.verdict == "not_judged"
                   and item.reason else "")
            caution = f" {item.cautions[0]}" if item.cautions else ""
            rows.append((phase, marker_name(item.analyte), item.words,
                         f"{happened}.{why} {item.expectation}{caution}"))
    data.sources = sorted({*data.sources, *(knowledge.sources[s].citation for s in sources
                                              if s in knowledge.sources)})
    return rows


def prepare(journal: Journal, options: ReportOptions, today: date | None = None
            ) -> tuple[ReportData, str, dict[str, Any]]:
    """The data, the HTML and the charts (figures to draw as vectors, by resource name)."""
    data = gather(journal, options, today)
    figures: dict[str, Any] = {}
    if "charts" in options.sections and data.results:
        data.charts, figures = _chart_images(journal, data, options)
    if "verdicts" in options.sections and data.results:
        data.verdicts = _verdicts(journal, data, options)
    html = render_html(data, options)
    from hpgjournal.report.pdf import VectorImage

    images: dict[str, Any] = {name: VectorImage(figure) for name, figure in figures.items()}
    if "results" in options.sections and data.results:
        images["results"] = result_rows(data, options)  # the appendix, painted page by page
    return data, html, images


def page_title(data: ReportData) -> str:
    """The line at the foot of every page: who (name, date of birth) and the period."""
    name = data.profile.get("name", "")
    born = data.profile.get("birth_date", "")
    who = " — " + ", ".join(x for x in (name, f"born {born}" if born else "") if x) \
        if name or born else ""
    return f"Hormone journal report{who}, {data.start} to {data.end}"


def write_report(journal: Journal, out: Path, options: ReportOptions,
                 today: date | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> int:
    from hpgjournal.report.pdf import write_pdf

    data, html, images = prepare(journal, options, today)
    return write_pdf(html, images, out, paper=options.paper, title=page_title(data),
                     progress=progress, cancelled=cancelled)
