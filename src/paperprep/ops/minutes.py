"""Operations on the record of a meeting: attendance, the minutes text, presenters, resolutions, declarations."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.domain import (
    AttendanceStatus,
    DeclarationOutcome,
    DeclarationType,
    PersonKind,
    ResolutionWording,
    Vote,
)
from paperprep.errors import NotFoundError
from paperprep.ops.base import Operation, expect_version
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI

# -- attendance -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetAttendance(Operation[None]):
    meeting_id: int
    person_id: int
    status: AttendanceStatus
    substitute_for_id: int | None = None

    @property
    def label(self) -> str:
        return f"Attendance: {self.status.label}"

    def apply(self, session: Session) -> None:
        meeting = M.get_meeting(session, self.meeting_id)
        other = C.get_person(session, self.substitute_for_id) if self.substitute_for_id else None
        MI.set_attendance(session, meeting, C.get_person(session, self.person_id), self.status, other)


@dataclass(frozen=True)
class MarkAllPresent(Operation[int]):
    """Every member with nothing recorded yet is marked present. Returns how many."""

    meeting_id: int
    person_ids: tuple[int, ...]

    @property
    def label(self) -> str:
        return "Mark all present"

    def apply(self, session: Session) -> int:
        meeting = M.get_meeting(session, self.meeting_id)
        recorded = {a.person_id for a in meeting.attendance}
        marked = 0
        for person_id in self.person_ids:
            if person_id not in recorded:
                MI.set_attendance(session, meeting, C.get_person(session, person_id), AttendanceStatus.PRESENT)
                marked += 1
        return marked


@dataclass(frozen=True)
class AddSubstitute(Operation[None]):
    """A councillor (found or added by name) substitutes for an absent member, who is marked as apologies."""

    meeting_id: int
    name: str
    absent_id: int

    @property
    def label(self) -> str:
        return f"Add substitute {self.name}"

    def apply(self, session: Session) -> None:
        meeting = M.get_meeting(session, self.meeting_id)
        person = C.get_or_create_person(session, self.name, PersonKind.COUNCILLOR)
        absent = C.get_person(session, self.absent_id)
        MI.set_attendance(session, meeting, person, AttendanceStatus.SUBSTITUTE, absent)
        if not any(a.person_id == self.absent_id for a in meeting.attendance):
            MI.set_attendance(session, meeting, absent, AttendanceStatus.APOLOGIES)


@dataclass(frozen=True)
class AddOfficer(Operation[None]):
    meeting_id: int
    name: str
    title: str = ""

    @property
    def label(self) -> str:
        return f"Add officer {self.name}"

    def apply(self, session: Session) -> None:
        person = C.get_or_create_person(session, self.name, PersonKind.OFFICER, self.title)
        meeting = M.get_meeting(session, self.meeting_id)
        MI.set_attendance(session, meeting, person, AttendanceStatus.IN_ATTENDANCE)


@dataclass(frozen=True)
class RemoveAttendance(Operation[None]):
    meeting_id: int
    person_id: int

    @property
    def label(self) -> str:
        return "Remove from attendance"

    def apply(self, session: Session) -> None:
        MI.remove_attendance(session, M.get_meeting(session, self.meeting_id), C.get_person(session, self.person_id))


# -- the minute of an item ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveMinutesText(Operation[int]):
    """The clerk's typed minute. Returns the item's version after the save, for the next save to state."""

    item_id: int
    blocks: tuple[B.Block, ...]
    read_version: int | None = None

    @property
    def label(self) -> str:
        return "Typing in the minutes"

    def apply(self, session: Session) -> int:
        item = A.get_item(session, self.item_id)
        expect_version(item, self.read_version, f"the minute of {item.title!r}")
        MI.set_body(session, item, self.blocks)
        session.flush()
        return item.version

    def merge_key(self) -> Hashable | None:
        return ("body", self.item_id)


@dataclass(frozen=True)
class SetPresenter(Operation[int]):
    item_id: int
    name: str
    role: str
    read_version: int | None = None

    @property
    def label(self) -> str:
        return "Edit presenter"

    def apply(self, session: Session) -> int:
        item = A.get_item(session, self.item_id)
        expect_version(item, self.read_version, f"item {item.title!r}")
        MI.set_presenter(session, item, None, self.name, self.role)
        session.flush()
        return item.version

    def merge_key(self) -> Hashable | None:
        return ("presenter", self.item_id)


# -- resolutions --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddResolution(Operation[int]):
    item_id: int
    wording: ResolutionWording
    text: str
    parts: tuple[str, ...] = ()
    keyword: str = ""

    @property
    def label(self) -> str:
        return f"Add resolution ({self.wording.label})"

    def apply(self, session: Session) -> int:
        item = A.get_item(session, self.item_id)
        return MI.add_resolution(session, item, self.wording, self.text, self.parts, self.keyword).id


@dataclass(frozen=True)
class UpdateResolution(Operation[None]):
    resolution_id: int
    wording: ResolutionWording
    text: str
    parts: tuple[str, ...]
    read_version: int | None = None

    @property
    def label(self) -> str:
        return "Update resolution"

    def apply(self, session: Session) -> None:
        resolution = MI.get_resolution(session, self.resolution_id)
        expect_version(resolution, self.read_version, "the resolution")
        MI.update_resolution(session, resolution, wording=self.wording, text=self.text, parts=self.parts)


@dataclass(frozen=True)
class RemoveResolution(Operation[None]):
    resolution_id: int

    @property
    def label(self) -> str:
        return "Remove resolution"

    def apply(self, session: Session) -> None:
        MI.remove_resolution(session, MI.get_resolution(session, self.resolution_id))


@dataclass(frozen=True)
class RecordVote(Operation[None]):
    resolution_id: int
    person_id: int
    vote: Vote | None  # None takes the recorded vote away

    @property
    def label(self) -> str:
        return "Record vote"

    def apply(self, session: Session) -> None:
        resolution = MI.get_resolution(session, self.resolution_id)
        MI.record_vote(session, resolution, C.get_person(session, self.person_id), self.vote)


# -- declarations -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddDeclaration(Operation[int]):
    meeting_id: int
    person_id: int
    type: DeclarationType
    nature: str
    item_id: int | None = None
    outcome: DeclarationOutcome = DeclarationOutcome.REMAINED  # what the member did about the item

    @property
    def label(self) -> str:
        return "Add declaration"

    def apply(self, session: Session) -> int:
        meeting = M.get_meeting(session, self.meeting_id)
        item = A.get_item(session, self.item_id) if self.item_id is not None else None
        person = C.get_person(session, self.person_id)
        return MI.add_declaration(session, meeting, person, self.type, self.nature, item, self.outcome).id


@dataclass(frozen=True)
class RemoveDeclaration(Operation[None]):
    declaration_id: int

    @property
    def label(self) -> str:
        return "Remove declaration"

    def apply(self, session: Session) -> None:
        from paperprep.db.models import Declaration

        declaration = session.get(Declaration, self.declaration_id)
        if declaration is None:
            raise NotFoundError("That declaration has already been removed.")
        MI.remove_declaration(session, declaration)
