"""Envelope arithmetic against examples worked out by hand (the working is in each test)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from hpgjournal.domain.expected import (
    Envelope,
    build_envelope,
    effect_fraction,
    no_band_reason,
    target_band,
)
from hpgjournal.domain.knowledge import ExpectedResponse, load_knowledge
from hpgjournal.paths import resources_dir

START = date(2026, 1, 1)


def response(**fields: object) -> ExpectedResponse:
    base: dict[str, object] = {
        "phase_kind": "serm_clomiphene", "analyte": "lh", "direction": "up", "size": "relative",
        "anchor": "phase_start", "origin": "literature", "tag": "EXT-P", "sources": ("katz2012",),
        "evidence": "hand-made for the test",
    }
    base.update(fields)
    return ExpectedResponse(**base)  # type: ignore[arg-type]


def triples(envelope: Envelope) -> list[tuple[float, float, float]]:
    return [(p.day, round(p.low, 6), round(p.high, 6)) for p in envelope.points]


def test_effect_fraction() -> None:
    assert effect_fraction(3, 7, 28) == 0.0
    assert effect_fraction(17.5, 7, 28) == 0.5  # (17.5 - 7) / 21
    assert effect_fraction(40, 7, 28) == 1.0
    # a window of no length is a step: after it 1, just before it 0
    assert effect_fraction(21, 21, 21) == 1.0
    assert effect_fraction(21, 21, 21, left=True) == 0.0
    assert effect_fraction(20.9, 21, 21) == 0.0


def test_relative_rise_the_module_docstring_example() -> None:
    # LH 2.0 at the start; +100 to +300 % (targets 4.0 and 8.0); onset days 7-28, plateau 28-42.
    # Fastest course: 0 at day 7 -> 1 at day 28. Slowest course: 0 at day 28 -> 1 at day 42.
    #   day 0 and 7: neither course has started: 2.0-2.0
    #   day 28: fastest complete (2 + 1 x 6 = 8), slowest not started (2): 2.0-8.0
    #   day 42: both complete: 4.0-8.0, and flat to the phase end (day 59, 1 March)
    lh = response(low=100.0, high=300.0, onset_days=(7.0, 28.0), plateau_days=(28.0, 42.0))
    envelope = build_envelope(lh, phase_start=START, phase_end=date(2026, 3, 1), reference=2.0)
    assert triples(envelope) == [(0, 2, 2), (7, 2, 2), (28, 2, 8), (42, 4, 8), (59, 4, 8)]
    assert (envelope.target_low, envelope.target_high) == (4.0, 8.0)
    # day 35: slowest course half way (f = 7/14 = 0.5): low 2 + 0.5 x 2 = 3; high 8
    assert envelope.at(35) == pytest.approx((3.0, 8.0))
    # day 10: fastest course f = 3/21 = 1/7: high 2 + 6/7 = 2.857; low still 2
    assert envelope.at(10) == pytest.approx((2.0, 2 + 6 / 7))
    assert envelope.at(-5) == (2.0, 2.0) and envelope.at(100) == (4.0, 8.0)
    dated = envelope.dated()
    assert dated[2][0].date() == date(2026, 1, 29) and dated[2][1:] == pytest.approx((2.0, 8.0))


def test_fall_with_a_step_the_trt_lh_entry() -> None:
    # The knowledge base's TRT LH: -100 to -50 %, onset days 1-21, plateau days 14-21.
    # LH 3.0 at the start: targets 0 and 1.5.
    #   day 1: nothing yet, 3.0-3.0
    #   day 14: fastest complete (0), slowest not started (3.0): 0-3.0
    #   day 21: the slowest course is a step (onset 21 = plateau 21): just before it 0-3.0,
    #           after it 0-1.5
    kb = load_knowledge(resources_dir() / "knowledge")
    lh = kb.response("trt", "lh")
    assert lh is not None
    envelope = build_envelope(lh, phase_start=START, phase_end=date(2026, 3, 1), reference=3.0)
    assert triples(envelope) == [(0, 3, 3), (1, 3, 3), (14, 0, 3), (21, 0, 3), (21, 0, 1.5),
                                 (59, 0, 1.5)]
    # day 7.5: fastest course f = 6.5/13 = 0.5 -> low 3 + 0.5 x (0 - 3) = 1.5
    assert envelope.at(7.5) == pytest.approx((1.5, 3.0))
    assert envelope.at(21) == pytest.approx((0.0, 1.5))  # after the step
    assert envelope.at(20.5) == pytest.approx((0.0, 3.0))


def test_anchor_before_the_phase_start() -> None:
    # A washout-like fall timed from a dose 10 days before the phase starts: -50 to -20 %,
    # onset days 0-10, plateau days 10-20 after the dose. Start value 100.
    # In phase days (anchor = day -10): fastest course 0 at day -10 -> 1 at day 0;
    # slowest 0 at day 0 -> 1 at day 10.
    #   day 0: fastest complete (50 and 80), slowest at 0 (100): 50-100
    #   day 5: slowest half way: 100 - 0.5 x 20 = 90 at the top; 50 at the bottom
    #   day 10 on: 50-80
    fall = response(direction="down", low=-50.0, high=-20.0, anchor="last_trt_dose",
                    onset_days=(0.0, 10.0), plateau_days=(10.0, 20.0))
    envelope = build_envelope(fall, phase_start=START, phase_end=date(2026, 1, 31), reference=100.0,
                              anchor=date(2025, 12, 22))
    assert envelope.anchor_day == -10
    assert triples(envelope) == [(0, 50, 100), (10, 50, 80), (30, 50, 80)]
    assert envelope.at(5) == pytest.approx((50.0, 90.0))


def test_absolute_band_from_day_zero_the_hcg_lh_entry() -> None:
    # hCG: LH stays suppressed, 0 to 1.0 IU/L, no lag (windows [0, 0]).
    kb = load_knowledge(resources_dir() / "knowledge")
    lh = kb.response("hcg", "lh")
    assert lh is not None
    envelope = build_envelope(lh, phase_start=START, phase_end=date(2026, 3, 11), reference=0.2)
    assert triples(envelope) == [(0, 0, 1), (69, 0, 1)]


def test_change_size_without_windows() -> None:
    # Hematocrit 45 %, a change of +1 to +3 points, no windows: the full band from day 0.
    hct = response(analyte="hematocrit", size="change", low=1.0, high=3.0)
    envelope = build_envelope(hct, phase_start=START, phase_end=date(2026, 2, 1), reference=45.0)
    assert triples(envelope) == [(0, 46, 48), (31, 46, 48)]


def test_open_ended_absolute_band() -> None:
    # T/E2 at or above 10, no upper limit; start 8.
    ratio = response(analyte="t_e2_ratio", direction="flat", size="absolute", low=10.0)
    envelope = build_envelope(ratio, phase_start=START, phase_end=date(2026, 1, 11), reference=8.0)
    assert envelope.open_high
    assert [(p.day, p.low, p.high) for p in envelope.points] == [(0, 10.0, math.inf),
                                                                  (10, 10.0, math.inf)]


def test_reference_range_timed_from_the_last_dose() -> None:
    # Recovery T: the lab's range 264-916 is the expected state, plateau days 90-365 after the
    # last dose (onset 0). The phase starts 200 days after the last dose at 150 ng/dL.
    # Fastest course complete (day 90 < 200): targets 264 and 916.
    # Slowest course at 200/365 = 0.5479: 150 + 0.5479 x (264 - 150) = 212.47 at the bottom.
    # The slowest course completes on day 365 after the dose, i.e. day 165 of the phase.
    state = response(analyte="testosterone_total", direction="flat", size="reference_range",
                     anchor="last_trt_dose", plateau_days=(90.0, 365.0))
    dose = date(2025, 6, 15)
    start = date(2026, 1, 1)  # 200 days later
    assert (start - dose).days == 200
    envelope = build_envelope(state, phase_start=start, phase_end=date(2026, 12, 31),
                              reference=150.0, anchor=dose, reference_range=(264.0, 916.0))
    first = envelope.points[0]
    assert first.low == pytest.approx(150 + 200 / 365 * 114) and first.high == 916.0
    assert [p.day for p in envelope.points] == [0, 165, 364]
    assert envelope.at(165) == (264.0, 916.0)


def test_values_never_go_below_zero() -> None:
    fall = response(direction="down", size="change", low=-5.0, high=-1.0)
    assert target_band(fall, 2.0) == (0.0, 1.0)
    envelope = build_envelope(fall, phase_start=START, phase_end=date(2026, 1, 2), reference=2.0)
    assert envelope.points[0].low == 0.0


def test_no_band_reasons() -> None:
    kb = load_knowledge(resources_dir() / "knowledge")
    tt = kb.response("serm_clomiphene", "testosterone_total")
    assert tt is not None
    assert no_band_reason(tt, 250.0) is None
    assert "starting below 300 ng/dL; this phase started at 611 ng/dL" in no_band_reason(tt, 611.0)  # type: ignore[operator]
    assert "10.4 nmol/L" in no_band_reason(tt, 611.0, system="si")  # type: ignore[operator]
    lh = kb.response("trt", "lh")
    assert "beyond the test's limit" in no_band_reason(lh, 0.2, "<")  # type: ignore[arg-type,operator]
    assert no_band_reason(kb.response("hcg", "lh"), 0.2, "<") is None  # type: ignore[arg-type]
    assert "single published figure" in no_band_reason(  # type: ignore[operator]
        kb.response("serm_clomiphene", "lh"), 0.3)  # type: ignore[arg-type]
    assert "evidence gap" in no_band_reason(kb.response("gonadorelin", "lh"), 1.0)  # type: ignore[arg-type,operator]
    assert "direction but no size" in no_band_reason(kb.response("trt", "estradiol"), 20.0)  # type: ignore[arg-type,operator]
    assert "recovery curve" in no_band_reason(kb.response("recovery", "sperm_concentration"), 1.0)  # type: ignore[arg-type,operator]
    recovery_t = kb.response("recovery", "testosterone_total")
    assert "no reference range" in no_band_reason(recovery_t, 400.0, "", None)  # type: ignore[arg-type,operator]
    assert no_band_reason(recovery_t, 400.0, "", (264.0, 916.0)) is None  # type: ignore[arg-type]
    assert "no value from the start" in no_band_reason(lh, None)  # type: ignore[arg-type,operator]


def test_bad_input_is_refused() -> None:
    lh = response(low=100.0, high=300.0)
    with pytest.raises(ValueError, match=r"ends .* before it starts"):
        build_envelope(lh, phase_start=START, phase_end=date(2025, 12, 1), reference=2.0)
    with pytest.raises(ValueError, match="reference value"):
        build_envelope(lh, phase_start=START, phase_end=START, reference=math.nan)
    with pytest.raises(ValueError, match="no band to build"):
        build_envelope(response(typical=300.0), phase_start=START, phase_end=START, reference=2.0)
