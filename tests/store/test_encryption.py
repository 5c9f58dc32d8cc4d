"""Encryption at rest (issue 16): an encrypted journal, its WAL and its backups show nothing
without the passphrase; a wrong passphrase is never a damaged file; conversions replace the
journal only through a checked copy and leave no plain bytes behind."""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import sqlite3
import struct
import sys
from pathlib import Path

import pytest

from hpgjournal.domain.errors import (
    EncryptionUnavailable,
    JournalDamaged,
    JournalError,
    JournalLocked,
    PassphraseNeeded,
    ValidationError,
    WrongPassphrase,
)
from hpgjournal.domain.records import LabResult, Note
from hpgjournal.domain.results import make_result
from hpgjournal.store import cipher, encryption
from hpgjournal.store.backup import backup, backups_of, restore
from hpgjournal.store.check import check
from hpgjournal.store.encryption import (
    change_passphrase,
    decrypt_journal,
    encrypt_journal,
    is_encrypted,
)
from hpgjournal.store.journal import Journal

SECRET = "correct horse 'battery' staple"
# what must never be readable without the passphrase: a printed value and a note's text
VALUE = "873.4826"  # a testosterone in ng/dL no other row holds
NOTE = "quokka-marmalade-5519 told the urologist"


def known_values(stored: float) -> list[bytes]:
    return [VALUE.encode(), NOTE.encode(), NOTE.encode("utf-16-le"), struct.pack(">d", stored)]


def fill(journal: Journal, rows: int = 300) -> float:
    """Some pages of results (so the file has many pages), the known value and note."""
    journal.add_many([make_result(f"2024-01-{1 + n % 28:02d}T{n % 24:02d}:00", "lh",
                                  f"{1 + n % 9}.{n % 10}", "IU/L") for n in range(rows)])
    journal.add(make_result("2025-02-03T08:00", "testosterone_total", VALUE, "ng/dL"))
    journal.add(Note(None, "2025-02-03", text=NOTE))
    return next(r.value for r in journal.lab_results("testosterone_total"))


@pytest.fixture
def plain(tmp_path: Path) -> tuple[Path, float]:
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path) as journal:
        stored = fill(journal)
    return path, stored


@pytest.fixture
def encrypted(plain: tuple[Path, float]) -> tuple[Path, float]:
    path, stored = plain
    encrypt_journal(path, SECRET)
    return path, stored


def contains_any(data: bytes, needles: list[bytes]) -> list[bytes]:
    return [n for n in needles if n in data]


# ---------------------------------------------------------------------------- the file's bytes
def test_the_encrypted_file_shows_no_header_and_no_known_value(plain):
    path, stored = plain
    before = path.read_bytes()
    assert before.startswith(b"SQLite format 3\x00")
    assert contains_any(before, known_values(stored)[:2] + known_values(stored)[3:]) \
        == [VALUE.encode(), NOTE.encode(), struct.pack(">d", stored)]  # the check can see them
    done = encrypt_journal(path, SECRET)
    assert done.changed
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert b"SQLite format 3" not in data
    assert contains_any(data, known_values(stored)) == []
    assert b"CREATE TABLE" not in data and b"lab_results" not in data
    assert is_encrypted(path)
    # nothing else is left in the folder: no -wal, -shm, -journal, no temporary copy
    assert sorted(p.name for p in path.parent.iterdir()) == ["j.hpgjournal", "j.hpgjournal.lock"]


def test_an_encrypted_journal_opens_only_with_its_passphrase(encrypted):
    path, stored = encrypted
    for readonly in (True, False):
        with pytest.raises(PassphraseNeeded) as needed:
            Journal.open(path, readonly=readonly)
        assert needed.value.path == path
        with pytest.raises(WrongPassphrase) as wrong:
            Journal.open(path, readonly=readonly, passphrase="correct horse battery staple")
        assert not isinstance(wrong.value, JournalDamaged)
        assert "wrong passphrase" in str(wrong.value)
        with Journal.open(path, readonly=readonly, passphrase=SECRET) as journal:
            assert journal.encrypted
            assert [r.value for r in journal.lab_results("testosterone_total")] == [stored]
            assert [n.text for n in journal.all(Note)] == [NOTE]
            assert check(journal) == []
            # SQLCipher's default key derivation, not weakened
            assert journal._conn.execute("PRAGMA kdf_iter").fetchone()[0] == "256000"
            assert "4." in journal._conn.execute("PRAGMA cipher_version").fetchone()[0]


def test_a_writer_keeps_the_key_for_siblings_and_writes_stay_encrypted(encrypted):
    path, _ = encrypted
    with Journal.open(path, passphrase=SECRET) as journal:
        journal.add(make_result("2025-03-01", "lh", "4.4", "IU/L"))
        sibling = journal.sibling()
        try:
            assert sibling.encrypted and sibling.count(LabResult) == 302
        finally:
            sibling.close()
    with Journal.open(path, readonly=True, passphrase=SECRET) as journal:
        assert journal.count(LabResult) == 302


def test_a_plain_journal_opens_as_before_even_with_a_passphrase_and_without_sqlcipher(
        plain, monkeypatch):
    path, stored = plain
    with Journal.open(path, passphrase=SECRET) as journal:
        assert not journal.encrypted
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if it were not installed
    with Journal.open(path, readonly=True) as journal:
        assert [r.value for r in journal.lab_results("testosterone_total")] == [stored]
        assert type(journal._conn) is sqlite3.Connection


def test_an_encrypted_journal_without_sqlcipher_says_what_to_install(encrypted, monkeypatch):
    path, _ = encrypted
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if it were not installed
    with pytest.raises(EncryptionUnavailable, match="pip install sqlcipher3"):
        Journal.open(path, readonly=True, passphrase=SECRET)


def test_a_new_journal_given_a_passphrase_is_created_encrypted(tmp_path):
    path = tmp_path / "new.hpgjournal"
    with Journal.open(path, passphrase=SECRET) as journal:
        journal.add(Note(None, "2025-02-03", text=NOTE))
    assert is_encrypted(path)
    assert NOTE.encode() not in path.read_bytes()
    with pytest.raises(PassphraseNeeded):
        Journal.open(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.hpgjournal", "new.hpgjournal.lock"]


# ---------------------------------------------------------------------------- wrong vs damaged
def flip(path: Path, offset: int) -> None:
    with open(path, "r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0xFF]))


def test_a_damaged_page_with_the_right_key_is_damage_and_the_wrong_key_stays_wrong(encrypted):
    path, _ = encrypted
    pages = path.stat().st_size // 4096
    assert pages > 5
    flip(path, 4096 * (pages - 2) + 100)  # a page of lab results
    with pytest.raises(WrongPassphrase):
        Journal.open(path, readonly=True, passphrase="not it")
    with pytest.raises(JournalDamaged):
        Journal.open(path, passphrase=SECRET)  # a writer checks every page first
    with Journal.open(path, readonly=True, passphrase=SECRET) as journal:
        assert [p.where for p in check(journal)][:1] == ["file"]


def test_a_damaged_first_page_with_the_right_key_is_damage_not_a_wrong_passphrase(encrypted):
    path, _ = encrypted
    flip(path, 200)  # page 1, after the salt: its HMAC fails as under a wrong key
    with pytest.raises(JournalDamaged) as damaged:
        Journal.open(path, readonly=True, passphrase=SECRET)
    assert "1 of its" in str(damaged.value)
    with pytest.raises(WrongPassphrase):
        Journal.open(path, readonly=True, passphrase="not it")


def test_foreign_files_are_not_taken_for_encrypted_journals(tmp_path):
    text = tmp_path / "notes.hpgjournal"
    text.write_text("a plain text file\n" * 500)
    with pytest.raises(JournalError) as exc:
        Journal.open(text, readonly=True)
    assert not isinstance(exc.value, PassphraseNeeded)
    assert "not a journal" in str(exc.value)
    blank = tmp_path / "blank.hpgjournal"
    blank.write_bytes(b"\0" * 8192)
    with pytest.raises(JournalDamaged):
        Journal.open(blank, readonly=True)
    assert not is_encrypted(text) and not is_encrypted(blank)


# ---------------------------------------------------------------------------- the passphrase
def test_the_passphrase_never_shows(encrypted, caplog):
    path, _ = encrypted
    key = cipher.Passphrase(SECRET)
    assert SECRET not in repr(key) and SECRET not in str(key) and SECRET not in f"{key!r}"
    with pytest.raises(TypeError):
        pickle.dumps(key)
    caplog.set_level(logging.DEBUG)
    messages = []
    for attempt in ("wrong one", None):
        try:
            Journal.open(path, readonly=True, passphrase=attempt)
        except JournalError as exc:
            messages.append(str(exc) + repr(exc))
    with Journal.open(path, passphrase=key) as journal:
        messages.append(repr(journal) + repr(journal.__dict__))
        journal.add(make_result("2025-03-01", "lh", "4.4", "IU/L"))
        backup(journal)
    change_passphrase(path, key, "another one")
    decrypt_journal(path, "another one")
    logged = caplog.text + "".join(messages)
    assert len(messages) == 3
    for secret in (SECRET, "wrong one", "another one", VALUE, NOTE):
        assert secret not in logged


def test_an_empty_passphrase_is_refused():
    for empty in ("", "   "):
        with pytest.raises(ValidationError, match="empty"):
            cipher.Passphrase(empty)


# ---------------------------------------------------------------------------- the WAL
@pytest.mark.parametrize("encrypt", [False, True])
def test_the_wal_of_an_encrypted_journal_holds_no_plain_page(tmp_path, encrypt):
    path = tmp_path / "w.hpgjournal"
    with Journal.open(path) as journal:
        fill(journal, rows=20)
    if encrypt:
        encrypt_journal(path, SECRET)
    marker = "walrus-9931 only in the log"
    with Journal.open(path, passphrase=SECRET if encrypt else None) as journal:
        journal._conn.execute("PRAGMA wal_autocheckpoint = 0")
        journal.add(Note(None, "2025-04-01", text=marker))  # committed, still only in the -wal
        wal = path.with_name(path.name + "-wal").read_bytes()
        assert len(wal) > 4096
        assert (marker.encode() in wal) is not encrypt  # the plain journal's log shows it
        assert marker.encode() not in path.read_bytes()


# ---------------------------------------------------------------------------- backups
def test_backups_of_an_encrypted_journal_are_encrypted_and_restore_only_with_it(encrypted,
                                                                                 tmp_path):
    path, stored = encrypted
    with Journal.open(path, readonly=True, passphrase=SECRET) as journal:
        made = backup(journal)
        outside = backup(journal, tmp_path / "copy.hpgjournal")
    for copy in (made, outside):
        data = copy.read_bytes()
        assert not data.startswith(b"SQLite format 3")
        assert contains_any(data, known_values(stored)) == []
        with pytest.raises(PassphraseNeeded):
            Journal.open(copy, readonly=True)
        with pytest.raises(WrongPassphrase):
            Journal.open(copy, readonly=True, passphrase="guess")
        with Journal.open(copy, readonly=True, passphrase=SECRET) as journal:
            assert check(journal) == [] and journal.count(LabResult) == 301
    with Journal.open(path, passphrase=SECRET) as journal:
        journal.add(make_result("2025-03-01", "lh", "4.4", "IU/L"))
    with pytest.raises(PassphraseNeeded):
        restore(made, path)
    with pytest.raises(WrongPassphrase):
        restore(made, path, "guess")
    assert is_encrypted(path)  # a refused restore moved nothing aside
    done = restore(made, path, SECRET)
    assert done.results == 301 and done.before is not None and done.kept == []
    assert is_encrypted(path) and is_encrypted(done.before)
    with Journal.open(path, readonly=True, passphrase=SECRET) as journal:
        assert journal.count(LabResult) == 301


# ---------------------------------------------------------------------------- conversions
def test_encrypting_converts_the_plain_backups_and_blanks_the_replaced_file(plain):
    path, stored = plain
    with Journal.open(path, readonly=True) as journal:
        old = backup(journal)
    assert VALUE.encode() in old.read_bytes()
    with open(path, "rb") as replaced:  # the file that is about to be replaced
        done = encrypt_journal(path, SECRET)
        replaced.seek(0)
        left = replaced.read()
    assert len(left) > 4096 and left.strip(b"\0") == b""  # its blocks were overwritten
    assert done.backups == [old] and done.left == []
    assert contains_any(old.read_bytes(), known_values(stored)) == []
    with Journal.open(old, readonly=True, passphrase=SECRET) as journal:
        assert journal.count(LabResult) == 301
    assert [p.name for p in old.parent.iterdir()] == [old.name]  # no partial left


def test_encrypting_again_finishes_the_backups_a_killed_run_left_plain(encrypted):
    path, _ = encrypted
    plain_backup = path.parent / "backups" / f"{path.stem}-20250101-000000-000000.hpgjournal"
    plain_backup.parent.mkdir()
    decrypted = path.parent / "plain-copy.hpgjournal"
    shutil.copy(path, decrypted)
    decrypt_journal(decrypted, SECRET)
    shutil.copy(decrypted, plain_backup)
    assert backups_of(path) == [plain_backup] and not is_encrypted(plain_backup)
    with pytest.raises(WrongPassphrase):
        encrypt_journal(path, "not the one")
    assert not is_encrypted(plain_backup)
    done = encrypt_journal(path, SECRET)
    assert not done.changed and done.backups == [plain_backup]
    assert is_encrypted(plain_backup)


def test_changing_the_passphrase_rekeys_the_journal_and_its_backups(encrypted):
    path, stored = encrypted
    with Journal.open(path, readonly=True, passphrase=SECRET) as journal:
        made = backup(journal)
    done = change_passphrase(path, SECRET, "a new one")
    assert done.changed and done.backups == [made]
    for file in (path, made):
        with pytest.raises(WrongPassphrase):
            Journal.open(file, readonly=True, passphrase=SECRET)
        with Journal.open(file, readonly=True, passphrase="a new one") as journal:
            assert [r.value for r in journal.lab_results("testosterone_total")] == [stored]
        assert contains_any(file.read_bytes(), known_values(stored)) == []
    with pytest.raises(WrongPassphrase):
        change_passphrase(path, SECRET, "third")
    assert sorted(p.name for p in path.parent.iterdir()) == ["backups", "j.hpgjournal",
                                                             "j.hpgjournal.lock"]


def test_decrypting_gives_back_a_plain_journal_and_leaves_the_backups_encrypted(encrypted):
    path, _ = encrypted
    with Journal.open(path, readonly=True, passphrase=SECRET) as journal:
        made = backup(journal)
    with pytest.raises(WrongPassphrase):
        decrypt_journal(path, "guess")
    assert is_encrypted(path)
    done = decrypt_journal(path, SECRET)
    assert done.changed
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM lab_results").fetchone()[0] == 301
        assert conn.execute("PRAGMA user_version").fetchone()[0] > 0
    finally:
        conn.close()
    with Journal.open(path) as journal:
        assert check(journal) == [] and not journal.encrypted
    assert is_encrypted(made)
    assert not decrypt_journal(path, SECRET).changed


def test_a_conversion_waits_for_the_journal_to_be_closed(plain):
    path, _ = plain
    before = path.read_bytes()
    with Journal.open(path), pytest.raises(JournalLocked):
        encrypt_journal(path, SECRET)
    assert path.read_bytes() == before


def test_a_copy_that_fails_the_check_replaces_nothing(plain, monkeypatch):
    path, _ = plain
    with Journal.open(path) as journal:
        journal._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.read_bytes()
    real = encryption._export

    def losing_a_row(source, source_key, target, target_key):
        real(source, source_key, target, target_key)
        conn = cipher.cipher_connect(target, target_key)
        conn.execute("DELETE FROM notes")
        conn.commit()
        conn.close()

    monkeypatch.setattr(encryption, "_export", losing_a_row)
    with pytest.raises(JournalError, match="does not match"):
        encrypt_journal(path, SECRET)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["j.hpgjournal", "j.hpgjournal.lock"]


def test_a_copy_that_did_not_get_encrypted_replaces_nothing(plain, monkeypatch):
    path, _ = plain
    monkeypatch.setattr(encryption, "_export",
                        lambda source, key, target, new: shutil.copy(source, target))
    with pytest.raises(JournalError, match="not what was asked"):
        encrypt_journal(path, SECRET)
    assert not is_encrypted(path)
    assert not [p for p in path.parent.iterdir() if "partial" in p.name]


def test_stale_partials_of_a_killed_conversion_are_removed(plain):
    path, _ = plain
    stale = path.parent / f".{path.name}.999999999.abcdefgh.partial"
    stale.write_bytes(b"x" * 100)
    os.utime(stale, (0, 0))
    encrypt_journal(path, SECRET)
    assert not stale.exists()
