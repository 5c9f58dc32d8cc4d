"""Composition root: open the journal, build the main window, run the event loop."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from hpgjournal import APP_ID, APP_NAME, APP_TITLE, __version__
from hpgjournal.paths import resources_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from hpgjournal.ui.main_window import MainWindow

log = logging.getLogger("hpgjournal.app")


def run_gui(journal_path: Path | None, *, exit_after_startup: bool = False, t0: float | None = None,
            open_file: Path | None = None) -> int:
    """Show the main window on ``journal_path``; return the process exit status.

    ``open_file`` is a lab file handed over by the desktop ("Open with"): it goes to the import.
    With no ``journal_path``, the journal last used (the first of File > Open recent that still
    exists) opens, or the default journal if there is none.
    """
    t0 = time.perf_counter() if t0 is None else t0
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    _private_settings()
    existing = QApplication.instance()
    if existing is None:
        app = QApplication(sys.argv[:1])
    else:  # the window is widgets: an application already there must be a QApplication
        assert isinstance(existing, QApplication), "widgets need a QApplication"
        app = existing
    app.setApplicationDisplayName(APP_TITLE)
    _set_icon(app)
    from hpgjournal.report.fonts import ensure_font

    no_font = ensure_font()  # a system without fonts gets matplotlib's DejaVu Sans
    if no_font:
        log.warning("%s", no_font)

    from PySide6.QtCore import QSettings

    from hpgjournal.ui.main_window import MainWindow, last_journal
    from hpgjournal.ui.prefs import stored_theme
    from hpgjournal.ui.style import apply_style

    apply_style(app, stored_theme(QSettings()))
    window = MainWindow()
    if journal_path is None:
        from hpgjournal.paths import default_journal

        journal_path = last_journal(window.settings) or default_journal()
    from hpgjournal.ui.crash import install_crash_dialog, quit_on_terminate

    install_crash_dialog(window)
    quit_on_terminate(app)
    try:
        window.open_journal(journal_path)
    except Exception as exc:
        if exit_after_startup:
            raise
        window.show()
        window.open_failed(exc, journal_path)
    window.show()
    if open_file is not None:
        _hand_over(window, open_file)
    if exit_after_startup:
        from hpgjournal.ui.startup import quit_after_first_paint

        quit_after_first_paint(window, t0)
    status = app.exec()
    window.close_journal()
    return int(status)


def _private_settings() -> None:
    """The settings file lists the journals recently opened: readable by its owner only."""
    import os
    import stat

    from PySide6.QtCore import QSettings

    settings = Path(QSettings().fileName())
    try:
        if os.name == "posix" and settings.exists() and \
                stat.S_IMODE(settings.stat().st_mode) & 0o077:
            settings.chmod(0o600)
    except OSError as exc:
        log.warning("cannot make %s private: %s", settings, exc)


def _set_icon(app: QApplication) -> None:
    """The window icon everywhere, drawn from the SVG (Qt's SVG icon engine renders every size)."""
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "hpgjournal.svg")))
    app.setDesktopFileName(APP_ID)  # lets the desktop match the window to the installed .desktop file


def _hand_over(window: MainWindow, path: Path) -> None:
    """Pass a file opened from the desktop to the window's import, once the event loop runs."""
    from PySide6.QtCore import QTimer

    import_files = getattr(window, "import_files", None)
    if callable(import_files):
        QTimer.singleShot(0, lambda: import_files([path]))
    else:
        window.statusBar().showMessage(
            f"Importing {path.name} is not available in this version yet.", 30_000)
