"""Application-wide look: Fusion style, a calm palette, readable spacing."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

ACCENT = "#2d6a9f"
OK = "#2e7d32"
HIGH = "#c62828"
LOW = "#1565c0"
WARN = "#b45309"  # implausible values: kept, but worth a second look
MUTED = "#6b7280"

STYLE_SHEET = f"""
QListWidget#nav {{
    background: #eef2f6; border: none; padding-top: 8px; font-size: 10.5pt;
}}
QListWidget#nav::item {{ padding: 9px 14px; border-radius: 6px; margin: 1px 8px; color: #1f2933; }}
QListWidget#nav::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget#nav::item:hover:!selected {{ background: #dde5ee; }}
QListWidget#nav::item:disabled {{ color: #9aa5b1; }}
QLabel[role="title"] {{ font-size: 17pt; font-weight: 600; color: #1f2933; }}
QLabel[role="subtitle"] {{ color: {MUTED}; font-size: 10pt; }}
QLabel[role="section"] {{ font-size: 11.5pt; font-weight: 600; color: #1f2933; margin-top: 6px; }}
QFrame[role="card"] {{ background: white; border: 1px solid #d9dee5; border-radius: 8px; }}
QLabel[role="cardvalue"] {{ font-size: 17pt; font-weight: 600; color: #1f2933; }}
QLabel[role="cardname"] {{ color: #3e4c59; font-weight: 600; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QPushButton[role="big"] {{
    padding: 14px 18px; font-size: 11pt; text-align: left; border-radius: 8px;
    border: 1px solid #c7d0da; background: white;
}}
QPushButton[role="big"]:hover {{ border-color: {ACCENT}; background: #f3f7fb; }}
QPushButton[role="big"]:focus {{ border: 2px solid {ACCENT}; }}
QTableView {{ gridline-color: #e3e7ec; selection-background-color: #cfe0f1;
              selection-color: #1f2933; alternate-background-color: #f7f9fb; }}
QHeaderView::section {{ background: #f0f3f6; padding: 4px 6px; border: none;
                        border-bottom: 1px solid #d9dee5; font-weight: 600; }}
"""


def apply_style(app: QApplication) -> None:
    if "Fusion" in QStyleFactory.keys():  # noqa: SIM118 (a static method, not a dict)
        app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f7f9fb"))
    palette.setColor(QPalette.ColorRole.Base, QColor("white"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f9fb"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1f2933"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1f2933"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#1f2933"))
    app.setPalette(palette)
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
