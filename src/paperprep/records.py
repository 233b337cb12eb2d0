"""Read-only snapshots of the clerk's data, as views and exporters consume them.

These frozen dataclasses never touch the database, so a view or an exporter cannot run hidden SQL or meet a
detached ORM object. They are built by `paperprep.services.snapshot`, the one place where exempt content is
filtered for a public audience: a public snapshot simply does not hold the exempt text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from paperprep.blocks import Block
from paperprep.domain import (
    ActionStatus,
    AttachmentKind,
    AttendanceStatus,
    Audience,
    CommitteeKind,
    DeclarationOutcome,
    DeclarationType,
    InspectionActivity,
    InspectionFramework,
    Inspectorate,
    ItemKind,
    Judgement,
    MeetingStatus,
    MembershipRole,
    NumberingScheme,
    PersonKind,
    Rag,
    ResolutionWording,
    Vote,
)


@dataclass(frozen=True, slots=True)
class CommitteeRecord:
    id: int
    name: str
    code: str
    kind: CommitteeKind
    numbering: NumberingScheme
    year_start_month: int


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: int
    name: str
    kind: PersonKind
    title: str  # role or job title, e.g. "Director of Children's Services"

    @property
    def display_name(self) -> str:
        """The name as minutes print it: councillors as "Cllr X"."""
        if self.kind is PersonKind.COUNCILLOR and not self.name.lower().startswith("cllr"):
            return f"Cllr {self.name}"
        return self.name

    @property
    def name_and_title(self) -> str:
        return f"{self.display_name}, {self.title}" if self.title else self.display_name


@dataclass(frozen=True, slots=True)
class MemberRecord:
    person: PersonRecord
    role: MembershipRole


@dataclass(frozen=True, slots=True)
class AttendanceRecord:
    person: PersonRecord
    status: AttendanceStatus
    substitute_for: PersonRecord | None = None
    role: MembershipRole | None = None  # the person's role on the committee on the day, if a member

    @property
    def minutes_text(self) -> str:
        """ "Cllr X (for Cllr Y)" for substitutes, "Cllr X (Chair)" for the chair, the name otherwise."""
        if self.status is AttendanceStatus.SUBSTITUTE and self.substitute_for is not None:
            return f"{self.person.display_name} (for {self.substitute_for.display_name})"
        if self.status is AttendanceStatus.IN_ATTENDANCE:
            return self.person.name_and_title
        if self.role in (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR):
            return f"{self.person.display_name} ({self.role.label})"
        return self.person.display_name


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    id: int
    file_name: str
    kind: AttachmentKind
    size_bytes: int
    page_count: int | None
    sha256: str

    @property
    def size_text(self) -> str:
        """ "PDF 136 KB", as published pages show it."""
        ext = self.file_name.rsplit(".", 1)[-1].upper() if "." in self.file_name else "File"
        size = self.size_bytes
        if size >= 1024 * 1024:
            amount = f"{size / (1024 * 1024):.1f} MB"
        else:
            amount = f"{max(1, round(size / 1024))} KB"
        return f"{ext} {amount}"


@dataclass(frozen=True, slots=True)
class DeclarationRecord:
    person: PersonRecord
    type: DeclarationType
    nature: str
    item_ref: str | None  # the minute reference of the item it concerns, e.g. "57"
    item_title: str | None
    item_id: int | None = None  # the item it concerns, to print it again at that item
    outcome: DeclarationOutcome = DeclarationOutcome.REMAINED  # what the member did about the item
    text: str = ""  # the whole sentence as the minutes write it, for this audience

    @property
    def outcome_text(self) -> str:
        """ "remained in the meeting", "left the room and took no part", "did not vote"."""
        return self.outcome.label


@dataclass(frozen=True, slots=True)
class RecordedVoteRecord:
    person: PersonRecord
    vote: Vote


@dataclass(frozen=True, slots=True)
class ResolutionRecord:
    id: int
    wording: ResolutionWording
    text: str  # the words after the keyword: "to note the information", "That", ...
    parts: tuple[str, ...]  # numbered parts (1), (2)...
    votes: tuple[RecordedVoteRecord, ...] = ()
    keyword: str = ""  # the keyword as printed: "RESOLVED", or the clerk's own for wording OTHER


@dataclass(frozen=True, slots=True)
class ActionUpdateRecord:
    date: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: int
    reference: str  # "CSSC 57/1"
    committee_name: str
    committee_code: str
    meeting_id: int
    meeting_date: dt.date
    minute_ref: str
    item_title: str
    text: str
    owner: str
    due_date: dt.date | None
    status: ActionStatus
    rag: Rag
    updates: tuple[ActionUpdateRecord, ...]
    notes: str
    updated_at: dt.datetime
    source_finding: str = ""  # the inspection finding the action came from, if any
    version: int = 0  # the row's version when read, stated by an edit made from this record

    @property
    def latest_update(self) -> ActionUpdateRecord | None:
        return self.updates[-1] if self.updates else None

    def is_overdue(self, today: dt.date) -> bool:
        return self.status.is_open and self.due_date is not None and self.due_date < today


@dataclass(frozen=True, slots=True)
class PresenterRecord:
    name: str
    role: str

    @property
    def text(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


@dataclass(frozen=True, slots=True)
class JudgementRecord:
    area: str  # e.g. "Overall effectiveness"
    grade: Judgement


@dataclass(frozen=True, slots=True)
class NextStepRecord:
    text: str
    due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class InspectionRecord:
    id: int
    inspectorate: Inspectorate
    framework: InspectionFramework
    activity: InspectionActivity
    service: str
    fieldwork_start: dt.date | None
    fieldwork_end: dt.date | None
    inspectors: int | None
    scope: str
    published_on: dt.date | None
    overall: Judgement
    judgements: tuple[JudgementRecord, ...]
    previous_date: dt.date | None
    previous_judgement: Judgement | None
    strengths: tuple[str, ...]
    areas_for_improvement: tuple[str, ...]
    priority_actions: tuple[str, ...]  # empty: none when no_priority_actions, not stated otherwise
    next_steps: tuple[NextStepRecord, ...]
    action_plan_due: dt.date | None
    letter_attachment_id: int | None = None
    letter_file_name: str = ""
    # How much of each date is known: "day", "month" or "year" (formats.precise_date writes it as known).
    fieldwork_start_precision: str = "day"
    fieldwork_end_precision: str = "day"
    previous_date_precision: str = "day"
    action_plan_due_precision: str = "day"
    action_plan_due_text: str = ""  # as the report gave it when it is no date: "within 70 working days"
    inspectorates: tuple[Inspectorate, ...] = ()  # every inspectorate named; a joint inspection's members
    no_graded_judgement: bool = False  # the visit gives no graded judgement
    no_priority_actions: bool = True  # the report names none; False when the source did not say
    display: str = "table"  # "table" or "narrative": see paperprep.export.minutes_docx.write_inspection


@dataclass(frozen=True, slots=True)
class ItemRecord:
    id: int
    position: int
    minute_number: int | None
    minute_ref: str  # as printed: "57", "3", "60/18"
    title: str  # for a public audience and an exempt item: the neutral public title
    kind: ItemKind
    is_exempt: bool
    exempt_paragraphs: tuple[int, ...]
    redacted: bool  # True when this is the public shadow of an exempt item: no content beyond the title
    purpose: str = ""
    report_of: str = ""
    presenter: PresenterRecord | None = None
    topic: str = ""
    blocks: tuple[Block, ...] = ()
    resolutions: tuple[ResolutionRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()
    attachments: tuple[AttachmentRecord, ...] = ()
    inspection: InspectionRecord | None = None
    # The declarations made about this item, to print at the item as well as under the declarations item.
    declarations: tuple[DeclarationRecord, ...] = ()
    # True when `blocks` were written from the data (a standard item the clerk has not edited).
    generated: bool = False
    # True when the first of `resolutions` was proposed from the data (the previous minutes' approval).
    generated_resolution: bool = False
    # Added after the agenda was published (s.100B(4)): marked on the agenda, and the reason for urgency given.
    is_late: bool = False
    urgency_reason: str = ""  # never on a public record of an exempt item

    @property
    def part(self) -> str:
        return "B" if self.is_exempt else "A"

    @property
    def exempt_paragraphs_text(self) -> str:
        nums = [str(p) for p in self.exempt_paragraphs]
        if not nums:
            return ""
        if len(nums) == 1:
            return f"paragraph {nums[0]}"
        return "paragraphs " + ", ".join(nums[:-1]) + " and " + nums[-1]


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: int
    audience: Audience
    committee: CommitteeRecord
    date: dt.date
    start_time: dt.time | None
    close_time: dt.time | None
    venue: str
    status: MeetingStatus
    published_on: dt.date | None
    publication_deadline: dt.date
    contact_officer: str
    council_name: str
    members: tuple[MemberRecord, ...]
    attendance: tuple[AttendanceRecord, ...]
    declarations: tuple[DeclarationRecord, ...]
    items: tuple[ItemRecord, ...]
    carried_actions: tuple[ActionRecord, ...] = ()  # open actions from earlier meetings ("matters arising")
    exclusion_motion: str = ""  # drafted from the Part B items' paragraphs; empty when there are none
    approved_on: dt.date | None = None
    # Where the minutes were approved: "the meeting of the Cabinet held on 12 March 2026", or "" when they are
    # not approved or no meeting of the committee was held on `approved_on`.
    approved_at: str = ""
    previous_meeting_on: dt.date | None = None  # the committee's meeting before this one

    @property
    def present(self) -> tuple[AttendanceRecord, ...]:
        """Members present, the chair first, then vice-chair, then by name, substitutes after."""
        order = {MembershipRole.CHAIR: 0, MembershipRole.VICE_CHAIR: 1}
        rows = [
            a for a in self.attendance if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
        ]
        return tuple(
            sorted(
                rows,
                key=lambda a: (
                    order.get(a.role, 2) if a.role else 2,
                    a.status is AttendanceStatus.SUBSTITUTE,
                    a.person.name,
                ),
            )
        )

    @property
    def apologies(self) -> tuple[AttendanceRecord, ...]:
        return tuple(a for a in self.attendance if a.status is AttendanceStatus.APOLOGIES)

    @property
    def absent(self) -> tuple[AttendanceRecord, ...]:
        return tuple(a for a in self.attendance if a.status is AttendanceStatus.ABSENT)

    @property
    def in_attendance(self) -> tuple[AttendanceRecord, ...]:
        return tuple(a for a in self.attendance if a.status is AttendanceStatus.IN_ATTENDANCE)

    @property
    def part_a(self) -> tuple[ItemRecord, ...]:
        return tuple(i for i in self.items if not i.is_exempt)

    @property
    def part_b(self) -> tuple[ItemRecord, ...]:
        return tuple(i for i in self.items if i.is_exempt)

    @property
    def chair(self) -> PersonRecord | None:
        for member in self.members:
            if member.role is MembershipRole.CHAIR:
                return member.person
        return None
