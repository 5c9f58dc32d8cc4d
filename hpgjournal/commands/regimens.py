"""Regimens, doses and the phases they start: the steps with rules of their own."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from hpgjournal.commands.base import describe
from hpgjournal.commands.records import AddRecords, EditAndAdd
from hpgjournal.domain.dosing import next_site
from hpgjournal.domain.drugs import find_drug
from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.records import Dose, Medication, Phase
from hpgjournal.domain.timestamps import day_before, normalise_timestamp
from hpgjournal.store.journal import Journal


class ChangeRegimen(EditAndAdd):
    """A new dose or schedule from a day on: the current regimen ends the day before, the new
    one starts that day (one step; undo gives back the regimen as it ran).

    ``new`` is the regimen as it runs from its ``start_date``; it is the user's own (no import
    batch) even when the regimen it follows was imported. It must start after the current one
    began: a change on its first day or before it is a correction, which Edit makes.
    """

    def __init__(self, current: Medication, new: Medication) -> None:
        if new.start_date <= current.start_date:
            raise ValidationError(
                "start_date", "The change must start after the current regimen began "
                f"({current.start_date}); to correct the regimen itself, use Edit.")
        successor = replace(new, id=None, batch_id=None)
        ended = replace(current, end_date=day_before(successor.start_date))
        super().__init__([(current, ended)], [successor],
                         f"Change {current.drug} from {successor.start_date}")


class LogDose(AddRecords):
    """One dose of a regimen taken at ``taken_at``: its drug, dose and unit, and (for an
    injection) the site after the last one used for it (``domain.dosing.next_site``)."""

    def __init__(self, journal: Journal, regimen: Medication, taken_at: datetime) -> None:
        site = next_site(journal.last_site(regimen.id), regimen.route) \
            if regimen.route in ("im", "subq") else ""
        stamp = normalise_timestamp(taken_at.strftime("%Y-%m-%d %H:%M"), "taken_at")
        dose = Dose(None, stamp, regimen.drug, regimen.dose, regimen.unit, site,
                    medication_id=regimen.id)
        super().__init__([dose], f"Log {describe(dose)}")

    @property
    def dose(self) -> Dose:
        return self.records[0]


def phases_to_start(journal: Journal, day: str) -> list[str]:
    """The phase kinds the regimens running on ``day`` stand for (hCG, a SERM, ...) that no
    phase running that day already covers, in the regimens' order, each once."""
    running = {p.kind for p in journal.phases_at(day)}
    kinds: list[str] = []
    for regimen in journal.active_medications(day):
        drug = find_drug(regimen.drug)
        if drug and drug.phase_kind not in running and drug.phase_kind not in kinds:
            kinds.append(drug.phase_kind)
    return kinds


class StartPhases(AddRecords):
    """A phase of each kind, open-ended from ``day`` (Journal > Start phases from regimens)."""

    def __init__(self, kinds: list[str], day: str) -> None:
        self.names = ", ".join(phase_label(k) for k in kinds)
        super().__init__([Phase(None, k, day, None, "started from the active regimens")
                          for k in kinds], f"Start {self.names}")
