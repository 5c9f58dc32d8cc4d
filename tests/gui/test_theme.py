"""View > Theme: the dark theme follows a dark system palette or the user's choice, every
page drawn in it, and the choice kept for the next start."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from hpgjournal.ui import style


def menu_action(window, menu_title, text):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    for action in menu.actions():
        if action.menu() is not None:
            for inner in action.menu().actions():
                if inner.text() == text:
                    return inner
        if action.text() == text:
            return action
    raise AssertionError(f"no {text!r} in {menu_title}")


def test_choosing_dark_restyles_the_open_window_and_is_remembered(opened, qtbot):
    app = QApplication.instance()
    opened.show_page("overview")
    try:
        menu_action(opened, "&View", "&Dark").trigger()
        window = app.palette().color(QPalette.ColorRole.Window)
        assert window.lightness() < 60  # a dark window
        assert style.THEMES["dark"]["nav"] in app.styleSheet()
        assert opened.settings.value("view/theme") == "dark"
        assert menu_action(opened, "&View", "&Dark").isChecked()
        assert not menu_action(opened, "&View", "&Light").isChecked()
        page = opened.page("overview")
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the old cards go
        states = [w for w in page.findChildren(QLabel) if w.text() == "in range"]
        assert states and all(style.THEMES["dark"]["ok"] in w.styleSheet() for w in states)
        opened.show_page("phases")  # the timeline paints on the dark base
        timeline = opened.page("phases").timeline
        image = timeline.grab().toImage()
        corner = QColor(image.pixel(timeline.width() - 3, timeline.height() - 3))
        assert corner.lightness() < 80
    finally:
        menu_action(opened, "&View", "Follow the &system").trigger()
    assert style.theme() == "light"  # this test machine's system palette is light


def test_a_dark_system_palette_is_recognised():
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.WindowText, QColor("#111111"))
    assert style.palette_is_dark(dark) and not style.palette_is_dark(light)
