"""The dose-to-level model on the total testosterone chart (issue 18), and the service that fits
it to a journal: the curve and band drawn, thinned without losing a peak, stopped where the
doses' testosterone is gone; far draws ringed, censored ones kept; the footnote of a file."""

from __future__ import annotations

from datetime import datetime, timedelta

import matplotlib.dates as mdates
import numpy as np
import pytest

from hpgjournal.charts.levels import MODEL_COLOUR, _thinned
from hpgjournal.charts.marker import build_marker_chart
from hpgjournal.domain import pk
from hpgjournal.domain.records import Dose, Medication, Phase
from hpgjournal.domain.results import make_result
from hpgjournal.services.chartdata import load_chart_data
from hpgjournal.services.levels import NO_BASELINE, OWN_ASSUMPTION, level_model, levels_of
from hpgjournal.store.journal import Journal

KEY = "testosterone_total"
FIRST = datetime(2025, 1, 6, 8, 0)
WEEKS = 30


def weekly() -> tuple[list[Dose], Medication]:
    medication = Medication(1, "Testosterone cypionate", FIRST.date().isoformat(), "testosterone",
                            "im", 100.0, "mg", "every 7 days", 7.0,
                            (FIRST + timedelta(days=7 * (WEEKS - 1))).date().isoformat())
    doses = [Dose(None, (FIRST + timedelta(days=7 * n)).strftime("%Y-%m-%dT%H:%M"),
                  "Testosterone cypionate", 100.0, "mg", medication_id=1) for n in range(WEEKS)]
    return doses, medication


def write_journal(path, extra=()) -> Journal:
    """Thirty weekly doses, a baseline draw, draws that follow the model at 1.1 times the
    published scale, and ``extra`` draws (value text, days after the first dose)."""
    doses, medication = weekly()
    truth = pk.fit_levels(doses, medications=[medication]).model
    truth = pk.Model(truth.doses, scale=truth.scale * 1.1)
    results = [make_result("2024-12-20T08:00", KEY, "300", "ng/dL")]
    for day in (30.5, 51.0, 75.3, 100.0, 122.9, 150.2):
        when = FIRST + timedelta(days=day)
        results.append(make_result(when.strftime("%Y-%m-%dT%H:%M"), KEY,
                                   f"{pk.level_at(truth, when):.0f}", "ng/dL"))
    for text, day in extra:
        results.append(make_result((FIRST + timedelta(days=day)).strftime("%Y-%m-%dT%H:%M"), KEY,
                                   text, "ng/dL"))
    journal = Journal.open(path)
    journal.add_many([Phase(None, "baseline", "2024-12-01", "2025-01-05"),
                      Phase(None, "trt", FIRST.date().isoformat(), medication.end_date),
                      Phase(None, "washout", "2025-08-05", None)])
    journal.add(medication)
    journal.add_many([*doses, *results])
    return journal


@pytest.fixture
def charted(tmp_path):
    journal = write_journal(tmp_path / "j.hpgjournal", [("2400", 110.2), ("<100", 140.1),
                                                           ("280", 300.0)])
    yield journal, level_model(journal), load_chart_data(journal, [KEY])
    journal.close()


def test_the_service_assumes_his_own_production_from_his_baseline_and_says_so(charted):
    _, levels, _ = charted
    own = levels.fit.model.own
    assert own is not None and own.baseline == 300.0  # his one baseline draw
    assert levels.own_words == OWN_ASSUMPTION and "the app's assumption" in OWN_ASSUMPTION
    assert own.fraction_at(pk.day_number("2024-12-31")) == 1.0
    assert own.fraction_at(pk.day_number(FIRST + timedelta(days=40))) == 0.0  # suppressed
    assert 0 < own.fraction_at(pk.day_number("2026-01-01")) < 1  # climbing back after TRT
    assert levels.interval_days == 7.0
    assert levels.fit.fitted and levels.fit.model.scale == pytest.approx(1.1 * pk.SCALE.value,
                                                                         rel=0.03)


def test_without_a_baseline_draw_his_own_production_is_left_out_and_said_so():
    doses, medication = weekly()
    draws = [make_result("2025-03-01T08:00", KEY, "600", "ng/dL")]
    levels = levels_of(doses, [medication], [Phase(None, "trt", "2025-01-06")], draws)
    assert levels.fit.model.own is None and levels.own_words == NO_BASELINE


def test_as_of_a_day_only_the_doses_and_draws_until_then_count():
    doses, medication = weekly()
    levels = levels_of(doses, [medication], [], [], as_of=(FIRST + timedelta(days=20)).date())
    assert len(levels.fit.model.doses) == 3


def test_the_curve_band_and_rings_are_drawn_and_far_and_censored_draws_kept(charted):
    _, levels, data = charted
    result = build_marker_chart(data, [KEY], model=levels.fit)
    drawn = result.model
    axes = result.marker_axes[KEY]
    assert drawn.line in axes.get_lines() and drawn.band in axes.collections
    assert not len(drawn.band.get_edgecolor())  # no hairline round the band's every step
    statuses = {d.draw.value: d.status for d in levels.fit.draws}
    assert statuses[2400.0] == "far" and statuses[100.0] == "censored"
    # the far draw is ringed in the model's colour, at its value, and the legend says why
    (ring,) = [line for line in axes.get_lines() if line is drawn.rings]
    assert ring.get_markeredgecolor() == MODEL_COLOUR
    assert list(ring.get_ydata()) == [2400.0]
    labels = [t.get_text() for legend in result.figure.legends for t in legend.get_texts()]
    assert pk.SHORT_LABEL in labels and "Far from the model: left out of its fit" in labels
    # both are still drawn as the user's values, and the hover says what the model made of them
    far = next(p for p in result.points if p.value_text == "2400")
    low = next(p for p in result.points if p.value_text == "<100")
    assert "far from it: left out of its fit" in result.hover_text(far)
    assert "a limit: compared, not fitted" in result.hover_text(low)
    predicted = next(d.predicted for d in levels.fit.draws if d.draw.value == 2400.0)
    assert f"Model: {predicted:.0f} ng/dL here" in result.hover_text(far)


def test_the_curve_stops_where_the_doses_testosterone_is_below_a_tenth_of_its_peak(charted):
    _, levels, data = charted
    result = build_marker_chart(data, [KEY], model=levels.fit)
    gone = pk.washout(levels.fit)
    x = result.model.line.get_xdata()
    assert x[0] == pytest.approx(mdates.date2num(pk.model.from_day(levels.fit.model.doses[0].day)))
    assert x[-1] == pytest.approx(mdates.date2num(gone.below_tenth_at), abs=1 / 24)
    # the hover between the draws is the model's level, and nothing past the curve's end
    assert result.model_text_at(result.marker_axes[KEY], x[-1] + 5) == ""
    assert "Model:" in result.model_text_at(result.marker_axes[KEY], x[len(x) // 2])


def test_the_thinned_curve_keeps_every_peak_and_trough_and_stays_inside_its_band(charted):
    _, levels, _ = charted
    found = pk.curve(levels.fit, FIRST, FIRST + timedelta(days=7 * WEEKS + 30))
    x, y, band_x, low, high = _thinned(found, 1.0, 300)
    assert len(y) < len(found.central) / 3
    assert y.max() == max(found.central) and y.min() == min(found.central)
    assert np.all(np.diff(x) >= 0)
    # each interval's peak is still drawn: the highest point of the hourly curve in each week
    hourly = np.asarray(found.central)
    for week in range(2, WEEKS - 1):
        part = hourly[week * 168:(week + 1) * 168]
        assert part.max() <= y.max() + 1e-9
    band_low = np.interp(x, band_x, low)
    band_high = np.interp(x, band_x, high)
    assert np.all(band_low <= y + 1e-9) and np.all(y <= band_high + 1e-9)


def test_in_si_units_the_curve_is_in_nmol_per_litre(charted):
    _, levels, data = charted
    us = build_marker_chart(data, [KEY], model=levels.fit).model.line.get_ydata()
    si = build_marker_chart(data, [KEY], model=levels.fit, units="si").model.line.get_ydata()
    assert np.allclose(si, us * 0.0347, rtol=0.01)


def test_a_files_footnote_names_the_model_and_its_sources(charted):
    _, levels, data = charted
    result = build_marker_chart(data, [KEY], model=levels.fit, footnote=True)
    text = " ".join(t.get_text() for t in result.figure.texts)
    assert f"Model curve: {pk.MODEL_LABEL}" in text
    assert "Sources: " + "; ".join(pk.sources_in_use(levels.fit)) + "." in text
    plain = build_marker_chart(data, [KEY], footnote=True)
    assert "Model curve" not in " ".join(t.get_text() for t in plain.figure.texts)
    assert plain.model is None


def test_other_markers_get_no_curve(charted):
    journal, levels, _ = charted
    result = build_marker_chart(load_chart_data(journal, ["lh"]), ["lh"], model=levels.fit)
    assert result.model is None
    assert not [line for line in result.marker_axes["lh"].get_lines()
                if line.get_color() == MODEL_COLOUR]


def test_restart_drugs_are_no_input_and_not_counted_as_doses_left_out():
    doses, medication = weekly()
    hcg = Medication(2, "hCG", "2025-09-01", "gonadotropin", "subq", 1500.0, "IU", "twice weekly",
                     3.5)
    restart = [Dose(None, f"2025-09-{day:02d}T21:00", "hCG", 1500.0, "IU", medication_id=2)
               for day in (1, 4, 8)]
    in_ml = Dose(None, "2025-02-01T08:00", "Testosterone cypionate", 1.0, "mL", medication_id=1)
    levels = levels_of([*doses, *restart, in_ml], [medication, hcg], [], [])
    assert len(levels.fit.model.doses) == WEEKS
    assert levels.fit.unmodelled == (in_ml,)  # testosterone in mL: said to be left out
    assert "1 logged dose(s) have no model" in pk.describe(levels.fit)


def test_a_redrawn_chart_reuses_the_curve_it_sampled_for_that_fit(charted):
    from hpgjournal.charts.levels import forget_curves

    _, levels, data = charted
    forget_curves()
    first = build_marker_chart(data, [KEY], model=levels.fit).model.curve
    again = build_marker_chart(data, [KEY], model=levels.fit, show_ranges=False).model.curve
    assert again is first
    refit = level_model(charted[0])  # the journal read again: another fit, sampled anew
    other = build_marker_chart(data, [KEY], model=refit.fit).model.curve
    assert other is not first and np.array_equal(other.central, first.central)


def test_a_regimen_logged_without_doses_gives_the_doses_it_implies_until_that_day():
    from datetime import date

    gel = Medication(3, "Testosterone gel", "2025-03-01", "testosterone", "transdermal", 50.0,
                     "mg", "daily", 1.0)
    levels = levels_of([], [gel], [], [], as_of=date(2025, 3, 10))
    assert len(levels.fit.model.doses) == 10  # 1 to 10 March, one a day
    assert levels.fit.model.preparation_keys() == ("gel",)


def test_as_of_a_day_on_trt_his_own_production_is_not_yet_recovering():
    from datetime import date

    doses, medication = weekly()
    phases = [Phase(None, "baseline", "2024-12-01", "2025-01-05"),
              Phase(None, "trt", "2025-01-06", "2025-08-01")]
    draws = [make_result("2024-12-20T08:00", KEY, "300", "ng/dL")]
    then = levels_of(doses, [medication], phases, draws, as_of=date(2025, 4, 1))
    later = levels_of(doses, [medication], phases, draws)
    assert then.fit.model.own.points[-1][1] == 0.0  # the end of TRT was not known then
    assert later.fit.model.own.points[-1][1] == 1.0  # climbing back after it


def test_without_a_testosterone_dose_there_is_no_curve_and_the_note_says_why(tmp_path):
    with Journal.open(tmp_path / "none.hpgjournal") as journal:
        journal.add_many([make_result("2025-01-10T08:00", KEY, "420", "ng/dL"),
                          make_result("2025-03-10T08:00", KEY, "440", "ng/dL")])
        levels = level_model(journal)
        result = build_marker_chart(load_chart_data(journal, [KEY]), [KEY], model=levels.fit)
    assert result.model is not None and result.model.curve is None and result.model.line is None
    assert not [line for line in result.marker_axes[KEY].get_lines()
                if line.get_color() == MODEL_COLOUR]
    labels = [t.get_text() for legend in result.figure.legends for t in legend.get_texts()]
    assert not any(label.startswith("Model") for label in labels)
    assert levels.fit.note.startswith("No logged testosterone dose the model knows")
    assert result.model_text_at(result.marker_axes[KEY], mdates.date2num(FIRST)) == ""
