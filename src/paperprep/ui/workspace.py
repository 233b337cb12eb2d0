"""The meeting workspace: a meeting's agenda, attendance, minutes and actions, kept in step with the database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from paperprep.domain import MeetingStatus
from paperprep.services import meetings as M
from paperprep.services.deadlines import deadline_warning, publication_deadline
from paperprep.ui import commands
from paperprep.ui.actions_panel import ActionsPanel
from paperprep.ui.agenda_panel import AgendaPanel
from paperprep.ui.attendance_panel import AttendancePanel
from paperprep.ui.autosave import AutoSaver
from paperprep.ui.minutes_panel import MinutesPanel
from paperprep.ui.models import uk_date
from paperprep.ui.store import Store

EDITABLE_STATUSES = (
    MeetingStatus.DRAFT_AGENDA,
    MeetingStatus.AGENDA_PUBLISHED,
    MeetingStatus.HELD,
    MeetingStatus.DRAFT_MINUTES,
)


class MeetingWorkspace(QWidget):
    meetingChanged = Signal(object)  # the meeting id, or None

    def __init__(self, store: Store, undo_stack: QUndoStack, autosaver: AutoSaver) -> None:
        super().__init__()
        self.setObjectName("meetingWorkspace")
        self.setAccessibleName("Meeting workspace")
        self.store = store
        self.undo_stack = undo_stack
        self.autosaver = autosaver
        self.meeting_id: int | None = None
        self.locked = False

        self.heading = QLabel(
            "Choose a meeting on the left, or make one with Meeting > New meeting (Ctrl+N)."
        )
        self.heading.setObjectName("meetingHeading")
        self.heading.setAccessibleName("Meeting")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadlineLabel")
        self.deadline.setAccessibleName("Publication deadline")
        self.status = QComboBox()
        self.status.setObjectName("meetingStatus")
        self.status.setAccessibleName("Meeting status")
        for status in MeetingStatus:
            self.status.addItem(status.label, status.value)
        self.status.activated.connect(self._status_chosen)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        status_label = QLabel("Stat&us")
        status_label.setBuddy(self.status)
        top.addWidget(status_label)
        top.addWidget(self.status)

        self.agenda = AgendaPanel(self)
        self.attendance = AttendancePanel(self)
        self.minutes = MinutesPanel(self)
        self.actions_panel = ActionsPanel(self)
        from paperprep.ui.inspection_panel import InspectionPanel

        self.inspection = InspectionPanel(self)
        self.minutes.add_extra_tab(self.inspection, "Insp&ection")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setAccessibleName("Meeting parts")
        self.tabs.addTab(self.agenda, "A&genda")
        self.tabs.addTab(self.attendance, "Atte&ndance")
        self.tabs.addTab(self.minutes, "M&inutes")
        self.tabs.addTab(self.actions_panel, "Actio&ns")
        self.agenda.itemActivated.connect(self.open_minutes)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.deadline)
        layout.addWidget(self.tabs, 1)
        store.changed.connect(self._changed)
        self._set_enabled(False)

    def files_dir(self) -> Path:
        path = self.store.db.path
        return path.parent / f"{path.stem}-files"

    def push(self, command: QUndoCommand) -> None:
        self.autosaver.flush()
        self.undo_stack.push(command)

    def _set_enabled(self, enabled: bool) -> None:
        self.tabs.setEnabled(enabled)
        self.status.setEnabled(enabled)

    def show_meeting(self, meeting_id: int | None) -> None:
        self.autosaver.flush()
        self.meeting_id = meeting_id
        self.reload_all()
        self.meetingChanged.emit(meeting_id)

    def reload_all(self) -> None:
        self._reload_heading()
        self.agenda.reload()
        self.attendance.reload()
        self.minutes.reload()
        self.actions_panel.reload()

    def _reload_heading(self) -> None:
        if self.meeting_id is None:
            self._set_enabled(False)
            self.heading.setText(
                "Choose a meeting on the left, or make one with Meeting > New meeting (Ctrl+N)."
            )
            self.deadline.clear()
            return
        meeting_id = self.meeting_id

        def read(session: Session) -> tuple[str, MeetingStatus, str, bool]:
            m = M.get_meeting(session, meeting_id)
            when = f"{m.date:%A} {m.date.day} {m.date:%B %Y}" + (
                f", {m.start_time:%H:%M}" if m.start_time else ""
            )
            text = f"{m.committee.name}: {when}" + (f", {m.venue}" if m.venue else "")
            deadline = publication_deadline(m.date)
            import datetime as dt

            warning = deadline_warning(m.date, m.published_on, dt.date.today())
            line = f"Agenda to be published by {uk_date(deadline)}"
            if m.published_on:
                line = f"Agenda published {uk_date(m.published_on)}"
            if warning:
                line += f"  \u26a0 {warning}"
            return text, m.status, line, m.is_locked

        text, status, line, locked = self.store.read(read)
        self.locked = locked
        self._set_enabled(True)
        self.heading.setText(text)
        self.deadline.setText(line)
        self.status.setCurrentIndex(self.status.findData(status.value))
        self.status.setEnabled(not locked)

    def _changed(self, scope: str) -> None:
        if self.meeting_id is None:
            return
        if scope.endswith("-text"):
            return  # typed text: the field already shows it
        if scope in ("agenda", "all", "meetings"):
            self.reload_all()
        elif scope == "attendance":
            self.attendance.reload()
        elif scope in ("minutes", "actions"):
            self.minutes.reload()
            self.actions_panel.reload()

    def _status_chosen(self, index: int) -> None:
        if self.meeting_id is None:
            return
        status = MeetingStatus(self.status.itemData(index))
        if status is MeetingStatus.MINUTES_APPROVED:
            self._reload_heading()
            self.window().approve_minutes()  # type: ignore[attr-defined]
            return
        self.push(commands.SetStatus(self.store, self.meeting_id, status))

    def open_minutes(self, item_id: int) -> None:
        self.minutes.show_item(item_id)
        self.tabs.setCurrentWidget(self.minutes)
        self.minutes.editor.setFocus()
