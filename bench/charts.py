"""Chart benchmark: the full T panel against a bare matplotlib line plot of the same points.

Builds a journal of ten years (a blood draw every 4 weeks with 25 markers, a dose every day,
a TRT -> washout -> hCG -> clomiphene (+ anastrozole) -> recovery story, then TRT again), then
times, in one process:

* full: reading the journal, working out the expected bands and verdicts, and drawing the panel
  (T, free T, E2, LH, FSH, SHBG, Hct) with every overlay (ranges, phase lanes, dose ticks,
  expected bands, censored arrows) on a 1000 x 800 px Agg canvas;
* bare: plotting the same points as plain lines, one axes per marker on a shared time axis, on
  the same canvas size (the points already in memory);
* bare (one axes): all the points as seven lines in a single axes, for reference.

Prints the medians of several runs and the ratio full / bare (target: under 4).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MPLBACKEND", "Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from hpgjournal.charts.data import PANEL_MARKERS
from hpgjournal.charts.marker import build_marker_chart, to_num
from hpgjournal.domain.records import Dose, Medication, Phase
from hpgjournal.domain.results import make_result
from hpgjournal.services.chartdata import load_chart_data
from hpgjournal.store.journal import Journal

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SIZE = (10.0, 8.0)  # inches at 100 dpi
START = date(2016, 1, 4)
DAYS = 3652

# marker: (unit, typical value, spread, printed range)
MARKERS = {
    "testosterone_total": ("ng/dL", 600, 120, "264-916"), "testosterone_free": ("pg/mL", 15, 3, "8.7-25.1"),
    "estradiol": ("pg/mL", 32, 8, "7.6-42.6"), "lh": ("IU/L", 4, 1.2, "1.7-8.6"),
    "fsh": ("IU/L", 5, 1.5, "1.5-12.4"), "shbg": ("nmol/L", 30, 5, "16.5-55.9"),
    "hematocrit": ("%", 47, 2.5, "37.5-51.0"), "hemoglobin": ("g/dL", 15.5, 0.8, "13.0-17.7"),
    "psa": ("ng/mL", 0.9, 0.2, "0.0-4.0"), "albumin": ("g/dL", 4.4, 0.2, "3.8-4.9"),
    "prolactin": ("ng/mL", 9, 2, "4.0-15.2"), "testosterone_bioavailable": ("ng/dL", 250, 50, "110-575"),
    "dht": ("ng/dL", 45, 10, ""), "tsh": ("uIU/mL", 1.8, 0.5, "0.45-4.5"),
    "free_t4": ("ng/dL", 1.2, 0.15, "0.82-1.77"), "cortisol": ("ug/dL", 13, 3, "6.2-19.4"),
    "cholesterol_total": ("mg/dL", 185, 20, "100-199"), "hdl": ("mg/dL", 48, 6, ""),
    "ldl": ("mg/dL", 110, 15, "0-99"), "triglycerides": ("mg/dL", 120, 30, "0-149"),
    "alt": ("U/L", 25, 6, "0-44"), "ast": ("U/L", 22, 5, "0-40"),
    "creatinine": ("mg/dL", 1.0, 0.1, "0.76-1.27"), "glucose": ("mg/dL", 90, 7, "65-99"),
    "vitamin_d": ("ng/mL", 35, 8, "30-100"),
}
# (kind, first day, last day or None)
PHASES = [("baseline", 0, 59), ("trt", 60, 2250), ("washout", 2251, 2264), ("hcg", 2265, 2330),
          ("serm_clomiphene", 2331, 2480), ("aromatase_inhibitor", 2360, 2450),
          ("recovery", 2481, 2800), ("trt", 2801, None)]


def _phase_on(day: int) -> str:
    running = [k for k, a, b in PHASES if a <= day <= (b if b is not None else DAYS)]
    return running[0] if running else "baseline"


def build_journal(path: Path) -> dict[str, int]:
    rng = random.Random(7)
    records: list[object] = [
        Phase(None, kind, (START + timedelta(days=a)).isoformat(),
              (START + timedelta(days=b)).isoformat() if b is not None else None)
        for kind, a, b in PHASES
    ]
    for day in range(0, DAYS, 28):
        kind = _phase_on(day)
        stamp = f"{(START + timedelta(days=day)).isoformat()}T08:00"
        for key, (unit, typical, spread, printed) in MARKERS.items():
            value = max(0.05, rng.gauss(typical, spread))
            text = f"{value:.2f}"
            if key in ("lh", "fsh") and kind == "trt":
                text = "<0.2"
            elif key == "testosterone_total" and kind == "washout":
                text = f"{value / 3:.0f}"
            records.append(make_result(stamp, key, text, unit, ref_text=printed, lab="Labcorp"))
    with Journal.open(path) as journal:
        journal.add_many(records)
        meds = {name: journal.add(Medication(None, name, START.isoformat(), cls, "oral", 1.0, "mg",
                                             "daily", 1.0))
                for name, cls in (("Testosterone gel", "testosterone"), ("hCG", "gonadotropin"),
                                  ("Clomiphene", "serm"), ("Anastrozole", "aromatase_inhibitor"))}
        drug_for = {"trt": "Testosterone gel", "hcg": "hCG", "serm_clomiphene": "Clomiphene",
                    "aromatase_inhibitor": "Clomiphene", "recovery": "", "baseline": "",
                    "washout": ""}
        doses = []
        for day in range(DAYS):
            drug = drug_for[_phase_on(day)] or "Anastrozole"
            when = datetime.combine(START + timedelta(days=day), datetime.min.time()) + \
                timedelta(hours=8)
            doses.append(Dose(None, when.strftime("%Y-%m-%dT%H:%M"), drug, 1.0, "mg",
                              medication_id=meds[drug]))
        journal.add_many(doses)
        return journal.counts()


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ten-years.hpgjournal"
        started = time.perf_counter()
        counts = build_journal(path)
        print(f"journal: {counts['lab_results']} lab results, {counts['doses']} doses, "
              f"{counts['phases']} phases over ten years (built in "
              f"{time.perf_counter() - started:.1f} s)")
        with Journal.open(path, readonly=True) as journal:
            data = load_chart_data(journal, list(PANEL_MARKERS))
            points = [(to_num([r.taken_at for r in data.series[k]]),
                       [r.value for r in data.series[k]]) for k in PANEL_MARKERS]
            n_points = sum(len(x) for x, _ in points)

            def full() -> None:
                chart_data = load_chart_data(journal, list(PANEL_MARKERS))
                result = build_marker_chart(chart_data, list(PANEL_MARKERS), size=SIZE)
                FigureCanvasAgg(result.figure).draw()

            def bare() -> None:
                figure = Figure(figsize=SIZE, dpi=100)
                axes = figure.subplots(len(points), 1, sharex=True)
                for ax, (x, y) in zip(axes, points, strict=True):
                    ax.plot(x, y)
                FigureCanvasAgg(figure).draw()

            def bare_single() -> None:
                figure = Figure(figsize=SIZE, dpi=100)
                ax = figure.subplots()
                for x, y in points:
                    ax.plot(x, y)
                FigureCanvasAgg(figure).draw()

            for run in (full, bare, bare_single):  # warm-up: fonts, caches, imports
                run()
            full_times = [timed(full) for _ in range(RUNS)]
            bare_times = [timed(bare) for _ in range(RUNS)]
            single_times = [timed(bare_single) for _ in range(RUNS)]
    f, b, s = (statistics.median(t) for t in (full_times, bare_times, single_times))
    print(f"T panel ({len(PANEL_MARKERS)} markers, {n_points} points), {RUNS} runs, medians, "
          f"{int(SIZE[0] * 100)} x {int(SIZE[1] * 100)} px Agg:")
    print(f"  full chart, read + build + draw, every overlay: {f * 1000:7.1f} ms")
    print(f"  bare line plot, same points and axes grid:      {b * 1000:7.1f} ms")
    print(f"  bare line plot, same points in one axes:        {s * 1000:7.1f} ms")
    print(f"ratio full / bare: {f / b:.2f} (target < 4); full / one-axes bare: {f / s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
