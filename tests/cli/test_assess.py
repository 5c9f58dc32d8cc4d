"""``hpgjournal assess``: the verdicts, flags and tests due, for the cases a clinician checks.

Each scenario is a small journal written through the store, judged through the command line as
a user's script would (``assess --json``), and held to the verdict a clinician would accept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hpgjournal.cli import main
from hpgjournal.domain.knowledge import VERDICTS
from hpgjournal.domain.records import Dose, Medication, Phase
from hpgjournal.domain.results import make_result
from hpgjournal.store.journal import Journal


def write(path: Path, phases, results, doses=(), medications=()) -> Path:
    with Journal.open(path) as journal:
        journal.add_many([*phases, *medications])
        journal.add_many([*doses, *(make_result(*r) for r in results)])
    return path


def assess(path: Path, capsys, *extra: str) -> dict:
    assert main(["assess", "--json", "--journal", str(path), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def verdict(doc: dict, phase: str, marker: str) -> dict:
    (found,) = [v for v in doc["verdicts"] if v["phase"] == phase and v["marker"] == marker]
    return found


WEEKLY = [Dose(None, f"2026-{m:02d}-{d:02d}T08:00", "Testosterone cypionate", 100.0, "mg")
          for m in range(1, 8) for d in (1, 8, 15, 22)]
CYPIONATE = [Medication(None, "Testosterone cypionate", "2026-01-01", "testosterone", "im", 100.0,
                        "mg", "weekly", 7.0)]


def test_trt_start_at_450_to_650_midway_is_as_expected(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [Phase(None, "trt", "2026-01-01", None)], [
        ("2025-12-20T08:00", "testosterone_total", "450", "ng/dL"),
        ("2026-04-11T08:00", "testosterone_total", "650", "ng/dL"),  # 3.5 days after a dose
        ("2025-12-20T08:00", "hematocrit", "45", "%"),
    ], WEEKLY, CYPIONATE)
    doc = assess(path, capsys, "--as-of", "2026-04-12")
    t = verdict(doc, "trt", "testosterone_total")
    assert t["verdict"] == "as_expected" and t["origin"] == "both"
    assert t["expected"]["low"] == 400.0 and t["expected"]["high"] == 700.0
    assert [c[1] for c in t["compared"]] == [450.0, 650.0]
    assert "es2010" in t["sources"] and "400 to 700 ng/dL" in t["text"]
    assert doc["as_of"] == "2026-04-12"


def test_hematocrit_to_55_on_trt_is_flagged_and_not_as_expected(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [Phase(None, "trt", "2025-01-01", None)], [
        ("2024-12-20", "hematocrit", "45", "%"), ("2025-10-01", "hematocrit", "55", "%")])
    doc = assess(path, capsys, "--as-of", "2025-10-02")
    assert verdict(doc, "trt", "hematocrit")["verdict"] == "more_than_expected"
    (flag,) = doc["flags"]
    assert flag["key"] == "hct" and flag["marker"] == "hematocrit"
    assert flag["sources"] == ["es2010", "aua2018"] and "2018 guideline (Table 7)" in flag["threshold"]
    assert flag["taken_at"] == "2025-10-01"


def test_washout_low_then_climb_is_in_the_expected_direction(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [
        Phase(None, "trt", "2024-01-01", "2025-12-31"), Phase(None, "washout", "2026-01-01", None)], [
        ("2025-12-20", "testosterone_total", "700", "ng/dL"),
        ("2026-01-20", "testosterone_total", "150", "ng/dL"),
        ("2026-04-01", "testosterone_total", "420", "ng/dL")])
    doc = assess(path, capsys, "--as-of", "2026-04-02")
    t = verdict(doc, "washout", "testosterone_total")
    assert t["verdict"] == "in_expected_direction" and "climbed from its low of 150" in t["text"]


def test_flat_lh_on_clomiphene_is_no_clear_change(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [Phase(None, "serm_clomiphene", "2026-01-01", None)], [
        ("2025-12-28", "lh", "3.0", "IU/L"), ("2026-02-20", "lh", "3.18", "IU/L"),
        ("2025-12-28", "fsh", "4.0", "IU/L"), ("2026-02-20", "fsh", "3.72", "IU/L")])
    doc = assess(path, capsys, "--as-of", "2026-02-21")
    assert verdict(doc, "serm_clomiphene", "lh")["verdict"] == "no_clear_change"
    assert verdict(doc, "serm_clomiphene", "fsh")["verdict"] == "no_clear_change"
    due = {d["test"]: d for d in doc["due"]}
    assert due["restart_panel"]["origin"] == "assumption"  # no published schedule
    assert "semen_analysis" in due


def test_clomiphene_with_anastrozole_started_together(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [
        Phase(None, "serm_clomiphene", "2026-01-01", None),
        Phase(None, "aromatase_inhibitor", "2026-01-01", None)], [
        ("2025-12-28", "estradiol", "40", "pg/mL"), ("2026-03-01", "estradiol", "22", "pg/mL")])
    doc = assess(path, capsys, "--as-of", "2026-03-02")
    for phase in ("serm_clomiphene", "aromatase_inhibitor"):
        found = verdict(doc, phase, "estradiol")
        assert found["verdict"] == "not_judged" and "different ways" in found["reason"]


def test_an_undetectable_pair_is_not_judged(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [Phase(None, "washout", "2026-01-01", None)], [
        ("2025-12-28", "lh", "<0.5", "IU/L"), ("2026-03-01", "lh", "<0.5", "IU/L")])
    doc = assess(path, capsys, "--as-of", "2026-03-02")
    lh = verdict(doc, "washout", "lh")
    assert lh["verdict"] == "not_judged" and lh["compared"] == [["2025-12-28", 0.5, "<"],
                                                               ["2026-03-01", 0.5, "<"]]


def test_azoospermia_at_13_months_is_flagged_and_less_than_expected(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [
        Phase(None, "trt", "2023-01-01", "2025-01-31"),
        Phase(None, "recovery", "2025-02-01", None)], [
        ("2022-12-01", "hematocrit", "45", "%"),
        ("2026-03-05", "sperm_concentration", "0", "million/mL")])
    doc = assess(path, capsys, "--as-of", "2026-03-06")
    assert [f["key"] for f in doc["flags"]] == ["azoospermia"]
    assert verdict(doc, "recovery", "sperm_concentration")["verdict"] == "less_than_expected"


def test_as_of_judges_the_journal_as_it_stood(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [Phase(None, "trt", "2025-01-01", None)], [
        ("2024-12-20", "hematocrit", "45", "%"), ("2025-10-01", "hematocrit", "55", "%")])
    before = assess(path, capsys, "--as-of", "2025-09-30")
    assert before["flags"] == []
    hct = verdict(before, "trt", "hematocrit")
    assert hct["verdict"] == "not_enough_data" and hct["reason"]
    due = {d["test"]: d for d in before["due"]}
    assert due["hematocrit"]["status"] == "overdue"
    assert due["hematocrit"]["due"] == "2025-04-02"  # 3 months: 91 days


def test_the_demo_through_a_real_process(demo_path):
    proc = subprocess.run([sys.executable, "-m", "hpgjournal", "assess", "--json", "--journal",
                           str(demo_path)], capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert set(doc) == {"as_of", "verdicts", "flags", "due", "model"}  # model: issue 18
    assert doc["verdicts"] and all(v["verdict"] in VERDICTS for v in doc["verdicts"])
    assert all(v["origin"] in ("documents", "literature", "both", "assumption")
               for v in doc["verdicts"])
    for v in doc["verdicts"]:
        assert set(v) >= {"phase", "phase_start", "marker", "verdict", "reason", "text",
                          "compared", "expected", "origin", "sources"}
    table = subprocess.run([sys.executable, "-m", "hpgjournal", "assess", "--journal",
                            str(demo_path)], capture_output=True, text=True, timeout=120,
                           check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert table.returncode == 0 and "Verdicts" in table.stdout and "Tests due" in table.stdout
    assert "not judged" in table.stdout and "not_judged" not in table.stdout


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01"])
def test_a_bad_as_of_is_one_line(tmp_path, capsys, bad):
    path = write(tmp_path / "j.hpgjournal", [], [])
    assert main(["assess", "--journal", str(path), "--as-of", bad]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ("--as-of" in err[0] or "date" in err[0])


def test_after_undecanoate_a_slow_recovery_is_not_called_less(tmp_path, capsys):
    undecanoate = [Medication(None, "Testosterone undecanoate", "2023-01-01", "testosterone", "im",
                              1000.0, "mg", "every 10 weeks", 70.0, "2024-06-24")]
    shots = [Dose(None, f"{y}-{m:02d}-01T09:00", "Testosterone undecanoate", 1000.0, "mg")
             for y, m in ((2023, 1), (2023, 3), (2023, 6), (2023, 8), (2023, 10), (2024, 1),
                          (2024, 3), (2024, 5))]
    phases = [Phase(None, "trt", "2023-01-01", "2024-06-30"), Phase(None, "washout", "2024-07-01", None)]
    results = [("2024-06-28", "fsh", "1.0", "IU/L"), ("2026-02-20", "fsh", "1.1", "IU/L")]
    path = write(tmp_path / "j.hpgjournal", phases, results, shots, undecanoate)
    fsh = verdict(assess(path, capsys, "--as-of", "2026-02-21"), "washout", "fsh")
    assert fsh["verdict"] == "no_clear_change" and "long-acting testosterone" in fsh["text"]


def test_profile_command_sets_and_prints(tmp_path, capsys):
    path = write(tmp_path / "j.hpgjournal", [], [])
    assert main(["profile", "--journal", str(path), "--name", "Max Mustermann", "--born",
                 "1980-05-02", "--goal", "restore_fertility"]) == 0
    out = capsys.readouterr().out
    assert "name: Max Mustermann" in out and "goal: restore fertility" in out
    assert main(["profile", "--journal", str(path)]) == 0
    assert "born: 1980-05-02" in capsys.readouterr().out
    assert main(["profile", "--journal", str(path), "--born", "02.05.1980"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("hpgjournal: error: --born:")
    with Journal.open(path, readonly=True) as journal:
        assert journal.profile()["birth_date"] == "1980-05-02"  # the bad value wrote nothing
