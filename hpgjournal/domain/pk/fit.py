"""The model fitted to his own total testosterone draws.

* The scale G (the exogenous term's one multiplier) is fitted by least squares, in closed form:
  G = Σ xᵢ·(yᵢ − eᵢ) / Σ xᵢ², with yᵢ the measured level, eᵢ his own production (the caller's
  assumption, not fitted) and xᵢ the doses' prediction at G = 1.
* With four or more usable draws, the release half-life of the preparation that contributes
  most to them is fitted too, within its published range: a golden-section search on the
  logarithm of the half-life, G refitted in closed form at each step.
* A draw is usable when it is a plain number (not ``<x`` or ``>x``) and the logged doses give
  at least a tenth of it by the published figures (a draw before the first dose, or months
  into a washout, is his own production or a dose not logged: it says little about the doses).
  Censored draws are compared, not fitted. With four or more usable draws a draw is "far"
  when ln(measured/predicted) lies more than 2.5 robust SDs from the median of the draws
  (robust SD: 1.4826 × the median absolute deviation, never below 0.17, the within-man and
  assay variation of total T: CV_I 16 %, Guldhaug; CV_A 5 %); the fit is then done again
  without it, when three usable draws remain. Every draw stays in the answer with its status.
* Below three usable draws nothing is fitted: the curve is from the published figures alone
  and ``fitted`` is False.
* The band is the lowest and highest of the curves at the ends of the published ranges (release
  half-life, time to peak; unfitted also the scale and the fraction absorbed). With a fit the
  scale stays his: the scale sets the average level whatever the rates, so the band shows how
  the published rates could shape the same average into a larger or smaller swing. It is the
  spread of the published figures, not a confidence interval.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from hpgjournal.domain.pk.model import (
    SCALE,
    Model,
    OwnProduction,
    _term_at,
    _terms,
    day_number,
    model_doses,
    own_at,
)
from hpgjournal.domain.pk.preparations import PREPARATIONS
from hpgjournal.domain.records import Dose, LabResult, Medication

__all__ = ["CENSORED", "COMPARED", "DOSE_SHARE", "FAR", "FAR_Z", "MIN_DRAWS",
           "MIN_DRAWS_HALF_LIFE", "NO_DOSE", "USED", "Draw", "DrawFit", "Fit",
           "draws_from_results", "fit_levels"]

MIN_DRAWS = 3  # usable draws for a fitted scale
MIN_DRAWS_HALF_LIFE = 4  # and for a fitted half-life
FAR_Z = 2.5
DOSE_SHARE = 0.1  # a draw the doses explain less than a tenth of says little about them
LOG_SD_FLOOR = 0.17  # sqrt(0.16² + 0.05²): total T's within-man CV (Guldhaug) and an assay's
NMOL_TO_NG_DL = 1 / 0.03467

USED, FAR, CENSORED, COMPARED, NO_DOSE = "used", "far", "censored", "compared", "no dose"


@dataclass(frozen=True)
class Draw:
    """A measured total testosterone in ng/dL; ``comparator`` '<' or '>' (or '<=', '>=')
    makes it censored: the level is below or above ``value``."""

    taken_at: str
    value: float
    comparator: str = ""

    @property
    def censored(self) -> bool:
        return bool(self.comparator.strip())


def draws_from_results(results: Iterable[LabResult]) -> list[Draw]:
    """His total testosterone draws from the lab results (ng/dL; nmol/L converted)."""
    draws = []
    for result in results:
        if result.analyte != "testosterone_total" or result.value is None:
            continue
        unit = result.unit.strip().casefold()
        if unit == "ng/dl":
            value = result.value
        elif unit == "nmol/l":
            value = result.value * NMOL_TO_NG_DL
        else:
            continue
        draws.append(Draw(result.taken_at, value, result.comparator.strip()))
    return draws


@dataclass(frozen=True)
class DrawFit:
    """One draw against the fitted model: predicted level, status, place in the band."""
    draw: Draw
    predicted: float  # the fitted (or published) model at the draw, ng/dL
    status: str  # USED, FAR (left out of the fit), CENSORED, COMPARED (no fit), NO_DOSE (the
    # doses give under DOSE_SHARE of the measured level: not fitted, not judged)
    in_band: bool  # whether the measured value lies within the band (censored: could)
    z: float | None = None  # robust z of ln(measured/predicted) against the first fit, where
    # the draws were judged (four or more usable); beyond ±FAR_Z the draw is FAR

    @property
    def residual(self) -> float | None:
        """Measured minus predicted, ng/dL (None for a censored draw)."""
        return None if self.draw.censored else self.draw.value - self.predicted

    @property
    def percent(self) -> float | None:
        if self.draw.censored or self.predicted <= 0:
            return None
        return 100.0 * (self.draw.value - self.predicted) / self.predicted

    def words(self) -> str:
        shown = f"{self.draw.comparator}{self.draw.value:.0f} ng/dL"
        model = f"the model says {self.predicted:.0f}"
        if self.draw.censored:
            below = self.draw.comparator.startswith("<")
            agrees = self.predicted <= self.draw.value if below else self.predicted >= self.draw.value
            return (f"{shown}: a limit, not a number, so not fitted; {model}, "
                    + ("which agrees with it." if agrees else "which does not agree with it."))
        percent = self.percent if self.status != NO_DOSE else None
        off = f" ({percent:+.0f} %)" if percent is not None else ""
        text = {USED: "used in the fit", FAR: "far from the model: left out of the fit",
                COMPARED: "compared with the published curve (not enough draws for a fit)",
                NO_DOSE: "the logged doses give under a tenth of it by the published figures, "
                         "so it says little about them (his own production, or a dose not "
                         "logged)"}[self.status]
        return f"{shown}, {model}{off}: {text}."


@dataclass(frozen=True)
class Fit:
    """The model fitted to his draws, its band and how well it fits."""
    model: Model  # the central curve: fitted, or the published figures
    band: tuple[Model, ...]  # the curves at the ends of the ranges
    fitted: bool  # False: fewer than three usable draws, the curve is published figures alone
    draws: tuple[DrawFit, ...]
    r_squared: float | None = None  # over the draws used
    median_abs_percent: float | None = None  # median |measured − predicted| / predicted, %
    half_life_fitted: tuple[str, float] | None = None  # (preparation key, days)
    note: str = ""  # why nothing was fitted, in words, or ''
    unmodelled: tuple[Dose, ...] = ()  # doses with no model (another drug, no amount in mg)

    @property
    def usable(self) -> int:
        return sum(1 for d in self.draws if d.status in (USED, FAR, COMPARED))


def _unit_predictions(model: Model, days: Sequence[float]) -> list[float]:
    terms = _terms(model, unit_scale=True)
    return [sum(_term_at(term, day) for term in terms) for day in days]


def _scale(x: Sequence[float], y: Sequence[float]) -> float:
    """The least-squares G for y = G·x (y already less his own production)."""
    xx = sum(v * v for v in x)
    return sum(a * b for a, b in zip(x, y, strict=True)) / xx if xx > 0 else 0.0


def _sse(x: Sequence[float], y: Sequence[float], scale: float) -> float:
    return sum((b - scale * a) ** 2 for a, b in zip(x, y, strict=True))


def _dominant_depot(model: Model, days: Sequence[float]) -> str | None:
    best, best_key = 0.0, None
    for key in model.preparation_keys():
        if PREPARATIONS[key].kind != "depot":
            continue
        alone = replace(model, doses=tuple(d for d in model.doses if d.preparation == key))
        total = sum(_unit_predictions(alone, days))
        if total > best:
            best, best_key = total, key
    return best_key


def _fit_half_life(model: Model, key: str, days: Sequence[float], y: Sequence[float]
                   ) -> tuple[float, float]:
    """(half-life, scale) minimising the squared error, the half-life within its range."""
    figure = PREPARATIONS[key].half_life_days
    assert figure is not None

    def error(log_half_life: float) -> float:
        trial = replace(model, half_life={**model.half_life, key: math.exp(log_half_life)})
        x = _unit_predictions(trial, days)
        return _sse(x, y, max(0.0, _scale(x, y)))

    low, high = math.log(figure.low), math.log(figure.high)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = low + (1 - ratio) * (high - low), low + ratio * (high - low)
    fa, fb = error(a), error(b)
    for _ in range(60):
        if high - low < 1e-10:
            break
        if fa <= fb:
            high, b, fb = b, a, fa
            a = low + (1 - ratio) * (high - low)
            fa = error(a)
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = error(b)
    candidates = [(error(low), low), (fa, a), (fb, b), (error(high), high)]
    best = min(candidates)[1]
    half_life = math.exp(best)
    trial = replace(model, half_life={**model.half_life, key: half_life})
    return half_life, max(0.0, _scale(_unit_predictions(trial, days), y))


def _fit_on(model: Model, days: Sequence[float], y: Sequence[float]
            ) -> tuple[Model, tuple[str, float] | None]:
    """The model with its scale (and, with enough draws, a half-life) fitted to (days, y)."""
    key = _dominant_depot(model, days) if len(days) >= MIN_DRAWS_HALF_LIFE else None
    if key is not None:
        half_life, scale = _fit_half_life(model, key, days, y)
        return replace(model, scale=scale, half_life={**model.half_life, key: half_life}), \
            (key, half_life)
    return replace(model, scale=_scale(_unit_predictions(model, days), y)), None


def _far(measured: Sequence[float], predicted: Sequence[float]) -> list[float]:
    """The robust z of ln(measured/predicted) for each draw."""
    logs = [math.log(max(m, 1.0) / max(p, 1.0)) for m, p in zip(measured, predicted, strict=True)]
    centre = statistics.median(logs)
    spread = max(1.4826 * statistics.median(abs(v - centre) for v in logs), LOG_SD_FLOOR)
    return [(v - centre) / spread for v in logs]


def _corners(model: Model, fitted: bool) -> list[Model]:
    """The models at the ends of the published ranges, all preparations moved together: the
    release half-life and the time to peak (depots), and without a fit also the scale and the
    fraction absorbed (low with low, high with high)."""
    depots = [k for k in model.preparation_keys() if PREPARATIONS[k].kind == "depot"]
    rate_ends = [(h, t) for h in ("low", "high") for t in ("low", "high")] if depots else [None]
    level_ends = [None] if fitted else ["low", "high"]
    corners = []
    for rate_end in rate_ends:
        base = model
        if rate_end is not None:
            half_life, tmax = dict(model.half_life), dict(model.tmax)
            for key in depots:
                preparation = PREPARATIONS[key]
                assert preparation.half_life_days is not None and preparation.tmax_days is not None
                half_life[key] = getattr(preparation.half_life_days, rate_end[0])
                tmax[key] = getattr(preparation.tmax_days, rate_end[1])
            base = replace(model, half_life=half_life, tmax=tmax)
        for end in level_ends:
            if end is None:
                corners.append(base)
                continue
            fractions = {k: getattr(PREPARATIONS[k].bioavailability, end)
                         for k in model.preparation_keys()}
            corners.append(replace(base, scale=getattr(SCALE, end), bioavailability=fractions))
    return corners


def fit_levels(doses: Iterable[Dose], draws: Iterable[Draw] = (),
               own: OwnProduction | None = None, medications: Sequence[Medication] = ()) -> Fit:
    """The model for his logged doses, fitted to his total T draws where there are enough."""
    used_doses, unmodelled = model_doses(doses, medications)
    published = Model(used_doses, own=own)
    ordered = sorted(draws, key=lambda d: day_number(d.taken_at))
    days = [day_number(d.taken_at) for d in ordered]
    unit = _unit_predictions(published, days)
    usable = [i for i, d in enumerate(ordered)
              if not d.censored and SCALE.value * unit[i] >= DOSE_SHARE * d.value]
    model, fitted, note = published, False, ""
    half_life: tuple[str, float] | None = None
    far: set[int] = set()
    judged: dict[int, float] = {}  # draw index -> robust z, where the draws were judged
    if not used_doses:
        note = "No logged testosterone dose the model knows: there is no curve from doses."
    elif len(usable) < MIN_DRAWS:
        note = (f"{len(usable)} usable draw{'s' if len(usable) != 1 else ''}: at least "
                f"{MIN_DRAWS} are needed to fit the model to your numbers, so the curve is "
                "from published averages alone.")
    else:
        own_levels = [own_at(own, days[i]) for i in usable]
        y = [ordered[i].value - e for i, e in zip(usable, own_levels, strict=True)]
        model, half_life = _fit_on(published, [days[i] for i in usable], y)
        if len(usable) >= MIN_DRAWS_HALF_LIFE:
            predicted = [model.scale * level + own_levels[n] for n, level in
                         enumerate(_unit_predictions(model, [days[i] for i in usable]))]
            z = _far([ordered[i].value for i in usable], predicted)
            judged = {i: z[n] for n, i in enumerate(usable)}
            far = {i for i in usable if abs(judged[i]) > FAR_Z}
            kept = [n for n, i in enumerate(usable) if i not in far]
            if far and len(kept) >= MIN_DRAWS:
                model, half_life = _fit_on(published, [days[usable[n]] for n in kept],
                                           [y[n] for n in kept])
            elif far:
                far = set()  # too few would be left: every usable draw stays in the fit
        fitted = model.scale > 0
        if not fitted:
            model, half_life, far, judged = published, None, set(), {}
            note = ("The fitted scale came out at zero or below (the draws are under the "
                    "assumed own production): the curve is from published averages alone.")
    return _answer(model, published, fitted, ordered, days, usable, far, judged, half_life, note,
                   unmodelled)


def _answer(model: Model, published: Model, fitted: bool, ordered: list[Draw], days: list[float],
            usable: list[int], far: set[int], judged: dict[int, float],
            half_life: tuple[str, float] | None, note: str, unmodelled: tuple[Dose, ...]) -> Fit:
    band = _corners(model if fitted else published, fitted) if model.doses else []
    terms = [_terms(m) for m in (model, *band)]
    results, errors, percents, measured_used = [], [], [], []
    for i, draw in enumerate(ordered):
        own_level = own_at(model.own, days[i])
        levels = [sum(_term_at(t, days[i]) for t in ts) + own_level for ts in terms]
        predicted, low, high = levels[0], min(levels), max(levels)
        if draw.censored:
            status = CENSORED
            below = draw.comparator.startswith("<")
            in_band = low <= draw.value if below else high >= draw.value
        else:
            in_band = low <= draw.value <= high
            status = (NO_DOSE if i not in usable else FAR if i in far
                      else USED if fitted else COMPARED)
        if status == USED:
            errors.append(draw.value - predicted)
            measured_used.append(draw.value)
            if predicted > 0:
                percents.append(abs(draw.value - predicted) / predicted * 100)
        results.append(DrawFit(draw, predicted, status, in_band, judged.get(i)))
    r_squared = None
    if fitted and len(measured_used) >= MIN_DRAWS:
        mean = statistics.fmean(measured_used)
        total = sum((v - mean) ** 2 for v in measured_used)
        r_squared = 1 - sum(e * e for e in errors) / total if total > 0 else None
    return Fit(model, tuple(band), fitted, tuple(results), r_squared,
               statistics.median(percents) if fitted and percents else None,
               half_life, note, unmodelled)
