"""The overview's model line is decided first without the model (issue 17: a journal long off
testosterone neither loads nor fits it); that decision must never hide a line the model gives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hpgjournal.domain.drugs import is_testosterone_dose
from hpgjournal.domain.records import Dose, Medication, Phase
from hpgjournal.services.levels import level_model, overview_lines
from hpgjournal.services.modelday import model_may_show
from hpgjournal.store.journal import Journal
from tests.conftest import DEMO_TODAY


def line_without_the_gate(journal: Journal, today: date) -> tuple[str, str] | None:
    day = today.isoformat()
    on_trt = any(p.kind == "trt" for p in journal.phases_at(day)) or any(
        is_testosterone_dose(m.drug, m) for m in journal.active_medications(day))
    return overview_lines(level_model(journal, as_of=today), on_trt, today)


def test_the_gate_never_hides_a_line_the_model_gives(demo_path):
    shown = hidden = 0
    with Journal.open(demo_path, readonly=True) as journal:
        first = min(d.taken_at for d in journal.all(Dose))[:10]
        day = date.fromisoformat(first) - timedelta(days=30)
        while day <= DEMO_TODAY + timedelta(days=60):
            line = line_without_the_gate(journal, day)
            gate = model_may_show(journal, day)
            assert gate or line is None, day
            shown += line is not None
            hidden += not gate
            day += timedelta(days=23)
    assert shown > 20 and hidden > 3  # on TRT, in the washout; before TRT and long after it


@pytest.mark.parametrize(("ended_days_ago", "expected"), [
    (None, True), (0, True), (200, True), (365, True), (366, False), (800, False)])
def test_a_testosterone_regimen_counts_until_a_year_after_its_end(journal, ended_days_ago,
                                                                   expected):
    today = date(2026, 6, 1)
    end = None if ended_days_ago is None else (today - timedelta(days=ended_days_ago)).isoformat()
    journal.add(Medication(None, "Testosterone gel", "2020-01-01", drug_class="testosterone",
                           route="transdermal", dose=50, unit="mg", end_date=end))
    assert model_may_show(journal, today) is expected


@pytest.mark.parametrize(("days_ago", "expected"), [(1, True), (365, True), (366, False)])
def test_a_logged_testosterone_dose_counts_for_a_year(journal, days_ago, expected):
    today = date(2026, 6, 1)
    taken = (today - timedelta(days=days_ago)).isoformat() + "T08:00"
    journal.add(Dose(None, taken, "Testosterone cypionate", 100, "mg"))
    journal.add(Dose(None, "2026-05-30T08:00", "hCG", 1000, "IU"))  # not testosterone
    assert model_may_show(journal, today) is expected


def test_a_trt_phase_counts_and_other_drugs_do_not(journal):
    today = date(2026, 6, 1)
    journal.add(Medication(None, "Clomiphene", "2026-05-01", drug_class="serm"))
    journal.add(Phase(None, "serm_clomiphene", "2026-05-01"))
    assert not model_may_show(journal, today)
    journal.add(Phase(None, "trt", "2026-05-20"))
    assert model_may_show(journal, today)
