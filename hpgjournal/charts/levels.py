"""The dose-to-level model on the total testosterone chart (issue 18): a faint predicted curve
with its band, and a ring around each draw the model judged far from it.

The curve is sampled a point an hour (``modelgrid.grid_curve``: ``pk.curve`` evaluated with
numpy) from the first modelled dose shown to the end of the chart, or to the day the doses'
testosterone fell below a tenth of its peak after the last dose (``pk.washout``): past that the
level is his own production, which the model does not know. The band is the spread of the
published figures (``domain/pk/fit.py``), not a confidence interval. The legend names it with
``pk.label``: a model from published averages, fitted to his numbers, not a measurement and not
advice (``pk.short_label`` in the legend, the whole label in a file's footnote and the window's
side panel). The hover's level at a time is ``pk.level_at``, the domain's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import matplotlib.dates as mdates
import numpy as np
from matplotlib.lines import Line2D

from hpgjournal.charts.modelgrid import Sampled, grid_curve, grid_washout
from hpgjournal.domain import pk
from hpgjournal.domain.knowledge import marker_to_system
from hpgjournal.domain.pk.fit import FAR
from hpgjournal.domain.pk.model import from_day

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["MODEL_COLOUR", "MODEL_KEY", "ModelDrawn", "central_values", "draw_model",
           "forget_curves"]

MODEL_KEY = "testosterone_total"  # the one marker the model predicts
MODEL_COLOUR = "#7a4fa0"  # a muted violet: apart from the series colours and the phases'
BAND_ALPHA = 0.13


@dataclass
class ModelDrawn:
    """What was drawn of the model, for the legend, the hover and the tests."""

    fit: pk.Fit
    curve: Sampled | None  # the hourly curve, as ``pk.curve`` gives it, in arrays
    line: Any = None  # the central curve's Line2D
    band: Any = None  # the band's PolyCollection
    rings: Any = None  # the rings around the draws far from the model (Line2D) or None
    far: tuple[pk.DrawFit, ...] = ()


def _span(fit: pk.Fit, x0: float, x1: float) -> tuple[datetime, datetime] | None:
    """The part of the chart the curve covers, or None when the doses reach none of it."""
    doses = fit.model.doses
    if not doses:
        return None
    first = from_day(doses[0].day)
    washout = _kept(fit, ("washout",), lambda: grid_washout(fit))
    last = washout.below_tenth_at if washout and washout.below_tenth_at else \
        from_day(doses[-1].day) + timedelta(days=365)
    shown_start = mdates.num2date(x0).replace(tzinfo=None)
    shown_end = mdates.num2date(x1).replace(tzinfo=None)
    start, end = max(first, shown_start), min(last, shown_end)
    return (start, end) if end > start else None


_KEPT: list[tuple[pk.Fit, tuple[object, ...], Any]] = []
KEPT = 6  # (fit, what) answers kept: a chart redrawn (a toggle, a resize) samples nothing


def _kept(fit: pk.Fit, key: tuple[object, ...], make: Callable[[], Any]) -> Any:
    """``make()``, kept for the last few (fit, key)s: the fit is the same object while the
    journal is unchanged (the chart page fits once a load), so a redraw reuses the washout,
    the sampled curve and its thinning."""
    for kept_fit, kept_key, value in _KEPT:
        if kept_fit is fit and kept_key == key:
            return value
    value = make()
    _KEPT.insert(0, (fit, key, value))
    del _KEPT[KEPT:]
    return value


def _curve(fit: pk.Fit, start: datetime, end: datetime, points_per_hour: float) -> Sampled:
    return _kept(fit, ("curve", start, end, points_per_hour),
                 lambda: grid_curve(fit, start, end, points_per_hour))


def forget_curves() -> None:
    """Drop the kept curves (the bench times a first drawing with it)."""
    _KEPT.clear()


def _thinned(found: Sampled | pk.Curve, factor: float, columns: int) -> tuple[np.ndarray, ...]:
    """The curve as drawn: (x, y) of the line and (x, low, high) of the band. Where the curve
    has more points than twice ``columns`` (the axes' pixel columns), each run of points
    becomes its lowest and highest in their order, and the band its lowest low and highest
    high over the run, so that every peak and trough of the hourly curve is still drawn."""
    step = found.step_hours / 24
    x = mdates.date2num(found.start) + step * np.arange(len(found.central))
    central = np.asarray(found.central) * factor
    low, high = np.asarray(found.low) * factor, np.asarray(found.high) * factor
    size = len(central) // max(1, columns)
    if size < 4:
        return x, central, x, low, high
    whole = len(central) - len(central) % size
    runs = central[:whole].reshape(-1, size)
    starts = np.arange(len(runs)) * size
    lowest, highest = starts + runs.argmin(axis=1), starts + runs.argmax(axis=1)
    picks = np.empty(2 * len(runs), dtype=int)
    picks[0::2], picks[1::2] = np.minimum(lowest, highest), np.maximum(lowest, highest)
    picks = np.concatenate([picks, np.arange(whole, len(central))])
    # the band as steps: each run's extremes held from its first point to its last
    band_x = np.empty(2 * len(runs))
    band_x[0::2], band_x[1::2] = x[starts], x[starts + size - 1]
    band_low = np.repeat(low[:whole].reshape(-1, size).min(axis=1), 2)
    band_high = np.repeat(high[:whole].reshape(-1, size).max(axis=1), 2)
    return (x[picks], central[picks], np.concatenate([band_x, x[whole:]]),
            np.concatenate([band_low, low[whole:]]), np.concatenate([band_high, high[whole:]]))


def draw_model(ax: Axes, fit: pk.Fit, x_range: tuple[float, float], units: str,
               handles: dict[str, Any], points_per_hour: float = 1.0,
               columns: int = 2000) -> ModelDrawn:
    """Draw the curve, its band and the rings on the total T axes; return what was drawn."""
    drawn = ModelDrawn(fit, None)
    span = _span(fit, *x_range)
    factor = marker_to_system(MODEL_KEY, 1.0, units)  # ng/dL to the unit shown (linear)
    if span is not None:
        found = _curve(fit, span[0], span[1], points_per_hour)
        drawn.curve = found
        x, central, band_x, low, high = _kept(fit, ("thin", span, points_per_hour, factor,
                                                    columns),
                                              lambda: _thinned(found, factor, columns))
        # no edge: with an edge colour Agg strokes even a width of 0 as a hairline, round
        # every step of the band (twice the band's drawing time, a faint outline)
        drawn.band = ax.fill_between(band_x, low, high, facecolor=MODEL_COLOUR, edgecolor="none",
                                     alpha=BAND_ALPHA, linewidth=0, zorder=2.2)
        (drawn.line,) = ax.plot(x, central, color=MODEL_COLOUR, linewidth=0.8, alpha=0.6,
                                zorder=2.6)
        handles.setdefault("model", Line2D([], [], color=MODEL_COLOUR, linewidth=4, alpha=0.45,
                                           label=pk.short_label(fit)))
    far = tuple(d for d in fit.draws if d.status == FAR)
    if far:
        x = mdates.date2num([from_day(pk.day_number(d.draw.taken_at)) for d in far])
        y = np.array([d.draw.value * factor for d in far])
        (drawn.rings,) = ax.plot(x, y, linestyle="none", marker="o", markersize=11,
                                 markerfacecolor="none", markeredgecolor=MODEL_COLOUR,
                                 markeredgewidth=1.3, zorder=6)
        drawn.far = far
        handles.setdefault("model-far", Line2D(
            [], [], linestyle="none", marker="o", markersize=9, markerfacecolor="none",
            markeredgecolor=MODEL_COLOUR, markeredgewidth=1.3,
            label="Far from the model: left out of its fit"))
    return drawn


def central_values(drawn: ModelDrawn | None, units: str) -> list[float]:
    """The central curve's lowest and highest in the unit shown (for the y limits)."""
    if drawn is None or drawn.curve is None or not len(drawn.curve.central):
        return []
    factor = marker_to_system(MODEL_KEY, 1.0, units)
    return [float(drawn.curve.central.min()) * factor, float(drawn.curve.central.max()) * factor]
