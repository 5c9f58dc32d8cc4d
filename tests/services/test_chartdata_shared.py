"""The chart page reads a marker's results alone when it switches (issue 17): what it draws
must be what a full read gives."""

from __future__ import annotations

from hpgjournal.services.chartdata import load_chart_data
from hpgjournal.store.journal import Journal


def test_a_read_sharing_another_charts_phases_and_doses_equals_a_full_read(demo_path):
    with Journal.open(demo_path, readonly=True) as journal:
        first = load_chart_data(journal, ["lh"])
        assert first.doses and first.phases and first.times.trt_doses
        for key in ("testosterone_total", "estradiol", "hematocrit", "sperm_concentration"):
            shared = load_chart_data(journal, [key], shared=first)
            assert shared == load_chart_data(journal, [key]), key
            assert shared.series[key] and shared.series != first.series
