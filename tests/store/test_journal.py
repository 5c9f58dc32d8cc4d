"""The journal file: creation, privacy, lock, transactions, migrations, refusal of bad files."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from hpgjournal.domain.errors import JournalError, JournalLocked, JournalTooNew, RecordRefused
from hpgjournal.domain.records import Dose, LabResult, Medication, Note, Phase, Questionnaire
from hpgjournal.domain.results import make_result
from hpgjournal.store import schema
from hpgjournal.store.backup import backups_of
from hpgjournal.store.journal import Journal


def test_new_journal_is_private_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "new" / "j.hpgjournal"
    with Journal.open(path) as journal:
        assert journal.version == schema.CURRENT_VERSION
        assert journal._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert journal._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        journal.add(make_result("2025-01-02", "lh", "3.1", "IU/L"))
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_loose_permissions_are_tightened(tmp_path):
    path = tmp_path / "j.hpgjournal"
    Journal.open(path).close()
    path.chmod(0o644)
    Journal.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_records_round_trip(journal):
    result = make_result("2025-03-04T08:15", "testosterone_total", "18.9", "nmol/L",
                         ref_text="8.64-29.0", lab="NHS")
    rid = journal.add(result)
    stored = journal.get(LabResult, rid)
    assert stored.taken_at == "2025-03-04T08:15"
    assert stored.unit == "ng/dL"
    assert stored.value == pytest.approx(18.9 / 0.03467, rel=1e-4)
    assert stored.reported_value == "18.9" and stored.reported_unit == "nmol/L"
    med = journal.add(Medication(None, "hCG", "2025-01-01", "gonadotropin", "subq", 500, "IU"))
    journal.add(Dose(None, "2025-01-03T21:00", "hCG", 500, "IU", "abdomen", "", med))
    assert journal.last_dose_before("2025-01-04").medication_id == med
    journal.add(Phase(None, "trt", "2024-01-01", "2024-12-31"))
    journal.add(Phase(None, "hcg", "2024-12-01", None))
    assert {p.kind for p in journal.phases_at("2024-12-15")} == {"trt", "hcg"}


def test_a_failed_write_changes_nothing(journal):
    with pytest.raises(RecordRefused, match="breaks a rule"):
        journal.add_many([
            Note(None, "2025-01-01", energy=5),
            Note(None, "2025-01-02", energy=11),  # out of 0-10: the whole group is refused
        ])
    assert journal.count(Note) == 0


def test_phase_end_before_start_is_refused(journal):
    with pytest.raises(RecordRefused):
        journal.add(Phase(None, "trt", "2025-02-01", "2025-01-01"))


def test_second_writer_is_told_the_journal_is_open(tmp_path):
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path):
        with pytest.raises(JournalLocked, match="open in another"):
            Journal.open(path)
        with Journal.open(path, readonly=True) as reader:  # reading stays possible
            assert reader.count(Note) == 0
    Journal.open(path).close()  # released on close


def test_lock_held_by_another_process(tmp_path):
    path = tmp_path / "j.hpgjournal"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from hpgjournal.store.journal import Journal
            j = Journal.open({str(path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(JournalLocked):
            Journal.open(path)
    finally:
        holder.kill()
        holder.communicate()
    Journal.open(path).close()  # a killed holder leaves no stale lock


def test_not_a_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.hpgjournal"
    path.write_bytes(b"this is a text file, not a journal\n" * 20)
    before = path.read_bytes()
    with pytest.raises(JournalError, match="not a journal"):
        Journal.open(path)
    assert path.read_bytes() == before


def test_other_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(JournalError, match="another program"):
        Journal.open(path)


def test_newer_journal_is_refused_not_damaged(tmp_path):
    path = tmp_path / "j.hpgjournal"
    Journal.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(JournalTooNew, match="newer hpgjournal"):
        Journal.open(path)
    assert path.read_bytes() == before


def _make_old_journal(path, version):
    """A journal as that version of the program wrote it, with some data."""
    from hpgjournal.store.journal import _ScriptRecorder

    conn = sqlite3.connect(path)
    conn.execute("BEGIN")
    for number, _, step in schema.MIGRATIONS:
        if number > version:
            break
        recorder = _ScriptRecorder()
        step(recorder)
        for statement in recorder.statements:
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO notes (noted_at, energy, text) VALUES ('2024-05-01', 6, 'kept')")
    conn.execute("INSERT INTO lab_results (taken_at, analyte, value, unit, reported_value) "
                 "VALUES ('2024-05-01', 'lh', 0.2, 'IU/L', '<0.2')")
    conn.execute("COMMIT")
    conn.close()


def _make_v1_journal(path):
    _make_old_journal(path, 1)


@pytest.mark.parametrize("version", range(1, schema.CURRENT_VERSION))
def test_old_journal_is_upgraded_with_a_backup_first(tmp_path, version):
    path = tmp_path / "old.hpgjournal"
    _make_old_journal(path, version)
    with Journal.open(path) as journal:
        assert journal.version == schema.CURRENT_VERSION
        notes = journal.all(Note)
        assert [(n.text, n.energy, n.for_doctor) for n in notes] == [("kept", 6, False)]
        journal.set_profile(name="A")
        assert journal.profile() == {"name": "A"}
        assert journal.count(LabResult) == 1
        journal.add(Questionnaire(None, "2025-01-01", "ams", ",".join("1" * 17), 17))
    copies = backups_of(path)
    assert len(copies) == 1 and f"before-upgrade-v{version}" in copies[0].name
    conn = sqlite3.connect(copies[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version  # the old file
    conn.close()


def test_failed_migration_leaves_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.hpgjournal"
    _make_v1_journal(path)

    def broken(conn):
        conn.executescript("ALTER TABLE notes ADD COLUMN x INTEGER; SELECT * FROM nope;")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS[:1], (2, "broken", broken)))
    with pytest.raises(sqlite3.OperationalError):
        Journal.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = [r[1] for r in conn.execute("PRAGMA table_info(notes)")]
    assert "x" not in columns
    conn.close()


def test_nested_transactions_roll_back_inner_only(journal):
    with journal.transaction():
        journal.add(Note(None, "2025-01-01", text="outer"))
        with pytest.raises(ValueError), journal.transaction():
            journal.add(Note(None, "2025-01-02", text="inner"))
            raise ValueError("inner fails")
    assert [n.text for n in journal.all(Note)] == ["outer"]


def test_latest_results_keeps_methods_apart(journal):
    journal.add_many([
        make_result("2025-01-01", "estradiol", "40", "pg/mL", method="immunoassay"),
        make_result("2025-02-01", "estradiol", "22", "pg/mL", method="sensitive"),
        make_result("2025-03-01", "estradiol", "35", "pg/mL", method="immunoassay"),
    ])
    newest = journal.latest_results("estradiol", 2)
    assert [r.reported_value for r in newest] == ["35", "22"]
    same = journal.latest_results("estradiol", 2, method="immunoassay")
    assert [r.reported_value for r in same] == ["35", "40"]


def test_sibling_connection_writes_from_another_thread(journal):
    import threading

    def work():
        sibling = journal.sibling()
        try:
            with sibling.transaction():
                sibling.add(Note(None, "2025-01-01", text="from a worker"))
        finally:
            sibling.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert [n.text for n in journal.all(Note)] == ["from a worker"]
