"""The report's font, on every system: DejaVu Sans, from the system or from matplotlib's copy.

A system without fonts (a minimal container, a bare server) would otherwise give a PDF of empty
boxes. matplotlib, which draws the charts, ships DejaVu Sans under its licence; when the system
has no DejaVu Sans, those files are added to Qt's font database for this process only.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

log = logging.getLogger("hpgjournal.report")

FAMILY = "DejaVu Sans"
NO_FONT = ("no usable font was found on this system, so the report's text would be empty boxes: "
           "install one (Debian, Ubuntu: sudo apt-get install fonts-dejavu-core) and try again")
_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
          "DejaVuSans-BoldOblique.ttf")
_checked: str | None = None


def _matplotlib_fonts() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
    return folder if folder.is_dir() else None


def ensure_font() -> str | None:
    """Make DejaVu Sans usable by Qt; return None when it is, or why no text can be drawn.

    Needs a QGuiApplication. Checked once per process.
    """
    global _checked
    if _checked is not None:
        return _checked or None
    if not QFontDatabase.hasFamily(FAMILY):
        folder = _matplotlib_fonts()
        added = [QFontDatabase.addApplicationFont(str(folder / name)) for name in _FILES
                 if folder is not None and (folder / name).is_file()]
        if any(font_id >= 0 for font_id in added):
            log.info("the system has no %s: using matplotlib's copy from %s", FAMILY, folder)
    # Qt lists fontconfig's aliases (Sans Serif...) even with no font file behind them; a font
    # that has no glyph for "A" draws every letter as an empty box
    usable = QFontMetrics(QFont(FAMILY)).inFont("A")
    _checked = "" if usable else NO_FONT
    return _checked or None
