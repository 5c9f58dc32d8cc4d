"""The passphrase dialogs of an encrypted journal (issue 16).

One dialog in three forms:

* ``open``: the passphrase of a journal (or of a backup) to open it; a wrong one is said in the
  dialog, which stays open for another try;
* ``new``: a new passphrase, typed twice, to encrypt a journal or create an encrypted one;
* ``change``: the current passphrase and a new one typed twice.

``open`` and ``new`` offer "Remember on this computer" (the system keyring, ``store/keychain``)
when this computer has a keyring hpgjournal can use; otherwise the box is off and says why.
The dialog checks what it can before it closes (empty, too short, the two not the same) and
names the problem under the fields; whether a passphrase opens the journal is for its caller.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.domain.errors import ValidationError
from hpgjournal.store.cipher import Passphrase
from hpgjournal.ui.style import colour

Mode = Literal["open", "new", "change"]
MIN_LENGTH = 8

FORGOTTEN = ("There is no way to open an encrypted journal without its passphrase: hpgjournal "
             "keeps no copy of it and cannot recover it. Keep it somewhere safe.")


def new_passphrase_problem(first: str, second: str) -> str:
    """Why a new passphrase typed as ``first`` then ``second`` is refused ("" when it is not)."""
    if not first.strip():
        return "Type a passphrase."
    if len(first) < MIN_LENGTH:
        return f"The passphrase is {len(first)} characters long: it needs at least {MIN_LENGTH}."
    if first != second:
        return "The two passphrases are not the same: type it again in both fields."
    try:
        Passphrase(first)
    except ValidationError as exc:
        words = str(exc)
        return f"{words[0].upper()}{words[1:]}."
    return ""


class PassphraseDialog(QDialog):
    """Ask for a passphrase; after ``exec()`` returns Accepted, read :attr:`passphrase` (and, in
    ``change``, :attr:`current`) and :attr:`remember`."""

    def __init__(self, parent: QWidget | None, mode: Mode, journal: Path, *,
                 text: str = "", problem: str = "", keyring_missing: str | None = None,
                 title: str = "", action: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(f"passphrase-{mode}")
        self.mode = mode
        self.passphrase: Passphrase | None = None
        self.current: Passphrase | None = None
        self.setWindowTitle(title or {"open": "Passphrase", "new": "Encrypt the journal",
                                      "change": "Change the passphrase"}[mode])
        layout = QVBoxLayout(self)
        intro = QLabel(text or self._intro(journal))
        intro.setWordWrap(True)
        intro.setObjectName("passphrase-text")
        layout.addWidget(intro)

        form = QFormLayout()
        self.current_field = self._field("Current passphrase" if mode == "change" else
                                         "Passphrase")
        self.new_field = self._field("New passphrase" if mode == "change" else "Passphrase")
        self.again_field = self._field("The same again")
        if mode in ("open", "change"):
            form.addRow("&Current passphrase:" if mode == "change" else "&Passphrase:",
                        self.current_field)
        if mode in ("new", "change"):
            form.addRow("&New passphrase:" if mode == "change" else "&Passphrase:",
                        self.new_field)
            form.addRow("The s&ame again:", self.again_field)
        layout.addLayout(form)

        self.show_box = QCheckBox("&Show what I type")
        self.show_box.toggled.connect(self._show_typed)
        layout.addWidget(self.show_box)
        self.remember_box = QCheckBox("&Remember on this computer (in the system keyring)")
        self.remember_box.setObjectName("remember")
        if keyring_missing:
            self.remember_box.setEnabled(False)
            self.remember_box.setToolTip(f"Not available: {keyring_missing}.")
            self.remember_box.setText(self.remember_box.text() + " — not available")
        if mode != "change":
            layout.addWidget(self.remember_box)
        if mode in ("new", "change"):
            note = QLabel(FORGOTTEN)
            note.setWordWrap(True)
            layout.addWidget(note)

        self.problem = QLabel(problem)
        self.problem.setObjectName("passphrase-problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {colour('high')}; font-weight: bold;")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(action or {"open": "&Open", "new": "&Encrypt", "change": "C&hange"}[mode])
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        first = self.current_field if mode in ("open", "change") else self.new_field
        first.setFocus()
        self.setMinimumWidth(440)

    def _intro(self, journal: Path) -> str:
        if self.mode == "open":
            return f"{journal.name} is encrypted. Type its passphrase to open it."
        if self.mode == "new":
            return (f"Choose a passphrase for {journal.name}. Without it nobody can read the "
                    "journal, its backups or what it holds, on this computer or a copy of it.")
        return f"Type the passphrase {journal.name} has now, then the new one twice."

    @staticmethod
    def _field(name: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        return field

    def _show_typed(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for field in (self.current_field, self.new_field, self.again_field):
            field.setEchoMode(mode)

    @property
    def remember(self) -> bool:
        return self.mode != "change" and self.remember_box.isEnabled() \
            and self.remember_box.isChecked()

    def say(self, problem: str) -> None:
        """Name what is wrong under the fields (the dialog stays open)."""
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def accept(self) -> None:
        problem = self._problem()
        if problem:
            self.say(problem)
            return
        super().accept()

    def _problem(self) -> str:
        if self.mode in ("open", "change"):
            try:
                self.current = Passphrase(self.current_field.text())
            except ValidationError:
                self.current_field.setFocus()
                return "Type the passphrase." if self.mode == "open" else \
                    "Type the current passphrase."
            if self.mode == "open":
                self.passphrase = self.current
                return ""
        problem = new_passphrase_problem(self.new_field.text(), self.again_field.text())
        if problem:
            self.new_field.setFocus()
            return problem
        if self.mode == "change" and self.new_field.text() == self.current_field.text():
            self.new_field.setFocus()
            return "The new passphrase is the one it has now: type another."
        self.passphrase = Passphrase(self.new_field.text())
        return ""
