"""Read-only table models over lists of journal records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from hpgjournal.ui.style import colour

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    """One column of a record table: its header, text, sort key, alignment and tooltip."""
    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None  # sort key; the text when None
    align_right: bool = False  # a number: right-aligned, and its order said lowest/highest
    tooltip: Callable[[Any], str] | None = None
    dated: bool = False  # a date or time: its order said oldest/newest first

    def order_words(self, ascending: bool) -> str:
        """The order of the rows sorted by this column, in words: "newest first"..."""
        if self.dated:
            return "oldest first" if ascending else "newest first"
        if self.align_right:
            return "lowest first" if ascending else "highest first"
        return "A to Z" if ascending else "Z to A"


class RecordTableModel(QAbstractTableModel):
    """Rows are records (dataclasses); columns say how to show and sort them."""

    def __init__(self, columns: Sequence[Column], flag_of: Callable[[Any], str] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[Any] = []
        self.flag_of = flag_of
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None  # kept across set_records

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self.records = list(records)
        if self.sorted_by is not None:
            self.records = self._in_order(self.records, *self.sorted_by)
        self.endResetModel()

    def sort_key(self, record: Any, column: int) -> Any:
        """What ``column`` sorts ``record`` by: its sort key, else its text."""
        found = self.columns[column]
        return found.sort(record) if found.sort else found.text(record)

    def _in_order(self, records: list[Any], column: int, order: Qt.SortOrder) -> list[Any]:
        """The records sorted by one key each (worked out once per record, not once per
        comparison as a proxy's sort asks for them), stable, as a proxy would sort them."""
        if not 0 <= column < len(self.columns):
            return records
        keys = [self.sort_key(r, column) for r in records]
        descending = order == Qt.SortOrder.DescendingOrder
        try:
            ranked = sorted(range(len(records)), key=keys.__getitem__, reverse=descending)
        except TypeError:  # keys of different types (a text among numbers): by their text
            texts = [str(k) for k in keys]
            ranked = sorted(range(len(records)), key=texts.__getitem__, reverse=descending)
        return [records[i] for i in ranked]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the records themselves (the page's proxy hands its sorting here): selections
        and the current row follow their records."""
        self.sorted_by = (column, order) if column >= 0 else None
        if column < 0:
            return
        self.layoutAboutToBeChanged.emit()
        before = {id(r): row for row, r in enumerate(self.records)}
        self.records = self._in_order(self.records, column, order)
        moved = {before[id(r)]: row for row, r in enumerate(self.records)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old, [self.index(moved.get(i.row(), i.row()), i.column()) for i in old])
        self.layoutChanged.emit()

    def record(self, row: int) -> Any:
        return self.records[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == SORT_ROLE:
            return column.sort(record) if column.sort else column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(record) or None
        if role == Qt.ItemDataRole.ForegroundRole and self.flag_of:
            flag = self.flag_of(record)
            if flag.startswith("H"):
                return QBrush(QColor(colour("high")))
            if flag.startswith("L"):
                return QBrush(QColor(colour("low")))
        if role == Qt.ItemDataRole.FontRole and self.flag_of and self.flag_of(record):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None
