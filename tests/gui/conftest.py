"""GUI tests run offscreen (set in the root conftest) and are marked ``gui``."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from hpgjournal.ui.main_window import MainWindow
    from hpgjournal.ui.style import apply_style

    apply_style(qtbot_app())
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    yield win
    win.close_journal()


def qtbot_app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


@pytest.fixture
def opened(window, qtbot, demo_path):
    """The window shown on a copy of the demo journal."""
    window.open_journal(demo_path)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def empty_window(window, tmp_path):
    """The window on a new, empty journal."""
    from hpgjournal.store.journal import Journal

    path = tmp_path / "j.hpgjournal"
    Journal.open(path).close()
    window.open_journal(path)
    return window
