"""The meeting's actions, and the open actions carried forward from earlier meetings ("matters arising")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from paperprep.domain import ActionStatus, Audience, Rag
from paperprep.records import ActionRecord
from paperprep.services import actions as AC
from paperprep.services import meetings as M
from paperprep.services.snapshot import action_records
from paperprep.ui import commands
from paperprep.ui.delegates import ComboDelegate
from paperprep.ui.models import ActionsModel

if TYPE_CHECKING:
    from paperprep.ui.workspace import MeetingWorkspace


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
    def __init__(self, workspace: MeetingWorkspace) -> None:
        super().__init__()
        self.ws = workspace
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

    def reload(self) -> None:
        meeting_id = self.ws.meeting_id
        if meeting_id is None:
            self.own.set_rows([])
            self.carried.set_rows([])
            return

        def read(session: Session) -> tuple[list[ActionRecord], list[ActionRecord]]:
            meeting = M.get_meeting(session, meeting_id)
            own = AC.list_actions(session, AC.ActionFilter(meeting_id=meeting_id))
            carried = AC.carried_forward(session, meeting)
            return action_records(own, Audience.CONFIDENTIAL), action_records(carried, Audience.CONFIDENTIAL)

        own, carried = self.ws.store.read(read)
        self.own.set_rows(own)
        self.carried.set_rows(carried)

    def _edit(self, row: ActionRecord, column: int, value: object) -> None:
        if column == ActionsModel.STATUS_COLUMN:
            self.ws.push(commands.SetActionStatus(self.ws.store, row.id, ActionStatus(str(value))))
        elif column == ActionsModel.RAG_COLUMN:
            self.ws.store.write(
                lambda s: AC.update_action(s, AC.get_action(s, row.id), rag=Rag(str(value))), "actions"
            )
