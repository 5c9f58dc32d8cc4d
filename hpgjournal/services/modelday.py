"""Whether the overview's model line (issue 18) can say anything on a day, decided without the
model: on TRT (a phase or an active testosterone medication), or within
``WASHOUT_SHOWN_DAYS`` of a testosterone dose (logged, or the end of a testosterone regimen).

Kept apart from :mod:`hpgjournal.services.levels` so that the overview of a journal long off
testosterone (a baseline, a recovery a year on) neither imports nor fits the model. It may say
yes where the model then finds nothing to show (a dose the model does not take); it never says
no where the line would show.
"""

from __future__ import annotations

from datetime import date, timedelta

from hpgjournal.domain.drugs import is_testosterone_dose
from hpgjournal.domain.records import Medication
from hpgjournal.store.journal import Journal

WASHOUT_SHOWN_DAYS = 365  # the washout line is shown for a year after the last dose


def model_may_show(journal: Journal, today: date) -> bool:
    """Whether :func:`hpgjournal.services.levels.model_lines` may return a line for ``today``."""
    day = today.isoformat()
    if any(p.kind == "trt" for p in journal.phases_at(day)):
        return True
    since = (today - timedelta(days=WASHOUT_SHOWN_DAYS)).isoformat()
    medicines = {m.id: m for m in journal.all(Medication)}
    for medication in medicines.values():
        if is_testosterone_dose(medication.drug, medication) and medication.start_date <= day \
                and (medication.end_date is None or medication.end_date >= since):
            return True  # running today, or ended within the year (its implied doses)
    return any(is_testosterone_dose(drug, medicines.get(medication_id)) and taken_at[:10] >= since
               for drug, medication_id, taken_at in journal.last_doses())
