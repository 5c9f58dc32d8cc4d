"""Dialogs that store their record before they close, so a failed write loses nothing typed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

log = logging.getLogger("hpgjournal.ui")


def fault_message(exc: BaseException, journal: Path | None) -> str | None:
    """The message for a write that failed in a way the user can act on, as a sentence."""
    from hpgjournal.store.faults import explain

    known = explain(exc, journal)
    return sentence(str(known)) if known is not None else None


def sentence(text: str) -> str:
    """A command line's one-line message as a dialog shows it: capitalised, with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!", ")")) else text + "."


class SavesOnAccept:
    """Mixed into a QDialog: Save runs ``save_hook`` first and closes only if it succeeded.

    The hook writes the dialog's record to the journal. When the disk is full, the journal
    read-only or damaged, a message says so and the dialog stays open with everything typed.
    """

    save_hook: Callable[[], Any] | None = None
    journal_path: Path | None = None
    saved: Any = None

    def showEvent(self, event: Any) -> None:
        from hpgjournal.ui.forms import tie_labels

        # (type: ignore below: a mixin: self is the QDialog it is mixed into)
        tie_labels(self)  # type: ignore[arg-type]
        # (type: ignore below: a mixin: the next class in the MRO is a QDialog)
        super().showEvent(event)  # type: ignore[misc]

    def done(self, result: int) -> None:
        hook = self.save_hook
        if result == QDialog.DialogCode.Accepted and hook is not None:
            try:
                self.saved = hook()
            except Exception as exc:
                message = fault_message(exc, self.journal_path)
                if message is None:
                    raise
                log.warning("not saved: %s", message)
                assert isinstance(self, QWidget), "SavesOnAccept is mixed into a QDialog"
                box = QMessageBox(QMessageBox.Icon.Warning, "Not saved",
                                  f"{message}\n\nNothing was saved. What you entered is still in "
                                  "the form: fix the cause, then press Save again, or Cancel.",
                                  parent=self)
                box.setObjectName("not-saved")
                box.exec()
                return
        # (type: ignore below: a mixin: the next class in the MRO is a QDialog)
        super().done(result)  # type: ignore[misc]
