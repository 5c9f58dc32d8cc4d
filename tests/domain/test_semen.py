"""The worked-out total sperm count (issue 20: moved below Qt)."""

from hpgjournal.domain.records import LabResult
from hpgjournal.domain.semen import worked_out_total


def _r(key: str, value: float | None, comparator: str = "") -> LabResult:
    return LabResult(None, "2026-01-01", key, value, "", str(value), comparator=comparator)


def test_total_is_volume_times_concentration_to_one_decimal() -> None:
    assert worked_out_total([_r("semen_volume", 2.5), _r("sperm_concentration", 16.33)]) == 40.8


def test_no_total_when_a_factor_is_missing_censored_or_the_total_was_typed() -> None:
    volume, conc = _r("semen_volume", 2.0), _r("sperm_concentration", 20.0)
    assert worked_out_total([volume]) is None
    assert worked_out_total([conc]) is None
    assert worked_out_total([volume, _r("sperm_concentration", 1.0, "<")]) is None
    assert worked_out_total([volume, _r("sperm_concentration", None)]) is None
    assert worked_out_total([_r("semen_volume", None), conc]) is None
    assert worked_out_total([volume, conc, _r("sperm_total_count", 50.0)]) is None
