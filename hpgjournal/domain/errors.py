"""Errors a user can act on. Anything else is a bug and is reported as one."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; its message is one line saying what and how."""


class JournalError(UserError):
    """The journal file cannot be used as asked."""


class JournalLocked(JournalError):
    """Another hpgjournal window or command holds the journal."""


class JournalTooNew(JournalError):
    """The journal was written by a newer hpgjournal."""


class ValidationError(UserError):
    """A record's field is not acceptable. ``field`` names it for the form that shows it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class JournalDamaged(JournalError):
    """The journal file is damaged (empty, truncated, or pages unreadable).

    ``backup`` is the newest backup that passes an integrity check, or None.
    """

    def __init__(self, path: object, backup: object, message: str, *, reason: str = "",
                 summary: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
        self.reason = reason  # what is wrong with the file, in words
        self.summary = summary  # the backup's date and result count


class StorageError(UserError):
    """A disk could not be written or read: full, read-only, removed, or failing."""


class RecordRefused(JournalError):
    """The journal refused to write a record (a rule of its tables, or an impossible value);
    nothing of the write was kept. ``field`` names the field at fault when it is known."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class PassphraseNeeded(JournalError):
    """The journal is encrypted and no passphrase was given. ``path`` names it."""

    def __init__(self, path: object, message: str) -> None:
        super().__init__(message)
        self.path = path


class WrongPassphrase(JournalError):
    """The passphrase given does not open the encrypted journal (never a damaged file)."""

    def __init__(self, path: object, message: str) -> None:
        super().__init__(message)
        self.path = path


class EncryptionUnavailable(JournalError):
    """An encrypted journal needs SQLCipher (the ``sqlcipher3`` package), which is missing."""
