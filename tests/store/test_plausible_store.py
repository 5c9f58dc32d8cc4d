"""The store and the plausibility limits: ``hpgjournal check`` reports what an old journal holds
(impossible values as errors, implausible ones as warnings)."""

from __future__ import annotations

import re

import pytest

from hpgjournal.cli import main
from hpgjournal.domain.results import make_result
from hpgjournal.store.check import check
from hpgjournal.store.journal import Journal


@pytest.fixture
def old_journal(tmp_path):
    """A journal whose values were written by SQL, as an older hpgjournal (or a hand) could."""
    path = tmp_path / "old.hpgjournal"
    with Journal.open(path) as journal:
        for day in range(1, 12):
            journal.add(make_result(f"2024-03-{day:02d}", "testosterone_total", "500", "ng/dL"))
        journal.add(make_result("2024-03-12", "hematocrit", "48", "%"))
        journal.add(make_result("2024-03-13", "custom:Base excess", "-2", "mmol/L"))
        conn = journal._conn
        for sql in (
            "UPDATE lab_results SET value = 1e308, reported_value = '1e308' WHERE id = 1",
            "UPDATE lab_results SET value = 9e999 WHERE id = 2",
            "UPDATE lab_results SET value = -5, reported_value = '-5' WHERE id = 3",
            "UPDATE lab_results SET value = 'NaN', reported_value = 'NaN' WHERE id = 4",
            "UPDATE lab_results SET value = NULL, reported_value = 'inf' WHERE id = 5",
            "UPDATE lab_results SET value = -5, comparator = '<', reported_value = '<-5' "
            "WHERE id = 6",
            "UPDATE lab_results SET taken_at = '0001-03-07' WHERE id = 7",
            "UPDATE lab_results SET taken_at = '2999-03-08' WHERE id = 8",
            "UPDATE lab_results SET value = 6000, reported_value = '6000' WHERE id = 9",
            "UPDATE lab_results SET value = 0.51, reported_value = '0.51' WHERE id = 12",
        ):
            conn.execute(sql)
        conn.commit()
    return path


def test_check_reports_impossible_values_as_errors_and_implausible_ones_as_warnings(old_journal):
    with Journal.open(old_journal, readonly=True) as journal:
        problems = check(journal)
    by_where = {}
    for p in problems:
        by_where.setdefault(p.where.split(" (")[0], []).append(p)
    expect = {
        "lab result #1": ("error", "1e+308 ng/dL is impossible"),
        "lab result #2": ("error", "inf is not a finite number"),
        "lab result #3": ("error", "-5 ng/dL is impossible"),
        "lab result #4": ("error", "'NaN' is not a finite number"),
        "lab result #5": ("error", "'inf' is not a finite number"),
        "lab result #6": ("error", "<-5 ng/dL is impossible"),
        "lab result #7": ("error", "the date 0001-03-07 is before 1900"),
        "lab result #8": ("error", "the date 2999-03-08 is in the future"),
        "lab result #9": ("warning", "6,000 ng/dL is implausible"),
        "lab result #12": ("warning", "fraction 0.51, that is 51 %"),
    }
    for where, (severity, words) in expect.items():
        found = by_where.get(where, [])
        assert any(p.severity == severity and words in p.message for p in found), (where, found)
    assert "lab result #13" not in by_where  # a custom marker may be negative
    assert set(by_where) == set(expect)


def test_the_check_command_fails_on_impossible_values(old_journal, capsys):
    assert main(["check", "--journal", str(old_journal)]) == 1
    out, err = capsys.readouterr()
    assert "error: lab result #1 (2024-03-01): Total testosterone 1e+308 ng/dL is impossible" \
        in out
    assert "warning: lab result #12 (2024-03-12): Hematocrit 0.51 % is implausible" in out
    assert "8 errors, 2 warnings" in err


def test_the_store_refuses_impossible_values_as_a_last_guard(tmp_path):
    from dataclasses import replace

    from hpgjournal.domain.errors import ValidationError
    from hpgjournal.domain.records import Dose, LabResult

    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        good = make_result("2024-03-01", "testosterone_total", "500", "ng/dL")
        cases = [
            (replace(good, value=1e308, reported_value="1e308"), "value", "1e+308 ng/dL is impossible"),
            (replace(good, value=float("inf")), "value", "not a finite number"),
            (replace(good, value=float("nan")), "value", "not a finite number"),
            (replace(good, value=-5.0, reported_value="-5"), "value", "cannot be below 0"),
            (replace(good, value=None, reported_value="NaN"), "value", "'NaN' is not a finite"),
            (replace(good, taken_at="0001-03-01"), "taken_at", "before 1900"),
            (replace(good, analyte="hematocrit", unit="%", value=101.0), "value",
             "a percentage cannot be above 100"),
        ]
        for record, field, words in cases:
            with pytest.raises(ValidationError, match=re.escape(words)) as refused:
                journal.add(record)
            assert refused.value.field == field
        assert journal.count(LabResult) == 0
        result_id = journal.add(good)
        with pytest.raises(ValidationError, match="cannot be below 0"):
            journal.update(replace(good, id=result_id, value=-5.0))
        assert journal.get(LabResult, result_id).value == 500.0
        # implausible values are the user's to keep
        journal.update(replace(good, id=result_id, value=6000.0, reported_value="6000"))
        assert journal.get(LabResult, result_id).value == 6000.0
        with pytest.raises(ValidationError, match="before 1900") as refused:
            journal.add(Dose(None, "0001-01-01T08:00", "hCG", 500.0, "IU"))
        assert refused.value.field == "taken_at" and journal.count(Dose) == 0
        # undo puts back exactly what was there
        journal.update(replace(good, id=result_id, value=-5.0), guarded=False)
        assert journal.get(LabResult, result_id).value == -5.0


def test_reading_an_old_journal_gives_numbers_and_a_sane_span(old_journal):
    import math

    from hpgjournal.domain.records import LabResult

    with Journal.open(old_journal, readonly=True) as journal:
        text_value = journal.get(LabResult, 4)  # 'NaN' kept as text by SQLite
        assert isinstance(text_value.value, float) and math.isnan(text_value.value)
        assert all(r.value is None or isinstance(r.value, float) for r in journal.lab_results())
        assert journal.date_span() == ("2024-03-01", "2024-03-13")  # not 0001, not 2999
