"""Turn what a lab printed into a journal result: reported text kept, canonical number added."""

from __future__ import annotations

import math

from hpgjournal.domain import analytes
from hpgjournal.domain.analytes import UnitError
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.plausible import require_possible
from hpgjournal.domain.records import LabResult
from hpgjournal.domain.timestamps import normalise_timestamp
from hpgjournal.domain.values import flag_for, parse_range, parse_value


def make_result(
    taken_at: str,
    analyte: str,
    reported_value: str,
    reported_unit: str = "",
    *,
    method: str = "",
    ref_text: str = "",
    flag: str = "",
    lab: str = "",
    note: str = "",
    source: str = "manual",
    batch_id: int | None = None,
    decimal_comma: bool = False,
) -> LabResult:
    """Validate and convert one result. Raises ValidationError naming the field at fault.

    An impossible value or date (see :mod:`hpgjournal.domain.plausible`) is refused here; an
    implausible one is returned as it is, and :func:`~hpgjournal.domain.plausible.judge_result`
    gives its warning.
    """
    stamp = normalise_timestamp(taken_at, "taken_at")
    try:
        marker = analytes.get_analyte(analyte)
    except KeyError:
        raise ValidationError("analyte", f"unknown marker {analyte!r}") from None
    if method and method not in marker.methods:
        allowed = ", ".join(marker.methods) or "none"
        raise ValidationError("method", f"{marker.name} has no method {method!r} "
                                        f"(allowed: {allowed})")
    parsed = parse_value(reported_value, decimal_comma=decimal_comma)
    if not parsed.text:
        raise ValidationError("value", f"{marker.name}: the value is empty")
    unit_text = reported_unit.strip() or parsed.unit
    value = None
    if parsed.number is not None:
        if not unit_text and not analyte.startswith("custom:"):
            unit_text = marker.unit  # a bare number is read in the marker's canonical unit
        try:
            value = analytes.to_canonical(analyte, parsed.number, unit_text) if unit_text else (
                parsed.number)
        except UnitError as exc:
            raise ValidationError("unit", str(exc)) from None
    unit = marker.unit if not analyte.startswith("custom:") else unit_text
    ref_low = ref_high = None
    if ref_text.strip():
        parsed_range = parse_range(ref_text, decimal_comma=decimal_comma)
        try:
            if parsed_range.low is not None:
                ref_low = analytes.to_canonical(analyte, parsed_range.low, unit_text or unit)
            if parsed_range.high is not None:
                ref_high = analytes.to_canonical(analyte, parsed_range.high, unit_text or unit)
        except UnitError:
            ref_low = ref_high = None
        if not all(b is None or math.isfinite(b) for b in (ref_low, ref_high)):
            ref_low = ref_high = None  # a bound too large to convert is no range
    final_flag = (flag.strip().upper() or parsed.flag
                  or flag_for(value, parsed.comparator, ref_low, ref_high))
    result = LabResult(
        id=None, taken_at=stamp, analyte=analyte, value=value, unit=unit,
        reported_value=parsed.text, reported_unit=reported_unit.strip() or parsed.unit,
        method=method, comparator=parsed.comparator, ref_low=ref_low, ref_high=ref_high,
        ref_text=ref_text.strip(), flag=final_flag, lab=lab.strip(), source=source,
        note=note.strip(), batch_id=batch_id,
    )
    require_possible(result)
    return result


def reference_range(result: LabResult) -> tuple[float | None, float | None] | None:
    """The range to judge a result by: the lab's printed one, else the catalogue's default."""
    if result.ref_low is not None or result.ref_high is not None:
        return result.ref_low, result.ref_high
    if result.analyte in analytes.CATALOGUE:
        low, high, _ = analytes.default_range(result.analyte, result.method)
        if low is not None or high is not None:
            return low, high
    return None
