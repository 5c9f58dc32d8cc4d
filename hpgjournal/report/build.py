"""Build the whole report: gather the journal's data, draw the charts, write the PDF."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hpgjournal.report.content import ReportData, ReportOptions, gather, render_html
from hpgjournal.store.journal import Journal

log = logging.getLogger("hpgjournal.report")


def prepare(journal: Journal, options: ReportOptions, today: date | None = None
            ) -> tuple[ReportData, str, dict[str, object]]:
    """The data, the HTML and the images (QImage by resource name) of a report."""
    data = gather(journal, options, today)
    images: dict[str, object] = {}
    html = render_html(data, options)
    return data, html, images


def write_report(journal: Journal, out: Path, options: ReportOptions,
                 today: date | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> int:
    from hpgjournal.report.pdf import write_pdf

    data, html, images = prepare(journal, options, today)
    name = data.profile.get("name", "")
    title = f"Hormone journal report{f' — {name}' if name else ''}, {data.start} to {data.end}"
    return write_pdf(html, images, out, paper=options.paper, title=title,  # type: ignore[arg-type]
                     progress=progress, cancelled=cancelled)
