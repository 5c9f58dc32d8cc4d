"""``check`` lists results an older hpgjournal stored as text where the marker needs a number
(``4OO`` from a file): each with its date, marker, text and the number likely meant, as an
error (every entry path refuses such text now), and says how to correct them."""

from __future__ import annotations

import pytest

from hpgjournal.domain.results import make_result
from hpgjournal.store.check import check
from hpgjournal.store.journal import Journal


@pytest.fixture
def old_journal(tmp_path):
    """Text results as the importers of hpgjournal before issue 13 kept them, written by SQL."""
    path = tmp_path / "old.hpgjournal"
    texts = [("testosterone_total", "4OO", "ng/dL"), ("lh", "l.5", "mIU/mL"),
             ("fsh", "abc", ""), ("shbg", "TNP", "nmol/L"), ("psa", "see note", ""),
             ("sperm_motility", "Not assessable", "%"), ("custom:Blood group", "A Rh+", "")]
    with Journal.open(path) as journal:
        for day in range(1, len(texts) + 2):
            journal.add(make_result(f"2024-03-{day:02d}", "estradiol", "25", "pg/mL"))
        for number, (key, text, unit) in enumerate(texts, 1):
            journal._conn.execute(
                "UPDATE lab_results SET analyte = ?, value = NULL, reported_value = ?, "
                "reported_unit = ?, comparator = '' WHERE id = ?", (key, text, unit, number))
        journal._conn.commit()
    return path


def test_check_lists_text_where_a_number_belongs_with_the_likely_number(old_journal):
    with Journal.open(old_journal, readonly=True) as journal:
        problems = check(journal)
    assert [(p.severity, p.where, p.message) for p in problems] == [
        ("error", "lab result #1 (2024-03-01)",
         "Total testosterone is stored as the text '4OO', not as a number: probably 400 ng/dL"),
        ("error", "lab result #2 (2024-03-02)",
         "Luteinizing hormone is stored as the text 'l.5', not as a number: probably 1.5 mIU/mL"),
        ("error", "lab result #3 (2024-03-03)",
         "Follicle-stimulating hormone is stored as the text 'abc', not as a number"),
    ]
    assert all("Lab results page" in p.fix and "Edit" in p.fix for p in problems)
