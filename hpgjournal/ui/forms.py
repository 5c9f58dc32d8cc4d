"""Small building blocks for the entry dialogs: labelled fields with an error line each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.timestamps import normalise_timestamp
from hpgjournal.ui.style import HIGH, WARN

SAVE_AGAIN = "Press Save again to keep it as it is."


class FieldErrors:
    """Shows each validation message right under the field it is about.

    An error (red) is something the dialog refuses to save; a warning (amber, :meth:`warn`)
    is an implausible value the user must have seen before it is saved (see
    :meth:`confirm_warnings`).
    """

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self._seen: dict[str, str] = {}  # the warnings shown at the last Save, by field
        self.offers: dict[str, QPushButton] = {}  # a likely reading offered under a field
        self._actions: dict[str, Callable[[], None]] = {}

    def holder(self, name: str, field: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(field)
        message = QLabel()
        message.setObjectName(f"error-{name}")
        message.setStyleSheet(f"color: {HIGH};")
        message.setWordWrap(True)
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.hide()
        layout.addWidget(message)
        self.labels[name] = message
        return box

    def clear(self) -> None:
        for message in self.labels.values():
            message.clear()
            message.hide()
        for button in self.offers.values():
            button.hide()

    def offer(self, name: str, caption: str, action: Callable[[], None]) -> None:
        """Show a button under the message of field ``name`` (e.g. "Store 51 %"): pressed, it
        runs ``action`` (which fills the field) and the message goes. The message's parent
        widget must have a box layout (what :meth:`holder` makes)."""
        message = self.labels[name]
        button = self.offers.get(name)
        if button is None:
            button = QPushButton()
            button.setObjectName(f"offer-{name}")
            button.clicked.connect(lambda _checked=False, n=name: self._take(n))
            message.parentWidget().layout().addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.offers[name] = button
        self._actions[name] = action
        button.setText(caption)
        button.show()

    def _take(self, name: str) -> None:
        self._actions[name]()
        self.labels[name].clear()
        self.labels[name].hide()
        self.offers[name].hide()

    def show(self, error: ValidationError, fallback: str = "") -> None:
        message = self.labels.get(error.field) or self.labels.get(fallback)
        if message is None:
            raise error
        self._put(message, str(error), HIGH)

    def warn(self, name: str, text: str, fallback: str = "") -> None:
        """Show a warning (not an error) under a field."""
        message = self.labels.get(name) or self.labels[fallback]
        self._put(message, text, WARN)

    def _put(self, message: QLabel, text: str, colour: str) -> None:
        message.setStyleSheet(f"color: {colour};")
        message.setText(text)
        message.show()
        window = message.window()
        window.layout().activate()
        window.adjustSize()  # grow so that the message never overlaps the fields

    def confirm_warnings(self, warnings: dict[str, str], fallback: str = "") -> bool:
        """True when saving may go on: there are no warnings, or the user saw exactly these
        at the previous Save. Otherwise show them under their fields and return False."""
        if not warnings or warnings == self._seen:
            self._seen = {}
            return True
        self._seen = dict(warnings)
        for name, text in warnings.items():
            self.warn(name, f"{text}. {SAVE_AGAIN}", fallback)
        return False

    def text(self, name: str) -> str:
        return self.labels[name].text() if name in self.labels else ""


class DateTimeField(QWidget):
    """A calendar date and an optional clock time (blank = time not known)."""

    def __init__(self, with_time: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMinimumDate(QDate(1900, 1, 1))  # the journal's earliest date (plausible.py)
        self.date.setDate(QDate.currentDate())
        layout.addWidget(self.date)
        self.time = QLineEdit()
        self.time.setPlaceholderText("HH:MM (optional)")
        self.time.setMaximumWidth(130)
        self.time.setVisible(with_time)
        layout.addWidget(self.time)
        layout.addStretch(1)

    def set_stamp(self, stamp: str) -> None:
        day = date.fromisoformat(stamp[:10])
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.time.setText(stamp[11:16] if "T" in stamp else "")

    def stamp(self, field: str = "date") -> str:
        """The value as journal text; ValidationError naming ``field`` when the time is bad."""
        day = self.date.date().toString("yyyy-MM-dd")
        clock = self.time.text().strip()
        if not clock:
            return day
        if len(clock) == 4 and clock[1] == ":":
            clock = "0" + clock
        try:
            return normalise_timestamp(f"{day} {clock}", field)
        except ValidationError:
            raise ValidationError(field, f"{clock!r} is not a time: write it as HH:MM, "
                                         "e.g. 08:30, or leave it blank") from None


def form() -> QFormLayout:
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return layout
