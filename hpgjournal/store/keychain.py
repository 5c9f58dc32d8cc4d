"""Remembering a journal's passphrase in the system's keyring, when the user asks (issue 16).

Opt-in only: nothing is stored unless the user ticks "Remember on this computer". The
passphrase is kept by the operating system's own secret store through ``keyring`` (macOS
Keychain, Windows Credential Manager, the Secret Service of GNOME or KWallet on Linux), under
the service ``hpgjournal`` and the journal's resolved path, never in hpgjournal's settings or
files. A keyring that would keep it in a plain file (``keyrings.alt``'s plaintext backends) or
none at all (a machine with no secret service, as in CI) makes remembering unavailable, and
:func:`unavailable` says why. Every call here is local to the machine; ``keyring`` is imported
only when an encrypted journal is opened or encrypted.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hpgjournal.store.cipher import Passphrase

log = logging.getLogger("hpgjournal.store")

SERVICE = "hpgjournal"

__all__ = ["SERVICE", "forget", "recall", "remember", "unavailable"]

# Backends that do not keep a secret safely, or do not keep it at all
_REFUSED = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt.file",
            "keyrings.alt.Gnome", "keyrings.alt.pyfs")
_PLAIN = ("PlaintextKeyring", "EncryptedKeyring")  # keyrings.alt: files next to the user's home


def _backend() -> Any:
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration: not remembered, said why
        log.info("no keyring: %s", exc)
        return None


def _usable(backend: Any) -> list[Any]:
    """The backends that would really keep a secret (a chainer's members, or the one)."""
    members = getattr(backend, "backends", None)
    candidates = list(members) if members is not None else [backend]
    return [b for b in candidates
            if not type(b).__module__.startswith(_REFUSED)
            and type(b).__name__ not in _PLAIN
            and getattr(b, "priority", 1) > 0]


def unavailable() -> str | None:
    """None when a passphrase can be remembered on this computer, else why it cannot."""
    backend = _backend()
    if backend is None:
        return "the keyring package is not installed"
    if not _usable(backend):
        return ("this computer has no system keyring that hpgjournal can use (the macOS "
                "Keychain, the Windows Credential Manager, or on Linux the Secret Service of "
                "GNOME Keyring or KWallet)")
    return None


def _account(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


def recall(path: Path) -> Passphrase | None:
    """The passphrase remembered for the journal at ``path``, if one is."""
    if unavailable() is not None:
        return None
    try:
        secret = _backend().get_password(SERVICE, _account(path))
    except Exception as exc:  # a locked or broken keyring: the user types the passphrase
        log.info("the keyring did not answer: %s", type(exc).__name__)
        return None
    if not secret:
        return None
    try:
        return Passphrase(secret)
    except Exception:  # not one this app would have stored: ignored
        return None


def remember(path: Path, passphrase: Passphrase) -> str | None:
    """Keep ``passphrase`` for the journal at ``path``; None when kept, else why not."""
    reason = unavailable()
    if reason is not None:
        return reason
    try:
        _backend().set_password(SERVICE, _account(path), passphrase.reveal())
    except Exception as exc:
        log.info("the keyring did not keep the passphrase: %s", type(exc).__name__)
        return f"the system keyring refused it ({type(exc).__name__})"
    return None


def forget(path: Path) -> None:
    """Forget what is remembered for the journal at ``path`` (nothing remembered: no change)."""
    if unavailable() is not None:
        return
    try:
        _backend().delete_password(SERVICE, _account(path))
    except Exception as exc:  # nothing was remembered, or the keyring is locked
        log.debug("keyring: nothing forgotten (%s)", type(exc).__name__)
