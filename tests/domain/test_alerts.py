"""Dashboard alerts from the thresholds of research/phases.md section 2."""

from __future__ import annotations

from hpgjournal.domain.alerts import find_alerts
from hpgjournal.domain.records import Medication, Phase
from hpgjournal.domain.results import make_result


def r(day, key, value, unit):
    return make_result(day, key, value, unit)


def keys(alerts):
    return [a.key for a in alerts]


def test_hematocrit_above_54_only_when_it_is_the_latest():
    high = r("2025-01-01", "hematocrit", "54.6", "%")
    later_normal = r("2025-03-01", "hematocrit", "49.0", "%")
    alerts = find_alerts([high])
    assert keys(alerts) == ["hct"] and alerts[0].level == "warning"
    assert "54.6 %" in alerts[0].title and "clinician" in alerts[0].text
    assert find_alerts([high, later_normal]) == []
    assert find_alerts([r("2025-01-01", "hematocrit", "54.0", "%")]) == []  # not above
    assert keys(find_alerts([r("2025-01-01", "hematocrit", "0.55", "L/L")])) == ["hct"]


def test_psa_rise_within_a_year():
    series = [r("2025-01-10", "psa", "0.9", "ng/mL"), r("2025-11-20", "psa", "2.4", "ng/mL")]
    alerts = find_alerts(series)
    assert keys(alerts) == ["psa"] and "1.5 ng/mL" in alerts[0].title
    slow = [r("2024-01-10", "psa", "0.9", "ng/mL"), r("2025-11-20", "psa", "2.4", "ng/mL")]
    assert find_alerts(slow) == []  # the rise took almost two years
    assert find_alerts([r("2025-01-10", "psa", "0.9", "ng/mL"),
                        r("2025-11-20", "psa", "2.2", "ng/mL")]) == []  # 1.3 is not above 1.4
    assert keys(find_alerts([r("2025-11-20", "psa", "4.3", "ng/mL")])) == ["psa"]


def test_t_over_e2_below_10_on_the_newest_shared_draw():
    low = [r("2025-05-01", "testosterone_total", "258", "ng/dL"),
           r("2025-05-01", "estradiol", "40.8", "pg/mL")]
    alerts = find_alerts(low)
    assert keys(alerts) == ["te2"] and alerts[0].level == "info" and "6.3" in alerts[0].title
    fixed = [*low, r("2025-09-01", "testosterone_total", "509", "ng/dL"),
             r("2025-09-01", "estradiol", "24.6", "pg/mL")]
    assert find_alerts(fixed) == []
    censored = [r("2025-05-01", "testosterone_total", "258", "ng/dL"),
                r("2025-05-01", "estradiol", "<5", "pg/mL")]
    assert find_alerts(censored) == []  # no honest ratio from a censored estradiol


def test_low_estradiol_only_on_an_aromatase_inhibitor():
    e2 = [r("2025-06-01", "estradiol", "8.2", "pg/mL")]
    ai_phase = [Phase(1, "aromatase_inhibitor", "2025-04-01", None)]
    assert find_alerts(e2) == []
    alerts = find_alerts(e2, ai_phase)
    assert keys(alerts) == ["e2low"] and alerts[0].level == "warning"
    mild = [r("2025-06-01", "estradiol", "13", "pg/mL")]
    assert find_alerts(mild, ai_phase)[0].level == "info"
    anastrozole = [Medication(1, "Anastrozole", "2025-04-01", "aromatase_inhibitor", "oral", 0.5,
                              "mg", "twice weekly", 3.5, "2025-05-01")]
    assert find_alerts(e2, medications=anastrozole) == []  # it had ended before the draw
    assert "no guideline" in find_alerts(e2, ai_phase)[0].source


def test_the_demo_story_raises_nothing_today(demo_path):
    from hpgjournal.store.journal import Journal

    with Journal.open(demo_path, readonly=True) as journal:
        assert find_alerts(journal.lab_results(), journal.all(Phase),
                           journal.all(Medication)) == []
