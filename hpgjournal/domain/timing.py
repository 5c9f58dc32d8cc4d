"""When was a blood draw taken relative to the last testosterone dose?

For injectable regimens the draw is called a peak (first quarter of the dosing interval),
mid (middle half) or trough (last quarter, usually the morning of the next injection).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from hpgjournal.domain.drugs import is_testosterone_dose
from hpgjournal.domain.records import Dose, Medication
from hpgjournal.domain.timestamps import to_datetime

MAX_LOOKBACK_DAYS = 45  # a dose older than this says nothing about the draw


@dataclass(frozen=True)
class DoseTiming:
    """When a draw was taken relative to the dose before it."""
    hours: float
    drug: str
    position: str  # "peak", "mid", "trough" or "" (not an interval regimen, or a late draw)

    def __str__(self) -> str:
        hours = f"{self.hours:.0f} h" if self.hours < 72 else f"{self.hours / 24:.1f} d"
        return f"{hours} · {self.position}" if self.position else hours


def position_in_interval(hours: float, interval_days: float) -> str:
    fraction = hours / (interval_days * 24)
    if fraction < 0.25:
        return "peak"
    if fraction < 0.75:
        return "mid"
    if fraction <= 1.25:
        return "trough"
    return ""  # later than the next planned dose: the dose was probably missed


class DoseClock:
    """Answers 'hours since the last testosterone dose' for many draws at once."""

    def __init__(self, doses: Sequence[Dose], medications: Sequence[Medication]) -> None:
        meds = {m.id: m for m in medications}
        chosen = []
        for dose in doses:
            med = meds.get(dose.medication_id)
            if is_testosterone_dose(dose.drug, med) and "T" in dose.taken_at:
                chosen.append((to_datetime(dose.taken_at), dose, med))
        chosen.sort(key=lambda item: item[0])
        self._times = [t for t, _, _ in chosen]
        self._doses = chosen

    def timing(self, taken_at: str) -> DoseTiming | None:
        """None when the draw has no time of day or no testosterone dose came shortly before."""
        if "T" not in taken_at or not self._times:
            return None
        when = to_datetime(taken_at)
        index = bisect.bisect_right(self._times, when) - 1
        if index < 0:
            return None
        dose_time, dose, med = self._doses[index]
        hours = (when - dose_time).total_seconds() / 3600
        if hours > MAX_LOOKBACK_DAYS * 24:
            return None
        interval = med.interval_days if med is not None and med.route in ("im", "subq") else None
        position = position_in_interval(hours, interval) if interval else ""
        return DoseTiming(hours, dose.drug, position)
