"""What the window does with an error nobody expected, and with a request to terminate.

An exception that escapes a slot or an event handler reaches ``sys.excepthook``: the full
traceback goes to the log file, and a dialog says what happened and where the log is. A
fault the user can act on (a full disk, a read-only or damaged journal) gets its one-line
explanation instead. Nothing written is lost either way: every change is one transaction.

SIGTERM (a logout, a shutdown, ``kill``) closes the window the ordinary way, so the journal
is closed cleanly and the daily backup is made.
"""

from __future__ import annotations

import logging
import signal
import sys
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("hpgjournal.ui")


class CrashDialog:
    """The ``sys.excepthook`` of the window (one dialog at a time; later ones are logged)."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.showing = False
        self.previous = sys.excepthook
        self.last: QMessageBox | None = None

    def __call__(self, kind: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        from hpgjournal.logsetup import FILE_ONLY, log_file
        from hpgjournal.ui.saving import fault_message

        if issubclass(kind, KeyboardInterrupt):
            self.previous(kind, exc, tb)
            return
        log.error("unexpected error in the window", exc_info=(kind, exc, tb), extra=FILE_ONLY)
        log.warning("unexpected error: %s: %s (details in %s)", kind.__name__, exc, log_file())
        if self.showing:
            return
        journal = getattr(self.window, "journal", None)
        known = fault_message(exc, getattr(journal, "path", None))
        if known is not None:
            title, text = "Could not finish", known
            icon = QMessageBox.Icon.Warning
        else:
            title = "Unexpected error"
            text = (f"hpgjournal met an error it did not expect ({kind.__name__}: {exc}).\n\n"
                    "What was saved before is safe: every change is written in one "
                    "transaction, whole or not at all. The last action may not have been "
                    f"completed.\n\nThe details are in the log file:\n{log_file()}\n"
                    "Please include that file if you report the problem.")
            icon = QMessageBox.Icon.Critical
        box = QMessageBox(icon, title, text, parent=self.window)
        box.setObjectName("crash-dialog")
        self.last = box
        self.showing = True
        try:
            box.exec()
        finally:
            self.showing = False


def install_crash_dialog(window: QWidget) -> CrashDialog:
    hook = CrashDialog(window)
    sys.excepthook = hook
    return hook


def quit_on_terminate(app: QApplication) -> QObject | None:
    """Close every window on SIGTERM (so each closes its journal and makes its backup)."""
    if not hasattr(signal, "SIGTERM"):  # pragma: no cover
        return None

    def terminate(signum: int, frame: Any) -> None:
        log.info("terminated by signal %d: closing the windows", signum)
        QTimer.singleShot(0, lambda: (app.closeAllWindows(), app.quit()))

    signal.signal(signal.SIGTERM, terminate)
    # Python runs signal handlers between bytecodes: wake it up now and then while Qt waits.
    timer = QTimer(app)
    timer.setObjectName("signal-wakeup")
    timer.timeout.connect(lambda: None)
    timer.start(300)
    return timer
