"""The meeting workspace: a meeting's agenda, attendance, minutes and actions, kept in step with the database.

The workspace is the panels' `MeetingContext` (paperprep.ui.context): it holds the store and the meeting shown,
and each panel reads through the store and listens to its change notices for the kinds of record it shows. The
workspace itself keeps only the heading (committee, date, status, publication deadline) up to date.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from paperprep.domain import MeetingStatus
from paperprep.ops import Changes, Kind
from paperprep.ops.meetings import SetMeetingStatus
from paperprep.queries import meeting as Q
from paperprep.ui import readonly, settings
from paperprep.ui.actions_panel import ActionsPanel
from paperprep.ui.agenda_panel import AgendaPanel
from paperprep.ui.attendance_panel import AttendancePanel
from paperprep.ui.inspection_panel import InspectionPanel
from paperprep.ui.minutes_panel import MinutesPanel
from paperprep.ui.store import Store

SOURCE = "workspace"
NO_MEETING = "Choose a meeting on the left, or make one with Meeting > New meeting (Ctrl+N)."

EDITABLE_STATUSES = (
    MeetingStatus.DRAFT_AGENDA,
    MeetingStatus.AGENDA_PUBLISHED,
    MeetingStatus.HELD,
    MeetingStatus.DRAFT_MINUTES,
)


class MeetingWorkspace(QWidget):
    meetingChanged = Signal(object)  # the meeting id, or None

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.setObjectName("meetingWorkspace")
        self.setAccessibleName("Meeting workspace")
        self.store = store
        self.meeting_id: int | None = None
        self.locked = False
        self.status_value: MeetingStatus | None = None
        # First of the listeners: a meeting deleted elsewhere is let go before any panel reads it.
        store.changed.connect(self._changed)

        self.heading = QLabel(NO_MEETING)
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
        self.header = QWidget()
        self.header.setObjectName("meetingHeader")
        top = QHBoxLayout(self.header)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.heading, 1)
        status_label = QLabel("Status")
        status_label.setBuddy(self.status)
        top.addWidget(status_label)
        top.addWidget(self.status)

        self.agenda = AgendaPanel(self)
        self.attendance = AttendancePanel(self)
        self.minutes = MinutesPanel(self)
        self.actions_panel = ActionsPanel(self)
        self.inspection = InspectionPanel(self)
        self.minutes.add_extra_tab(self.inspection, "Inspection")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setAccessibleName("Meeting parts")
        self.tabs.addTab(self.agenda, "A&genda")
        self.tabs.addTab(self.attendance, "Atte&ndance")
        self.tabs.addTab(self.minutes, "M&inutes")
        self.tabs.addTab(self.actions_panel, "Acti&ons")
        self.agenda.itemActivated.connect(self.open_minutes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.deadline)
        layout.addWidget(self.tabs, 1)
        self._set_enabled(False)
        self.restore_layout()
        readonly.follow(store, self, lambda: None if self._reload_heading() else None)

    # -- layout ---------------------------------------------------------------------------------------------

    def restore_layout(self) -> None:
        for setting, splitter in self._splitters():
            state = settings.byte_array(setting)
            if state is not None:
                splitter.restoreState(state)

    def save_layout(self) -> None:
        for setting, splitter in self._splitters():
            setting.set(splitter.saveState())

    def _splitters(self) -> tuple[tuple[settings.Setting, QSplitter], ...]:
        return (
            (settings.MINUTES_SPLITTER, self.minutes.splitter),
            (settings.AGENDA_SPLITTER, self.agenda.splitter),
        )

    def set_focus_mode(self, on: bool) -> None:
        """Only the item's title and its minutes: the heading, the tab bar and the item's other parts go."""
        if on:
            self.tabs.setCurrentWidget(self.minutes)
        for widget in (self.header, self.deadline, self.tabs.tabBar()):
            widget.setVisible(not on)
        self.minutes.set_focus_mode(on)
        if on:
            self.minutes.editor.setFocus()

    # -- the panels' context ------------------------------------------------------------------------------------

    def files_dir(self) -> Path:
        path = self.store.db.path
        return path.parent / f"{path.stem}-files"

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def open_minutes(self, item_id: int) -> None:
        self.minutes.show_item(item_id)
        self.tabs.setCurrentWidget(self.minutes)
        self.minutes.editor.setFocus()

    # -- the meeting shown --------------------------------------------------------------------------------------

    def heading_text(self) -> str:
        return self.heading.text()

    def _set_enabled(self, enabled: bool) -> None:
        self.tabs.setEnabled(enabled)
        self.status.setEnabled(enabled and not self.locked and not self.store.read_only)

    def show_meeting(self, meeting_id: int | None) -> None:
        self.store.autosaver.flush()
        self.meeting_id = meeting_id
        self.reload_all()
        self.meetingChanged.emit(self.meeting_id)

    def reload_all(self) -> None:
        self._reload_heading()
        self.agenda.reload()
        self.attendance.reload()
        self.minutes.reload()
        self.actions_panel.reload()

    def _reload_heading(self) -> bool:
        """Show the meeting's heading. False if the meeting is not there (any more)."""
        heading = self.store.read(Q.meeting_heading, self.meeting_id) if self.meeting_id is not None else None
        if heading is None:
            self.locked = False
            self.status_value = None
            self.heading.setText(NO_MEETING)
            self.deadline.clear()
            self._set_enabled(False)
            return self.meeting_id is None
        self.locked = heading.locked
        self.status_value = heading.status
        self.heading.setText(heading.text)
        self.deadline.setText(heading.deadline_line)
        self.status.setCurrentIndex(self.status.findData(heading.status.value))
        self._set_enabled(True)
        return True

    def _changed(self, changes: Changes) -> None:
        if self.meeting_id is None:
            return
        if changes.touches_meeting(self.meeting_id, Kind.MEETINGS) or changes.touches(Kind.COMMITTEES):
            if not self._reload_heading():
                # Deleted (in another window, or restored from a backup without it): show nothing, and let every
                # panel empty itself before any reads a meeting that is not there.
                self.meeting_id = None
                self.reload_all()
                self.meetingChanged.emit(None)

    def _status_chosen(self, index: int) -> None:
        if self.meeting_id is None:
            return
        status = MeetingStatus(self.status.itemData(index))
        if status is self.status_value:
            return
        self._reload_heading()  # the combo shows the status the meeting has until the change is made
        if status is MeetingStatus.MINUTES_APPROVED:
            approve = getattr(self.window(), "approve_minutes", None)
            if callable(approve):
                approve()
            return
        self.store.run(SetMeetingStatus(self.meeting_id, status), source=SOURCE, parent=self)
