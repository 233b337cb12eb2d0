"""The meeting's actions, and the open actions carried forward from earlier meetings ("matters arising").

Carried-forward actions belong to earlier meetings, and the Action log window edits actions of any meeting, so this
tab reloads on a change to actions anywhere, not only in the meeting shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from paperprep.domain import ActionStatus, Rag
from paperprep.ops import Changes, Kind
from paperprep.ops.actions import UpdateAction
from paperprep.queries import meeting as Q
from paperprep.records import ActionRecord
from paperprep.ui.context import MeetingContext
from paperprep.ui.delegates import ComboDelegate
from paperprep.ui.models import ActionsModel

SOURCE = "actions"
# What an action row shows: the action, its item's title and number, the meeting's date, the committee's code.
_SHOWN = (Kind.ACTIONS, Kind.AGENDA, Kind.MEETINGS, Kind.COMMITTEES)


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
    table.setItemDelegateForColumn(
        ActionsModel.STATUS_COLUMN, ComboDelegate([(s.value, s.label) for s in ActionStatus], parent)
    )
    table.setItemDelegateForColumn(
        ActionsModel.RAG_COLUMN, ComboDelegate([(r.value, r.label) for r in Rag], parent)
    )
    table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    return table


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
        layout = QVBoxLayout(self)
        own_label = QLabel("Actions from this &meeting")
        own_label.setBuddy(self.own_table)
        carried_label = QLabel("Open actions &carried forward from earlier meetings (matters arising)")
        carried_label.setBuddy(self.carried_table)
        layout.addWidget(own_label)
        layout.addWidget(self.own_table, 1)
        layout.addWidget(carried_label)
        layout.addWidget(self.carried_table, 1)
        self.ctx.store.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if self.ctx.meeting_id is not None and changes.touches(*_SHOWN):
            self.reload()

    def reload(self) -> None:
        meeting_id = self.ctx.meeting_id
        found = self.ctx.store.read(Q.meeting_actions, meeting_id) if meeting_id is not None else None
        self.own.set_rows(found.own if found else ())
        self.carried.set_rows(found.carried if found else ())

    def _edit(self, row: ActionRecord, column: int, value: object) -> None:
        if column == ActionsModel.STATUS_COLUMN:
            op = UpdateAction(row.id, status=ActionStatus(str(value)), read_version=row.version)
        elif column == ActionsModel.RAG_COLUMN:
            op = UpdateAction(row.id, rag=Rag(str(value)), read_version=row.version)
        else:
            return
        if self.ctx.store.run(op, source=SOURCE, parent=self) is None:
            self.reload()  # refused: show the action as it is
