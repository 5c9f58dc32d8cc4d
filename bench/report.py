"""Report benchmark: the doctor report of the ten-year journal against its charts alone.

Uses the journal of ``bench/charts.py`` (ten years, 25 markers every 4 weeks, daily doses) and
times, in one process:

* report: ``write_report`` for the whole ten years (gathering, every table, the charts at
  print resolution, the verdicts, pagination, the PDF with text and footers);
* floor: the same chart figures (the ones the report draws) built and written to a single
  PDF with matplotlib's PdfPages, nothing else.

Prints the medians of several runs, the ratio report / floor and the page count.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def main() -> int:
    from charts import build_journal  # the ten-year journal of bench/charts.py
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from hpgjournal.charts import build_marker_chart, build_sperm_recovery_chart
    from hpgjournal.report.build import REPORT_CHARTS
    from hpgjournal.report.content import SECTIONS, ReportOptions
    from hpgjournal.report.pdf import ensure_gui_app
    from hpgjournal.services.chartdata import load_chart_data, sperm_chart_data
    from hpgjournal.store.journal import Journal

    ensure_gui_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "ten-years.hpgjournal"
        counts = build_journal(path)
        with Journal.open(path, readonly=True) as journal:
            span = journal.date_span()
            present = set(journal.analytes_present())
            visit = ReportOptions(start=span[0], end=span[1])  # the default: no appendix
            full = ReportOptions(start=span[0], end=span[1], sections=SECTIONS)  # every result

            def report(options: ReportOptions = full) -> int:
                from hpgjournal.report.build import write_report

                return write_report(journal, folder / "report.pdf", options)

            def floor() -> None:
                with PdfPages(folder / "charts.pdf") as pdf:
                    for keys, _ in REPORT_CHARTS:
                        if any(k in present for k in keys):
                            figure = Figure(figsize=(9, 5.4))
                            build_marker_chart(load_chart_data(journal, list(keys)), list(keys),
                                               start=span[0], end=span[1], figure=figure)
                            pdf.savefig(figure)
                    if "sperm_concentration" in present:
                        figure = Figure(figsize=(9, 4.6))
                        build_sperm_recovery_chart(sperm_chart_data(journal), figure=figure)
                        pdf.savefig(figure)

            pages = report()  # warm caches (knowledge base, fonts) once each
            floor()
            report_times, visit_times, floor_times = [], [], []
            for _ in range(RUNS):
                start = time.perf_counter()
                pages = report()
                report_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                visit_pages = report(visit)
                visit_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                floor()
                floor_times.append(time.perf_counter() - start)
    rep, vis = statistics.median(report_times), statistics.median(visit_times)
    flo = statistics.median(floor_times)
    print(f"report of a ten-year journal ({counts.get('lab_results', '?')} results, "
          f"{counts.get('doses', '?')} doses), {RUNS} runs each")
    print(f"  hpgjournal report with the appendix (PDF, {pages} pages): median {rep:.2f} s")
    print(f"  hpgjournal report, the default (PDF, {visit_pages} pages):  median {vis:.2f} s")
    print(f"  floor: the same charts alone to PDF (matplotlib):      median {flo:.2f} s")
    print(f"  ratio with the appendix: {rep / flo:.2f} (aim < 3); the default: {vis / flo:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
