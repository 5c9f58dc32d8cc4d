"""Display preferences kept in QSettings: US or SI units, overall and per marker."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal


class UnitPrefs(QObject):
    changed = Signal()

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
