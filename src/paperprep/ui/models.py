"""Table and tree models over frozen rows: the navigator, the agenda, attendance and actions.

Each model holds frozen records read by a query function (paperprep.queries) in one transaction; none keeps an ORM
object or a session. Editing goes back through a callback to the panel, which runs an operation through the store;
the change notice then brings fresh rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from paperprep.domain import ActionStatus, AttendanceStatus, MeetingStatus, Rag
from paperprep.formats import uk_date
from paperprep.queries.lists import NavMeeting
from paperprep.queries.meeting import AgendaRow, AttendanceRow
from paperprep.records import ActionRecord

Index = QModelIndex | QPersistentModelIndex
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_EDIT = Qt.ItemDataRole.EditRole.value
_TEXT_ROLES = frozenset(
    r.value for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole)
)
NODE_KIND_ROLE = Qt.ItemDataRole.UserRole + 3

__all__ = [
    "ATTENDANCE_CHOICES",
    "AgendaModel",
    "AgendaRow",
    "ActionsModel",
    "AttendanceModel",
    "AttendanceRow",
    "NavMeeting",
    "NavigatorModel",
    "RowTableModel",
    "uk_date",
]


# --- navigator ------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class NavNode:
    kind: str  # "committee", "year" or "meeting"
    label: str
    id: int = 0
    parent: NavNode | None = None
    children: list[NavNode] = field(default_factory=list)
    tooltip: str = ""  # a meeting's is written when first asked for (see NavigatorModel.tooltip)
    warning: str = ""
    date: dt.date | None = None
    status: MeetingStatus | None = None
    meeting: NavMeeting | None = None

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class NavigatorModel(QAbstractItemModel):
    """Committees, then municipal years, then meetings. Upcoming meetings show their publication deadline."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = NavNode("root", "")

    def load(self, committees: Sequence[tuple[int, str]], meetings: Sequence[NavMeeting]) -> None:
        self.beginResetModel()
        root = NavNode("root", "")
        by_committee: dict[int, NavNode] = {}
        for cid, name in committees:
            node = NavNode("committee", name, cid, root)
            root.children.append(node)
            by_committee[cid] = node
        years: dict[tuple[int, int], NavNode] = {}
        for m in sorted(meetings, key=lambda m: m.date, reverse=True):
            parent = by_committee.get(m.committee_id)
            if parent is None:
                continue
            year = years.get((m.committee_id, m.year))
            if year is None:
                year = NavNode("year", f"{m.year}/{(m.year + 1) % 100:02d}", m.year, parent)
                parent.children.append(year)
                years[(m.committee_id, m.year)] = year
            label = f"{uk_date(m.date)}  {m.status.label}"
            if m.warning:
                label += f"  \u26a0 {m.warning}"
            year.children.append(
                NavNode(
                    "meeting", label, m.id, year, warning=m.warning, date=m.date, status=m.status, meeting=m
                )
            )
        self._root = root
        self.endResetModel()

    @staticmethod
    def tooltip(node: NavNode) -> str:
        """A meeting's tooltip, with its publication deadline while it is still to come. Written when first
        asked for: a deadline is worked out only for a meeting the clerk points at, or on the calendar page
        that shows it."""
        m = node.meeting
        if m is None or node.tooltip:
            return node.tooltip
        tip = f"{m.committee}, {uk_date(m.date)}: {m.status.label}."
        if m.date >= dt.date.today():  # a deadline is news only for meetings to come
            tip += f" Publish by {uk_date(m.deadline)}."
        if m.warning:
            tip += f" {m.warning}."
        node.tooltip = tip
        return tip

    def _node(self, index: Index) -> NavNode:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, NavNode)
            return node
        return self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        if node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(node) or node.label
        if role == ROW_ID_ROLE:
            return node.id
        if role == NODE_KIND_ROLE:
            return node.kind
        if role == Qt.ItemDataRole.ForegroundRole and node.warning:
            return QBrush(QApplication.palette().color(QPalette.ColorRole.Link))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "Committees and meetings"
        return None

    def find_meeting(self, meeting_id: int) -> QModelIndex:
        for c, committee in enumerate(self._root.children):
            for y, year in enumerate(committee.children):
                for m, meeting in enumerate(year.children):
                    if meeting.id == meeting_id:
                        return self.index(m, 0, self.index(y, 0, self.index(c, 0)))
        return QModelIndex()

    def meetings_on(self, day: dt.date) -> list[int]:
        return [
            meeting.id
            for committee in self._root.children
            for year in committee.children
            for meeting in year.children
            if meeting.date == day
        ]

    def _meetings(self) -> Iterator[NavNode]:
        for committee in self._root.children:
            for year in committee.children:
                yield from year.children

    def meeting_days(self) -> set[dt.date]:
        """Every day with a meeting: the calendar marks them."""
        return {meeting.date for meeting in self._meetings() if meeting.date is not None}

    def day_tooltips(self, first: dt.date, last: dt.date) -> dict[dt.date, str]:
        """The tooltip of each meeting day from `first` to `last`: one line for each meeting that day."""
        tips: dict[dt.date, list[str]] = {}
        for meeting in self._meetings():
            if meeting.date is not None and first <= meeting.date <= last:
                tips.setdefault(meeting.date, []).append(self.tooltip(meeting))
        return {day: "\n".join(lines) for day, lines in tips.items()}


# --- simple tables --------------------------------------------------------------------------------------------


class RowTableModel(QAbstractTableModel):
    """A table of frozen rows. Subclasses say how a row shows and which cells can be edited."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.on_edit: Callable[[Any, int, Any], None] | None = None
        self._order: tuple[int, bool] | None = None  # (column, descending) once a view has asked for an order

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show these rows. The same rows in the same order, newer: the cells change, and the selection stays."""
        rows = self._sorted(rows) if self._order is not None else list(rows)
        if rows == self.rows:
            return
        same = len(rows) == len(self.rows) and all(
            getattr(a, "id", None) is not None and getattr(a, "id", None) == getattr(b, "id", None)
            for a, b in zip(rows, self.rows, strict=True)
        )
        if same and rows:
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, max(0, self.columnCount() - 1)))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column's sort key, computed once a row: a view sorting through a proxy asks the
        model twice a comparison, which for the action log's tens of thousands of rows stalls the window."""
        self._order = (column, order == Qt.SortOrder.DescendingOrder)
        if not self.rows:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self.rows[index.row()] if index.isValid() else None for index in persistent]
        self.rows = self._sorted(self.rows)
        position = {id(row): n for n, row in enumerate(self.rows)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(position[id(row)], index.column()) if row is not None else QModelIndex()
                for row, index in zip(held, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _sorted(self, rows: Sequence[Any]) -> list[Any]:
        assert self._order is not None
        column, descending = self._order
        keyed = [(self.sort_key(row, column), row) for row in rows]
        try:
            keyed.sort(key=lambda pair: pair[0], reverse=descending)
        except TypeError:  # keys of mixed kinds: ordered as text, as a view would show them
            keyed.sort(key=lambda pair: str(pair[0]), reverse=descending)
        return [row for _key, row in keyed]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
                return self.headers[section]
            if orientation == Qt.Orientation.Vertical:
                return section + 1
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            # The whole heading, for when a narrow window elides it.
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None

    def display(self, row: Any, column: int) -> Any:  # pragma: no cover - overridden
        return None

    def sort_key(self, row: Any, column: int) -> Any:
        value = self.display(row, column)
        return value if value is not None else ""

    def editable(self, column: int) -> bool:
        return False

    def edit_value(self, row: Any, column: int) -> Any:
        return self.display(row, column)

    def extra(self, row: Any, column: int, role: int) -> Any:
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks for ten roles of each cell it paints or measures (the agenda's columns fit their contents,
        # so every row of the agenda is measured): the roles are plain numbers here, compared without looking up
        # Qt's enums on every call.
        number = index.row()
        rows = self.rows
        if not 0 <= number < len(rows) or not index.isValid():
            return None
        row = rows[number]
        if role in _TEXT_ROLES:
            if role == _TOOLTIP:
                tip = self.extra(row, index.column(), role)
                if tip:
                    return tip
            value = self.display(row, index.column())
            return "" if value is None else str(value)
        if role == _EDIT:
            return self.edit_value(row, index.column())
        if role == ROW_ID_ROLE:
            return getattr(row, "id", None)
        if role == SORT_ROLE:
            return self.sort_key(row, index.column())
        return self.extra(row, index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable(index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable(index.column()):
            return False
        if self.on_edit is None:
            return False
        row, column, edit = self.rows[index.row()], index.column(), self.on_edit
        # Saving reloads this model; a view still committing its editor must not see the reset mid-commit.
        QTimer.singleShot(0, lambda: edit(row, column, value))
        return True

    def row_of(self, row_id: int) -> int:
        for n, row in enumerate(self.rows):
            if getattr(row, "id", None) == row_id:
                return n
        return -1


AGENDA_MIME = "application/x-paperprep-agenda-item"


class AgendaModel(RowTableModel):
    """The agenda in order. Titles edit in place; rows move by drag and drop within their part."""

    headers = ("No.", "Part", "Title", "Kind", "Report of / presenter", "Documents")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.on_move: Callable[[int, int], None] | None = None
        self.locked = False

    def display(self, row: AgendaRow, column: int) -> Any:
        if column == 1:
            return f"B (para {row.paragraphs})" if row.is_exempt else "A"
        return (row.minute_ref, None, row.title, row.kind, row.who, row.attachments)[column]

    def editable(self, column: int) -> bool:
        return column == 2 and not self.locked

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and not self.locked:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        elif not index.isValid() and not self.locked:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [AGENDA_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(AGENDA_MIME, str(self.rows[rows[0]].id).encode())
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(AGENDA_MIME) and not self.locked

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        item_id = int(bytes(data.data(AGENDA_MIME).data()).decode())
        target = parent.row() if parent.isValid() else (row if row >= 0 else len(self.rows))
        source = self.row_of(item_id)
        if source < 0:
            return False
        if target > source:
            target -= 1
        if target != source and self.on_move is not None:
            self.on_move(item_id, target)
        # The move is an operation; its change notice reloads the model: nothing to remove here.
        return False


ATTENDANCE_CHOICES: tuple[AttendanceStatus, ...] = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.ABSENT,
    AttendanceStatus.SUBSTITUTE,
    AttendanceStatus.IN_ATTENDANCE,
)


class AttendanceModel(RowTableModel):
    headers = ("Name", "Role", "Attendance", "Substitute for")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.locked = False

    def display(self, row: AttendanceRow, column: int) -> Any:
        status = row.status.label if row.status else "Not recorded"
        return (row.name, row.role, status, row.substitute_for)[column]

    def edit_value(self, row: AttendanceRow, column: int) -> Any:
        if column == 2:
            return row.status.value if row.status else ""
        return self.display(row, column)

    def editable(self, column: int) -> bool:
        return column == 2 and not self.locked


# RAG colours: the swatch beside the word (the word is always shown, so colour is never the only sign).
RAG_COLOURS: dict[Rag, str] = {Rag.GREEN: "#2e7d32", Rag.AMBER: "#f9a825", Rag.RED: "#c62828"}
RAG_MEANINGS: dict[Rag, str] = {
    Rag.GREEN: "Green: achieved, or on track",
    Rag.AMBER: "Amber: acceptable progress, with some risk",
    Rag.RED: "Red: unacceptable progress",
    Rag.NONE: "No RAG rating set",
}
OVERDUE_MEANING = "Bold: overdue (still open and past its due date)"


def rag_icon(rag: Rag, size: int = 12) -> QIcon:
    """A square of the RAG colour, or an outlined empty square when no rating is set."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    colour = RAG_COLOURS.get(rag)
    if colour is not None:
        painter.fillRect(0, 0, size, size, QColor(colour))
    painter.setPen(QColor("#555555"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


class ActionsModel(RowTableModel):
    """Actions as frozen ActionRecords: the meeting's own, those carried forward, or the whole log.

    The wording, owner, due date, status and RAG rating edit in place; each edit goes to `on_edit` as one
    operation. RAG shows as a coloured square with its word; an overdue action's row is bold."""

    headers = (
        "Ref",
        "Committee",
        "Meeting",
        "Item",
        "Action",
        "Owner",
        "Due",
        "Status",
        "RAG",
        "Latest update",
        "Update date",
    )
    TEXT_COLUMN = 4
    OWNER_COLUMN = 5
    DUE_COLUMN = 6
    STATUS_COLUMN = 7
    RAG_COLUMN = 8
    EDITABLE = (TEXT_COLUMN, OWNER_COLUMN, DUE_COLUMN, STATUS_COLUMN, RAG_COLUMN)

    def __init__(self, parent: Any = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.locked = False  # a read-only view (nothing edits in place)

    def display(self, row: ActionRecord, column: int) -> Any:
        latest = row.latest_update
        return (
            row.reference,
            row.committee_name,
            uk_date(row.meeting_date),
            row.item_title,
            row.text,
            row.owner,
            uk_date(row.due_date),
            row.status.label,
            row.rag.label,
            latest.text if latest else "",
            uk_date(latest.date) if latest else "",
        )[column]

    def sort_key(self, row: ActionRecord, column: int) -> Any:
        if column == 2:
            return row.meeting_date.toordinal()
        if column == self.DUE_COLUMN:
            return row.due_date.toordinal() if row.due_date else 10**9
        if column == self.RAG_COLUMN:
            return (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NONE).index(row.rag)
        if column == 10:
            return row.latest_update.date.toordinal() if row.latest_update else 0
        return str(self.display(row, column)).lower()

    def editable(self, column: int) -> bool:
        return column in self.EDITABLE and not self.locked

    def edit_value(self, row: ActionRecord, column: int) -> Any:
        if column == self.STATUS_COLUMN:
            return row.status.value
        if column == self.RAG_COLUMN:
            return row.rag.value
        if column == self.DUE_COLUMN:
            return row.due_date  # a date, or None: the date delegate edits it
        if column == self.TEXT_COLUMN:
            return row.text
        if column == self.OWNER_COLUMN:
            return row.owner
        return self.display(row, column)

    def extra(self, row: ActionRecord, column: int, role: int) -> Any:
        if column == self.RAG_COLUMN:
            if role == Qt.ItemDataRole.DecorationRole:
                return rag_icon(row.rag)
            if role == Qt.ItemDataRole.ToolTipRole:
                return RAG_MEANINGS[row.rag]
        if row.is_overdue(self.today):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QApplication.palette().color(QPalette.ColorRole.Link))
            if role == Qt.ItemDataRole.FontRole:
                font = QApplication.font()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Overdue: due {uk_date(row.due_date)}"
        return None


STATUS_CHOICES = tuple(ActionStatus)
RAG_CHOICES = tuple(Rag)
