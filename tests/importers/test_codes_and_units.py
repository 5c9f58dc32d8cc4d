"""Units and LOINC codes together (issue 14, part 4): the printed unit wins over a code whose
property disagrees; a moles code with no unit printed is read in moles."""

from __future__ import annotations

import pytest

from hpgjournal.importers.plan import plan_import
from hpgjournal.store.journal import Journal
from tests.importers.helpers import one


@pytest.fixture
def journal(journal_path):
    opened = Journal.open(journal_path)
    yield opened
    opened.close()


def test_a_moles_code_without_a_unit_is_read_in_moles_and_a_printed_unit_wins(journal, tmp_path):
    table = tmp_path / "labs.csv"
    table.write_text("Date,Marker,LOINC,Value,Unit\n"
                     "2024-01-05,HDL,14646-4,1.3,\n"          # moles code, no unit: mmol/L
                     "2024-02-05,HDL,14646-4,51,mg/dL\n"      # moles code, mass unit: mg/dL
                     "2024-01-05,Testosterone,14913-8,17.3,\n"
                     "2024-01-05,Glucose,2339-0,90,mg/dL\n", encoding="utf-8")
    plan = plan_import([table], journal)
    assert plan.count("error") == 0
    hdl = one(plan, "hdl", taken_at="2024-01-05")
    assert hdl.value == pytest.approx(50.27, abs=0.01)
    assert (hdl.unit, hdl.reported_unit) == ("mg/dL", "mmol/L")
    assert "LOINC code 14646-4" in hdl.note
    assert one(plan, "hdl", taken_at="2024-02-05").value == 51.0
    assert one(plan, "testosterone_total").value == pytest.approx(499.0, abs=0.5)
    # whole-blood glucose by its code, whatever the printed name says
    assert one(plan, "glucose_blood").value == 90.0
