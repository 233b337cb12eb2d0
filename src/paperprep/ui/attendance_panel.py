"""Attendance: members present, apologies, absent, substitutes ("Cllr X (for Cllr Y)") and officers in attendance."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import AttendanceStatus
from paperprep.ops import Changes, Kind, Operation
from paperprep.ops.minutes import AddOfficer, AddSubstitute, MarkAllPresent, RemoveAttendance, SetAttendance
from paperprep.queries import meeting as Q
from paperprep.ui import dialogs, readonly
from paperprep.ui.context import MeetingContext
from paperprep.ui.delegates import ComboDelegate
from paperprep.ui.models import ATTENDANCE_CHOICES, AttendanceModel, AttendanceRow

SOURCE = "attendance"


class AttendancePanel(QWidget):
    def __init__(self, context: MeetingContext) -> None:
        super().__init__()
        self.ctx = context
        self.setObjectName("attendancePanel")
        self.setAccessibleName("Attendance")
        self.model = AttendanceModel(self)
        self.model.on_edit = self._edit
        self.table = QTableView()
        self.table.setObjectName("attendanceTable")
        self.table.setAccessibleName("Attendance")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(
            2, ComboDelegate([(s.value, s.label) for s in ATTENDANCE_CHOICES], self)
        )
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.all_present = QPushButton("Mark all &present")
        self.add_substitute = QPushButton("Add &substitute...")
        self.add_officer = QPushButton("Add offi&cer in attendance...")
        self.remove = QPushButton("&Remove from list")
        buttons = QHBoxLayout()
        for name, button in (
            ("markAllPresent", self.all_present),
            ("addSubstitute", self.add_substitute),
            ("addOfficer", self.add_officer),
            ("removeAttendance", self.remove),
        ):
            button.setObjectName(name)
            button.setAccessibleName(button.text().replace("&", "").rstrip("."))
            buttons.addWidget(button)
        buttons.addStretch()
        self.all_present.clicked.connect(self.mark_all_present)
        self.add_substitute.clicked.connect(self.ask_substitute)
        self.add_officer.clicked.connect(self.ask_officer)
        self.remove.clicked.connect(self.remove_selected)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)

        self.ctx.store.changed.connect(self._changed)
        readonly.follow(self.ctx.store, self, self.reload)

    def _changed(self, changes: Changes) -> None:
        meeting_id = self.ctx.meeting_id
        if meeting_id is None:
            return
        # Members and names belong to no meeting: a change to them may change this list too.
        if changes.touches_meeting(meeting_id, Kind.ATTENDANCE, Kind.MEETINGS) or changes.touches(
            Kind.PEOPLE, Kind.MEMBERS, Kind.COMMITTEES
        ):
            self.reload()

    def reload(self) -> None:
        meeting_id = self.ctx.meeting_id
        found = self.ctx.store.read(Q.attendance, meeting_id) if meeting_id is not None else None
        # Approved minutes, or an account that may only read: the list is shown as it is.
        locked = (found.locked if found is not None else True) or bool(self.ctx.store.read_only)
        self.model.locked = locked
        self.model.set_rows(found.rows if found is not None else ())
        for button in (self.all_present, self.add_substitute, self.add_officer, self.remove):
            button.setEnabled(not locked)

    def _members(self) -> list[AttendanceRow]:
        return [r for r in self.model.rows if r.is_member]

    def _edit(self, row: AttendanceRow, column: int, value: object) -> None:
        status = AttendanceStatus(str(value))
        substitute_for = None
        if status is AttendanceStatus.SUBSTITUTE:
            members = [r for r in self._members() if r.id != row.id]
            pick = dialogs.ask_choice(
                self, "Substitute", f"{row.name} is substituting for:", [m.name for m in members]
            )
            if pick is None:
                return
            substitute_for = members[pick].id
        self.set_status(row.id, status, substitute_for)

    def _run(self, op: Operation[Any]) -> bool:
        return self.ctx.store.run(op, source=SOURCE, parent=self) is not None

    def set_status(self, person_id: int, status: AttendanceStatus, substitute_for: int | None = None) -> None:
        meeting_id = self.ctx.meeting_id
        if meeting_id is not None:
            self._run(SetAttendance(meeting_id, person_id, status, substitute_for))

    def mark_all_present(self) -> None:
        meeting_id = self.ctx.meeting_id
        unrecorded = tuple(r.id for r in self._members() if r.status is None)
        if meeting_id is not None and unrecorded:
            self._run(MarkAllPresent(meeting_id, unrecorded))

    def ask_substitute(self) -> None:
        name = dialogs.ask_text(self, "Add substitute", "Name of the substitute councillor:")
        if not name or not name.strip():
            return
        members = self._members()
        pick = dialogs.ask_choice(
            self, "Add substitute", f"{name} is substituting for:", [m.name for m in members]
        )
        if pick is None or self.ctx.meeting_id is None:
            return
        self._run(AddSubstitute(self.ctx.meeting_id, name.strip(), members[pick].id))

    def ask_officer(self) -> None:
        name = dialogs.ask_text(self, "Officer in attendance", "Name:")
        if not name or not name.strip() or self.ctx.meeting_id is None:
            return
        title = dialogs.ask_text(self, "Officer in attendance", f"Job title of {name}:") or ""
        if self.ctx.meeting_id is not None:
            self._run(AddOfficer(self.ctx.meeting_id, name.strip(), title.strip()))

    def remove_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or self.ctx.meeting_id is None:
            return
        self._run(RemoveAttendance(self.ctx.meeting_id, self.model.rows[index.row()].id))
