"""What the meeting workspace shows: the heading, agenda, item details, attendance, the minute of an item, actions
and the inspection summary, each as frozen records read in one transaction.

A function of a record that no longer exists (an item removed in another window, a meeting deleted) returns None
rather than raising, so a view refreshed after the change can simply show nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy.orm import Session, defaultload, joinedload, lazyload, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from paperprep import blocks as B
from paperprep.db.models import Action, AgendaItem, Attachment, Committee, Meeting
from paperprep.domain import (
    ActionStatus,
    AttendanceStatus,
    Audience,
    ItemKind,
    MeetingStatus,
    ResolutionWording,
)
from paperprep.formats import clock, presenter, uk_date, uk_long_date
from paperprep.records import ActionRecord, AttachmentRecord, InspectionRecord
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import minutes as MI
from paperprep.services.deadlines import deadline_warning, publication_deadline
from paperprep.services.numbering import meeting_action_reference, meeting_minute_ref
from paperprep.services.snapshot import as_minuted, inspection_record, minute_as_shown
from paperprep.services.topics import list_topics

# -- the heading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingHeading:
    id: int
    text: str  # "Children & Learning Scrutiny: Tuesday 8 July 2025, 18:30, Council Chamber"
    status: MeetingStatus
    deadline_line: str  # "Agenda to be published by 27/06/2025", with a warning when close
    locked: bool
    version: int


# A meeting loads its items and its committee's members eagerly by default: what most services want. But each
# panel reads in its own session, so the heading, the attendance and an item's details each loaded every item of
# the meeting, and the agenda each item's documents one by one. Each query here says what it reads; whatever else
# it touches still loads, when touched. Built on first use: making the option sets up every mapper, which the
# start leaves until the window first reads a meeting.
@functools.cache
def _no_members() -> ORMOption:
    return defaultload(Meeting.committee).lazyload(Committee.memberships)


def _meeting(session: Session, meeting_id: int, items: ORMOption | None = None) -> Meeting | None:
    """The meeting and its committee; its items only with `items` (how to load them), or when touched."""
    return session.get(Meeting, meeting_id, options=(items or lazyload(Meeting.items), _no_members()))


def _item(session: Session, item_id: int) -> AgendaItem | None:
    """The item, its meeting and committee joined, in one query; the meeting's other items only when touched."""
    meeting = joinedload(AgendaItem.meeting)
    return session.get(
        AgendaItem,
        item_id,
        options=(
            meeting.lazyload(Meeting.items),
            meeting.defaultload(Meeting.committee).lazyload(Committee.memberships),
        ),
    )


def meeting_heading(session: Session, meeting_id: int, today: dt.date | None = None) -> MeetingHeading | None:
    m = _meeting(session, meeting_id)
    if m is None:
        return None
    when = uk_long_date(m.date) + (f", {clock(m.start_time)}" if m.start_time else "")
    text = f"{m.committee.name}: {when}" + (f", {m.venue}" if m.venue else "")
    if m.published_on:
        line = f"Agenda published {uk_date(m.published_on)}"
    else:
        line = f"Agenda to be published by {uk_date(publication_deadline(m.date))}"
    warning = deadline_warning(m.date, m.published_on, today or dt.date.today())
    if warning:
        line += f"  \u26a0 {warning}"
    return MeetingHeading(m.id, text, m.status, line, m.is_locked, m.version)


# -- the agenda -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgendaRow:
    id: int
    minute_ref: str
    title: str
    kind: str  # the kind's label, "Report"
    is_exempt: bool
    paragraphs: str  # "3" or "1,2"
    who: str  # report of, or the presenter
    attachments: str  # the documents' names
    public_title: str = ""
    version: int = 1
    is_late: bool = False  # added after the agenda was published, with a reason for urgency
    urgency_reason: str = ""


@dataclass(frozen=True, slots=True)
class Agenda:
    meeting_id: int
    rows: tuple[AgendaRow, ...]
    locked: bool
    # The agenda is out and the minutes not approved: changing it needs a supplementary agenda or a
    # republication notice, or the Chair's agreement that a late item is urgent.
    published: bool = False


def _presenter_name(item: AgendaItem) -> str:
    return item.presenter.name if item.presenter else item.presenter_name


def agenda(session: Session, meeting_id: int) -> Agenda | None:
    meeting = _meeting(session, meeting_id, selectinload(Meeting.items).selectinload(AgendaItem.attachments))
    if meeting is None:
        return None
    rows = tuple(
        AgendaRow(
            item.id,
            meeting_minute_ref(meeting, item.minute_number),
            item.title,
            item.kind.label,
            item.is_exempt,
            item.exempt_paragraphs,
            item.report_of or _presenter_name(item),
            ", ".join(a.file_name for a in item.attachments),
            item.public_title,
            item.version,
            item.is_late,
            item.urgency_reason,
        )
        for item in sorted(meeting.items, key=lambda i: i.position)
    )
    return Agenda(meeting.id, rows, meeting.is_locked, A.agenda_published(meeting))


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    name: str
    kind: str  # the kind's label, "Report" or "Appendix"
    size: str  # "PDF 136 KB"
    stored_name: str


@dataclass(frozen=True, slots=True)
class ItemDetails:
    id: int
    meeting_id: int
    title: str
    kind: ItemKind
    purpose: str
    report_of: str
    topic: str  # the topic followed across meetings, or ""
    topics: tuple[str, ...]  # every topic, for the choice
    documents: tuple[DocumentRow, ...]
    locked: bool
    version: int


def _documents(item: AgendaItem) -> tuple[DocumentRow, ...]:
    return tuple(
        DocumentRow(
            a.id,
            a.file_name,
            a.kind.label,
            AttachmentRecord(a.id, a.file_name, a.kind, a.size_bytes, a.page_count, a.sha256).size_text,
            a.stored_name,
        )
        for a in item.attachments
    )


def item_details(session: Session, item_id: int) -> ItemDetails | None:
    item = _item(session, item_id)
    if item is None:
        return None
    return ItemDetails(
        item.id,
        item.meeting_id,
        item.title,
        item.kind,
        item.purpose,
        item.report_of,
        item.topic.name if item.topic else "",
        tuple(t.name for t in list_topics(session)),
        _documents(item),
        item.meeting.is_locked,
        item.version,
    )


def stored_file_name(session: Session, attachment_id: int) -> str:
    """The managed copy's file name beside the database, or "" if the document is gone."""
    attachment = session.get(Attachment, attachment_id)
    return attachment.stored_name if attachment is not None else ""


# -- attendance -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    id: int  # the person's id
    name: str
    role: str
    status: AttendanceStatus | None
    substitute_for: str
    is_member: bool


@dataclass(frozen=True, slots=True)
class AttendanceList:
    meeting_id: int
    rows: tuple[AttendanceRow, ...]
    locked: bool


def attendance(session: Session, meeting_id: int) -> AttendanceList | None:
    meeting = _meeting(session, meeting_id)
    if meeting is None:
        return None
    recorded = {a.person_id: a for a in meeting.attendance}
    out: list[AttendanceRow] = []
    seen: set[int] = set()
    for m in C.members_on(meeting.committee, meeting.date):
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
        out.append(
            AttendanceRow(
                a.person_id,
                a.person.name,
                a.person.title or a.person.kind.label,
                a.status,
                a.substitute_for.name if a.substitute_for else "",
                False,
            )
        )
    return AttendanceList(meeting.id, tuple(out), meeting.is_locked)


# -- the minute of an item ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemChoice:
    id: int
    label: str  # "57. Ofsted focused visit (Part B)"


def minute_items(session: Session, meeting_id: int) -> tuple[ItemChoice, ...]:
    meeting = _meeting(session, meeting_id, selectinload(Meeting.items))
    if meeting is None:
        return ()
    return tuple(
        ItemChoice(
            i.id,
            f"{meeting_minute_ref(meeting, i.minute_number)}. {i.title}"
            + (" (Part B)" if i.is_exempt else ""),
        )
        for i in sorted(meeting.items, key=lambda i: i.position)
    )


@dataclass(frozen=True, slots=True)
class ResolutionRow:
    id: int
    wording: ResolutionWording
    keyword: str  # as printed: "RESOLVED", or the clerk's own
    text: str
    parts: tuple[str, ...]
    version: int


@dataclass(frozen=True, slots=True)
class ItemActionRow:
    id: int
    reference: str  # "CSSC 57/1"
    text: str
    owner: str
    due: str  # dd/mm/yyyy or ""
    status: ActionStatus
    version: int


@dataclass(frozen=True, slots=True)
class DeclarationRow:
    id: int
    person: str
    type: str  # the type's label
    nature: str
    outcome: str = ""  # the outcome's label: "remained in the meeting", "left the room and took no part"...


@dataclass(frozen=True, slots=True)
class ItemMinute:
    item_id: int
    meeting_id: int
    blocks: tuple[B.Block, ...]
    presenter: str
    role: str
    resolutions: tuple[ResolutionRow, ...]
    actions: tuple[ItemActionRow, ...]
    declarations: tuple[DeclarationRow, ...]
    locked: bool
    version: int  # the item's
    # True while the clerk has not written this standard item's minute: `blocks` were written from the data,
    # and follow it until the clerk edits them.
    generated: bool = False
    proposed_resolution: str = ""  # "RESOLVED - That the minutes of the meeting held on ...", or ""

    @property
    def presenter_text(self) -> str:
        return presenter(self.presenter, self.role)


def item_minute(session: Session, item_id: int) -> ItemMinute | None:
    item = _item(session, item_id)
    if item is None:
        return None
    meeting = item.meeting
    blocks, generated, proposed = minute_as_shown(session, item, Audience.CONFIDENTIAL)
    minuted = {a.id: as_minuted(a) for a in item.actions}
    return ItemMinute(
        item.id,
        meeting.id,
        blocks,
        _presenter_name(item),
        item.presenter_role or (item.presenter.title if item.presenter else ""),
        tuple(
            ResolutionRow(
                r.id,
                r.wording,
                r.keyword or r.wording.label,
                r.text,
                tuple(MI.resolution_parts(r)),
                r.version,
            )
            for r in item.resolutions
        ),
        tuple(
            ItemActionRow(
                a.id,
                meeting_action_reference(meeting, item.minute_number, a.number),
                minuted[a.id][0],
                minuted[a.id][1],
                uk_date(minuted[a.id][2]),
                a.status,
                a.version,
            )
            for a in item.actions
        ),
        tuple(
            DeclarationRow(d.id, d.person.name, d.type.label, d.nature, d.outcome.label)
            for d in meeting.declarations
            if d.item_id == item_id
        ),
        meeting.is_locked,
        item.version,
        generated,
        f"{proposed.wording.label} - {proposed.text}" if proposed is not None else "",
    )


@dataclass(frozen=True, slots=True)
class PersonChoice:
    id: int
    name: str


def declaration_people(session: Session, meeting_id: int) -> tuple[PersonChoice, ...]:
    """Who may declare an interest: the members on the day, and everyone recorded as attending."""
    meeting = _meeting(session, meeting_id)
    if meeting is None:
        return ()
    names = {m.person_id: m.person.name for m in C.members_on(meeting.committee, meeting.date)}
    names.update({a.person_id: a.person.name for a in meeting.attendance})
    return tuple(PersonChoice(pid, name) for pid, name in sorted(names.items(), key=lambda p: p[1]))


# -- actions ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingActions:
    meeting_id: int
    own: tuple[ActionRecord, ...]
    carried: tuple[ActionRecord, ...]  # open actions of the committee's earlier meetings: matters arising


def meeting_actions(session: Session, meeting_id: int) -> MeetingActions | None:
    meeting = _meeting(session, meeting_id)
    if meeting is None:
        return None
    # Core rows straight into the records, as the action log reads: the matters arising of ten years are
    # a thousand actions, too many to build as objects each time a meeting opens.
    own = AC.action_log_records(session, AC.ActionFilter(meeting_id=meeting_id))
    carried = AC.action_log_records(session, AC.carried_forward_filter(meeting))
    return MeetingActions(meeting.id, tuple(own), tuple(carried))


def action_owners(session: Session) -> list[str]:
    """Everyone named as an action's owner so far, to pick from."""
    return AC.owners(session)


@dataclass(frozen=True, slots=True)
class ActionResolutions:
    """The resolutions of an action's item, one of which the action may come from."""

    action_id: int
    current: int | None  # the resolution the action comes from, or None
    choices: tuple[tuple[int, str], ...]  # (id, "RESOLVED - That the plan be approved")
    version: int  # the action's


def action_resolutions(session: Session, action_id: int) -> ActionResolutions | None:
    action = session.get(Action, action_id)
    if action is None:
        return None
    choices = []
    for n, r in enumerate(action.item.resolutions, start=1):
        words = " ".join((r.text or "; ".join(MI.resolution_parts(r))).split())
        if len(words) > 90:
            words = words[:89] + "\u2026"
        choices.append((r.id, f"{n}. {r.keyword or r.wording.label} - {words}"))
    return ActionResolutions(action.id, action.resolution_id, tuple(choices), action.version)


# -- the inspection summary -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemInspection:
    item_id: int
    meeting_id: int
    record: InspectionRecord | None  # None: the item reports no inspection
    version: int | None  # the summary's
    locked: bool
    documents: tuple[DocumentRow, ...]  # the item's documents, one of which may be the letter


def item_inspection(session: Session, item_id: int) -> ItemInspection | None:
    item = _item(session, item_id)
    if item is None:
        return None
    summary = item.inspection
    return ItemInspection(
        item.id,
        item.meeting_id,
        inspection_record(summary) if summary is not None else None,
        summary.version if summary is not None else None,
        item.meeting.is_locked,
        _documents(item),
    )
