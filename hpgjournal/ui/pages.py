"""The pages of the main window: welcome, overview and the record tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from hpgjournal.domain import analytes
from hpgjournal.domain.display import count_of, in_sentence, series_name, status, trend, value_in
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.plausible import left_out_note, usable
from hpgjournal.domain.timestamps import days_between
from hpgjournal.store.journal import Journal
from hpgjournal.ui.models import SORT_ROLE, Column, RecordTableModel
from hpgjournal.ui.style import colour

if TYPE_CHECKING:
    from hpgjournal.ui.actions import RecordActions
    from hpgjournal.ui.prefs import UnitPrefs


def label(text: str, role: str = "", *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)  # user text is never interpreted as markup
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


def page_header(title: str, subtitle: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 8)
    layout.setSpacing(2)
    layout.addWidget(label(title, "title"))
    sub = label(subtitle, "subtitle", wrap=True)
    sub.setObjectName("subtitle")
    sub.setVisible(bool(subtitle))  # no empty line under a title without one
    layout.addWidget(sub)
    return box


class WelcomePage(QWidget):
    """Shown on an empty journal: three ways in."""

    open_demo = Signal()
    import_file = Signal()
    add_result = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 40)
        outer.addWidget(page_header(
            "Welcome to your hormone journal",
            "Keep every blood test, dose, therapy phase and how you feel in one private file "
            "on this computer. Nothing is sent anywhere.",
        ))
        outer.addSpacing(16)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, signal in (
            ("demo", "Explore the demo journal\nA fictional man's three years: TRT, a restart "
             "protocol and recovery.", self.open_demo),
            ("import", "Import a lab file\nA CSV export from a lab portal or your own "
             "spreadsheet.", self.import_file),
            ("add", "Add a result by hand\nType in a value from a paper or PDF report.",
             self.add_result),
        ):
            button = QPushButton(text)
            button.setProperty("role", "big")
            button.setMinimumHeight(70)
            button.setMaximumWidth(560)
            button.clicked.connect(signal.emit)
            self.buttons[key] = button
            outer.addWidget(button)
            outer.addSpacing(6)
        outer.addSpacing(16)
        outer.addWidget(label(
            "hpgjournal shows what your records and its source documents say. Decisions about "
            "treatment belong to you and your clinician.", "muted", wrap=True))
        outer.addStretch(1)


class DashboardPage(QWidget):
    """The first page on a journal with records: where you are now and the latest results."""

    def __init__(self, prefs: UnitPrefs | None = None, actions: RecordActions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.record_actions = actions
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Overview")  # a Tab stop: the arrow keys scroll it
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.body = QWidget()
        scroll.setWidget(self.body)
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(28, 22, 28, 22)

    def load(self, journal: Journal, today: date | None = None) -> None:
        today = today or date.today()
        layout = self.layout_
        while layout.count():
            item = layout.takeAt(0)
            assert item is not None, "count() said there is one more"
            widget = item.widget()
            if widget:
                widget.deleteLater()
        from hpgjournal.domain.records import Phase

        # each table read once for the whole page (issue 17)
        profile = journal.profile()
        phases = journal.all(Phase)
        active = journal.active_medications(today.isoformat())
        name = profile.get("name", "")
        layout.addWidget(page_header("Overview", f"{name + ' · ' if name else ''}"
                                                 f"as of {today.isoformat()}"))
        # impossible stored values (an old journal, a hand-edited file) are left out, and said so
        results, left_out = usable(journal.lab_results())
        layout.addWidget(self._now_card(journal, today, active))
        model = self._model_card(journal, today)
        if model is not None:
            layout.addWidget(model)
        if self.record_actions is not None:
            layout.addWidget(self._quick_buttons(active))
        layout.addWidget(label("Worth discussing", "section"))
        layout.addWidget(self._alerts(journal, results, phases))
        layout.addWidget(label("Tests the sources describe as due", "section"))
        layout.addWidget(self._due(profile, phases, today, results))
        layout.addWidget(label("Latest results", "section"))
        layout.addWidget(self._markers(results))
        if left_out:
            note = label(left_out_note(left_out), wrap=True)
            note.setObjectName("left-out")
            note.setStyleSheet(f"color: {colour('high')};")
            layout.addWidget(note)
        layout.addWidget(label(
            "Ranges are the lab's own where it printed one. This overview shows recorded data; "
            "decisions belong to you and your clinician.", "muted", wrap=True))
        layout.addStretch(1)

    def _quick_buttons(self, active: Sequence[Any]) -> QWidget:
        """The one-click buttons, in a widget of their own so that a reload deletes them."""
        actions = self.record_actions
        assert actions is not None, "the buttons are only built with the record actions"
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for med in active:
            amount = f" {med.dose:g} {med.unit}" if med.dose is not None else ""
            button = QPushButton(f"Log today's {med.drug}{amount}")
            button.setObjectName(f"log-{med.id}")
            button.setToolTip("Logs it now, with the next site; Edit > Undo removes it")
            button.clicked.connect(lambda _=False, m=med: actions.log_dose_now(m))
            row.addWidget(button)
        check_in = QPushButton("Check in: how I feel today")
        check_in.clicked.connect(lambda: actions.check_in())
        row.addWidget(check_in)
        row.addStretch(1)
        return box

    def _alerts(self, journal: Journal, results: Sequence[Any], phases: list[Any]) -> QWidget:
        from hpgjournal.domain.alerts import find_alerts
        from hpgjournal.domain.records import Medication

        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        alerts = find_alerts(list(results), phases, journal.all(Medication))
        if not alerts:
            layout.addWidget(label("Nothing in the latest results crosses the thresholds the "
                                   "app watches (hematocrit, PSA, T/E2 ratio, low estradiol, no "
                                   "sperm a year after testosterone).", "muted", wrap=True))
        for alert in alerts:
            card = QFrame()
            card.setProperty("role", "card")
            card.setObjectName(f"alert-{alert.key}")
            edge = colour("high") if alert.level == "warning" else colour("caution")
            card.setStyleSheet(f"QFrame#alert-{alert.key} {{ border-left: 5px solid {edge}; }}")
            inner = QVBoxLayout(card)
            inner.setContentsMargins(14, 8, 14, 8)
            # the level in words too, not by the edge's colour alone
            level = "Warning" if alert.level == "warning" else "Note"
            inner.addWidget(label(f"{level}: {alert.title}", "cardname"))
            inner.addWidget(label(alert.text, wrap=True))
            source = label(f"Source: {alert.source}", "muted", wrap=True)
            inner.addWidget(source)
            layout.addWidget(card)
        return box

    def _due(self, profile: dict[str, str], phases: list[Any], today: date,
             results: Sequence[Any]) -> QWidget:
        """The monitoring the sources describe for the phases running today (no advice)."""
        from hpgjournal.domain.monitoring import due_tests
        from hpgjournal.domain.profile import age_on

        box = QWidget()
        box.setObjectName("due-tests")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        age = age_on(profile.get("birth_date", ""), today)
        items = due_tests(phases, list(results), today, age)
        if not items:
            layout.addWidget(label("No test is described as due for the phases running today.",
                                   "muted", wrap=True))
        for item in items:
            when = "overdue since" if item.overdue else "due on"
            row = label(f"{item.name}: {when} {item.due.isoformat()}. {item.why}", wrap=True)
            row.setObjectName(f"due-{item.test}")
            layout.addWidget(row)
        return box

    def _now_card(self, journal: Journal, today: date, meds: Sequence[Any]) -> QFrame:
        card = QFrame()
        card.setProperty("role", "card")
        grid = QGridLayout(card)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(24)
        day = today.isoformat()
        phases = journal.phases_at(day)
        grid.addWidget(label("Current phase", "cardname"), 0, 0)
        if phases:
            text = "\n".join(
                f"{phase_label(p.kind)}: day {int(days_between(p.start_date, day)) + 1} "
                f"(since {p.start_date})" for p in phases)
        else:
            text = "No phase is running today."
        grid.addWidget(label(text, wrap=True), 1, 0)
        grid.addWidget(label("Current regimen", "cardname"), 0, 1)
        med_text = "\n".join(
            f"{m.drug} {m.dose:g} {m.unit}, {m.schedule}" if m.dose is not None else m.drug
            for m in meds) or "No medication is active today."
        grid.addWidget(label(med_text, wrap=True), 1, 1)
        last = journal.last_dose_before(f"{day}T23:59")
        grid.addWidget(label("Last dose logged", "cardname"), 0, 2)
        grid.addWidget(label(
            f"{last.drug} {last.amount:g} {last.unit}\n{last.taken_at.replace('T', ' ')}"
            if last and last.amount is not None else "None yet", wrap=True), 1, 2)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        return card

    def _model_card(self, journal: Journal, today: date) -> QFrame | None:
        """The dose-to-level model (issue 18), on TRT the predicted trough before the next
        dose, in the year after the last dose the day its testosterone was mostly gone; with
        the model's label. None when neither applies (decided first without the model)."""
        from hpgjournal.services.modelday import model_may_show

        if not model_may_show(journal, today):
            return None
        from hpgjournal.services.levels import model_lines

        system = self.prefs.for_marker("testosterone_total") if self.prefs else "us"
        lines = model_lines(journal, today, system)
        if lines is None:
            return None
        card = QFrame()
        card.setProperty("role", "card")
        card.setObjectName("model-card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(14, 8, 14, 8)
        inner.addWidget(label("Testosterone by the model", "cardname"))
        line = label(lines[0], wrap=True)
        line.setObjectName("model-line")
        inner.addWidget(line)
        words = label(lines[1], "muted", wrap=True)
        words.setObjectName("model-label")
        inner.addWidget(words)
        return card

    def _markers(self, results: Sequence[Any]) -> QWidget:
        cards: list[QWidget] = []
        by_key: dict[str, list[Any]] = {}
        for result in results:
            by_key.setdefault(result.analyte, []).append(result)
        for key in analytes.KEY_MARKERS:
            newest_first = sorted(by_key.get(key, ()), key=lambda r: (r.taken_at, r.id or 0),
                                  reverse=True)
            if not newest_first:
                continue
            # the trend compares like with like: the same assay method only
            method = newest_first[0].method
            latest = [r for r in newest_first if r.method == method][:2]
            cards.append(self._marker_card(latest))
        if not cards:
            return label("No lab results yet.", "muted")
        return CardFlow(cards)

    def _marker_card(self, latest: Sequence[Any]) -> QFrame:
        result = latest[0]
        previous = latest[1] if len(latest) > 1 else None
        card = QFrame()
        card.setProperty("role", "card")
        card.setObjectName(f"marker-{result.analyte}")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        # both wrap, so that three cards fit beside each other at 1024 pixels
        layout.addWidget(label(series_name(result.analyte, result.method), "cardname", wrap=True))
        system = self.prefs.for_marker(result.analyte) if self.prefs else "us"
        value, unit = value_in(result, system)
        change = trend(result, previous, system)
        value_label = label(f"{value} {unit}  {change.arrow}".rstrip(), "cardvalue", wrap=True)
        layout.addWidget(value_label)
        state = status(result)
        shade = colour({"high": "high", "low": "low", "in range": "ok"}.get(state, "muted"))
        state_label = label(state or "no range", wrap=True)
        state_label.setStyleSheet(f"color: {shade}; font-weight: 600;")
        layout.addWidget(state_label)
        layout.addWidget(label(f"{result.taken_at[:10]} · {change.text}", "muted", wrap=True))
        return card


class CardFlow(QWidget):
    """Cards in as many equal columns as the width holds (at most ``most``), re-laid on resize.

    Its minimum width is one card's, so a narrow window gets fewer columns instead of a
    horizontal scroll bar.
    """

    def __init__(self, cards: Sequence[QWidget], *, least_width: int = 220, most: int = 4,
                 spacing: int = 10, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card-flow")
        self.cards = list(cards)
        self.most = most
        self.spacing = spacing
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        # the grid must not force its own minimum (all columns) on this widget
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.card_width = max([least_width] + [c.minimumSizeHint().width() for c in self.cards])
        for card in self.cards:
            card.setMinimumWidth(self.card_width)
        self.columns = 0
        self._place(min(most, len(self.cards)))

    def columns_for(self, width: int) -> int:
        fit = (width + self.spacing) // (self.card_width + self.spacing)
        return max(1, min(self.most, len(self.cards), fit))

    def _place(self, columns: int) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for col in range(max(columns, self.columns)):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)
        self.columns = columns
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        rows = -(-len(self.cards) // max(1, self.columns))
        height = max((c.minimumSizeHint().height() for c in self.cards), default=0)
        return QSize(self.card_width, rows * height + (rows - 1) * self.spacing)

    def sizeHint(self) -> QSize:
        hint = self.grid.sizeHint()
        return QSize(hint.width(), max(hint.height(), self.minimumSizeHint().height()))

    def hasHeightForWidth(self) -> bool:
        return False

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        columns = self.columns_for(event.size().width())
        if columns != self.columns:
            self._place(columns)


class WrapRow(QLayout):
    """A row of widgets that wraps onto more rows when the width runs out.

    The widgets added with ``right=True`` (a page's filters) are a group: at the right end of
    the last row when they fit beside the others, else on a row of their own below them (more
    rows if one cannot hold them). No widget is squeezed below its size hint: a row that has
    no room for the next one wraps.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)
        self._items: list[Any] = []
        self._right: list[bool] = []

    def add(self, widget: QWidget, *, right: bool = False) -> None:
        """Add ``widget`` at the end of the row, or (``right``) at the end of the right group."""
        self.addChildWidget(widget)
        at = len(self._items) if right or True not in self._right else self._right.index(True)
        self._items.insert(at, QWidgetItem(widget))
        self._right.insert(at, right)
        self.invalidate()

    def addItem(self, item: Any) -> None:
        self._items.append(item)
        self._right.append(False)

    def widgets(self) -> list[QWidget]:
        """The widgets in reading order: the buttons, then the filters."""
        return [item.widget() for item in self._items if item.widget() is not None]

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> Any:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> Any:
        if 0 <= index < len(self._items):
            self._right.pop(index)
            return self._items.pop(index)
        return None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(width, None)

    def setGeometry(self, rect: Any) -> None:
        super().setGeometry(rect)
        self._arrange(rect.width(), rect)

    def sizeHint(self) -> QSize:
        shown = [self._size(i) for i in self._items if not i.isEmpty()]
        width = sum(s.width() for s in shown) + self.spacing() * max(0, len(shown) - 1)
        return QSize(width, max((s.height() for s in shown), default=0))

    def minimumSize(self) -> QSize:
        shown = [self._size(i) for i in self._items if not i.isEmpty()]
        return QSize(max((s.width() for s in shown), default=0),
                     max((s.height() for s in shown), default=0))

    @staticmethod
    def _size(item: Any) -> QSize:
        return item.sizeHint().expandedTo(item.minimumSize())

    def _rows(self, width: int) -> list[tuple[list[Any], list[Any]]]:
        """Rows of (items from the left, items at the right end)."""
        gap = self.spacing()
        shown = [(i, r) for i, r in zip(self._items, self._right, strict=True) if not i.isEmpty()]
        rows: list[tuple[list[Any], list[Any]]] = []
        row: list[Any] = []
        used = 0

        def place(item: Any) -> None:
            nonlocal row, used
            need = self._size(item).width()
            if row and used + gap + need > width:
                rows.append((row, []))
                row, used = [], 0
            used += (gap if row else 0) + need
            row.append(item)

        for item, _ in (pair for pair in shown if not pair[1]):
            place(item)
        group = [item for item, right in shown if right]
        together = sum(self._size(i).width() for i in group) + gap * max(0, len(group) - 1)
        if group and row and used + gap + together <= width:
            rows.append((row, group))  # beside the buttons, at the right end
            return rows
        if row:
            rows.append((row, []))
            row, used = [], 0
        if group and together <= width:
            rows.append((group, []))  # a row of their own, under the buttons
            return rows
        for item in group:
            place(item)
        if row:
            rows.append((row, []))
        return rows

    def _arrange(self, width: int, rect: Any) -> int:
        gap = self.spacing()
        y = rect.top() if rect is not None else 0
        left = rect.left() if rect is not None else 0
        top = y
        for row_left, row_right in self._rows(width):
            height = max(self._size(i).height() for i in row_left + row_right)
            if rect is not None:
                x = left
                for item in row_left:
                    size = self._size(item)
                    item.setGeometry(QRect(x, y + (height - size.height()) // 2, size.width(),
                                           size.height()))
                    x += size.width() + gap
                x = left + width - sum(self._size(i).width() + gap for i in row_right) + gap
                for item in row_right:
                    size = self._size(item)
                    item.setGeometry(QRect(x, y + (height - size.height()) // 2, size.width(),
                                           size.height()))
                    x += size.width() + gap
            y += height + gap
        return max(0, y - gap - top)


class RecordFilter(QSortFilterProxyModel):
    """Free-text filter over every column plus an optional predicate on the record."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.predicate: Callable[[Any], bool] | None = None

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.predicate = predicate
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.predicate = predicate
            self.invalidateFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The records are sorted in the source model, each record's key worked out once (a
        proxy's own sort asks ``data()`` for two keys at each comparison: about 50,000 calls
        for 3,000 results); the proxy keeps the source's order."""
        source = self.sourceModel()
        if isinstance(source, RecordTableModel):
            source.sort(column, order)
            super().sort(-1, Qt.SortOrder.AscendingOrder)  # (-1: in the source's row order)
        else:  # pragma: no cover - every page's source is a RecordTableModel
            super().sort(column, order)

    def filterAcceptsRow(self, row: int, parent: Any) -> bool:
        if self.predicate is not None:
            # (type: ignore below: the source model is always a RecordTableModel)
            record = self.sourceModel().record(row)  # type: ignore[attr-defined]
            if not self.predicate(record):
                return False
        return super().filterAcceptsRow(row, parent)


FILTER_WIDTH = 240  # pixels: the narrowest a page's filter box gets
COLUMN_WIDEST = 248  # pixels: a column of long texts (notes) is no wider; the rest scrolls
FIT_ROWS = 1000  # rows measured when the columns are fitted (Qt's resizeContentsPrecision)


class TablePage(QWidget):
    """A titled, filterable, sortable table of records, with Add/Edit/Delete when given."""

    def __init__(self, title: str, subtitle: str, columns: Sequence[Column],
                 flag_of: Callable[[Any], str] | None = None,
                 loader: Callable[[Journal], Sequence[Any]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self.on_edit: Callable[[Any], None] | None = None
        self.on_delete: Callable[[list[Any]], None] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.addWidget(page_header(title, subtitle))  # the whole width: no squeezed subtitle
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(FILTER_WIDTH)  # room to read what is typed, at any width
        self.filter.setAccessibleName(f"Filter {in_sentence(title)}")
        # the buttons, then the filters at the right end; a row that runs out of room wraps
        bar = QWidget()
        bar.setObjectName("toolbar")
        self.toolbar = WrapRow(bar)
        self.toolbar.add(self.filter, right=True)
        layout.addWidget(bar)
        self.model = RecordTableModel(columns, flag_of, self)
        self.proxy = RecordFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # arrows move between cells, Tab moves on
        self.table.setAccessibleName(title)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive)
        # columns keep the width their contents need and the table scrolls sideways instead
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.horizontalHeader().sectionResized.connect(self._section_resized)
        self._fitted_rows = 0  # how many rows the columns were last fitted to
        self._fitting = False
        self._user_sized: set[int] = set()  # columns the user set the width of: kept
        self.table.doubleClicked.connect(self._edit_current)
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self.count = label("", "muted")
        layout.addWidget(self.count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._update_count)
        self._sized = False
        # widgets a page puts between the toolbar and the table (the phase timeline), read so
        self.between: list[QWidget] = []

    # ----------------------------------------------------------------- actions
    def add_button(self, text: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        if tip:
            button.setToolTip(tip)
        self.toolbar.add(button)
        return button

    def add_filter(self, widget: QWidget) -> None:
        """A filter of the page's own, after the filter box."""
        self.toolbar.add(widget, right=True)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._tabs_in_reading_order()  # in the window's own focus chain, now that it is in one

    def _tabs_in_reading_order(self) -> None:
        """Tab goes as the eye does: the buttons, the filters at their right, what the page put
        under the toolbar, then the table."""
        chain = [*self.toolbar.widgets(), *self.between, self.table]
        for one, other in pairwise(chain):
            QWidget.setTabOrder(one, other)

    def enable_editing(self, on_edit: Callable[[Any], None] | None,
                       on_delete: Callable[[list[Any]], None]) -> None:
        """Double-click or Enter edits the row (when editable); Delete removes selected rows."""
        self.on_edit, self.on_delete = on_edit, on_delete
        if on_edit is not None:
            self.add_button("&Edit…", lambda: self._edit_current(),
                            "Edit the selected row (Enter)")
        self.add_button("&Delete", self._delete_selected, "Delete the selected rows (Del)")

    def selected_records(self) -> list[Any]:
        rows = sorted({self.proxy.mapToSource(i).row()
                       for i in self.table.selectionModel().selectedRows()})
        return [self.model.record(r) for r in rows]

    def select_record(self, predicate: Callable[[Any], bool]) -> None:
        for row in range(self.proxy.rowCount()):
            record = self.model.record(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if predicate(record):
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return

    def _edit_current(self, *args: object) -> None:
        records = self.selected_records()
        if self.on_edit and records:
            self.on_edit(records[0])

    def _delete_selected(self) -> None:
        records = self.selected_records()
        if self.on_delete and records:
            self.on_delete(records)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.on_delete:
                self._delete_selected()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.on_edit:
                self._edit_current()
                return True
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- data
    def load(self, journal: Journal) -> None:
        if self.loader is not None:
            self.set_records(self.loader(journal))

    def set_records(self, records: Sequence[Any], *, newest_first: bool = True) -> None:
        header = self.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        self.model.set_records(records)
        if not self._sized:  # first fill: sort newest first
            self._sized = True
            self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder if newest_first
                                    else Qt.SortOrder.AscendingOrder)
        else:  # later fills keep the user's sorting
            self.table.sortByColumn(column, order)
        rows = self.model.rowCount()
        if self._fitted_rows < min(rows, FIT_ROWS):  # more rows than were measured last time
            self.fit_columns()
        self._update_count()

    def fit_columns(self) -> None:
        """Each column as wide as its header and its contents need (a long text at most
        ``COLUMN_WIDEST``, its whole text in the tooltip where the page gives one). Done again
        when a fill brings rows beyond those measured, so records added to an empty table are
        not cut to the header's width. A column the user has sized keeps its width. The last
        column takes what is left."""
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(FIT_ROWS)
        self._fitted_rows = self.model.rowCount()
        self._fitting = True
        try:
            for col in range(self.model.columnCount()):
                if col in self._user_sized:
                    continue
                title = header.sectionSizeHint(col)
                need = max(title, self.table.sizeHintForColumn(col) + 8)
                header.resizeSection(col, max(title, min(need, COLUMN_WIDEST)))
        finally:
            self._fitting = False

    def _section_resized(self, col: int, old: int, new: int) -> None:
        last = col == self.model.columnCount() - 1  # stretched by the view itself
        if not self._fitting and not last:
            self._user_sized.add(col)

    def _update_count(self, *args: object) -> None:
        """The line under the table: how many records, how many the filter shows, and the
        order in words (the header's arrow alone is read differently on each system)."""
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = (count_of(total, "record") if shown == total else
                f"{shown} of {count_of(total, 'record')} "
                f"{'matches' if shown == 1 else 'match'} the filter")
        header = self.table.horizontalHeader()
        column = header.sortIndicatorSection()
        if total > 1 and 0 <= column < len(self.model.columns):
            by = self.model.columns[column]
            ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
            text += f" · by {in_sentence(by.header)}, {by.order_words(ascending)}"
        self.count.setText(text)
