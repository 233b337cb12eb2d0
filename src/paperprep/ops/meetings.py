"""Operations on committees, members, meetings and the record's life: status, approval, reopening, deletion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from paperprep.domain import CommitteeKind, MeetingStatus, MembershipRole, NumberingScheme, PersonKind
from paperprep.ops.base import Operation, expect_version
from paperprep.services import committees as C
from paperprep.services import meetings as M


@dataclass(frozen=True)
class SetCouncilName(Operation[None]):
    name: str
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Set the council's name"

    def apply(self, session: Session) -> None:
        from paperprep.services.snapshot import set_council_name

        set_council_name(session, self.name)


@dataclass(frozen=True)
class CreateCommittee(Operation[int]):
    name: str
    code: str
    kind: CommitteeKind = CommitteeKind.OTHER
    numbering: NumberingScheme = NumberingScheme.CONTINUOUS
    year_start_month: int = 5
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return f"New committee {self.name!r}"

    def apply(self, session: Session) -> int:
        return C.create_committee(
            session,
            self.name,
            self.code,
            kind=self.kind,
            numbering=self.numbering,
            year_start_month=self.year_start_month,
        ).id


@dataclass(frozen=True)
class UpdateCommittee(Operation[None]):
    committee_id: int
    name: str
    code: str
    kind: CommitteeKind
    numbering: NumberingScheme
    year_start_month: int
    undoable: ClassVar[bool] = False  # may renumber a whole year of several meetings

    @property
    def label(self) -> str:
        return "Committee settings"

    def apply(self, session: Session) -> None:
        committee = C.get_committee(session, self.committee_id)
        C.update_committee(
            session, committee, self.name, self.code, self.kind, self.numbering, self.year_start_month
        )


@dataclass(frozen=True)
class AddMember(Operation[int]):
    committee_id: int
    name: str
    kind: PersonKind = PersonKind.COUNCILLOR
    role: MembershipRole = MembershipRole.MEMBER
    start_date: dt.date | None = None
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return f"Add {self.name} to the committee"

    def apply(self, session: Session) -> int:
        person = C.get_or_create_person(session, self.name, self.kind)
        committee = C.get_committee(session, self.committee_id)
        return C.add_member(session, committee, person, self.role, self.start_date).id


@dataclass(frozen=True)
class EndMembership(Operation[None]):
    membership_id: int
    last_day: dt.date
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "End membership"

    def apply(self, session: Session) -> None:
        C.end_membership(session, C.get_membership(session, self.membership_id), self.last_day)


@dataclass(frozen=True)
class RemoveMembership(Operation[None]):
    membership_id: int
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Remove membership"

    def apply(self, session: Session) -> None:
        C.remove_membership(session, C.get_membership(session, self.membership_id))


@dataclass(frozen=True)
class CreateMeeting(Operation[int]):
    committee_id: int
    date: dt.date
    start_time: dt.time | None = None
    venue: str | None = None
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "New meeting"

    def apply(self, session: Session) -> int:
        committee = C.get_committee(session, self.committee_id)
        return M.create_meeting(session, committee, self.date, start_time=self.start_time, venue=self.venue).id


@dataclass(frozen=True)
class UpdateMeetingDetails(Operation[None]):
    """Date, times, venue, contact officer and first minute number, from the Meeting details dialog."""

    meeting_id: int
    details: dict[str, Any] = field(default_factory=dict, hash=False)
    read_version: int | None = None

    @property
    def label(self) -> str:
        return "Meeting details"

    def apply(self, session: Session) -> None:
        meeting = M.get_meeting(session, self.meeting_id)
        expect_version(meeting, self.read_version, "the meeting")
        M.update_meeting(session, meeting, **self.details)


@dataclass(frozen=True)
class SetMeetingStatus(Operation[None]):
    meeting_id: int
    status: MeetingStatus

    @property
    def label(self) -> str:
        return f"Set status to {self.status.label}"

    def apply(self, session: Session) -> None:
        M.set_status(session, M.get_meeting(session, self.meeting_id), self.status)


@dataclass(frozen=True)
class ApproveMinutes(Operation[None]):
    """Approve the minutes; `at_meeting_id` is the meeting at which they were approved (default: the committee's
    meeting held today, if there is one)."""

    meeting_id: int
    at_meeting_id: int | None = None
    undoable: ClassVar[bool] = False  # approval is audited; reopening, with a reason, is the way back

    @property
    def label(self) -> str:
        return "Approve minutes"

    def apply(self, session: Session) -> None:
        at = M.get_meeting(session, self.at_meeting_id) if self.at_meeting_id is not None else None
        M.approve_minutes(session, M.get_meeting(session, self.meeting_id), at_meeting=at)


@dataclass(frozen=True)
class ReopenMinutes(Operation[None]):
    meeting_id: int
    reason: str
    undoable: ClassVar[bool] = False
    reopens: ClassVar[bool] = True

    @property
    def label(self) -> str:
        return "Reopen minutes"

    def apply(self, session: Session) -> None:
        M.reopen_minutes(session, M.get_meeting(session, self.meeting_id), self.reason)


@dataclass(frozen=True)
class DeleteMeeting(Operation[None]):
    meeting_id: int
    undoable: ClassVar[bool] = False  # its history goes with it; the daily backup still holds it
    # Refused for a meeting whose minutes were ever approved (services.meetings.delete_meeting, and the
    # workbench for any other road): they are the council's record, and their audit trail stays with them.

    @property
    def label(self) -> str:
        return "Delete meeting"

    def apply(self, session: Session) -> None:
        M.delete_meeting(session, M.get_meeting(session, self.meeting_id))


@dataclass(frozen=True)
class LoadDemo(Operation[None]):
    """The demo council. `files_dir` is the managed documents folder beside the database (`<stem>-files`), where
    the demo's reports are stored; without it they go to that folder of the database the session writes to."""

    today: dt.date | None = None
    files_dir: Path | None = None
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Load the demo council"

    def apply(self, session: Session) -> None:
        from paperprep.services.demo import load_demo

        load_demo(session, self.today, self.files_dir)


@dataclass(frozen=True)
class LoadMeeting(Operation[int]):
    """A meeting from the interchange format (paperprep load)."""

    data: Any = field(hash=False)
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Load a meeting"

    def apply(self, session: Session) -> int:
        from paperprep.services.interchange import load_meeting

        return load_meeting(session, self.data)
