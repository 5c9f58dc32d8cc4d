"""Application-wide look: Fusion style, a calm light or dark palette, readable spacing.

The colours come in two themes (:data:`THEMES`). Every text colour passes WCAG AA (4.5:1)
on every background it is drawn on, in its theme, and every colour that carries meaning as
a graphic passes 3:1 (checked by ``tests/gui/test_contrast.py``). Widgets ask
:func:`colour` for a colour when they draw or style themselves, so they follow the theme
that :func:`apply_style` chose: the system's (a dark system palette gives the dark theme)
or the one set in View > Theme.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES: dict[str, dict[str, str]] = {
    "light": {
        # text colours
        "text": "#1f2933", "muted": "#5b6472", "ok": "#1e6b24", "high": "#b3261e",
        "low": "#1258a8", "warn": "#9a4a08", "caution": "#8a5a12", "accent": "#2d6a9f",
        "on_accent": "#ffffff", "heading": "#1f2933", "card_name": "#3e4c59",
        # backgrounds
        "window": "#f7f9fb", "base": "#ffffff", "alternate": "#f7f9fb", "selection": "#dbe7f3",
        "nav": "#eef2f6", "nav_hover": "#dde5ee", "button": "#ffffff", "header": "#f0f3f6",
        "tooltip": "#ffffdc",
        # lines
        "border": "#c7d0da", "card_border": "#d9dee5", "grid": "#e3e7ec", "disabled": "#8a94a0",
    },
    "dark": {
        "text": "#e6e9ed", "muted": "#a9b2bf", "ok": "#7fd18b", "high": "#ff9c93",
        "low": "#9cc3ff", "warn": "#f0a35e", "caution": "#e3b65c", "accent": "#6aa7de",
        "on_accent": "#111417", "heading": "#f1f3f5", "card_name": "#c9d0d8",
        "window": "#1d2125", "base": "#23282d", "alternate": "#282d33", "selection": "#26384b",
        "nav": "#181b1f", "nav_hover": "#2b3138", "button": "#2b3138", "header": "#2b3138",
        "tooltip": "#2b3138",
        "border": "#5a6572", "card_border": "#3a424b", "grid": "#353c44", "disabled": "#7d8793",
    },
}

# the roles each text colour is drawn on, for the contrast test
TEXT_ROLES = ("text", "muted", "ok", "high", "low", "warn", "caution", "accent", "heading",
              "card_name")
BACKGROUND_ROLES = ("window", "base", "alternate", "selection", "nav", "header", "button")

_current: dict[str, str] = {"theme": "light"}
_system: dict[str, bool] = {}


def theme() -> str:
    """The theme in use: ``light`` or ``dark``."""
    return _current["theme"]


def colour(role: str) -> str:
    """A colour of the theme in use, by its role (see :data:`THEMES`)."""
    return THEMES[_current["theme"]][role]


def palette_is_dark(palette: QPalette) -> bool:
    """True when a palette draws light text on a dark window (a dark system theme)."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def system_theme(app: QApplication | None = None) -> str:
    """``dark`` when the system asks for a dark look (Qt's colour scheme, else the palette)."""
    from PySide6.QtCore import Qt

    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", lambda: Qt.ColorScheme.Unknown)()
    if scheme == Qt.ColorScheme.Dark:
        return "dark"
    if scheme == Qt.ColorScheme.Light:
        return "light"
    if "system_dark" not in _system:  # the palette before this module styled the app
        # (type: ignore below: a QApplication exists whenever a palette is asked for)
        palette = (app or QApplication.instance()).palette()  # type: ignore[union-attr]
        _system["system_dark"] = palette_is_dark(palette)
    return "dark" if _system["system_dark"] else "light"


def style_sheet() -> str:
    c = THEMES[_current["theme"]]
    return f"""
QListWidget#nav {{
    background: {c["nav"]}; border: none; padding-top: 8px; font-size: 10.5pt;
}}
QListWidget#nav::item {{ padding: 9px 14px; border-radius: 6px; margin: 1px 8px;
                         color: {c["text"]}; }}
QListWidget#nav::item:selected {{ background: {c["accent"]}; color: {c["on_accent"]}; }}
QListWidget#nav::item:hover:!selected {{ background: {c["nav_hover"]}; }}
QListWidget#nav::item:disabled {{ color: {c["disabled"]}; }}
QLabel[role="title"] {{ font-size: 17pt; font-weight: 600; color: {c["heading"]}; }}
QLabel[role="subtitle"] {{ color: {c["muted"]}; font-size: 10pt; }}
QLabel[role="section"] {{ font-size: 11.5pt; font-weight: 600; color: {c["heading"]};
                          margin-top: 6px; }}
QFrame[role="card"] {{ background: {c["base"]}; border: 1px solid {c["card_border"]};
                       border-radius: 8px; }}
QLabel[role="cardvalue"] {{ font-size: 17pt; font-weight: 600; color: {c["heading"]}; }}
QLabel[role="cardname"] {{ color: {c["card_name"]}; font-weight: 600; }}
QLabel[role="muted"] {{ color: {c["muted"]}; }}
QPushButton[role="big"] {{
    padding: 14px 18px; font-size: 11pt; text-align: left; border-radius: 8px;
    border: 1px solid {c["border"]}; background: {c["button"]}; color: {c["text"]};
}}
QPushButton[role="big"]:hover {{ border-color: {c["accent"]}; background: {c["nav_hover"]}; }}
QPushButton[role="big"]:focus {{ border: 2px solid {c["accent"]}; }}
QTableView {{ gridline-color: {c["grid"]}; selection-background-color: {c["selection"]};
              selection-color: {c["text"]}; alternate-background-color: {c["alternate"]}; }}
QHeaderView::section {{ background: {c["header"]}; color: {c["text"]}; padding: 4px 6px;
                        border: none; border-bottom: 1px solid {c["card_border"]};
                        font-weight: 600; }}
"""


def _palette(app: QApplication) -> QPalette:
    c = THEMES[_current["theme"]]
    palette = QPalette(app.palette())
    roles = {
        QPalette.ColorRole.Window: c["window"], QPalette.ColorRole.Base: c["base"],
        QPalette.ColorRole.AlternateBase: c["alternate"], QPalette.ColorRole.Button: c["button"],
        QPalette.ColorRole.Text: c["text"], QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.ButtonText: c["text"], QPalette.ColorRole.Highlight: c["accent"],
        QPalette.ColorRole.HighlightedText: c["on_accent"],
        QPalette.ColorRole.ToolTipBase: c["tooltip"], QPalette.ColorRole.ToolTipText: c["text"],
        QPalette.ColorRole.PlaceholderText: c["muted"], QPalette.ColorRole.Link: c["accent"],
        QPalette.ColorRole.Mid: c["border"], QPalette.ColorRole.Light: c["nav_hover"],
        QPalette.ColorRole.Dark: c["border"],
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["disabled"]))
    return palette


def apply_style(app: QApplication, choice: str = "auto") -> str:
    """Style the application; ``choice`` is ``auto`` (follow the system), ``light`` or
    ``dark``. Returns the theme applied."""
    if choice not in ("auto", "light", "dark"):
        raise ValueError(f"theme must be auto, light or dark, not {choice!r}")
    system = system_theme(app)  # read before the first styling changes the palette
    chosen = system if choice == "auto" else choice
    _current["theme"] = chosen
    if "Fusion" in QStyleFactory.keys():  # noqa: SIM118 (a static method, not a dict)
        app.setStyle("Fusion")
    app.setPalette(_palette(app))
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    app.setStyleSheet(style_sheet())
    return chosen
