"""Every source the knowledge base cites, as HTML: what it is, how far it was checked and what it
supports; the source documents' own reference lists with their corrections; the documents'
medication-class and agent tables; their study table with its caveat.

Shown by Help > Sources in the window; plain QtGui-free HTML, so the report may print it too.
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Protocol

from hpgjournal.domain.display import in_sentence, marker_name
from hpgjournal.domain.knowledge import DAYS_PER_MONTH, Knowledge
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.provenance import cite_words
from hpgjournal.domain.variation import VARIATION

__all__ = ["sources_html", "supports"]

KIND_WORDS = {
    "source_document": "source document", "study": "study", "review": "review",
    "guideline": "guideline", "clinic_protocol": "a clinic's protocol (not evidence)",
    "label": "drug label", "lab_catalogue": "laboratory catalogue",
    "project_note": "the project's own note (not evidence)",
}
STATUS_WORDS = {
    "verified": "verified as cited", "corrected": "cited wrongly; the right reference is below",
    "closest_match": "not found as cited; the closest match is below",
    "not_found": "not found in any index searched", "not_checked": "not checked",
}


class _Cited(Protocol):
    """A row of the knowledge base that cites sources (a medication class, an agent)."""

    @property
    def sources(self) -> tuple[str, ...]: ...


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _grid(headers: list[str], rows: list[tuple[str, ...]]) -> str:
    """A bordered table of plain cells (escaped here)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table border='1' cellspacing='0' cellpadding='4'><tr>{head}</tr>{body}</table>"


def supports(knowledge: Knowledge) -> dict[str, list[str]]:
    """For each source id, what in the knowledge base cites it, in words."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(ids: tuple[str, ...], what: str) -> None:
        for i in ids:
            if what not in found[i]:
                found[i].append(what)

    for kind, phase in knowledge.phases.items():
        label = phase_label(kind)
        for response in phase.responses:
            add(response.sources, f"{label}: what {in_sentence(marker_name(response.analyte))} is expected "
                                    "to do")
        for group, title in ((phase.mechanism, "how it works"), (phase.practice, "practice"),
                             (phase.cautions, "cautions")):
            for statement in group:
                add(statement.sources, f"{label}: {title}")
        for reference in phase.references:
            add(reference.sources, f"{label}: typical values of "
                                      f"{in_sentence(marker_name(reference.analyte))}")
    for curve in knowledge.curves.values():
        add(curve.sources, f"the recovery curve: {curve.title}")
    for table in knowledge.study_tables:
        add(table.sources, f"the documents' study table: {table.title}")
    rows: tuple[_Cited, ...] = (*knowledge.medication_classes, *knowledge.agents)
    for row in rows:
        add(row.sources, "the documents' medication tables")
    for variation in VARIATION.values():
        add(variation.sources, f"how much {in_sentence(marker_name(variation.analyte))} varies on its own "
                               "(what counts as a real change)")
    from hpgjournal.domain.alerts import SOURCE_IDS

    for key, ids in SOURCE_IDS.items():
        add(ids, f"the safety flag on {key.replace('_', ' ')}")
    return found


def sources_html(knowledge: Knowledge) -> str:
    out = ["<h2>Sources</h2><p>Every work the app cites, how far it was checked for this project, "
           "and what it supports. The two source documents are the web articles the app was "
           "built from; what they say is marked as theirs, and figures from elsewhere are "
           "marked as the literature's.</p>"]
    cited = supports(knowledge)
    order = sorted(knowledge.sources.values(),
                   key=lambda s: (s.kind != "source_document", s.short.casefold()))
    out.append("<ol>")
    for source in order:
        link = f" <span style='color:#6b7280'>({esc(source.link)})</span>" if source.link else ""
        uses = cited.get(source.id, [])
        used = ("<br><i>Supports:</i> " + esc("; ".join(uses[:8]))
                + (f" and {len(uses) - 8} more" if len(uses) > 8 else "")) if uses else ""
        out.append(f"<li><b>{esc(source.short)}</b>: {esc(source.citation)}{link}<br>"
                   f"<i>Kind:</i> {esc(KIND_WORDS.get(source.kind, source.kind))}. "
                   f"<i>Checked:</i> {esc(source.checked)}.{used}</li>")
    out.append("</ol>")

    out.append("<h3>The source documents' own references, checked</h3><ul>")
    for ref in knowledge.seed_references:
        corrected = knowledge.sources.get(ref.corrected) if ref.corrected else None
        right = f"<br><i>Right reference:</i> {esc(corrected.citation)}" if corrected else ""
        document = knowledge.sources[ref.document].short
        out.append(f"<li><i>{esc(document)} cites:</i> {esc(ref.as_cited)}<br>"
                   f"<i>Status:</i> {esc(STATUS_WORDS.get(ref.status, ref.status))}. "
                   f"{esc(ref.note)}{right}</li>")
    out.append("</ul>")

    if knowledge.medication_classes:
        out.append("<h3>Medication classes (the restart document's table)</h3>")
        out.append(_grid(["Class", "What it does", "Target"],
                         [(m.name, m.action, m.target) for m in knowledge.medication_classes]))
    if knowledge.agents:
        out.append("<h3>Agents (the testicular-atrophy document's table)</h3>")
        out.append(_grid(["Agent", "What it does", "Target", "Outcome"],
                         [(a.name, a.action, a.target, a.outcome) for a in knowledge.agents]))
    for table in knowledge.study_tables:
        months = round(table.after_days / DAYS_PER_MONTH)
        state = "" if table.verified else " <b>Its study could not be traced.</b>"
        out.append(f"<h3>{esc(table.title)}</h3><p>{esc(table.population)}; after about "
                   f"{months} months ({esc(cite_words(table.origin, table.sources, knowledge))})."
                   f"{state} {esc(table.caveat)}</p>")
        out.append(_grid(["Marker", "Before", "After", "Change"],
                         [(marker_name(r.analyte), f"{r.before:g}", f"{r.after:g}",
                           f"{r.change_percent:+.0f} %") for r in table.rows]))
    return "".join(out)
