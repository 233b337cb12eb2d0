"""The Meeting menu's commands on committees, members and meetings: each asks its question, then runs one operation
through the store. The views refresh from the change notice; these only move the clerk to what they made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from paperprep.domain import ItemKind
from paperprep.ops import agenda as opa
from paperprep.ops import meetings as opm
from paperprep.queries import lists
from paperprep.ui import dialogs
from paperprep.ui.navigator import NavigatorPane
from paperprep.ui.store import Store
from paperprep.ui.workspace import MeetingWorkspace


class MeetingCommands:
    def __init__(
        self,
        store: Store,
        workspace: MeetingWorkspace,
        navigator: NavigatorPane,
        select_meeting: Callable[[int | None], None],
        parent: QWidget,
    ) -> None:
        self.store = store
        self.workspace = workspace
        self.navigator = navigator
        self.select_meeting = select_meeting
        self.parent = parent

    def _meeting(self, why: str = "Choose a meeting on the left first.") -> int | None:
        meeting_id = self.workspace.meeting_id
        if meeting_id is None and why:
            dialogs.show_error(self.parent, why)
        return meeting_id

    def current_committee(self) -> int | None:
        """The committee of the meeting on screen, or of the selected navigator entry."""
        if self.workspace.meeting_id is not None:
            return self.store.read(lists.committee_of_meeting, self.workspace.meeting_id)
        return self.navigator.current_committee()

    def _committee(self) -> int | None:
        committee_id = self.current_committee()
        if committee_id is None:
            dialogs.show_error(self.parent, "Select a committee (or one of its meetings) on the left first.")
        return committee_id

    # -- committees --------------------------------------------------------------------------------------------

    def new_committee(self) -> None:
        answer = dialogs.ask_new_committee(self.parent)
        if answer is not None:
            name, code, kind, numbering, month = answer
            self.store.run(opm.CreateCommittee(name, code, kind, numbering, month), parent=self.parent)

    def edit_committee(self) -> None:
        committee_id = self._committee()
        if committee_id is None:
            return
        answer = dialogs.ask_new_committee(
            self.parent, self.store.read(lists.committee_settings, committee_id)
        )
        if answer is not None:
            self.store.run(opm.UpdateCommittee(committee_id, *answer), parent=self.parent)

    def edit_members(self) -> None:
        from paperprep.ui.members_dialog import MembersDialog

        committee_id = self._committee()
        if committee_id is not None:
            dialog = MembersDialog(self.store, committee_id, self.parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _result: self.workspace.attendance.reload())
            dialog.show()

    def edit_council_name(self) -> None:
        name = dialogs.ask_text(
            self.parent,
            "Council name",
            "The council's name, as papers print it:",
            self.store.read(lists.council_name),
        )
        if name is not None:
            self.store.run(opm.SetCouncilName(name), parent=self.parent)

    def edit_house_style(self) -> None:
        from paperprep.ops.settings import SetHouseStyle
        from paperprep.queries.settings import house_style
        from paperprep.ui import house_style_dialog

        current = self.store.read(house_style)
        chosen = house_style_dialog.ask_house_style(self.parent, current)
        if chosen is not None and chosen != current:
            self.store.run(SetHouseStyle(chosen), parent=self.parent)

    # -- meetings ----------------------------------------------------------------------------------------------

    def new_meeting(self) -> None:
        committees = [(c.id, c.name) for c in self.store.read(lists.committees)]
        if not committees:
            dialogs.show_error(
                self.parent, "There are no committees yet. Make one first with Meeting > New committee."
            )
            return
        answer = dialogs.ask_new_meeting(self.parent, committees, self.navigator.current_committee())
        if answer is None:
            return
        committee_id, day, time, venue = answer
        done = self.store.run(opm.CreateMeeting(committee_id, day, time, venue or None), parent=self.parent)
        if done is not None:
            self.select_meeting(done.result)
            self.workspace.tabs.setCurrentWidget(self.workspace.agenda)

    def edit_meeting_details(self) -> None:
        meeting_id = self._meeting()
        if meeting_id is None:
            return
        details = self.store.read(lists.meeting_details, meeting_id)
        answer = dialogs.ask_meeting_details(self.parent, details.form())
        if answer is not None:
            self.store.run(opm.UpdateMeetingDetails(meeting_id, answer, details.version), parent=self.parent)

    def delete_meeting(self) -> None:
        meeting_id = self._meeting("")
        if meeting_id is None or not dialogs.confirm(
            self.parent,
            "Delete meeting",
            f"Delete {self.workspace.heading.text()} with its agenda, minutes and actions? "
            "This cannot be undone (the daily backup still holds it).",
        ):
            return
        self.store.autosaver.flush()
        self.select_meeting(None)  # nothing may read the meeting while it goes
        if self.store.run(opm.DeleteMeeting(meeting_id), parent=self.parent) is not None:
            self.store.forget(meeting_id)
        else:
            self.select_meeting(meeting_id)

    def approve_minutes(self) -> None:
        meeting_id = self._meeting("")
        if meeting_id is None:
            return
        held = self.store.read(lists.export_names, meeting_id).date
        if held > dt.date.today():
            dialogs.show_error(
                self.parent,
                f"The meeting of {held:%d/%m/%Y} has not taken place yet, so its minutes cannot be approved. "
                "Approve them at a meeting held on or after that date.",
            )
            return
        if not dialogs.confirm(
            self.parent,
            "Approve minutes",
            "Approve these minutes as a correct record? They will be "
            "locked; reopening them later needs a reason, which is kept.",
        ):
            return
        chosen, at_meeting = self._approving_meeting(meeting_id, held)
        if not chosen:
            return
        self.store.autosaver.flush()
        self.store.run(opm.ApproveMinutes(meeting_id, at_meeting), parent=self.parent)

    def _approving_meeting(self, meeting_id: int, held: dt.date) -> tuple[bool, int | None]:
        """(False, None) when the clerk cancels; else (True, the committee's later meeting, held by today, at which
        the minutes were approved), the clerk picking it with the next one offered first, or None when there is no
        such meeting or it is not recorded."""
        nav = self.store.read(lists.navigator)
        committee = next(m.committee_id for m in nav.meetings if m.id == meeting_id)
        later = sorted(
            (m for m in nav.meetings if m.committee_id == committee and held < m.date <= dt.date.today()),
            key=lambda m: m.date,
        )
        if not later:
            return True, None
        options = [f"The meeting of {m.date:%d/%m/%Y}" for m in later] + ["Not recorded"]
        choice = dialogs.ask_choice(
            self.parent, "Approve minutes", "At which meeting were these minutes approved?", options
        )
        if choice is None:
            return False, None
        return True, (later[choice].id if choice < len(later) else None)

    def reopen_minutes(self) -> None:
        meeting_id = self._meeting("")
        if meeting_id is None:
            return
        reason = dialogs.ask_text(
            self.parent, "Reopen minutes", "Why must the approved minutes change? (kept in the audit trail)"
        )
        if reason is not None:
            self.store.autosaver.flush()
            self.store.run(opm.ReopenMinutes(meeting_id, reason), parent=self.parent)

    # -- the agenda and minutes of the meeting on screen --------------------------------------------------------

    def add_item(self) -> None:
        self.workspace.agenda.add_item(ItemKind.REPORT)

    def add_standard_items(self) -> None:
        self.workspace.agenda.add_standard_items()

    def write_minutes(self) -> None:
        item_id = self.workspace.agenda.selected_id()
        if item_id is None:
            item_id = self.workspace.minutes.item_id
        if item_id is not None:
            self.workspace.open_minutes(item_id)

    def focus_resolution(self) -> None:
        minutes = self.workspace.minutes
        if minutes.item_id is None:
            self.write_minutes()
        self.workspace.tabs.setCurrentWidget(minutes)
        minutes.tabs.setCurrentIndex(0)
        minutes.resolution_text.setFocus()

    def paste_minutes(self) -> None:
        from paperprep.ui import paste_dialog

        meeting_id = self._meeting("Choose the meeting the pasted minute belongs to first.")
        if meeting_id is None:
            return
        parsed = paste_dialog.ask_pasted_minutes(self.parent)
        if parsed is None:
            return
        done = self.store.run(opa.PasteMinutes(meeting_id, parsed), parent=self.parent)
        if done is not None:
            self.workspace.agenda.select(done.result)
            self.workspace.open_minutes(done.result)
