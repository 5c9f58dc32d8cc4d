"""The dose-to-level model (issue 18) fitted to one journal: what the chart, the lab table, the
overview and ``hpgjournal assess`` show of it.

:func:`level_model` reads the journal's doses, regimens, phases and total testosterone draws
and returns a :class:`Levels`: the :class:`~hpgjournal.domain.pk.Fit` and the regimen's dosing
interval. His own production is the app's assumption (``OWN_ASSUMPTION`` says it in words):

* its level is the average of his total testosterone draws in the baseline phases (before any
  dose); without one, no own production is added (the curve is the doses' alone);
* it falls to nothing over three weeks from the first TRT phase's start (LH suppressed on
  injections), and climbs back in a straight line over about nine months from the end of the
  last TRT phase (``own_production``), whatever the restart drugs do.

No cache beyond the caller's: the journal has no revision number, and the fit of ten years of
weekly doses to 130 draws takes about 0.05 s (three years of the demo, 5 ms); each page that
shows it fits it when it loads (the chart page once a load, whatever it redraws).
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from hpgjournal.domain import pk
from hpgjournal.domain.drugs import is_testosterone_dose
from hpgjournal.domain.knowledge import marker_to_system, marker_unit
from hpgjournal.domain.pk.model import from_day, reach_days
from hpgjournal.domain.records import Dose, LabResult, Medication, Phase
from hpgjournal.services.modelday import WASHOUT_SHOWN_DAYS, model_may_show
from hpgjournal.store.journal import Journal

__all__ = ["MODEL_MARKER", "OWN_ASSUMPTION", "WASHOUT_SHOWN_DAYS", "Levels", "draw_details",
           "draw_words", "level_model", "levels_of", "model_json", "model_lines", "overview_lines"]


MODEL_MARKER = "testosterone_total"

OWN_ASSUMPTION = ("Your own production (the app's assumption): the average of your baseline "
                  "draws, gone three weeks into TRT and back in a straight line about nine "
                  "months after it ends.")
NO_BASELINE = ("No baseline draw before the first dose: your own production is left out, so "
               "the curve is the doses' testosterone alone.")


@dataclass(frozen=True)
class Levels:
    """The model fitted to a journal, and what the screens need beside it."""

    fit: pk.Fit
    interval_days: float | None  # the newest testosterone regimen's, for the last interval
    own_words: str  # how his own production was assumed, in words
    _positions: dict[str, pk.IntervalPosition | None] = field(
        default_factory=dict, compare=False, repr=False)  # a table asks a row many times

    def position(self, when: str | datetime) -> pk.IntervalPosition | None:
        """Where ``when`` fell in its dosing interval, by the model."""
        key = when if isinstance(when, str) else when.isoformat(timespec="minutes")
        if key not in self._positions:
            self._positions[key] = pk.interval_position(self._around(when), when,
                                                        self.interval_days)
        return self._positions[key]

    def _around(self, when: str | datetime) -> pk.Model:
        """The fitted model with only the doses that shape the interval around ``when``: none
        older than a dose still counts (``reach_days``), none past three intervals on (a gap
        longer than that is a missed dose: no interval). Ten years of daily gel would otherwise
        be summed again for every row of the lab table."""
        model = self.fit.model
        if not model.doses:
            return model
        day = pk.day_number(when)
        days = [d.day for d in model.doses]
        first = bisect.bisect_left(days, day - reach_days(model) - (self.interval_days or 7.0))
        last = bisect.bisect_right(days, day + 3 * max(self.interval_days or 0.0, 20.0))
        return replace(model, doses=model.doses[first:last])

    def draw(self, taken_at: str) -> pk.DrawFit | None:
        """The model's judgement of the draw taken at ``taken_at``, if it is one of his."""
        return next((d for d in self.fit.draws if d.draw.taken_at == taken_at), None)


def _baseline(phases: list[Phase], results: list[LabResult], first_dose: float | None
              ) -> float | None:
    spans = [(p.start_date, p.end_date or "9999") for p in phases if p.kind == "baseline"]
    values = [d.value for d in pk.draws_from_results(results)
              if not d.censored and any(a <= d.taken_at[:10] <= b for a, b in spans)
              and (first_dose is None or pk.day_number(d.taken_at) < first_dose)]
    return statistics.fmean(values) if values else None


def _own(phases: list[Phase], results: list[LabResult], model_doses: tuple[pk.ModelDose, ...]
         ) -> tuple[pk.OwnProduction | None, str]:
    first = model_doses[0].day if model_doses else None
    baseline = _baseline(phases, results, first)
    if baseline is None:
        return None, NO_BASELINE
    trt = sorted((p for p in phases if p.kind == "trt"), key=lambda p: p.start_date)
    if trt:
        start = trt[0].start_date
        stop = trt[-1].end_date
    elif first is not None:  # doses without a TRT phase: suppressed from the first dose on
        start, stop = from_day(first).isoformat(timespec="minutes"), None
    else:
        return pk.OwnProduction(baseline), OWN_ASSUMPTION
    return pk.own_production(baseline, start, stop), OWN_ASSUMPTION


def _doses(doses: list[Dose], medications: list[Medication], until: str) -> list[Dose]:
    """The logged testosterone doses (hCG, a SERM or an aromatase inhibitor is no input of the
    model, and is not counted among the doses it leaves out), and those a testosterone
    regimen implies where none of its doses is logged (a daily gel logged as a regimen only)."""
    medicines = {m.id: m for m in medications}
    out = [d for d in doses if is_testosterone_dose(d.drug, medicines.get(d.medication_id))]
    logged = {d.medication_id for d in out if d.medication_id is not None}
    for medication in medications:
        if (medication.id not in logged and is_testosterone_dose(medication.drug, medication)
                and pk.preparation_for(medication.drug, medication.route) is not None):
            out.extend(pk.regimen_doses(medication, until))
    return out


def levels_of(doses: list[Dose], medications: list[Medication], phases: list[Phase],
              results: list[LabResult], *, as_of: date | None = None) -> Levels:
    """The model from plain records (what :func:`level_model` reads from a journal); with
    ``as_of``, only the doses and draws up to that day count."""
    day = (as_of or date.max).isoformat()
    until = (as_of or date.today()).isoformat() + "T23:59"  # a regimen logged without doses
    kept = [d for d in _doses(doses, medications, until) if d.taken_at[:10] <= day]
    draws = [r for r in results if r.taken_at[:10] <= day]
    used, _ = pk.model_doses(kept, medications)
    # the phases as they stood that day: later ones unknown, one running then still open
    stood = [replace(p, end_date=p.end_date if p.end_date and p.end_date <= day else None)
             for p in phases if p.start_date <= day]
    own, words = _own(stood, draws, used)
    fit = pk.fit_levels(kept, pk.draws_from_results(draws), own, medications)
    trt = [m for m in medications if is_testosterone_dose(m.drug, m) and m.start_date <= day]
    newest = max(trt, key=lambda m: m.start_date) if trt else None
    return Levels(fit, newest.interval_days if newest else None, words)


def level_model(journal: Journal, *, as_of: date | None = None) -> Levels:
    """The dose-to-level model fitted to the journal's total testosterone draws."""
    return levels_of(journal.all(Dose), journal.all(Medication), journal.all(Phase),
                     journal.lab_results("testosterone_total"), as_of=as_of)


def draw_words(levels: Levels, taken_at: str, system: str = "us") -> str:
    """Where a draw fell in its dosing interval by the model, for the lab table's column
    "Model: in the interval", in the units of ``system`` (the row's unit, so not repeated):
    'near trough (trough 692, peak 1166)'; '' outside any interval (before the first dose, a
    missed dose, a washout). ``draw_details`` says it in full."""
    where = levels.position(taken_at)
    if where is None:
        return ""
    def shown(value: float) -> str:
        number = marker_to_system(MODEL_MARKER, value, system)
        return f"{number:.0f}" if number >= 100 else f"{number:.1f}"

    if where.position == "steady":
        return f"steady ({shown(where.level)})"
    return f"{where.position} (trough {shown(where.trough)}, peak {shown(where.peak)})"


def draw_details(levels: Levels, taken_at: str, system: str = "us") -> str:
    """The whole story of one draw against the model, for a tooltip: the label, the days into
    the interval, how far the draw is from the curve, and the sources of the figures."""
    parts = [pk.label(levels.fit)]
    where = levels.position(taken_at)
    if where is not None:
        days = where.fraction * where.length_days
        unit = marker_unit(MODEL_MARKER, system)
        parts.append(f"{days:.1f} d after the dose, in a {where.length_days:g}-day interval: "
                     f"{draw_words(levels, taken_at, system)} {unit} by the model.")
    found = levels.draw(taken_at)
    if found is not None:
        parts.append(found.words())
    sources = pk.sources_in_use(levels.fit)
    if sources:
        parts.append(f"Its figures from: {'; '.join(sources)}.")
    return " ".join(parts)


def _shown(value: float, system: str) -> str:
    number = marker_to_system(MODEL_MARKER, value, system)
    return f"{number:.0f} {marker_unit(MODEL_MARKER, system)}" if number >= 100 else \
        f"{number:.1f} {marker_unit(MODEL_MARKER, system)}"


def overview_lines(levels: Levels, on_trt: bool, today: date, system: str = "us"
                   ) -> tuple[str, str] | None:
    """The overview's model line and the model's label: on TRT, the predicted trough before
    the next dose; off it, within a year of the last dose, the day the doses' testosterone
    fell below a tenth of its peak. None when neither applies (no modelled dose)."""
    fit = levels.fit
    if not fit.model.doses:
        return None
    if on_trt:
        trough = pk.trough_before_next(fit, levels.interval_days)
        if trough is None:
            return None
        due = f"{trough.next_dose_at:%Y-%m-%d %H:%M}"
        late = " (that day has passed and no later dose is logged)" \
            if trough.next_dose_at.date() < today else ""
        return (f"Predicted trough before the next dose, due {due}{late}: "
                f"{_shown(trough.level, system)}.", _label_and_sources(fit))
    gone = pk.washout(fit)
    if gone is None or (today - gone.last_dose_at.date()).days > WASHOUT_SHOWN_DAYS:
        return None
    injections = all(pk.PREPARATIONS[k].kind == "depot" for k in fit.model.preparation_keys())
    what = "Testosterone from the injections" if injections else "Testosterone from the doses"
    if gone.below_tenth_at is None:
        text = (f"{what} is still above a tenth of its peak after the last dose "
                f"({gone.last_dose_at:%Y-%m-%d}).")
    else:
        day = gone.below_tenth_at.date()
        verb = "mostly gone by" if day >= today else "was mostly gone by"
        text = (f"{what} {verb} {day.isoformat()}: below a tenth of its peak after the last "
                f"dose ({gone.last_dose_at:%Y-%m-%d}). A low value before then still carries "
                "some of it; after it, the level is mostly your own.")
    return text, _label_and_sources(fit)


def _label_and_sources(fit: pk.Fit) -> str:
    sources = pk.sources_in_use(fit)
    return pk.label(fit) + (f" Its figures from: {'; '.join(sources)}." if sources else "")


def model_lines(journal: Journal, today: date, system: str = "us") -> tuple[str, str] | None:
    """:func:`overview_lines` for a journal as it stood on ``today``."""
    if not model_may_show(journal, today):
        return None
    day = today.isoformat()
    on_trt = any(p.kind == "trt" for p in journal.phases_at(day)) or any(
        is_testosterone_dose(m.drug, m) for m in journal.active_medications(day))
    return overview_lines(level_model(journal, as_of=today), on_trt, today, system)


def model_json(levels: Levels, system: str = "us") -> dict[str, object]:
    """The model in ``hpgjournal assess --json``: what it is, how well it fits, its sources,
    and at each total testosterone draw the predicted level and where the draw fell in its
    dosing interval (values in the unit of ``system``)."""
    fit = levels.fit
    unit = marker_unit(MODEL_MARKER, system)

    def shown(value: float) -> float:
        return round(marker_to_system(MODEL_MARKER, value, system), 3)

    draws = []
    for found in fit.draws:
        where = levels.position(found.draw.taken_at)
        draws.append({
            "taken_at": found.draw.taken_at, "measured": shown(found.draw.value),
            "comparator": found.draw.comparator, "predicted": shown(found.predicted),
            "status": found.status, "in_band": found.in_band, "words": found.words(),
            "interval": None if where is None else {
                "position": where.position, "dose_at": f"{where.dose_at:%Y-%m-%dT%H:%M}",
                "next_at": f"{where.next_at:%Y-%m-%dT%H:%M}",
                "days_after_dose": round(where.fraction * where.length_days, 3),
                "trough": shown(where.trough), "peak": shown(where.peak),
            },
        })
    return {
        "marker": MODEL_MARKER, "unit": unit, "label": pk.label(fit), "fitted": fit.fitted,
        "r_squared": fit.r_squared, "median_abs_percent": fit.median_abs_percent,
        "note": fit.note, "description": pk.describe(fit), "own_production": levels.own_words,
        "figures": pk.figure_lines(fit), "sources": pk.sources_in_use(fit), "draws": draws,
    }
