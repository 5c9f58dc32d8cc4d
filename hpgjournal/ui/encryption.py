"""The window's side of an encrypted journal (issue 16): opening one with its passphrase, and
File > Encrypt journal..., Change passphrase..., Remove encryption....

The conversions themselves are ``store/encryption.py``'s: each closes the journal in the window
first (it takes the journal's lock), runs off the UI thread with a progress dialog that has no
Cancel (a conversion is atomic: stopping it half-way would only leave the journal as it was, so
the dialog does not offer what cannot be done), and opens the journal again when it ends, in
its new form or, after a failure, as it was.

A passphrase is asked for in :class:`~hpgjournal.ui.passphrase.PassphraseDialog`; a wrong one is
said in that dialog, which opens again until the user gives the right one or cancels. It is
never written to the settings, the log or the status bar; with "Remember on this computer" it
is kept by the system keyring only (``store/keychain``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from hpgjournal.domain.errors import PassphraseNeeded, UserError, WrongPassphrase
from hpgjournal.store.cipher import Passphrase
from hpgjournal.ui.passphrase import PassphraseDialog

if TYPE_CHECKING:
    from hpgjournal.ui.main_window import MainWindow

log = logging.getLogger("hpgjournal.ui")

LOCKED = (PassphraseNeeded, WrongPassphrase)
WRONG = ("That passphrase does not open {name}. Check Caps Lock and the keyboard layout, and "
         "type it again.")


class EncryptionActions(QObject):
    """What the window does with passphrases; ``window.passphrase`` is the open journal's."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.task: Any = None  # the conversion running, if one is

    # ------------------------------------------------------------------ opening
    def unlock(self, path: Path) -> bool:
        """Open the encrypted journal at ``path``: with the passphrase the keyring remembers,
        else with one the user types (asked again while it is wrong). True once it is open."""
        from hpgjournal.store import keychain

        problem = ""
        remembered = keychain.recall(path)
        if remembered is not None:
            try:
                self.window.open_journal(path, passphrase=remembered)
                return True
            except WrongPassphrase:
                keychain.forget(path)
                problem = ("The passphrase remembered on this computer no longer opens "
                           f"{path.name} (was it changed elsewhere?). It is forgotten now: "
                           "type the passphrase.")
        key = self.ask(path, problem=problem,
                       attempt=lambda key: self.window.open_journal(path, passphrase=key))
        return key is not None

    def ask(self, path: Path, attempt: Callable[[Passphrase], object], *, problem: str = "",
            text: str = "", title: str = "", action: str = "",
            offer_remember: bool = True) -> Passphrase | None:
        """Ask for the passphrase of ``path`` until ``attempt(passphrase)`` stops raising
        WrongPassphrase; the passphrase it took, or None when the user cancelled. Other errors
        of ``attempt`` go up to the caller."""
        from hpgjournal.store import keychain

        missing = keychain.unavailable() if offer_remember else None
        while True:
            dialog = PassphraseDialog(self.window, "open", path, text=text, problem=problem,
                                      keyring_missing=missing, title=title, action=action)
            if not offer_remember:
                dialog.remember_box.hide()
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.passphrase is None:
                return None
            key = dialog.passphrase
            try:
                attempt(key)
            except WrongPassphrase:
                log.info("a wrong passphrase for %s", path.name)
                problem = WRONG.format(name=path.name)
                continue
            if dialog.remember:
                self.remember(path, key)
            return key

    def remember(self, path: Path, key: Passphrase) -> None:
        from hpgjournal.store import keychain

        refused = keychain.remember(path, key)
        if refused is None:
            self.window.statusBar().showMessage(
                f"The passphrase of {path.name} is remembered in this computer's keyring.", 8000)
        else:
            self.window.show_error("Passphrase not remembered",
                                   f"The journal is open, but its passphrase is not remembered: "
                                   f"{refused}. Type it the next time.")

    def new_passphrase(self, path: Path, text: str = "") -> tuple[Passphrase, bool] | None:
        """A new passphrase typed twice for ``path``, and whether to remember it; None if the
        user cancelled."""
        from hpgjournal.store import keychain

        dialog = PassphraseDialog(self.window, "new", path, text=text,
                                  keyring_missing=keychain.unavailable())
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.passphrase is None:
            return None
        return dialog.passphrase, dialog.remember

    # -------------------------------------------------------------- conversions
    def encrypt(self) -> None:
        """File > Encrypt journal...: a passphrase twice, then the journal converted in place."""
        journal = self.window.journal
        if journal is None or journal.encrypted or self.task is not None:
            return
        path = journal.path
        chosen = self.new_passphrase(path)
        if chosen is None:
            return
        key, remember = chosen
        from hpgjournal.store.encryption import encrypt_journal

        def done(result: Any) -> None:
            if remember:
                self.remember(path, key)
            self._said("Encrypted", f"{path.name} is encrypted: it opens only with its "
                       "passphrase." + _backups(result, "encrypted with it too",
                                         "still not encrypted"))

        self._convert(path, lambda: encrypt_journal(path, key), key, None, done,
                      "Encrypting the journal", f"Encrypting {path.name} and its backups…")

    def _encrypted_path(self) -> Path | None:
        """The open journal's path when it is encrypted and no conversion runs, else None."""
        journal = self.window.journal
        if journal is None or not journal.encrypted or self.task is not None:
            return None
        return journal.path

    def change(self) -> None:
        """File > Change passphrase...: the current passphrase and a new one twice."""
        path = self._encrypted_path()
        if path is None:
            return
        problem = ""
        while True:
            dialog = PassphraseDialog(self.window, "change", path, problem=problem)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            old, new = dialog.current, dialog.passphrase
            assert old is not None and new is not None
            if old == self.window.passphrase:
                break
            problem = "The current passphrase is not the one this journal has: type it again."
        from hpgjournal.store import keychain
        from hpgjournal.store.encryption import change_passphrase

        remembered = keychain.recall(path) is not None

        def done(result: Any) -> None:
            if remembered:
                keychain.remember(path, new)
            self._said("Passphrase changed", f"{path.name} now opens with the new passphrase "
                       "only." + _backups(result, "re-encrypted with it too",
                                 "still opened by the old passphrase")
                       + (" The keyring remembers the new one." if remembered else ""))

        self._convert(path, lambda: change_passphrase(path, old, new), new, old, done,
                      "Changing the passphrase", f"Re-encrypting {path.name} and its backups…")

    def remove(self) -> None:
        """File > Remove encryption...: said what it means, the passphrase typed once more."""
        path = self._encrypted_path()
        if path is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Remove the encryption",
                          f"Without its encryption, {path.name} can be read by anyone who has "
                          "the file: on this computer, a backup drive or a synced folder.\n\n"
                          "Its backups stay encrypted with the passphrase they have now: keep "
                          "it to restore them.", parent=self.window)
        box.setObjectName("remove-encryption")
        box.setTextFormat(Qt.TextFormat.PlainText)
        go = box.addButton("&Remove the encryption…", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not go:
            return
        current = self.window.passphrase

        def check(key: Passphrase) -> None:
            if key != current:
                raise WrongPassphrase(path, "not this journal's passphrase")

        key = self.ask(path, check, offer_remember=False, title="Remove the encryption",
                       text=f"Type the passphrase of {path.name} to remove its encryption.",
                       action="&Remove encryption")
        if key is None:
            return
        from hpgjournal.store import keychain
        from hpgjournal.store.encryption import decrypt_journal

        def done(result: Any) -> None:
            keychain.forget(path)
            self._said("Encryption removed", f"{path.name} is no longer encrypted. Its "
                       "backups made before stay encrypted with the old passphrase.")

        self._convert(path, lambda: decrypt_journal(path, key), None, key, done,
                      "Removing the encryption", f"Decrypting {path.name}…")

    def _convert(self, path: Path, work: Callable[[], Any], after: Passphrase | None,
                 before: Passphrase | None, done: Callable[[Any], None], title: str,
                 label: str) -> None:
        """Close the journal, run ``work`` off the UI thread, open the journal again with
        ``after`` (or, when the work failed, as it was with ``before``)."""
        from hpgjournal.ui.tasks import Task

        window = self.window
        window.close_journal()
        task = Task(window, lambda _progress, _cancelled: work(), title, label)
        task.dialog.setCancelButton(None)  # atomic: see the module
        task.dialog.setObjectName("converting")
        self.task = task

        def finished(result: Any) -> None:
            self.task = None
            if window.reopen(path, after):
                done(result)

        def failed(exc: BaseException) -> None:
            self.task = None
            from hpgjournal.ui.saving import fault_message, sentence

            message = sentence(str(exc)) if isinstance(exc, UserError) else \
                fault_message(exc, path)
            window.reopen(path, before)
            if message is None:
                log.error("%s failed", title, exc_info=exc)
                message = f"{type(exc).__name__}: the log has the details."
            window.show_error(f"{title}: not done", f"{message}\n\nThe journal is as it was.")

        task.finished.connect(finished)
        task.failed.connect(failed)
        task.start()

    def _said(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.window)
        box.setObjectName("converted")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()


def _backups(result: Any, how: str, left_how: str) -> str:
    """A sentence on the backups a conversion converted, and those it could not."""
    done = list(getattr(result, "backups", []))
    left = list(getattr(result, "left", []))
    words = ""
    if done:
        words += f" {_count(done, 'backup')} beside it {_were(done)} {how}."
    if left:
        words += (f" {_count(left, 'backup')} could not be converted and {_were(left)} "
                  f"{left_how}: " + ", ".join(p.name for p in left) + ".")
    return words


def _count(items: list[Any], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _were(items: list[Any]) -> str:
    return "was" if len(items) == 1 else "were"
