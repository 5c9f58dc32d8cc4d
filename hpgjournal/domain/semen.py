"""The semen analysis rule that needs no window (moved out of ``ui/record_dialogs.py``,
issue 20): the total count worked out from volume and concentration."""

from __future__ import annotations

from collections.abc import Iterable

from hpgjournal.domain.records import LabResult


def worked_out_total(results: Iterable[LabResult]) -> float | None:
    """Volume (mL) x concentration (million/mL), to one decimal, when the analysis has both
    as plain numbers and no total count of its own; None otherwise (a censored concentration
    such as ``<1`` gives no total)."""
    by_key = {r.analyte: r for r in results}
    volume, conc = by_key.get("semen_volume"), by_key.get("sperm_concentration")
    if ("sperm_total_count" in by_key or volume is None or conc is None
            or volume.value is None or conc.value is None or conc.comparator):
        return None
    return round(volume.value * conc.value, 1)
