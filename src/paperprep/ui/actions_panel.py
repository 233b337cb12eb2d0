"""The meeting's actions, and the open actions carried forward from earlier meetings ("matters arising").

Carried-forward actions belong to earlier meetings, and the Action log window edits actions of any meeting, so this
tab reloads on a change to actions anywhere, not only in the meeting shown.

The wording, owner, due date, status and RAG rating edit in place, here and in the Action log window, each edit one
operation (`edit_operation`) and one step of undo; "Resolution..." says which of the item's resolutions the
selected action comes from.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import ActionStatus, Rag
from paperprep.ops import Changes, Kind
from paperprep.ops.actions import UpdateAction
from paperprep.queries import meeting as Q
from paperprep.records import ActionRecord
from paperprep.ui import dialogs, readonly, spelling
from paperprep.ui.context import MeetingContext
from paperprep.ui.delegates import ComboDelegate, DateDelegate, as_date
from paperprep.ui.models import ActionsModel, rag_icon
from paperprep.ui.store import Store

SOURCE = "actions"
# What an action row shows: the action, its item's title and number, the meeting's date, the committee's code.
_SHOWN = (Kind.ACTIONS, Kind.AGENDA, Kind.MEETINGS, Kind.COMMITTEES)


def edit_operation(row: ActionRecord, column: int, value: object) -> UpdateAction | None:
    """The operation for a cell of an action edited in place, or None when nothing changes."""
    version = row.version
    if column == ActionsModel.STATUS_COLUMN:
        status = ActionStatus(str(value))
        return None if status is row.status else UpdateAction(row.id, status=status, read_version=version)
    if column == ActionsModel.RAG_COLUMN:
        rag = Rag(str(value))
        return None if rag is row.rag else UpdateAction(row.id, rag=rag, read_version=version)
    if column == ActionsModel.TEXT_COLUMN:
        text = " ".join(str(value or "").split())
        return None if text == row.text else UpdateAction(row.id, text=text, read_version=version)
    if column == ActionsModel.OWNER_COLUMN:
        owner = str(value or "").strip()
        return None if owner == row.owner else UpdateAction(row.id, owner=owner, read_version=version)
    if column == ActionsModel.DUE_COLUMN:
        day = as_date(value)
        if day == row.due_date:
            return None
        if day is None:
            return UpdateAction(row.id, clear_due_date=True, read_version=version)
        return UpdateAction(row.id, due_date=day, read_version=version)
    return None


def choose_resolution(store: Store, row: ActionRecord, parent: QWidget, source: str) -> bool:
    """Ask which of the item's resolutions the action comes from (or none), and record it. True when changed."""
    found = store.read(Q.action_resolutions, row.id)
    if found is None:
        return False
    if not found.choices:
        dialogs.show_error(
            parent,
            f"The item of {row.reference} has no resolution yet. Add the resolution in its minutes first.",
        )
        return False
    options = ["No resolution"] + [label for _id, label in found.choices]
    ids: list[int | None] = [None] + [rid for rid, _label in found.choices]
    current = ids.index(found.current) if found.current in ids else 0
    question = f"Which resolution does {row.reference} come from?"
    pick = dialogs.ask_choice(parent, "Resolution", question, options, current)
    if pick is None or ids[pick] == found.current:
        return False
    chosen = ids[pick]
    op = (
        UpdateAction(row.id, clear_resolution=True, read_version=found.version)
        if chosen is None
        else UpdateAction(row.id, resolution_id=chosen, read_version=found.version)
    )
    return store.run(op, source=source, parent=parent) is not None


def action_table(model: ActionsModel, name: str, accessible: str, parent: QWidget) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.SelectedClicked
    )
    set_action_delegates(table, parent)
    table.horizontalHeader().setSectionResizeMode(ActionsModel.TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    return table


def set_action_delegates(table: QTableView, parent: QWidget) -> None:
    """The editors of an action table: choices for status and RAG (with its colours), a date for the due date."""
    table.setItemDelegateForColumn(
        ActionsModel.STATUS_COLUMN, ComboDelegate([(s.value, s.label) for s in ActionStatus], parent)
    )
    table.setItemDelegateForColumn(
        ActionsModel.RAG_COLUMN,
        ComboDelegate([(r.value, r.label) for r in Rag], parent, icons=[rag_icon(r) for r in Rag]),
    )
    table.setItemDelegateForColumn(ActionsModel.DUE_COLUMN, DateDelegate(parent))


class ActionsPanel(QWidget):
    def __init__(self, context: MeetingContext) -> None:
        super().__init__()
        self.ctx = context
        self.setObjectName("actionsPanel")
        self.setAccessibleName("Actions")
        self.own = ActionsModel(self)
        self.carried = ActionsModel(self)
        for model in (self.own, self.carried):
            model.on_edit = self._edit
        self.own_table = action_table(self.own, "meetingActionTable", "Actions from this meeting", self)
        self.carried_table = action_table(
            self.carried, "carriedActionTable", "Open actions from earlier meetings", self
        )
        for table in (self.own_table, self.carried_table):  # the wording is checked as it is typed
            # One delegate per table: a delegate's "commit" reaches every view it serves.
            table.setItemDelegateForColumn(
                ActionsModel.TEXT_COLUMN, spelling.SpellingDelegate(self.ctx.store, table)
            )
        self.resolution_button = QPushButton("&Resolution...")
        self.resolution_button.setObjectName("actionResolution")
        self.resolution_button.setAccessibleName("Resolution the action comes from")
        self.resolution_button.setToolTip(
            "Say which of the item's resolutions the selected action comes from"
        )
        self.resolution_button.clicked.connect(self.choose_resolution)
        layout = QVBoxLayout(self)
        own_label = QLabel("&Actions from this meeting")
        own_label.setBuddy(self.own_table)
        carried_label = QLabel("Open actions &carried forward from earlier meetings (matters arising)")
        carried_label.setBuddy(self.carried_table)
        own_row = QHBoxLayout()
        own_row.addWidget(own_label, 1)
        own_row.addWidget(self.resolution_button)
        layout.addLayout(own_row)
        layout.addWidget(self.own_table, 1)
        layout.addWidget(carried_label)
        layout.addWidget(self.carried_table, 1)
        self.ctx.store.changed.connect(self._changed)
        readonly.follow(self.ctx.store, self, self._follow_read_only)
        self._follow_read_only()

    def _changed(self, changes: Changes) -> None:
        if self.ctx.meeting_id is not None and changes.touches(*_SHOWN):
            self.reload()

    def reload(self) -> None:
        meeting_id = self.ctx.meeting_id
        found = self.ctx.store.read(Q.meeting_actions, meeting_id) if meeting_id is not None else None
        self.own.set_rows(found.own if found else ())
        self.carried.set_rows(found.carried if found else ())

    def _follow_read_only(self) -> None:
        """On a connection that may only read, nothing edits in place (approved minutes' actions still progress)."""
        reason = self.ctx.store.read_only
        for model in (self.own, self.carried):
            model.locked = bool(reason)
        readonly.set_editable(not reason, self.resolution_button, reason=reason)

    def selected_own(self) -> ActionRecord | None:
        index = self.own_table.currentIndex()
        if not index.isValid() or not 0 <= index.row() < len(self.own.rows):
            return None
        row: ActionRecord = self.own.rows[index.row()]
        return row

    def choose_resolution(self) -> None:
        row = self.selected_own()
        if row is None:
            dialogs.show_error(self, "Select one of this meeting's actions first.")
            return
        choose_resolution(self.ctx.store, row, self, SOURCE)

    def _edit(self, row: ActionRecord, column: int, value: object) -> None:
        op = edit_operation(row, column, value)
        if op is None:
            return
        if self.ctx.store.run(op, source=SOURCE, parent=self) is None:
            self.reload()  # refused: show the action as it is
