"""Text where a catalogue marker needs a number (issue 13): ``4OO`` in a file is no longer kept
as a text result; the row is refused with the reason (and the number meant), like an
impossible value. Texts labs print instead of a number, censored values and own markers'
texts import as before."""

from __future__ import annotations

import json

from hpgjournal.domain.records import LabResult
from hpgjournal.importers.commit import commit_plan
from hpgjournal.importers.plan import plan_import
from hpgjournal.store.journal import Journal

FILE = """Date,Test,Result,Units
2026-03-04,Testosterone,4OO,ng/dL
2026-03-04,Estradiol,4O0,pg/mL
2026-03-04,LH,l.5,mIU/mL
2026-03-04,FSH,abc,mIU/mL
2026-03-04,SHBG,TNP,nmol/L
2026-03-04,Prolactin,<0.2,ng/mL
2026-03-04,PSA,see note,ng/mL
2026-03-04,Sperm motility,Not assessable,%
2026-03-04,Blood group,A Rh+,
2026-03-04,Albumin,4.5,g/dL
"""


def test_text_that_is_no_number_is_refused_with_the_number_meant(tmp_path):
    source = tmp_path / "labs.csv"
    source.write_text(FILE, encoding="utf-8")
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path) as journal:
        plan = plan_import([source], journal)
        errors = {row.line: row.reason for row in plan.rows if row.status == "error"}
        assert set(errors) == {2, 3, 4, 5}
        assert errors[2].startswith("4OO is not a number: did you mean 400? (Total testosterone")
        assert errors[3].startswith("4O0 is not a number: did you mean 400? (Estradiol")
        assert errors[4].startswith("l.5 is not a number: did you mean 1.5?")
        assert errors[5].startswith("abc is not a number: Follicle-stimulating hormone needs "
                                    "digits")
        assert all(row.result is None for row in plan.rows if row.status == "error")
        assert plan.count("new") == 6
        result = commit_plan(plan, journal)
        assert result.added == 6
        kept = {r.analyte: r for r in journal.all(LabResult)}
    assert set(kept) == {"shbg", "prolactin", "psa", "sperm_motility", "custom:Blood group",
                         "albumin"}
    assert (kept["shbg"].value, kept["shbg"].reported_value) == (None, "TNP")
    assert (kept["prolactin"].comparator, kept["prolactin"].value) == ("<", 0.2)
    assert kept["psa"].reported_value == "see note"
    assert kept["sperm_motility"].reported_value == "Not assessable"
    assert (kept["custom:Blood group"].value, kept["custom:Blood group"].reported_value) == (
        None, "A Rh+")
    assert not any(r.reported_value in ("4OO", "4O0", "l.5", "abc") for r in kept.values())


def test_the_apps_own_export_with_such_text_is_refused_too(tmp_path):
    """A journal exported by an older hpgjournal may hold 4OO: importing it does not carry the
    text over."""
    document = {"format": "hpgjournal-export", "format_version": 1, "labs": [
        {"taken_at": "2024-01-02", "analyte": "testosterone_total", "value": None,
         "unit": "ng/dL", "reported_value": "4OO", "reported_unit": "ng/dL"},
        {"taken_at": "2024-01-02", "analyte": "lh", "value": None, "unit": "IU/L",
         "reported_value": "QNS"},
        {"taken_at": "2024-01-02", "analyte": "custom:Mood", "value": None, "unit": "",
         "reported_value": "good"}]}
    source = tmp_path / "export.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    with Journal.open(tmp_path / "j.hpgjournal") as journal:
        plan = plan_import([source], journal)
        assert [(row.status, row.reason[:38]) for row in plan.rows] == [
            ("error", "4OO is not a number: did you mean 400?"), ("new", ""), ("new", "")]
        commit_plan(plan, journal)
        assert sorted(r.reported_value for r in journal.all(LabResult)) == ["QNS", "good"]
