"""The therapy phases page: a timeline strip (drag a span to move it, its edges to resize it)
above the list of phases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QBoxLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from hpgjournal.charts.style import SHORT_PHASE_LABELS, TINY_PHASE_LABELS
from hpgjournal.domain.phases import PHASE_KINDS, new_overlaps, phase_label, phase_lanes
from hpgjournal.domain.records import Phase
from hpgjournal.store.journal import Journal
from hpgjournal.ui.actions import RecordActions
from hpgjournal.ui.style import colour

LANE_HEIGHT = 26
LANE_GAP = 6
AXIS_HEIGHT = 22
EDGE = 6  # pixels from a span's end that grab the edge instead of the body
KEYS_HELP = ("Left and Right go from phase to phase, Enter edits the phase, Alt+Left and "
             "Alt+Right move it by a day, with Shift by a week")


class PhaseTimeline(QWidget):
    """Phases as coloured spans on a time axis."""

    phase_changed = Signal(object, object)  # old Phase, new Phase (after a drag)
    phase_activated = Signal(object)  # double-clicked Phase
    drag_info = Signal(str)  # while dragging: the dates and overlaps it would give; "" after

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self.phases: list[Phase] = []
        self.lanes: dict[int, int] = {}
        self.first = self.last = self.today
        self._drag: tuple[Phase, str, int] | None = None  # phase, "move"/"start"/"end", press x
        self._preview: Phase | None = None
        self.current: int | None = None  # the phase the keyboard is on (its id)
        self.setMouseTracking(True)
        self.setMinimumHeight(AXIS_HEIGHT + LANE_HEIGHT + 16)
        self.setToolTip("")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Therapy phases on a time line")
        self.setAccessibleDescription(KEYS_HELP)

    def set_phases(self, phases: Sequence[Phase]) -> None:
        self.phases = list(phases)
        if self.current not in {p.id for p in self.phases}:
            self.current = None
        # the chart's lane layout (domain.phases.phase_lanes), by phase id
        self.lanes = {(self.phases[i].id or 0): lane
                      for i, lane in phase_lanes(self.phases, self.today).items()}
        if self.phases:
            starts = [date.fromisoformat(p.start_date) for p in self.phases]
            ends = [date.fromisoformat(p.end_date) if p.end_date else self.today
                    for p in self.phases]
            self.first = min(starts) - timedelta(days=20)
            self.last = max([*ends, self.today]) + timedelta(days=20)
        lanes = max(self.lanes.values(), default=0) + 1
        self.setFixedHeight(AXIS_HEIGHT + lanes * (LANE_HEIGHT + LANE_GAP) + 12)
        self.update()

    # ----------------------------------------------------------------- geometry
    def _x(self, day: date) -> float:
        span = max((self.last - self.first).days, 1)
        return 8 + (self.width() - 16) * (day - self.first).days / span

    def _day(self, x: float) -> date:
        span = max((self.last - self.first).days, 1)
        return self.first + timedelta(days=round((x - 8) / max(self.width() - 16, 1) * span))

    def span_rect(self, phase: Phase) -> QRectF:
        start = date.fromisoformat(phase.start_date)
        end = date.fromisoformat(phase.end_date) if phase.end_date else self.today
        lane = self.lanes.get(phase.id or 0, 0)
        top = AXIS_HEIGHT + lane * (LANE_HEIGHT + LANE_GAP)
        left, right = self._x(start), self._x(end + timedelta(days=1))
        return QRectF(left, top, max(right - left, 3), LANE_HEIGHT)

    def phase_at(self, point: QPoint) -> tuple[Phase, str] | None:
        for phase in self.phases:
            rect = self.span_rect(phase)
            if rect.adjusted(-2, 0, 2, 0).contains(point.toPointF()):
                if abs(point.x() - rect.left()) <= EDGE:
                    return phase, "start"
                if phase.end_date and abs(point.x() - rect.right()) <= EDGE:
                    return phase, "end"
                return phase, "move"
        return None

    # ----------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(colour("base")))
        painter.setPen(QPen(QColor(colour("card_border"))))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        self._paint_axis(painter)
        for phase in self.phases:
            shown = self._preview if self._preview and self._preview.id == phase.id else phase
            self._paint_span(painter, shown, dragging=shown is self._preview)
        x = self._x(self.today)
        painter.setPen(QPen(QColor(colour("high")), 1, Qt.PenStyle.DashLine))  # today
        painter.drawLine(int(x), AXIS_HEIGHT - 4, int(x), self.height() - 4)
        chosen = self.current_phase()
        if chosen is not None and self.hasFocus():  # the keyboard's phase: a focus ring
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(colour("text")), 2, Qt.PenStyle.DotLine))
            painter.drawRoundedRect(self.span_rect(chosen).adjusted(-3, -3, 3, 3), 5, 5)

    # ----------------------------------------------------------------- keyboard
    def ordered(self) -> list[Phase]:
        """The phases in the order the keyboard visits them: by start, then lane."""
        return sorted(self.phases, key=lambda p: (p.start_date, self.lanes.get(p.id or 0, 0)))

    def current_phase(self) -> Phase | None:
        return next((p for p in self.phases if p.id == self.current), None)

    def focusInEvent(self, event: object) -> None:
        by_mouse = getattr(event, "reason", lambda: None)() == Qt.FocusReason.MouseFocusReason
        if self.current is None and self.phases and not by_mouse:  # a click: the drag says
            running = [p for p in self.ordered() if not p.end_date]
            self.current = (running or self.ordered())[-1].id
            self._announce()
        self.update()
        # (type: ignore below: PySide6's stub names QFocusEvent where the override takes the event as given)
        super().focusInEvent(event)  # type: ignore[arg-type]

    def focusOutEvent(self, event: object) -> None:
        if self._drag is None:
            self.drag_info.emit("")
        self.update()
        # (type: ignore below: PySide6's stub names QFocusEvent where the override takes the event as given)
        super().focusOutEvent(event)  # type: ignore[arg-type]

    def _announce(self) -> None:
        phase = self.current_phase()
        if phase is not None:
            text = (f"{phase_label(phase.kind)}: {phase.start_date} to "
                    f"{phase.end_date or 'ongoing'}")
            self.setAccessibleDescription(f"{text}. {KEYS_HELP}")
            self.drag_info.emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        phases = self.ordered()
        chosen = self.current_phase()
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if not phases or key not in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home,
                                     Qt.Key.Key_End, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if chosen is not None:
                self.phase_activated.emit(chosen)
            return
        if alt and chosen is not None and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            days = 7 if mods & Qt.KeyboardModifier.ShiftModifier else 1
            days = -days if key == Qt.Key.Key_Left else days
            start = date.fromisoformat(chosen.start_date) + timedelta(days=days)
            end = (date.fromisoformat(chosen.end_date) + timedelta(days=days)
                   if chosen.end_date else None)
            moved = replace(chosen, start_date=start.isoformat(),
                            end_date=end.isoformat() if end else None)
            self.phase_changed.emit(chosen, moved)
            return
        index = phases.index(chosen) if chosen in phases else -1
        if key == Qt.Key.Key_Home:
            index = 0
        elif key == Qt.Key.Key_End:
            index = len(phases) - 1
        else:
            index = max(0, min(len(phases) - 1, index + (1 if key == Qt.Key.Key_Right else -1)))
        self.current = phases[index].id
        self._announce()
        self.update()

    def _paint_axis(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        span_days = (self.last - self.first).days
        step = 1 if span_days < 500 else 3 if span_days < 1500 else 6
        month = date(self.first.year, self.first.month, 1)
        while month <= self.last:
            x = self._x(month)
            if x >= 8 and (month.month - 1) % step == 0:
                painter.setPen(QPen(QColor(colour("grid"))))
                painter.drawLine(int(x), AXIS_HEIGHT - 4, int(x), self.height() - 4)
                painter.setPen(QPen(QColor(colour("muted"))))
                text = str(month.year) if month.month == 1 else month.strftime("%b")
                painter.drawText(int(x) + 3, 14, text)
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)

    def _paint_span(self, painter: QPainter, phase: Phase, dragging: bool) -> None:
        rect = self.span_rect(phase)
        colour = QColor(PHASE_KINDS[phase.kind].colour if phase.kind in PHASE_KINDS else "#999")
        if dragging:
            colour.setAlpha(170)
        painter.setPen(QPen(colour.darker(130)))
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 4, 4)
        if not phase.end_date:  # ongoing: a fading right end
            painter.setPen(QPen(QColor("white"), 2))
            painter.drawText(rect.adjusted(0, 0, -4, 0),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), "›")
        self._paint_label(painter, phase, rect)

    def _paint_label(self, painter: QPainter, phase: Phase, rect: QRectF) -> None:
        placed = self.label_place(phase, rect)
        if placed is None:
            return
        room, inside, text = placed
        painter.setPen(QPen(QColor("white") if inside else QColor(colour("text"))))
        painter.drawText(room, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         text)

    def label_place(self, phase: Phase,
                    rect: QRectF | None = None) -> tuple[QRectF, bool, str] | None:
        """Where the phase's name goes and which name: the whole name, else its short one
        ("Clomiphene"), inside its span; else beside it when the lane is free there
        (``inside`` False); else the letters the chart's phase lane uses ("C"), inside; None
        when nothing fits. A name is never cut ("h" helps nobody: the tooltip, the keyboard's
        line under the strip and the table name it), so a phase is not told by colour alone
        wherever a letter fits."""
        rect = rect if rect is not None else self.span_rect(phase)
        names = [phase_label(phase.kind)]
        short = SHORT_PHASE_LABELS.get(phase.kind)
        if short and short not in names:
            names.append(short)
        metrics = self.fontMetrics()
        for text in names:
            if metrics.horizontalAdvance(text) + 12 <= rect.width():
                return rect.adjusted(6, 0, -6, 0), True, text
        beside = self._beside(phase, rect, names[-1])
        if beside is not None:
            return beside
        tiny = TINY_PHASE_LABELS.get(phase.kind, "")
        if tiny and metrics.horizontalAdvance(tiny) + 6 <= rect.width():
            return rect.adjusted(3, 0, -3, 0), True, tiny
        return None

    def _beside(self, phase: Phase, rect: QRectF, text: str) -> tuple[QRectF, bool, str] | None:
        """Room for ``text`` right of the span, when the strip and the lane are free there."""
        metrics = self.fontMetrics()
        room = QRectF(rect.right() + 4, rect.top(), metrics.horizontalAdvance(text) + 4,
                      rect.height())
        if room.right() > self.width() - 4:
            return None
        lane = self.lanes.get(phase.id or 0, 0)
        for other in self.phases:
            if other.id != phase.id and self.lanes.get(other.id or 0, 0) == lane \
                    and self.span_rect(other).intersects(room):
                return None
        return room, False, text

    # ----------------------------------------------------------------- mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.phase_at(event.position().toPoint())
        if hit and event.button() == Qt.MouseButton.LeftButton:
            self._drag = (hit[0], hit[1], event.position().toPoint().x())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._drag is None:
            hit = self.phase_at(point)
            cursor = Qt.CursorShape.ArrowCursor
            if hit:
                cursor = Qt.CursorShape.SizeHorCursor if hit[1] != "move" else \
                    Qt.CursorShape.OpenHandCursor
                phase = hit[0]
                QToolTip.showText(event.globalPosition().toPoint(),
                                  f"{phase_label(phase.kind)}: {phase.start_date} to "
                                  f"{phase.end_date or 'ongoing'}\nDrag to move, drag an edge "
                                  "to change a date, double-click to edit.", self)
            self.setCursor(cursor)
            return
        self._preview = self.dragged(point.x())
        self.drag_info.emit(self.describe_drag(self._preview))
        self.update()

    def describe_drag(self, preview: Phase | None) -> str:
        """What the drag would do: the new dates and the overlaps it would make."""
        if self._drag is None or preview is None:
            return ""
        old = self._drag[0]
        end = preview.end_date or "ongoing"
        parts = [f"{phase_label(old.kind)}: {preview.start_date} to {end}"]
        for overlap in new_overlaps(old, preview, self.phases, self.today):
            parts.append(("Cannot both be true: " if overlap.contradicts else "")
                         + overlap.sentence(old.kind))
        return " · ".join(parts)

    def dragged(self, x: int) -> Phase | None:
        """The phase as it would be if the drag ended at ``x`` (None if nothing changes)."""
        if self._drag is None:
            return None
        phase, part, x0 = self._drag
        shift = (self._day(x) - self._day(x0)).days
        if shift == 0:
            return None
        start = date.fromisoformat(phase.start_date)
        end = date.fromisoformat(phase.end_date) if phase.end_date else None
        if part == "move":
            start += timedelta(days=shift)
            end = end + timedelta(days=shift) if end else None
        elif part == "start":
            start = min(start + timedelta(days=shift), end or start + timedelta(days=shift))
        elif part == "end" and end is not None:
            end = max(end + timedelta(days=shift), start)
        return replace(phase, start_date=start.isoformat(),
                       end_date=end.isoformat() if end else None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            new = self.dragged(event.position().toPoint().x())
            old = self._drag[0]
            self._drag, self._preview = None, None
            self.drag_info.emit("")
            self.update()
            if new is not None and new != old:
                self.phase_changed.emit(old, new)
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.phase_at(event.position().toPoint())
        if hit:
            self._drag = None
            self.phase_activated.emit(hit[0])


class PhasesPage(QWidget):
    def __init__(self, actions: RecordActions) -> None:
        super().__init__()
        from hpgjournal.ui.record_pages import phases_table

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = phases_table()
        self.timeline = PhaseTimeline()
        table_layout = self.table.layout()
        assert isinstance(table_layout, QBoxLayout), "a TablePage is laid out in a column"
        table_layout.insertWidget(2, self.timeline)  # under the toolbar, over the table
        self.table.add_button("&Add phase…", lambda: actions.add_phase())
        self.table.add_button("&Start phases from regimens…", actions.phases_from_regimens,
                              "e.g. hCG + clomiphene: a phase for each active regimen, from today")
        self.table.enable_editing(actions.edit_phase, actions.delete)
        self.drag_info = QLabel()  # while a span is dragged: its new dates and overlaps
        self.drag_info.setObjectName("drag-info")
        self.drag_info.setWordWrap(True)
        self.drag_info.setTextFormat(Qt.TextFormat.PlainText)
        self.drag_info.hide()
        table_layout.insertWidget(3, self.drag_info)
        self.timeline.drag_info.connect(self._show_drag)
        self.table.between.append(self.timeline)  # Tab: the toolbar, the timeline, the table
        self.timeline.phase_activated.connect(actions.edit_phase)
        self.timeline.phase_changed.connect(actions.move_phase)
        layout.addWidget(self.table)
        self.proxy = self.table.proxy

    def _show_drag(self, text: str) -> None:
        self.drag_info.setText(text)
        self.drag_info.setVisible(bool(text))
        clash = "Cannot both be true" in text
        self.drag_info.setStyleSheet(f"color: {colour('high')};" if clash else "")

    def load(self, journal: Journal) -> None:
        phases = journal.all(Phase)
        self.timeline.set_phases(phases)
        self.table.set_records(phases)
