"""Model benchmark (issue 18): the total testosterone chart with the dose-to-level curve and its
band, against the same chart without it, on ten years of weekly injections.

Builds a journal of ten years (520 weekly doses of testosterone cypionate 100 mg, a total T
draw every 4 weeks at varying times in the interval, baseline and TRT phases), then times, in
one process, on a 1000 x 600 px Agg canvas:

* with the model: reading the journal, sampling the curve and its band a point an hour over
  the ten years (about 87,600 points, the central curve and four band corners) and drawing
  the chart with it, the fit made beforehand as the chart page keeps it (once a load);
* with the model, redrawn: the same when the chart draws again (a toggle, a resize): the
  curve sampled for that fit and span is kept, so only the drawing is done again;
* with the model, fitted too: the same with the fit to the draws (``level_model``) in it;
* without: reading the journal and drawing the same chart, every other overlay the same;
* the model alone: the fit and the hourly curve and band as the chart samples them (numpy,
  ``charts/modelgrid.py``), no drawing; and the domain's reference sampler (``pk.curve``,
  standard library) on the same span, for comparison.

The runs are interleaved (one of each in turn, several rounds), so that a change in the load
of a shared machine falls on all of them alike, and each starts from a collected heap (a
``gc.collect()`` before it, not timed): a chart leaves its figure to the cyclic collector, and
a full collection of the runs before (up to 0.2 s here) would otherwise land in whichever run
came next. Prints the medians and the ratios with / without (aim: under 1.5).
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MPLBACKEND", "Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg

from hpgjournal.charts.levels import forget_curves
from hpgjournal.charts.marker import build_marker_chart
from hpgjournal.charts.modelgrid import grid_curve, grid_washout
from hpgjournal.domain import pk
from hpgjournal.domain.records import Dose, Medication, Phase
from hpgjournal.domain.results import make_result
from hpgjournal.services.chartdata import load_chart_data
from hpgjournal.services.levels import level_model
from hpgjournal.store.journal import Journal

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SIZE = (10.0, 6.0)  # inches at 100 dpi
START = date(2016, 1, 4)
DOSES = 520
KEY = "testosterone_total"


def build_journal(path: Path) -> dict[str, int]:
    first = datetime.combine(START + timedelta(days=28), datetime.min.time()) + timedelta(hours=8)
    with Journal.open(path) as journal:
        journal.add_many([Phase(None, "baseline", START.isoformat(),
                                (START + timedelta(days=27)).isoformat()),
                          Phase(None, "trt", first.date().isoformat(), None)])
        medication = journal.add(Medication(None, "Testosterone cypionate", first.date().isoformat(),
                                            "testosterone", "im", 100.0, "mg", "every 7 days", 7.0))
        journal.add_many([Dose(None, (first + timedelta(days=7 * n)).strftime("%Y-%m-%dT%H:%M"),
                               "Testosterone cypionate", 100.0, "mg", medication_id=medication)
                          for n in range(DOSES)])
        draws = [make_result(f"{START.isoformat()}T08:00", KEY, "310", "ng/dL", ref_text="264-916")]
        for n in range(4, DOSES, 4):
            hours = 24 * (1 + n % 6)  # one to six days after a dose
            when = first + timedelta(days=7 * n, hours=hours)
            level = 700 + 250 * (1 - (n % 6) / 5) - 120  # high early in the interval, low late
            draws.append(make_result(when.strftime("%Y-%m-%dT%H:%M"), KEY, f"{level:.0f}",
                                     "ng/dL", ref_text="264-916"))
        journal.add_many(draws)
        return journal.counts()


def timed(run) -> float:
    gc.collect()  # the garbage of the runs before is not this run's cost
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ten-years-weekly.hpgjournal"
        counts = build_journal(path)
        print(f"journal: {counts['doses']} weekly doses, {counts['lab_results']} total T draws "
              "over ten years")
        with Journal.open(path, readonly=True) as journal:
            points = 0

            kept = level_model(journal).fit

            def with_model(fit: pk.Fit | None = None, kept_curve: bool = False) -> None:
                nonlocal points
                if not kept_curve:
                    forget_curves()
                data = load_chart_data(journal, [KEY])
                fit = fit or kept
                result = build_marker_chart(data, [KEY], size=SIZE, model=fit)
                FigureCanvasAgg(result.figure).draw()
                assert result.model is not None and result.model.curve is not None
                points = len(result.model.curve.central)

            def without() -> None:
                data = load_chart_data(journal, [KEY])
                result = build_marker_chart(data, [KEY], size=SIZE)
                FigureCanvasAgg(result.figure).draw()

            def model_alone() -> None:
                fit = level_model(journal).fit
                doses = fit.model.doses
                grid_washout(fit)
                grid_curve(fit, pk.model.from_day(doses[0].day),
                           pk.model.from_day(doses[-1].day + 21), 1.0)

            def reference() -> None:
                doses = kept.model.doses
                pk.washout(kept)
                pk.curve(kept, pk.model.from_day(doses[0].day),
                         pk.model.from_day(doses[-1].day + 21), 1.0)

            def with_fit() -> None:
                with_model(level_model(journal).fit)

            def redrawn() -> None:
                with_model(kept_curve=True)

            runs = (with_model, redrawn, with_fit, without, model_alone, reference)
            for run in runs:  # warm-up: fonts
                run()
            times: list[list[float]] = [[] for _ in runs]
            for _ in range(RUNS):
                for run, kept_times in zip(runs, times, strict=True):
                    kept_times.append(timed(run))
    w, r, f, b, a, ref = (statistics.median(t) for t in times)
    print(f"total T chart, {RUNS} runs, medians, {int(SIZE[0] * 100)} x {int(SIZE[1] * 100)} px Agg:")
    print(f"  with the model (read + {points} hourly points and band + draw):  {w * 1000:7.1f} ms")
    print(f"  with the model, redrawn (the curve kept, drawn again):         {r * 1000:7.1f} ms")
    print(f"  with the model, the fit to the draws too:                      {f * 1000:7.1f} ms")
    print(f"  without it (read + draw, every other overlay):                 {b * 1000:7.1f} ms")
    print(f"  the model alone (fit + hourly curve and band, no drawing):     {a * 1000:7.1f} ms")
    print(f"  the same curve and band by the domain's reference (pk.curve):  {ref * 1000:7.1f} ms")
    print(f"ratio with / without: {w / b:.2f} (aim < 1.5); redrawn: {r / b:.2f}; with the fit "
          f"too: {f / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
