"""Attendance: members present, apologies, absent, substitutes ("Cllr X (for Cllr Y)") and officers in attendance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from paperprep.domain import AttendanceStatus, PersonKind
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.ui import dialogs
from paperprep.ui.delegates import ComboDelegate
from paperprep.ui.models import ATTENDANCE_CHOICES, AttendanceModel, AttendanceRow

if TYPE_CHECKING:
    from paperprep.ui.workspace import MeetingWorkspace


class AttendancePanel(QWidget):
    def __init__(self, workspace: MeetingWorkspace) -> None:
        super().__init__()
        self.ws = workspace
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
        self.add_officer = QPushButton("Add &officer in attendance...")
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

    def reload(self) -> None:
        meeting_id = self.ws.meeting_id
        if meeting_id is None:
            self.model.set_rows([])
            return

        def rows(session: Session) -> tuple[list[AttendanceRow], bool]:
            meeting = M.get_meeting(session, meeting_id)
            members = C.members_on(meeting.committee, meeting.date)
            recorded = {a.person_id: a for a in meeting.attendance}
            out = []
            seen = set()
            for m in members:
                a = recorded.get(m.person_id)
                if m.role.value == "substitute" and a is None:
                    continue  # substitutes appear once they attend
                out.append(
                    AttendanceRow(
                        m.person_id,
                        m.person.name,
                        m.role.label,
                        a.status if a else None,
                        a.substitute_for.name if a and a.substitute_for else "",
                        True,
                    )
                )
                seen.add(m.person_id)
            for a in sorted(meeting.attendance, key=lambda a: (a.status.value, a.person.name)):
                if a.person_id in seen:
                    continue
                role = a.person.title or a.person.kind.label
                out.append(
                    AttendanceRow(
                        a.person_id,
                        a.person.name,
                        role,
                        a.status,
                        a.substitute_for.name if a.substitute_for else "",
                        False,
                    )
                )
            return out, meeting.is_locked

        rows_, locked = self.ws.store.read(rows)
        self.model.locked = locked
        self.model.set_rows(rows_)
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

    def set_status(self, person_id: int, status: AttendanceStatus, substitute_for: int | None = None) -> None:
        meeting_id = self.ws.meeting_id
        if meeting_id is None:
            return

        def write(session: Session) -> None:
            meeting = M.get_meeting(session, meeting_id)
            other = C.get_person(session, substitute_for) if substitute_for else None
            MI.set_attendance(session, meeting, C.get_person(session, person_id), status, other)

        self.ws.store.write(write, "attendance")

    def mark_all_present(self) -> None:
        for row in self._members():
            if row.status is None:
                self.set_status(row.id, AttendanceStatus.PRESENT)

    def ask_substitute(self) -> None:
        name = dialogs.ask_text(self, "Add substitute", "Name of the substitute councillor:")
        if not name or not name.strip():
            return
        members = self._members()
        pick = dialogs.ask_choice(
            self, "Add substitute", f"{name} is substituting for:", [m.name for m in members]
        )
        if pick is None or self.ws.meeting_id is None:
            return
        meeting_id, absent_id = self.ws.meeting_id, members[pick].id

        def write(session: Session) -> None:
            meeting = M.get_meeting(session, meeting_id)
            person = C.get_or_create_person(session, name, PersonKind.COUNCILLOR)
            absent = C.get_person(session, absent_id)
            MI.set_attendance(session, meeting, person, AttendanceStatus.SUBSTITUTE, absent)
            if not any(a.person_id == absent_id for a in meeting.attendance):
                MI.set_attendance(session, meeting, absent, AttendanceStatus.APOLOGIES)

        self.ws.store.write(write, "attendance")

    def ask_officer(self) -> None:
        name = dialogs.ask_text(self, "Officer in attendance", "Name:")
        if not name or not name.strip() or self.ws.meeting_id is None:
            return
        title = dialogs.ask_text(self, "Officer in attendance", f"Job title of {name}:") or ""
        meeting_id = self.ws.meeting_id

        def write(session: Session) -> None:
            person = C.get_or_create_person(session, name, PersonKind.OFFICER, title)
            MI.set_attendance(
                session, M.get_meeting(session, meeting_id), person, AttendanceStatus.IN_ATTENDANCE
            )

        self.ws.store.write(write, "attendance")

    def remove_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or self.ws.meeting_id is None:
            return
        person_id, meeting_id = self.model.rows[index.row()].id, self.ws.meeting_id
        self.ws.store.write(
            lambda s: MI.remove_attendance(s, M.get_meeting(s, meeting_id), C.get_person(s, person_id)),
            "attendance",
        )
