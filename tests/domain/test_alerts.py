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
    assert "Panken" in alerts[0].source and alerts[0].source_ids == ("panken2025",)
    for drug in ("aromatase", "anastrozole", "inhibitor"):  # a flag names no drug
        assert drug not in alerts[0].text.lower()
    fixed = [*low, r("2025-09-01", "testosterone_total", "509", "ng/dL"),
             r("2025-09-01", "estradiol", "24.6", "pg/mL")]
    assert find_alerts(fixed) == []
    censored = [r("2025-05-01", "testosterone_total", "258", "ng/dL"),
                r("2025-05-01", "estradiol", "<5", "pg/mL")]
    assert keys(find_alerts(censored)) == ["e2low"]  # no ratio from a censored estradiol


def test_low_estradiol_with_its_assay():
    ai_phase = [Phase(1, "aromatase_inhibitor", "2025-04-01", None)]
    deficient = make_result("2025-06-01", "estradiol", "8.2", "pg/mL", method="immunoassay")
    (alert,) = find_alerts([deficient])  # below 10: flagged on or off an inhibitor
    assert alert.key == "e2low" and alert.level == "warning" and alert.marker == "estradiol"
    assert "immunoassay" in alert.text and "true value may be lower" in alert.text
    assert "no guideline" in alert.source and "app's own" in alert.source
    mild = [r("2025-06-01", "estradiol", "13", "pg/mL")]
    assert find_alerts(mild) == []  # 10-15 only matters on an aromatase inhibitor
    (info,) = find_alerts(mild, ai_phase)
    assert info.level == "info" and "app's own cautious level" in info.text
    anastrozole = [Medication(1, "Anastrozole", "2025-04-01", "aromatase_inhibitor", "oral", 0.5,
                              "mg", "twice weekly", 3.5, "2025-05-01")]
    assert find_alerts(mild, medications=anastrozole) == []  # it had ended before the draw
    sensitive = make_result("2025-06-01", "estradiol", "9", "pg/mL", method="sensitive")
    assert "mass spectrometry" in find_alerts([sensitive])[0].text


def test_hematocrit_before_trt():
    trt = [Phase(1, "trt", "2025-03-01", None)]
    (missing,) = find_alerts([], trt)
    assert missing.key == "hct_baseline" and "no hematocrit" in missing.text
    high = [r("2025-02-01", "hematocrit", "51.0", "%")]
    (flag,) = find_alerts(high, trt)
    assert flag.key == "hct_baseline" and "below 50 %" in flag.text
    assert find_alerts([r("2025-02-01", "hematocrit", "46.0", "%")], trt) == []
    old = [r("2024-01-01", "hematocrit", "46.0", "%")]  # more than half a year before
    assert keys(find_alerts(old, trt)) == ["hct_baseline"]


def test_azoospermia_twelve_months_after_the_last_testosterone():
    phases = [Phase(1, "trt", "2023-01-01", "2025-01-31"), Phase(2, "recovery", "2025-02-01", None)]
    baseline = [r("2022-12-01", "hematocrit", "45", "%")]
    at_13 = [*baseline, r("2026-03-05", "sperm_concentration", "0", "million/mL")]
    (flag,) = find_alerts(at_13, phases)
    assert flag.key == "azoospermia" and flag.level == "warning" and "13 months" in flag.title
    assert flag.marker == "sperm_concentration"
    assert "design choice" in flag.source and flag.source_ids == ("liu2006", "kohn2017")
    at_9 = [*baseline, r("2025-11-05", "sperm_concentration", "0", "million/mL")]
    assert find_alerts(at_9, phases) == []
    some = [*baseline, r("2026-03-05", "sperm_concentration", "2.5", "million/mL")]
    assert find_alerts(some, phases) == []
    running = [Phase(1, "trt", "2023-01-01", None)]  # still on TRT: expected, not flagged
    assert find_alerts(at_13, running) == []


def test_the_demo_story_raises_nothing_today(demo_path):
    from hpgjournal.store.journal import Journal

    with Journal.open(demo_path, readonly=True) as journal:
        assert find_alerts(journal.lab_results(), journal.all(Phase),
                           journal.all(Medication)) == []
