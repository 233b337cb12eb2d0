"""The clerk's data model: committees, people, meetings, agenda items, minutes, decisions and actions.

Typed SQLAlchemy 2 models. Enum columns store the enum's value as text (native_enum=False) so that the schema is the
same on SQLite and PostgreSQL and new values need no ALTER TYPE. Every foreign key that the screens and exports
query by is indexed, because ten years of a council's meetings is tens of thousands of rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from paperprep.domain import (
    ActionStatus,
    AttachmentKind,
    AttendanceStatus,
    AuditEvent,
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


def _enum(cls: type) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        values_callable=lambda e: [m.value for m in e],
        length=32,
        validate_strings=True,
        create_constraint=False,
    )


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    pass


class Versioned:
    """A row the clerk edits. Every change raises its version, and an edit states the version it read, so a
    stale view, or another clerk's change made since, is caught as a conflict instead of being overwritten."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy passes the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Setting(Base):
    """Database-wide settings, such as the council's name."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Committee(Base):
    __tablename__ = "committees"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # short code for references: "CSSC"
    kind: Mapped[CommitteeKind] = mapped_column(_enum(CommitteeKind), default=CommitteeKind.OTHER)
    numbering: Mapped[NumberingScheme] = mapped_column(
        _enum(NumberingScheme), default=NumberingScheme.CONTINUOUS
    )
    year_start_month: Mapped[int] = mapped_column(Integer, default=5)  # May: the annual council meeting
    default_venue: Mapped[str] = mapped_column(String(200), default="")
    contact_officer: Mapped[str] = mapped_column(String(200), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="committee", cascade="all, delete-orphan", lazy="selectin"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="committee", cascade="all, delete-orphan", lazy="raise_on_sql", order_by="Meeting.date"
    )

    __table_args__ = (CheckConstraint("year_start_month BETWEEN 1 AND 12", name="ck_committee_month"),)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[PersonKind] = mapped_column(_enum(PersonKind), default=PersonKind.COUNCILLOR)
    title: Mapped[str] = mapped_column(String(200), default="")  # role or job title
    email: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (UniqueConstraint("name", "kind", name="uq_person_name_kind"),)


class Membership(Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[MembershipRole] = mapped_column(_enum(MembershipRole), default=MembershipRole.MEMBER)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    committee: Mapped[Committee] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(lazy="joined")

    def active_on(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )


class Topic(Base):
    """A subject followed across meetings, e.g. "Ofsted inspection of children's services"."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class Meeting(Versioned, Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    close_time: Mapped[dt.time | None] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus), default=MeetingStatus.DRAFT_AGENDA)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    contact_officer: Mapped[str] = mapped_column(String(200), default="")
    # When set, this meeting's minute numbers start here, and later meetings of the municipal year run on.
    first_minute_number: Mapped[int | None] = mapped_column(Integer)
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    # The meeting at which these minutes were approved (migration 0005), when it is known.
    approved_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), default=None
    )
    # The text written from the data (apologies, declarations, matters arising...) as it stood when the minutes
    # were approved (migration 0006), as JSON: the approved minutes print it, so later changes never rewrite them.
    approved_record: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    committee: Mapped[Committee] = relationship(back_populates="meetings", lazy="joined")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="AgendaItem.position",
        lazy="selectin",
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        foreign_keys="Attendance.meeting_id",
    )
    declarations: Mapped[list[Declaration]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_meetings_committee_date", "committee_id", "date"),
        Index("ix_meetings_date", "date"),
    )

    @property
    def is_locked(self) -> bool:
        return self.status is MeetingStatus.MINUTES_APPROVED


class Attendance(Versioned, Base):
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        _enum(AttendanceStatus), default=AttendanceStatus.PRESENT
    )
    substitute_for_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendance", foreign_keys=[meeting_id])
    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    substitute_for: Mapped[Person | None] = relationship(foreign_keys=[substitute_for_id], lazy="joined")

    __table_args__ = (UniqueConstraint("meeting_id", "person_id", name="uq_attendance_person"),)


class AgendaItem(Versioned, Base):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # order on the agenda; Part B items always come last
    minute_number: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind), default=ItemKind.REPORT)
    purpose: Mapped[str] = mapped_column(Text, default="")
    report_of: Mapped[str] = mapped_column(String(300), default="")
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    presenter_name: Mapped[str] = mapped_column(String(200), default="")  # free text when not a known person
    presenter_role: Mapped[str] = mapped_column(String(200), default="")
    is_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    exempt_paragraphs: Mapped[str] = mapped_column(String(40), default="")  # "3" or "1,2"
    public_title: Mapped[str] = mapped_column(String(500), default="")
    # Added after the agenda was published: a late item, and the reason for urgency (s.100B(4); migration 0005).
    is_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    urgency_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    minutes_body: Mapped[str] = mapped_column(Text, default="[]")  # JSON blocks, see paperprep.blocks
    minutes_text: Mapped[str] = mapped_column(Text, default="")  # plain text of the body, for search
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    presenter: Mapped[Person | None] = relationship(lazy="joined")
    topic: Mapped[Topic | None] = relationship(lazy="joined")
    resolutions: Mapped[list[Resolution]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Resolution.position"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Action.number"
    )
    inspection: Mapped[InspectionSummary | None] = relationship(
        back_populates="item", cascade="all, delete-orphan", uselist=False
    )

    __table_args__ = (Index("ix_items_meeting_position", "meeting_id", "position"),)

    @property
    def paragraphs(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.exempt_paragraphs.split(",") if p.strip().isdigit())


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[AttachmentKind] = mapped_column(_enum(AttachmentKind), default=AttachmentKind.REPORT)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    page_count: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    stored_name: Mapped[str] = mapped_column(String(300), default="")  # the managed copy, by content hash
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    item: Mapped[AgendaItem] = relationship(back_populates="attachments")


class Declaration(Base):
    __tablename__ = "declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    type: Mapped[DeclarationType] = mapped_column(_enum(DeclarationType))
    nature: Mapped[str] = mapped_column(Text, default="")
    # What the member did: remained, left the room and took no part, or did not vote (migration 0004).
    outcome: Mapped[DeclarationOutcome] = mapped_column(
        _enum(DeclarationOutcome), default=DeclarationOutcome.REMAINED, server_default="remained"
    )

    meeting: Mapped[Meeting] = relationship(back_populates="declarations")
    item: Mapped[AgendaItem | None] = relationship(lazy="joined")
    person: Mapped[Person] = relationship(lazy="joined")


class Resolution(Versioned, Base):
    __tablename__ = "resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    wording: Mapped[ResolutionWording] = mapped_column(
        _enum(ResolutionWording), default=ResolutionWording.RESOLVED
    )
    keyword: Mapped[str] = mapped_column(
        String(60), default=""
    )  # the clerk's own keyword when wording is OTHER
    text: Mapped[str] = mapped_column(Text, default="")
    parts: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of strings: the numbered parts

    item: Mapped[AgendaItem] = relationship(back_populates="resolutions")
    votes: Mapped[list[RecordedVote]] = relationship(
        back_populates="resolution", cascade="all, delete-orphan", lazy="selectin"
    )


class RecordedVote(Base):
    __tablename__ = "recorded_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    resolution_id: Mapped[int] = mapped_column(ForeignKey("resolutions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    vote: Mapped[Vote] = mapped_column(_enum(Vote))

    resolution: Mapped[Resolution] = relationship(back_populates="votes")
    person: Mapped[Person] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("resolution_id", "person_id", name="uq_vote_person"),)


class Action(Versioned, Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    resolution_id: Mapped[int | None] = mapped_column(
        ForeignKey("resolutions.id", ondelete="SET NULL"), index=True
    )
    number: Mapped[int] = mapped_column(Integer, default=1)  # the n in "CSSC 57/n"
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus), default=ActionStatus.OPEN)
    rag: Mapped[Rag] = mapped_column(_enum(Rag), default=Rag.NONE)
    notes: Mapped[str] = mapped_column(Text, default="")
    source_finding: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    # The action as the approved minutes record it (migration 0006), set at approval. The columns above go on
    # recording its progress (a revised due date, a new owner) in the action log; the minutes keep these.
    minuted_text: Mapped[str | None] = mapped_column(Text, default=None)
    minuted_owner: Mapped[str | None] = mapped_column(String(200), default=None)
    minuted_due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)

    item: Mapped[AgendaItem] = relationship(back_populates="actions")
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ActionUpdate.date, ActionUpdate.id)",
        lazy="selectin",
    )

    __table_args__ = (
        Index("ix_actions_item_number", "item_id", "number"),
        Index("ix_actions_status_due", "status", "due_date"),
        Index("ix_actions_owner", "owner"),
    )


class ActionUpdate(Base):
    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)

    action: Mapped[Action] = relationship(back_populates="updates")


class AuditEntry(Base):
    """A change to minutes that were ever approved: approval, reopening (with the reason), and every row changed
    since (paperprep.ops.base writes them). The trail outlives nothing: a meeting that has one cannot be deleted,
    and the foreign key, checked at commit, never cascades."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", deferrable=True, initially="DEFERRED"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    event: Mapped[AuditEvent] = mapped_column(_enum(AuditEvent))
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(100), default="")
    # The database account (migration 0008): filled by the server's current_user on PostgreSQL, "" on SQLite.
    db_user: Mapped[str] = mapped_column(String(100), server_default="")


class InspectionSummary(Versioned, Base):
    """The structured facts of an inspection or visit reported to a committee, attached to an agenda item."""

    __tablename__ = "inspection_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    inspectorate: Mapped[Inspectorate] = mapped_column(_enum(Inspectorate), default=Inspectorate.OFSTED)
    framework: Mapped[InspectionFramework] = mapped_column(
        _enum(InspectionFramework), default=InspectionFramework.ILACS_2018
    )
    activity: Mapped[InspectionActivity] = mapped_column(
        _enum(InspectionActivity), default=InspectionActivity.FOCUSED_VISIT
    )
    service: Mapped[str] = mapped_column(String(200), default="", index=True)
    fieldwork_start: Mapped[dt.date | None] = mapped_column(Date)
    fieldwork_end: Mapped[dt.date | None] = mapped_column(Date)
    inspectors: Mapped[int | None] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    overall: Mapped[Judgement] = mapped_column(_enum(Judgement), default=Judgement.NOT_GRADED)
    judgements: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{"area":..., "grade":...}]
    previous_date: Mapped[dt.date | None] = mapped_column(Date)
    previous_judgement: Mapped[Judgement | None] = mapped_column(_enum(Judgement))
    strengths: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of strings
    areas_for_improvement: Mapped[str] = mapped_column(Text, default="[]")
    priority_actions: Mapped[str] = mapped_column(Text, default="[]")
    next_steps: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{"text":..., "due": "2022-11-01"}]
    action_plan_due: Mapped[dt.date | None] = mapped_column(Date)
    letter_attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    # Added by migration 0007. How much of each date is known ("day", "month" or "year"): a visit "in May 2021"
    # is stored as 2021-05-01 with precision "month", and shown as "May 2021", never as 01/05/2021.
    fieldwork_start_precision: Mapped[str] = mapped_column(String(8), default="day", server_default="day")
    fieldwork_end_precision: Mapped[str] = mapped_column(String(8), default="day", server_default="day")
    previous_date_precision: Mapped[str] = mapped_column(String(8), default="day", server_default="day")
    action_plan_due_precision: Mapped[str] = mapped_column(String(8), default="day", server_default="day")
    # The due date as the report gave it, when it is no date: "within 70 working days".
    action_plan_due_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Every inspectorate named; for a joint inspection, its members. JSON list of Inspectorate values.
    inspectorates: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # The visit gives no graded judgement (a focused or monitoring visit, a narrative letter).
    no_graded_judgement: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The report names no priority actions. True by default, since an empty list has always meant none; a pasted
    # minute that does not say sets it False, and then the minutes say nothing about priority actions.
    no_priority_actions: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # How the minutes print the summary: "table" (the facts, and the lists the narrative does not already state)
    # or "narrative" (the facts only: the minute's narrative carries the lists).
    display: Mapped[str] = mapped_column(String(16), default="table", server_default="table")

    item: Mapped[AgendaItem] = relationship(back_populates="inspection")
