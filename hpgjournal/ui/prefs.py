"""Display preferences kept in QSettings: US or SI units, overall and per marker, and the
theme (follow the system, light or dark)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

THEMES = ("auto", "light", "dark")


class UnitPrefs(QObject):
    changed = Signal()
    theme_changed = Signal(str)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings

    @property
    def system(self) -> str:
        value = self.settings.value("units/system", "us")
        return value if value in ("us", "si") else "us"

    def set_system(self, system: str) -> None:
        self.settings.setValue("units/system", system)
        self.changed.emit()

    def for_marker(self, key: str) -> str:
        value = self.settings.value(f"units/marker/{key}", "")
        return value if value in ("us", "si") else self.system

    def set_for_marker(self, key: str, system: str | None) -> None:
        """``None`` makes the marker follow the overall choice again."""
        if system is None:
            self.settings.remove(f"units/marker/{key}")
        else:
            self.settings.setValue(f"units/marker/{key}", system)
        self.changed.emit()

    @property
    def theme(self) -> str:
        return stored_theme(self.settings)

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {theme!r}")
        self.settings.setValue("view/theme", theme)
        self.theme_changed.emit(theme)


def stored_theme(settings: QSettings) -> str:
    """The theme chosen in View > Theme: ``auto`` (follow the system), ``light`` or ``dark``."""
    value = settings.value("view/theme", "auto")
    return value if value in THEMES else "auto"
