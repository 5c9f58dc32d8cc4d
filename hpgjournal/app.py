"""Composition root: open the journal, build the main window, run the event loop."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from hpgjournal import APP_NAME, APP_TITLE, __version__
from hpgjournal.domain.errors import UserError

log = logging.getLogger("hpgjournal.app")


def run_gui(journal_path: Path, *, exit_after_startup: bool = False, t0: float | None = None
            ) -> int:
    """Show the main window on ``journal_path``; return the process exit status."""
    t0 = time.perf_counter() if t0 is None else t0
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName(APP_TITLE)

    from hpgjournal.ui.main_window import MainWindow
    from hpgjournal.ui.style import apply_style

    apply_style(app)
    window = MainWindow()
    try:
        window.open_journal(journal_path)
    except UserError as exc:
        if exit_after_startup:
            raise
        window.show_error("Cannot open the journal", str(exc))
    window.show()
    if exit_after_startup:
        from hpgjournal.ui.startup import quit_after_first_paint

        quit_after_first_paint(window, t0)
    status = app.exec()
    window.close_journal()
    return int(status)
