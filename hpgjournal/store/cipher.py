"""Encryption at rest: opening a journal encrypted with SQLCipher 4 (issue 16).

An encrypted journal is an ordinary journal written through SQLCipher (the ``sqlcipher3``
package, which bundles it): every page of the file and of its ``-wal`` is encrypted
(AES-256, an HMAC-SHA512 per page), and the key is derived from the passphrase with
SQLCipher's default KDF (PBKDF2-HMAC-SHA512, 256,000 iterations, a random salt per file), which
this module never weakens. A plain journal is opened by the standard library's ``sqlite3`` as
before and needs no SQLCipher at all.

**Encrypted, damaged or foreign.** A SQLCipher 4 file begins with its 16-byte random salt, not
with SQLite's header, so nothing in it says "encrypted": the only test is trying the key. A
file is taken for encrypted when it has no SQLite header, is a whole number of 512-byte pages
and its first page looks random (nearly every byte value occurs in it, as in ciphertext; a
text, a PDF, an image header or a blanked file does not). Then:

- no passphrase given: :class:`PassphraseNeeded`;
- the key opens page 1: the journal opens, and damage to any later page is reported as a
  damaged journal as usual;
- the key does not open page 1: SQLCipher's ``cipher_integrity_check`` checks the HMAC of
  every page. A wrong key fails on every page: :class:`WrongPassphrase`, never a damaged file.
  The right key fails only on the damaged pages: the journal is damaged.

A file of one page, or one whose salt itself is damaged (every page then fails), is told
apart from a wrong passphrase by nothing at all and is reported as a wrong passphrase.

The passphrase is held by :class:`Passphrase`, whose ``repr`` and ``str`` never show it; it
goes into SQLCipher's ``PRAGMA key`` and nowhere else (no log, no exception text).

SQLCipher's exceptions are classes of their own, not subclasses of ``sqlite3``'s: the store
catches the tuples :func:`sql_errors`, :func:`database_errors`, :func:`integrity_errors` and
:func:`operational_errors` give, which hold both once SQLCipher is loaded. It is loaded when
first needed (an encrypted journal, a conversion), not at the window's start: until then no
SQLCipher connection exists, so none of its exceptions can be raised.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

from hpgjournal.domain.errors import (
    EncryptionUnavailable,
    PassphraseNeeded,
    ValidationError,
    WrongPassphrase,
)

_SQLCIPHER = "sqlcipher3.dbapi2"


def _both(name: str) -> tuple[type[Exception], ...]:
    """``sqlite3``'s exception ``name``, and SQLCipher's once it is loaded (a connection of
    its, the only thing that raises them, exists only then)."""
    mine: type[Exception] = getattr(sqlite3, name)
    loaded = sys.modules.get(_SQLCIPHER)
    return (mine, getattr(loaded, name)) if loaded is not None else (mine,)


def sql_errors() -> tuple[type[Exception], ...]:
    return _both("Error")


def database_errors() -> tuple[type[Exception], ...]:
    return _both("DatabaseError")


def integrity_errors() -> tuple[type[Exception], ...]:
    return _both("IntegrityError")


def operational_errors() -> tuple[type[Exception], ...]:
    return _both("OperationalError")

_HEADER = b"SQLite format 3\x00"
_PAGE = 4096  # SQLCipher 4's default page size, kept for every journal it writes
_ANY_PAGE = 512  # the smallest page size SQLite allows


class Passphrase:
    """A journal's passphrase, kept out of ``repr``, ``str``, logs and pickles."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        if not isinstance(secret, str):
            raise TypeError("a passphrase is text")
        if not secret.strip():
            raise ValidationError("passphrase", "the passphrase is empty: give one")
        if "\x00" in secret or "\n" in secret or "\r" in secret:
            raise ValidationError("passphrase",
                                  "the passphrase holds a line break or a NUL character")
        self._secret = secret

    def reveal(self) -> str:
        """The passphrase itself, for SQLCipher only."""
        return self._secret

    def __repr__(self) -> str:
        return "Passphrase(<hidden>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        import hmac

        return isinstance(other, Passphrase) and hmac.compare_digest(
            self._secret.encode(), other._secret.encode())

    def __hash__(self) -> int:
        return id(self)

    def __reduce__(self) -> Any:
        raise TypeError("a passphrase is not pickled")


def as_passphrase(value: str | Passphrase | None) -> Passphrase | None:
    if value is None or isinstance(value, Passphrase):
        return value
    return Passphrase(value)


def _pragma_text(secret: str) -> str:
    """A passphrase as an SQL string literal (PRAGMA takes no bound parameters)."""
    return "'" + secret.replace("'", "''") + "'"


def looks_encrypted(path: Path) -> bool:
    """Whether a file without SQLite's header may be a SQLCipher journal (see the module)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            first = handle.read(_PAGE)
    except OSError:
        return False
    if first.startswith(_HEADER) or size < 2 * _ANY_PAGE or size % _ANY_PAGE:
        return False
    # ciphertext: nearly every byte value occurs in 4 KB (a text or a blanked file: few)
    return len(set(first)) >= min(200, len(first) // 4)


def _module() -> Any:
    """SQLCipher's ``dbapi2``, loaded on first use (optional at run time: only an encrypted
    journal and the conversions need it)."""
    try:
        from sqlcipher3 import dbapi2  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency
        raise EncryptionUnavailable(
            "this journal is encrypted, and this installation of hpgjournal has no SQLCipher "
            "(the sqlcipher3 package): install it with 'pip install sqlcipher3'") from None
    return dbapi2


def connect(target: str | Path, passphrase: Passphrase | None, *, journal: Path,
            uri: bool = False, timeout: float = 10) -> sqlite3.Connection:
    """A connection to ``target`` (a path or, with ``uri``, a ``file:`` URI) with rows as
    ``Row``: the standard library's for a plain journal, SQLCipher's keyed with ``passphrase``
    for an encrypted one. A key that does not open it raises :class:`WrongPassphrase`, or
    :class:`JournalDamaged` when only some pages fail (see the module). ``journal`` names the
    file in messages."""
    if passphrase is None:
        conn = sqlite3.connect(target, uri=uri, timeout=timeout)
        conn.row_factory = sqlite3.Row
        return conn
    module = _module()
    conn = module.connect(str(target), uri=uri, timeout=timeout)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # no "hmac check failed" on stderr
        conn.execute(f"PRAGMA key = {_pragma_text(passphrase.reveal())}")
        conn.row_factory = module.Row
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except module.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_NOTADB":
                raise
            _judge_key(conn, journal)
    except BaseException:
        conn.close()
        raise
    return conn


def _judge_key(conn: Any, journal: Path) -> None:
    """Page 1 did not open: a wrong passphrase (every page fails) or damage (some do)."""
    from hpgjournal.store.faults import damaged

    try:
        failed = sum(1 for row in conn.execute("PRAGMA cipher_integrity_check")
                     if "page" in str(row[0]))
    except sql_errors():
        failed = -1
    try:
        pages = journal.stat().st_size // _PAGE
    except OSError:
        pages = 0
    if failed < 0 or pages <= 1 or failed >= pages:
        raise WrongPassphrase(journal, f"wrong passphrase: it does not open the encrypted "
                                       f"journal {journal}")
    raise damaged(journal, f"{failed} of its {pages} encrypted pages fail their check, "
                           "the first page among them")


def needs_passphrase(path: Path) -> PassphraseNeeded:
    return PassphraseNeeded(path, f"{path} is encrypted (or is not a journal): give its "
                                  "passphrase")


def cipher_connect(target: str | Path, passphrase: Passphrase | None, *,
                   timeout: float = 10) -> Any:
    """A SQLCipher connection even for a plain file (no key), for ``ATTACH ... KEY`` and
    ``sqlcipher_export`` between a plain and an encrypted file."""
    module = _module()
    conn = module.connect(str(target), timeout=timeout)
    conn.execute("PRAGMA cipher_log_level = NONE")
    if passphrase is not None:
        conn.execute(f"PRAGMA key = {_pragma_text(passphrase.reveal())}")
    return conn


def rekey(conn: Any, passphrase: Passphrase) -> None:
    """``PRAGMA rekey``: re-encrypt every page of an open, keyed SQLCipher connection."""
    conn.execute(f"PRAGMA rekey = {_pragma_text(passphrase.reveal())}")
