"""A report that ends on a past day says what the overview said that day: the same safety
flags and tests due, from what the journal held then (not from phases and regimens begun
later)."""

from __future__ import annotations

from datetime import date

import pytest

from hpgjournal.domain.records import Phase
from hpgjournal.report.content import ReportOptions, gather
from hpgjournal.services.chartdata import review
from hpgjournal.store.journal import Journal
from tests.conftest import DEMO_TODAY


def _phase_starts(path) -> list[str]:
    with Journal.open(path, readonly=True) as journal:
        return sorted({p.start_date for p in journal.all(Phase)})


@pytest.mark.parametrize("offset", [1, 3, 5])
def test_a_past_report_flags_and_schedules_as_the_overview_did_that_day(demo_path, offset):
    starts = _phase_starts(demo_path)
    # the day before a later phase began: that phase (and its regimens) must not count yet
    end = (date.fromisoformat(starts[offset]).toordinal() - 1)
    end_day = date.fromordinal(end)
    with Journal.open(demo_path, readonly=True) as journal:
        data = gather(journal, ReportOptions(end=end_day.isoformat()), today=DEMO_TODAY)
        then = review(journal, as_of=end_day)
    assert data.alerts == then.flags
    assert data.due == then.due
    later = {p for p in starts if p > end_day.isoformat()}
    assert later, "the demo has phases after the report's end"
