"""What the doctor-visit report says, as HTML for a paged QTextDocument (no Qt here).

Everything a user or a file typed is escaped: a note ``<b>x</b>`` prints as those characters.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from hpgjournal import __version__
from hpgjournal.domain import analytes
from hpgjournal.domain.alerts import Alert, find_alerts
from hpgjournal.domain.ams import decode, score
from hpgjournal.domain.display import (
    marker_name,
    method_label,
    range_text,
    value_in,
)
from hpgjournal.domain.drugs import ROUTES
from hpgjournal.domain.journal_data import as_it_stood
from hpgjournal.domain.monitoring import Due, due_tests
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.plausible import left_out_note, usable
from hpgjournal.domain.profile import age_on
from hpgjournal.domain.records import (
    SCORE_NAMES,
    Dose,
    LabResult,
    Measure,
    Medication,
    Note,
    Phase,
    Questionnaire,
)
from hpgjournal.domain.timestamps import days_between
from hpgjournal.domain.timing import DoseClock
from hpgjournal.store.journal import Journal

SECTIONS = ("summary", "timeline", "charts", "verdicts", "results", "fertility", "symptoms",
            "notes", "sources")
SECTION_TITLES = {
    "summary": "Summary", "timeline": "Therapy timeline", "charts": "Charts",
    "verdicts": "Observed against expected", "results": "Appendix: all results",
    "fertility": "Semen analyses and testicular volume", "symptoms": "Symptom scores",
    "notes": "Notes for the doctor", "sources": "Sources",
}
# Every result is an appendix, on request (--appendix, or its box on the report page): the
# visit itself is page 1, the evidence after it.
DEFAULT_SECTIONS = tuple(s for s in SECTIONS if s != "results")
# Where the PDF writer may start a new, separately laid-out document: Qt lays out and draws one
# long document of many tables slowly (each page walks them all), so the appendix's tables are
# documents of their own, a page each.
SPLIT = "<!-- hpgjournal: a new document starts here -->"
DISCLAIMER = ("This report shows recorded data and published expectations. It is not medical "
              "advice: decisions belong to the patient and his clinician.")


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def nb(value: object) -> str:
    """Escaped, and kept on one line (for short values such as "7.0 d · trough")."""
    return f"<span style='white-space: nowrap'>{esc(value)}</span>"


@dataclass
class ReportOptions:
    """What the user asked the report to cover: dates, sections, markers, units, paper."""
    start: str | None = None  # default: 12 months before ``end``
    end: str | None = None  # default: today
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    markers: tuple[str, ...] = ()  # default: the key markers with data
    units: str = "us"
    paper: str = "a4"  # or "letter"

    def span(self, today: date) -> tuple[str, str]:
        end = self.end or today.isoformat()
        start = self.start or (date.fromisoformat(end) - timedelta(days=365)).isoformat()
        return start, end


@dataclass
class ChartImage:
    """A chart placed in the report: a resource name the PDF writer registers, and a title."""

    name: str
    title: str
    caption: str = ""
    aspect: float = 0.6  # height over width: the chart is drawn as vectors into that box


@dataclass
class ReportData:
    """Everything one report prints, read from the journal once."""
    start: str
    end: str
    today: str
    profile: dict[str, str]
    results: list[LabResult]  # in the range
    all_results: list[LabResult]  # for "change since the previous draw" across the range edge
    phases: list[Phase]
    medications: list[Medication]
    doses: list[Dose]
    notes: list[Note]
    measures: list[Measure]
    questionnaires: list[Questionnaire]
    alerts: list[Alert]
    markers: list[str]
    clock: DoseClock
    due: list[Due] = field(default_factory=list)
    history: list[Medication] = field(default_factory=list)  # every regimen ever logged
    few_for_chart: list[str] = field(default_factory=list)  # charts left out: too few results
    # stored results left out everywhere because they are impossible (domain.plausible)
    left_out: list[tuple[LabResult, str]] = field(default_factory=list)
    all_doses: list[Dose] = field(default_factory=list)
    charts: list[ChartImage] = field(default_factory=list)
    verdicts: list[tuple[str, str, str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _in(stamp: str, start: str, end: str) -> bool:
    return start <= stamp[:10] <= end


def gather(journal: Journal, options: ReportOptions, today: date | None = None) -> ReportData:
    """What the report says, from one read of the journal through the services."""
    from hpgjournal.services.records import read_records

    today = today or date.today()
    start, end = options.span(today)
    journal_records = read_records(journal)
    all_phases, all_medications = journal_records.phases, journal_records.medications
    all_results, left_out = usable(journal_records.results)
    results = [r for r in all_results if _in(r.taken_at, start, end)]
    phases = [p for p in all_phases
              if p.start_date <= end and (p.end_date is None or p.end_date >= start)]
    medications = [m for m in all_medications
                   if m.start_date <= end and (m.end_date is None or m.end_date >= start)]
    doses = journal_records.doses
    present = {r.analyte for r in results}
    markers = list(options.markers) or [k for k in analytes.KEY_MARKERS if k in present]
    as_of = date.fromisoformat(end)
    # the flags and tests due of the report's last day, as the overview said them that day
    then_results, then_phases, then_medications = as_it_stood(all_results, all_phases,
                                                              all_medications, as_of)
    data = ReportData(
        start=start, end=end, today=today.isoformat(), profile=journal_records.profile,
        results=results, all_results=all_results, phases=phases, medications=medications,
        doses=[d for d in doses if _in(d.taken_at, start, end)],
        notes=[n for n in journal_records.notes if _in(n.noted_at, start, end)],
        measures=[m for m in journal_records.measures if _in(m.measured_at, start, end)],
        questionnaires=[q for q in journal_records.questionnaires
                        if _in(q.taken_at, start, end)],
        alerts=find_alerts(then_results, then_phases, then_medications),
        markers=markers, clock=DoseClock(doses, all_medications),
        left_out=left_out,
    )
    age = age_on(data.profile.get("birth_date", ""), as_of)
    data.history = sorted(all_medications, key=lambda m: (m.start_date, m.id or 0))
    data.all_doses = doses
    data.due = due_tests(then_phases, then_results, as_of, age)
    data.sources = sorted({a.source for a in data.alerts})
    return data


# ----------------------------------------------------------------------------- HTML
STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; color: #1f2933; }
h1 { font-size: 17pt; margin: 0 0 2pt 0; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt 0; color: #2d6a9f; }
h3 { font-size: 10pt; margin: 8pt 0 3pt 0; }
p { margin: 2pt 0 4pt 0; }
.muted { color: #6b7280; }
.high { color: #c62828; font-weight: bold; }
.low { color: #1565c0; font-weight: bold; }
.warn { color: #c62828; }
table.grid { border-collapse: collapse; }
table.grid td, table.grid th { border: 1px solid #c7d0da; padding: 2pt 4pt; }
table.grid th { background-color: #eef2f6; text-align: left; }
td.num { text-align: right; }
"""


def render_html(data: ReportData, options: ReportOptions) -> str:
    parts = [f"<html><head><style>{STYLE}</style></head><body>", _header(data)]
    builders = {
        "summary": _summary, "timeline": _timeline, "charts": _charts, "verdicts": _verdicts,
        "results": _results, "fertility": _fertility, "symptoms": _symptoms,
        "notes": lambda d, o: "" if "summary" in o.sections else _notes(d, o),
        "sources": _sources,
    }
    for section in SECTIONS:
        if section in options.sections:
            parts.append(builders[section](data, options))
    parts.append(f"<p class='muted'>{esc(DISCLAIMER)} Made with hpgjournal {esc(__version__)} "
                 f"on {esc(data.today)}.</p></body></html>")
    return "\n".join(parts)


def _age(birth: str, today: str) -> str:
    years = age_on(birth, date.fromisoformat(today))
    return f"{years} years" if years is not None else ""


def _header(data: ReportData) -> str:
    name = data.profile.get("name", "")
    birth = data.profile.get("birth_date", "")
    who = f": {esc(name)}" if name else ""
    facts = []
    if birth:
        age = _age(birth, data.today)
        facts.append(f"born {esc(birth)}" + (f" ({age})" if age else ""))
    facts.append(f"records from {esc(data.start)} to {esc(data.end)}")
    facts.append(f"printed {esc(data.today)}")
    more = []
    if data.profile.get("goal"):
        from hpgjournal.domain.profile import goal_words

        more.append(f"<b>Goal:</b> {esc(goal_words(data.profile['goal']))}")
    if data.profile.get("clinician"):
        more.append(f"<b>Clinician:</b> {esc(data.profile['clinician'])}")
    extra = f"<p>{' · '.join(more)}</p>" if more else ""
    if not name and not birth:
        facts.insert(0, "no name or date of birth in the profile (Journal > Profile)")
    return (f"<h1>Hormone journal{who}</h1><p class='muted'>{' · '.join(facts)}</p>{extra}")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (),
           widths: Sequence[int] = ()) -> str:
    """A bordered table; cells are given already escaped (they may hold markup we made).

    ``widths`` are column widths in per cent of the page width.
    """
    head = "".join(f"<th width='{widths[i]}%'>{esc(h)}</th>" if widths else f"<th>{esc(h)}</th>"
                   for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = "".join(f"<td class='num' nowrap>{c}&nbsp;&nbsp;</td>" if i in numeric else
                        f"<td nowrap>{c}</td>" if i == 0 else f"<td>{c}</td>"
                        for i, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return (f"<table class='grid' width='100%' cellspacing='0' cellpadding='3'><thead><tr>"
            f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _flagged(text: str, flag: str) -> str:
    if flag.startswith("H"):
        return f"<span class='high'>{nb(text)}</span>"
    if flag.startswith("L"):
        return f"<span class='low'>{nb(text)}</span>"
    return nb(text)


def _summary(data: ReportData, options: ReportOptions) -> str:
    out = [f"<h2>{SECTION_TITLES['summary']}</h2>"]
    running = [p for p in data.phases if p.start_date <= data.end
               and (p.end_date is None or p.end_date >= data.end)]
    if running:
        phase_text = "; ".join(
            f"{esc(phase_label(p.kind))} since {esc(p.start_date)} (day "
            f"{int(days_between(p.start_date, data.end)) + 1})" for p in running)
    else:
        phase_text = "no phase recorded at the end of the period"
    active = [m for m in data.medications if m.start_date <= data.end
              and (m.end_date is None or m.end_date >= data.end)]
    regimen = "; ".join(_regimen_text(m) for m in active) or "no active regimen"
    out.append(f"<p><b>Current phase:</b> {phase_text}<br><b>Current regimen:</b> {regimen}</p>")
    out.append(_history(data))
    out.append(_recent_draws(data, options))
    out.append(_left_out(data))
    out.append("<h3>Worth discussing</h3>")
    if data.alerts:
        out.append("<ul>" + "".join(f"<li><b class='warn'>{esc(a.title)}.</b> {esc(a.text)}</li>"
                                    for a in data.alerts) + "</ul>")
    else:
        out.append("<p class='muted'>Nothing in the latest results crosses the thresholds the "
                   "app watches (hematocrit, PSA, T/E2 ratio, low estradiol, no sperm a year "
                   "after testosterone).</p>")
    if data.due:
        out.append("<h3>Tests the sources describe as due</h3><ul>")
        for item in data.due:
            when = "overdue since" if item.overdue else "due on"
            out.append(f"<li><b>{esc(item.name)}</b>: {when} {item.due.isoformat()}. "
                       f"{esc(item.why)}</li>")
        out.append("</ul>")
    if "notes" in options.sections:
        out.append(_notes(data, options))
    return "".join(out)


DRAWS_SHOWN = 5  # the key markers at the last few draws, on page 1


def _history(data: ReportData) -> str:
    """Every regimen ever logged, even before the period: what a urologist asks first."""
    if not data.history:
        return "<p class='muted'>No medication has been logged.</p>"
    rows = []
    for m in data.history:
        end = m.end_date or "ongoing"
        days = int(days_between(m.start_date, m.end_date or data.end)) + 1
        length = f"{days / 30.44:.0f} months" if days >= 61 else f"{days} days"
        taken = sum(1 for d in data.all_doses if d.medication_id == m.id)
        rows.append([_regimen_text(m), esc(m.start_date), esc(end), esc(length),
                     esc(str(taken) if taken else "")])
    return ("<h3>Treatment history (everything logged, also before the period)</h3>"
            + _table(["Regimen", "Start", "Stop", "For", "Doses logged"], rows, numeric=[4]))


def _recent_draws(data: ReportData, options: ReportOptions) -> str:
    """The key markers at the last few draws, one column per draw, with the lab's range."""
    results = [r for r in data.all_results if r.taken_at[:10] <= data.end
               and r.analyte in data.markers]
    days = sorted({r.taken_at[:10] for r in results})[-DRAWS_SHOWN:]
    if not days:
        return "<p class='muted'>No lab results in this period.</p>"
    rows = []
    for key in data.markers:
        by_day = {}
        for r in sorted((r for r in results if r.analyte == key), key=lambda r: r.taken_at):
            by_day[r.taken_at[:10]] = r
        if not any(d in by_day for d in days):
            continue
        latest = max((by_day[d] for d in days if d in by_day), key=lambda r: r.taken_at)
        unit = value_in(latest, options.units)[1]
        cells = []
        for d in days:
            drawn = by_day.get(d)
            cells.append(_flagged(value_in(drawn, options.units)[0], drawn.flag) if drawn else "")
        name = esc(marker_name(key)) + (f" ({esc(method_label(latest.method))})"
                                         if latest.method else "")
        rows.append([f"{name}<br><span class='muted'>{esc(unit)}</span>", *cells,
                     esc(range_text(latest, options.units))])
    return (f"<h3>Key markers at the last {len(days)} draws</h3>"
            + _table(["Marker", *days, "Range"], rows, numeric=list(range(1, len(days) + 1))))


def _regimen_text(m: Medication) -> str:
    dose = f" {m.dose:g} {esc(m.unit)}" if m.dose is not None else ""
    route = f", {esc(ROUTES.get(m.route, m.route))}" if m.route else ""
    return f"{esc(m.drug)}{dose}, {esc(m.schedule)}{route}"


def _timeline(data: ReportData, options: ReportOptions) -> str:
    out = [f"<h2>{SECTION_TITLES['timeline']}</h2>"]
    if data.phases:
        rows = [[esc(phase_label(p.kind)), esc(p.start_date), esc(p.end_date or "ongoing"),
                 esc(f"{int(days_between(p.start_date, p.end_date or data.end)) + 1} days"),
                 esc(p.note)] for p in data.phases]
        out.append(_table(["Phase", "Start", "End", "Length", "Note"], rows))
    else:
        out.append("<p class='muted'>No therapy phases recorded in this period.</p>")
    return "".join(out)  # the regimens are in the summary's treatment history


def _charts(data: ReportData, options: ReportOptions) -> str:
    if not data.charts:
        return ""
    out = [f"<h2 style='page-break-before: always'>{SECTION_TITLES['charts']}</h2>",
           "<p class='muted'>Your values (censored ones as open circles at the test's limit), the "
           "lab's range in grey, the therapy phases and doses underneath, and for each phase the "
           "range the source documents or the literature expect (dashed: literature only).</p>"]
    for chart in data.charts:
        caption = f"<b>{esc(chart.title)}.</b> {esc(chart.caption)}".strip()
        out.append(f"<p><img src='{esc(chart.name)}' width='640' "
                   f"height='{round(640 * chart.aspect)}'><br>"
                   f"<span class='muted'>{caption}</span></p>")
    if data.few_for_chart:
        out.append(f"<p class='muted'>Not charted, with fewer than three results in the period "
                   f"(see the tables): {esc(', '.join(data.few_for_chart))}.</p>")
    return "".join(out)


def _verdicts(data: ReportData, options: ReportOptions) -> str:
    if not data.verdicts:
        return ""
    rows = [[esc(phase), esc(marker), f"<b>{esc(verdict)}</b>", esc(text)]
            for phase, marker, verdict, text in data.verdicts]
    return (f"<h2>{SECTION_TITLES['verdicts']}</h2><p class='muted'>How each marker moved in "
            "each phase, against what the sources expect. A verdict describes the numbers; it "
            "is not a diagnosis.</p>"
            + _table(["Phase", "Marker", "Verdict", "What happened"], rows,
                     widths=[14, 16, 14, 56]))


TABLE_MARK = "<!-- hpgjournal: painted table {name} -->"
RESULT_HEADERS = ("Date", "Marker", "Value", "Unit", "Range", "Flag", "Since dose", "Method",
                  "Lab")
RESULT_WIDTHS = (19, 10, 8, 8, 12, 6, 13, 12, 12)  # per cent of the page width


@dataclass
class TableRows:
    """A long table the PDF writer paints itself, page by page (the appendix of every result):
    Qt's document layout takes seconds for thousands of rows. Cells are plain text; ``styles``
    names how a cell is drawn ("bold", "high", "low" or "")."""

    title: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    styles: list[tuple[str, ...]] = field(default_factory=list)
    numeric: tuple[int, ...] = (2,)


def result_rows(data: ReportData, options: ReportOptions) -> TableRows:
    table = TableRows(SECTION_TITLES["results"], RESULT_HEADERS, RESULT_WIDTHS)
    previous_draw = ""
    for r in sorted(data.results, key=lambda r: (r.taken_at, marker_name(r.analyte))):
        value, unit = value_in(r, options.units)
        timing = data.clock.timing(r.taken_at)
        draw = r.taken_at.replace("T", " ")
        shown = draw if draw != previous_draw else ""
        previous_draw = draw
        flag = "high" if r.flag.startswith("H") else "low" if r.flag.startswith("L") else ""
        table.rows.append((shown, _short(r.analyte), value, unit, range_text(r, options.units),
                           r.flag, str(timing) if timing else "", method_label(r.method), r.lab))
        table.styles.append(("bold", "", flag, "", "", "", "", "", ""))
    return table


def _left_out(data: ReportData) -> str:
    """The stored values no part of the report uses, because they are impossible."""
    return f"<p class='warn'>{esc(left_out_note(data.left_out))}</p>" if data.left_out else ""


def _results(data: ReportData, options: ReportOptions) -> str:
    note = "" if "summary" in options.sections else _left_out(data)
    if not data.results:
        return (f"{SPLIT}<h2>{SECTION_TITLES['results']}</h2><p class='muted'>No lab results in "
                f"this period.</p>{note}{SPLIT}")
    # the table is painted by report/pdf.py
    return SPLIT + TABLE_MARK.format(name="results") + SPLIT + note


def _short(key: str) -> str:
    """A compact marker name for dense tables ("Total T", "SHBG"), the full name otherwise."""
    if analytes.is_custom(key):
        return marker_name(key)
    marker = analytes.get_analyte(key)
    return marker.short if marker.short and len(marker.short) < len(marker.name) else marker.name


def _fertility(data: ReportData, options: ReportOptions) -> str:
    semen = [r for r in data.results if analytes.get_analyte(r.analyte).category == "semen"]
    if not semen and not data.measures:
        return ""
    out = [f"<h2>{SECTION_TITLES['fertility']}</h2>"]
    if semen:
        by_day: dict[str, dict[str, LabResult]] = {}
        for r in semen:
            by_day.setdefault(r.taken_at[:10], {})[r.analyte] = r
        keys = [k for k in analytes.CATALOGUE if analytes.CATALOGUE[k].category == "semen"
                and any(k in d for d in by_day.values())]
        def cell(r: LabResult) -> str:
            if r.value is None:  # a text result such as "Not assessable": no unit after it
                return esc(r.reported_value)
            return _flagged(value_in(r, options.units)[0], r.flag)

        rows = [[esc(day)] + [cell(d[k]) if k in d else "" for k in keys]
                for day, d in sorted(by_day.items())]
        limits = ", ".join(f"{analytes.get_analyte(k).short or marker_name(k)} "
                           f"≥ {analytes.get_analyte(k).ref_low:g}" for k in keys
                           if analytes.get_analyte(k).ref_low is not None)
        share = (100 - 13) // max(len(keys), 1)
        heads = [f"{_short(k)} ({analytes.display_unit(k, options.units)})" for k in keys]
        out.append(_table(["Date", *heads], rows,
                          widths=[13, *[share] * len(keys)]))
        out.append(f"<p class='muted'>WHO 2021 lower reference limits: {esc(limits)}.</p>")
    testes = [m for m in data.measures if m.testis_left_ml is not None
              or m.testis_right_ml is not None]
    if testes:
        rows = [[esc(m.measured_at), esc(_ml(m.testis_left_ml)), esc(_ml(m.testis_right_ml)),
                 esc(m.testis_method)] for m in testes]
        out.append("<h3>Testicular volume</h3>")
        out.append(_table(["Date", "Left", "Right", "Measured by"], rows, numeric=[1, 2]))
    return "".join(out)


def _ml(value: float | None) -> str:
    return "" if value is None else f"{value:g} mL"


def _symptoms(data: ReportData, options: ReportOptions) -> str:
    if not data.notes and not data.questionnaires:
        return ""
    out = [f"<h2>{SECTION_TITLES['symptoms']}</h2>"]
    scored = [n for n in data.notes if any(getattr(n, s) is not None for s in SCORE_NAMES)]
    if scored:
        months: dict[str, list[Note]] = {}
        for n in scored:
            months.setdefault(n.noted_at[:7], []).append(n)
        rows = []
        for month, notes in sorted(months.items()):
            cells = []
            for name in SCORE_NAMES:
                values = [getattr(n, name) for n in notes if getattr(n, name) is not None]
                cells.append(f"{sum(values) / len(values):.1f}" if values else "")
            rows.append([esc(month), *cells, esc(str(len(notes)))])
        out.append("<p class='muted'>Monthly averages of the check-ins, 0 (worst) to 10 "
                   "(best).</p>")
        out.append(_table(["Month", *[s.capitalize() for s in SCORE_NAMES], "Check-ins"], rows,
                          numeric=list(range(1, 7))))
    if data.questionnaires:
        rows = [[esc(q.taken_at), esc(str(score(decode(q.answers))))]
                for q in data.questionnaires]
        out.append("<h3>Aging Males' Symptoms scale</h3>")
        out.append(_table(["Date", "Total (17-85) and sub-scores"], rows))
    return "".join(out)


def _notes(data: ReportData, options: ReportOptions) -> str:
    """His notes and questions for the doctor: on page 1, in the summary."""
    marked = [n for n in data.notes if n.for_doctor and n.text]
    if not marked:
        return ""
    items = "".join(f"<li><b>{esc(n.noted_at[:10])}</b>: {esc(n.text)}</li>" for n in marked)
    return f"<h3>{SECTION_TITLES['notes']}</h3><ul>{items}</ul>"


def _sources(data: ReportData, options: ReportOptions) -> str:
    if not data.sources:
        return ""
    items = "".join(f"<li>{esc(s)}</li>" for s in data.sources)
    return f"<h2>{SECTION_TITLES['sources']}</h2><ul>{items}</ul>"
