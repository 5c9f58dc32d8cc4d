"""Small building blocks for the entry dialogs: labelled fields with an error line each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QBoxLayout,
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hpgjournal.domain.errors import ValidationError
from hpgjournal.domain.plausible import EARLIEST_DATE
from hpgjournal.domain.timestamps import normalise_timestamp
from hpgjournal.importers.dates import DateError, read_typed
from hpgjournal.ui.style import colour

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
        message.setStyleSheet(f"color: {colour('high')};")
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
            holder = message.parentWidget()
            layout = holder.layout() if holder is not None else None
            assert isinstance(layout, QBoxLayout), "the message's holder has a box layout"
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
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
        self._put(message, str(error), colour("high"))

    def warn(self, name: str, text: str, fallback: str = "") -> None:
        """Show a warning (not an error) under a field."""
        message = self.labels.get(name) or self.labels[fallback]
        self._put(message, text, colour("warn"))

    def _put(self, message: QLabel, text: str, colour: str) -> None:
        message.setStyleSheet(f"color: {colour};")
        message.setText(text)
        message.show()
        window = message.window()
        layout = window.layout()
        assert layout is not None, "a message shows in a laid-out dialog"
        layout.activate()
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


def _calendar_icon(widget: QWidget) -> QIcon:
    """A small calendar drawn in the widget's text colour (so it shows on dark themes too)."""
    size = 16
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = widget.palette().color(QPalette.ColorRole.Text)
    painter.setPen(QPen(colour, 1.4))
    painter.drawRoundedRect(QRectF(1.5, 3.0, 13.0, 11.5), 1.5, 1.5)
    painter.fillRect(QRectF(1.5, 3.0, 13.0, 3.0), colour)
    for x in (4.5, 8.0, 11.5):
        for y in (8.5, 11.5):
            painter.fillRect(QRectF(x - 1.0, y - 1.0, 2.0, 2.0), colour)
    painter.drawLine(QPointF(5.0, 1.0), QPointF(5.0, 4.0))
    painter.drawLine(QPointF(11.0, 1.0), QPointF(11.0, 4.0))
    painter.end()
    return QIcon(pixmap)


class DateEdit(QLineEdit):
    """A calendar day typed as text, one stop for Tab.

    Accepts ``2026-03-14``, ``14.3.2026``, ``14 Mar 2026`` and a slashed date whose order is
    clear (``3/14/2026``); one that reads both ways is refused with both readings, never
    guessed. Up and Down change the day, Page Up and Page Down the month; Alt+Down (or F4,
    or the calendar icon) opens a calendar. A typed date is shown as YYYY-MM-DD once the
    field is left. :meth:`problem` says why the text is no date ("" when it is one).
    """

    dateChanged = Signal(QDate)
    typedTime = Signal(str)  # a time typed after the date ("2026-03-14 08:30")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        self.setToolTip("Type a date (2026-03-14, 14.3.2026 or 14 Mar 2026). Up and Down change "
                        "the day, Page Up and Page Down the month; Alt+Down opens a calendar.")
        self._minimum = date.fromisoformat(EARLIEST_DATE)
        self._calendar: QCalendarWidget | None = None
        self.calendar_action = self.addAction(_calendar_icon(self),
                                              QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip("Choose the day on a calendar (Alt+Down)")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.editingFinished.connect(self._tidy)
        self.setMaximumWidth(170)
        self._shown = ""  # the last date emitted, so dateChanged fires on changes only

    # ------------------------------------------------------------ the value
    def read(self) -> tuple[date, str]:
        """The day and a time typed with it; ValueError with the reason when it is no date."""
        text = self.text().strip()
        if not text:
            raise ValueError("enter a date, e.g. 2026-03-14")
        try:
            stamp, clock = read_typed(text)
        except DateError as exc:
            message = str(exc)
            if message.endswith("is not a date"):
                message += ": write it as YYYY-MM-DD, e.g. 2026-03-14"
            raise ValueError(message) from None
        day = date.fromisoformat(stamp)
        if day < self._minimum:
            raise ValueError(f"{stamp} is before {self._minimum.year}: check the year")
        return day, clock

    def problem(self) -> str:
        try:
            self.read()
        except ValueError as exc:
            return str(exc)
        return ""

    def date(self) -> QDate:
        """The date typed, or an invalid QDate when the text is no date."""
        try:
            day, _clock = self.read()
        except ValueError:
            return QDate()
        return QDate(day.year, day.month, day.day)

    def setDate(self, value: QDate | dt.date) -> None:  # dt: date here is the method
        if isinstance(value, QDate):
            value = date(value.year(), value.month(), value.day())
        self.setText(value.isoformat())
        self._announce()

    def setMinimumDate(self, value: dt.date) -> None:
        self._minimum = value

    def _tidy(self) -> None:
        try:
            day, clock = self.read()
        except ValueError:
            return  # left as typed: the dialog names the problem at Save
        if self.text() != day.isoformat():
            self.setText(day.isoformat())
        if clock:
            self.typedTime.emit(clock)
        self._announce()

    def _announce(self) -> None:
        current = self.date()
        key = current.toString("yyyy-MM-dd") if current.isValid() else ""
        if key != self._shown:
            self._shown = key
            self.dateChanged.emit(current)

    # ------------------------------------------------------------ keys and calendar
    def _step(self, days: int = 0, months: int = 0) -> None:
        current = self.date()
        if not current.isValid():
            current = QDate.currentDate()
        moved = current.addDays(days).addMonths(months)
        moved_day = moved.toPython()
        assert isinstance(moved_day, date), "QDate.toPython() gives a date"
        if moved_day >= self._minimum:
            self.setDate(moved)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        plain = not mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down
                                    and mods & Qt.KeyboardModifier.AltModifier):
            self.show_calendar()
        elif plain and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._step(days=1 if key == Qt.Key.Key_Up else -1)
        elif plain and key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self._step(months=1 if key == Qt.Key.Key_PageUp else -1)
        else:
            super().keyPressEvent(event)

    def show_calendar(self) -> None:
        if self._calendar is None:
            calendar = QCalendarWidget(self)
            calendar.setWindowFlags(Qt.WindowType.Popup)
            calendar.setGridVisible(True)
            calendar.setVerticalHeaderFormat(
                QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
            calendar.setObjectName("date-calendar")
            calendar.clicked.connect(self._chosen)
            calendar.activated.connect(self._chosen)
            self._calendar = calendar
        calendar = self._calendar
        calendar.setMinimumDate(QDate(self._minimum.year, self._minimum.month,
                                      self._minimum.day))
        current = self.date()
        calendar.setSelectedDate(current if current.isValid() else QDate.currentDate())
        calendar.adjustSize()
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()

    def _chosen(self, day: QDate) -> None:
        self.setDate(day)
        if self._calendar is not None:
            self._calendar.hide()
        self.setFocus()


class DateTimeField(QWidget):
    """A calendar date and an optional clock time (blank = time not known); Tab goes from
    the date to the time and then out of the field."""

    def __init__(self, with_time: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.date = DateEdit()
        self.date.setDate(date.today())
        layout.addWidget(self.date)
        self.time = QLineEdit()
        self.time.setPlaceholderText("HH:MM")
        self.time.setToolTip("The clock time, if known (24-hour, e.g. 08:30); leave it blank "
                             "when it is not known")
        self.time.setMaximumWidth(90)
        self.time.setAccessibleName("Time")
        self.time.setVisible(with_time)
        self.date.typedTime.connect(self._time_typed)
        layout.addWidget(self.time)
        self.day_words = QLabel()  # the day the text was read as, in words: "Saturday 14 March"
        self.day_words.setObjectName("day-words")
        self.day_words.setProperty("role", "muted")
        layout.addWidget(self.day_words)
        layout.addStretch(1)
        self.date.textChanged.connect(self._show_day)
        self.setFocusProxy(self.date)
        self._show_day()

    def _time_typed(self, clock: str) -> None:
        if not self.time.isHidden():
            self.time.setText(clock)

    def _show_day(self) -> None:
        day = self.date.date()
        self.day_words.setText(day.toString("dddd d MMMM yyyy") if day.isValid() else "")

    def set_stamp(self, stamp: str) -> None:
        self.date.setDate(date.fromisoformat(stamp[:10]))
        self.time.setText(stamp[11:16] if "T" in stamp else "")

    def stamp(self, field: str = "date") -> str:
        """The value as journal text; ValidationError naming ``field`` when the date or the
        time is no date or time."""
        try:
            day, _clock = self.date.read()
        except ValueError as exc:
            raise ValidationError(field, str(exc)) from None
        clock = self.time.text().strip() if not self.time.isHidden() else ""
        if not clock:
            return day.isoformat()
        if len(clock) == 4 and clock[1] == ":":
            clock = "0" + clock
        try:
            return normalise_timestamp(f"{day.isoformat()} {clock}", field)
        except ValidationError:
            raise ValidationError(field, f"{clock!r} is not a time: write it as HH:MM, "
                                         "e.g. 08:30, or leave it blank") from None


def form() -> QFormLayout:
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return layout


CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSlider, QAbstractItemView,
            QPlainTextEdit, QAbstractSpinBox)


def controls_in(widget: QWidget) -> list[QWidget]:
    """The controls a user can reach with Tab in ``widget`` (itself included), in the order
    they were made (an editable box's own line edit is part of the box)."""
    found: list[QWidget] = [widget] if isinstance(widget, CONTROLS) else []
    for child in widget.findChildren(QWidget):
        if isinstance(child, CONTROLS) and not isinstance(child.parent(), QComboBox) \
                and child.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(child)
    return found


def _item_controls(item: QLayoutItem) -> list[QWidget]:
    widget = item.widget()
    if widget is not None:
        return controls_in(widget)
    layout = item.layout()
    found: list[QWidget] = []
    if isinstance(layout, QLayout):
        for index in range(layout.count()):
            child = layout.itemAt(index)
            if child is not None:
                found += _item_controls(child)
    return found


def label_text(label: QLabel) -> str:
    """A label's words without its Alt-letter marks ("&Date" -> "Date")."""
    return label.text().replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def tie_labels(root: QWidget) -> None:
    """Tie every form row's label to the control it names: its Alt letter moves the cursor
    there, and a screen reader speaks the label as the control's name. (The rows hold a box
    with the field and its error line, so Qt's own link would name the box, not the field.)
    A second control in a row (the unit beside a value) without a name of its own is named
    after the label and its placeholder or tooltip."""
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = label_item.widget() if label_item is not None else None
            if not isinstance(label, QLabel) or field_item is None:
                continue
            controls = _item_controls(field_item)
            if not controls:
                continue
            label.setBuddy(controls[0])
            words = label_text(label)
            for n, control in enumerate(controls):
                if control.accessibleName():
                    continue
                if isinstance(control, QAbstractButton) and control.text():
                    continue  # a check box says what it is
                if n == 0:
                    control.setAccessibleName(words)
                else:
                    hint = (control.placeholderText() if isinstance(control, QLineEdit) else
                            "") or control.toolTip().split(".")[0]
                    control.setAccessibleName(f"{words}: {hint}" if hint else words)
