"""Snapshots: frozen records of a meeting for an audience, and of actions for the action log.

This is the single place where exempt (Part B) content is filtered out. A public snapshot holds, for each exempt
item, only its minute number, its neutral public title and its Schedule 12A paragraph(s). Exporters that receive a
public record therefore cannot leak what they were never given; `exempt_texts` lists the confidential text so that
exporters can prove it, by searching the finished file before writing it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Declaration,
    InspectionSummary,
    Meeting,
    Person,
    Resolution,
    Setting,
)
from paperprep.domain import Audience, ItemKind, Judgement, MembershipRole
from paperprep.records import (
    ActionRecord,
    ActionUpdateRecord,
    AttachmentRecord,
    AttendanceRecord,
    CommitteeRecord,
    DeclarationRecord,
    InspectionRecord,
    ItemRecord,
    JudgementRecord,
    MeetingRecord,
    MemberRecord,
    NextStepRecord,
    PersonRecord,
    PresenterRecord,
    RecordedVoteRecord,
    ResolutionRecord,
)
from paperprep.services import standard_items as SI
from paperprep.services.agenda import DEFAULT_PUBLIC_TITLE, exclusion_motion_text
from paperprep.services.committees import members_on
from paperprep.services.deadlines import publication_deadline
from paperprep.services.meetings import get_meeting, previous_meeting
from paperprep.services.minutes import resolution_parts
from paperprep.services.numbering import meeting_action_reference, meeting_minute_ref

DEFAULT_COUNCIL = "The Council"


def council_name(session: Session) -> str:
    setting = session.get(Setting, "council_name")
    return setting.value if setting and setting.value else DEFAULT_COUNCIL


def set_council_name(session: Session, name: str) -> None:
    session.merge(Setting(key="council_name", value=" ".join(name.split())))
    session.flush()


def committee_record(committee: Committee) -> CommitteeRecord:
    return CommitteeRecord(
        committee.id,
        committee.name,
        committee.code,
        committee.kind,
        committee.numbering,
        committee.year_start_month,
    )


def person_record(person: Person) -> PersonRecord:
    return PersonRecord(person.id, person.name, person.kind, person.title)


def _attendance_record(row: Attendance, roles: dict[int, MembershipRole]) -> AttendanceRecord:
    return AttendanceRecord(
        person_record(row.person),
        row.status,
        person_record(row.substitute_for) if row.substitute_for else None,
        roles.get(row.person_id),
    )


def action_record(action: Action) -> ActionRecord:
    item = action.item
    meeting = item.meeting
    committee = meeting.committee
    ref = meeting_minute_ref(meeting, item.minute_number)
    return ActionRecord(
        id=action.id,
        reference=meeting_action_reference(meeting, item.minute_number, action.number),
        committee_name=committee.name,
        committee_code=committee.code,
        meeting_id=meeting.id,
        meeting_date=meeting.date,
        minute_ref=ref,
        item_title=item.public_title if item.is_exempt else item.title,
        text=action.text,
        owner=action.owner,
        due_date=action.due_date,
        status=action.status,
        rag=action.rag,
        updates=tuple(ActionUpdateRecord(u.date, u.text) for u in action.updates),
        notes=action.notes,
        updated_at=action.updated_at,
        source_finding=action.source_finding,
        version=action.version,
    )


def action_records(actions: Iterable[Action], audience: Audience) -> list[ActionRecord]:
    """Action log rows for an audience. A public log leaves out every action of an exempt item."""
    return [action_record(a) for a in actions if audience is Audience.CONFIDENTIAL or not a.item.is_exempt]


def _load_json_list(raw: str) -> list[object]:
    try:
        data = json.loads(raw or "[]")
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def _date(raw: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def inspection_record(summary: InspectionSummary) -> InspectionRecord:
    judgements = []
    for entry in _load_json_list(summary.judgements):
        if isinstance(entry, dict) and entry.get("area"):
            try:
                judgements.append(JudgementRecord(str(entry["area"]), Judgement(str(entry.get("grade")))))
            except ValueError:
                continue
    steps = tuple(
        NextStepRecord(str(s.get("text", "")), _date(s.get("due")))
        for s in _load_json_list(summary.next_steps)
        if isinstance(s, dict) and s.get("text")
    )
    return InspectionRecord(
        id=summary.id,
        inspectorate=summary.inspectorate,
        framework=summary.framework,
        activity=summary.activity,
        service=summary.service,
        fieldwork_start=summary.fieldwork_start,
        fieldwork_end=summary.fieldwork_end,
        inspectors=summary.inspectors,
        scope=summary.scope,
        published_on=summary.published_on,
        overall=summary.overall,
        judgements=tuple(judgements),
        previous_date=summary.previous_date,
        previous_judgement=summary.previous_judgement,
        strengths=tuple(str(s) for s in _load_json_list(summary.strengths)),
        areas_for_improvement=tuple(str(s) for s in _load_json_list(summary.areas_for_improvement)),
        priority_actions=tuple(str(s) for s in _load_json_list(summary.priority_actions)),
        next_steps=steps,
        action_plan_due=summary.action_plan_due,
        letter_attachment_id=summary.letter_attachment_id,
        letter_file_name=next(
            (a.file_name for a in summary.item.attachments if a.id == summary.letter_attachment_id), ""
        ),
    )


def _presenter(item: AgendaItem) -> PresenterRecord | None:
    if item.presenter is not None:
        person = person_record(item.presenter)
        return PresenterRecord(person.display_name, item.presenter_role or item.presenter.title)
    if item.presenter_name:
        return PresenterRecord(item.presenter_name, item.presenter_role)
    return None


def declaration_record(declaration: Declaration, audience: Audience) -> DeclarationRecord:
    """A declaration as `audience` may read it: an exempt item is named by its public title in public."""
    item = declaration.item
    item_title = None
    if item is not None:
        exempt = item.is_exempt and audience is Audience.PUBLIC
        item_title = (item.public_title or DEFAULT_PUBLIC_TITLE) if exempt else item.title
    return DeclarationRecord(
        person_record(declaration.person),
        declaration.type,
        declaration.nature,
        meeting_minute_ref(item.meeting, item.minute_number) if item is not None else None,
        item_title,
        item_id=item.id if item is not None else None,
        outcome=declaration.outcome,
        text=SI.declaration_sentence(declaration, audience),
    )


def _resolution_record(r: Resolution) -> ResolutionRecord:
    return ResolutionRecord(
        r.id,
        r.wording,
        r.text,
        tuple(resolution_parts(r)),
        tuple(RecordedVoteRecord(person_record(v.person), v.vote) for v in r.votes),
        r.keyword or r.wording.label,
    )


def item_record(item: AgendaItem, audience: Audience, session: Session | None = None) -> ItemRecord:
    """The item as `audience` may see it. With a session, a standard item the clerk has not written shows the
    text written from the data, and the previous minutes their proposed resolution."""
    meeting = item.meeting
    ref = meeting_minute_ref(meeting, item.minute_number)
    if item.is_exempt and audience is Audience.PUBLIC:
        return ItemRecord(
            id=item.id,
            position=item.position,
            minute_number=item.minute_number,
            minute_ref=ref,
            title=item.public_title or DEFAULT_PUBLIC_TITLE,
            kind=ItemKind.OTHER,
            is_exempt=True,
            exempt_paragraphs=item.paragraphs,
            redacted=True,
        )
    resolutions = tuple(_resolution_record(r) for r in item.resolutions)
    blocks, generated = B.loads(item.minutes_body), False
    proposed = None
    if session is not None:
        blocks, generated = SI.minute_blocks(session, item, audience)
        proposed = SI.proposed_resolution(session, item)
    if proposed is not None:
        resolutions = (ResolutionRecord(0, proposed.wording, proposed.text, (), (), proposed.wording.label),)
    return ItemRecord(
        id=item.id,
        position=item.position,
        minute_number=item.minute_number,
        minute_ref=ref,
        title=item.title,
        kind=item.kind,
        is_exempt=item.is_exempt,
        exempt_paragraphs=item.paragraphs,
        redacted=False,
        purpose=item.purpose,
        report_of=item.report_of,
        presenter=_presenter(item),
        topic=item.topic.name if item.topic else "",
        blocks=blocks,
        resolutions=resolutions,
        actions=tuple(action_record(a) for a in item.actions),
        attachments=tuple(
            AttachmentRecord(a.id, a.file_name, a.kind, a.size_bytes, a.page_count, a.sha256)
            for a in item.attachments
        ),
        inspection=inspection_record(item.inspection) if item.inspection is not None else None,
        declarations=tuple(
            declaration_record(d, audience)
            for d in sorted(meeting.declarations, key=lambda d: (d.person.name, d.id))
            if d.item_id == item.id
        ),
        generated=generated,
        generated_resolution=proposed is not None,
    )


def approved_at(session: Session, meeting: Meeting) -> str:
    """ "the meeting of the Cabinet held on 12 March 2026": the committee's meeting on the day its minutes were
    approved; "" when they are not approved, or no meeting of the committee was held that day."""
    if meeting.approved_on is None:
        return ""
    held = session.scalar(
        select(Meeting.id).where(
            Meeting.committee_id == meeting.committee_id,
            Meeting.date == meeting.approved_on,
            Meeting.id != meeting.id,
        )
    )
    if held is None:
        return ""
    return f"the meeting of the {meeting.committee.name} held on {SI.long_date(meeting.approved_on)}"


def build_meeting_record(session: Session, meeting_id: int, audience: Audience) -> MeetingRecord:
    """The meeting as `audience` may see it."""
    meeting = get_meeting(session, meeting_id)
    committee = meeting.committee
    memberships = members_on(committee, meeting.date)
    roles = {m.person_id: m.role for m in memberships}
    items = sorted(meeting.items, key=lambda i: i.position)
    positions = {i.id: i.position for i in items}
    declarations = [
        declaration_record(d, audience)
        for d in sorted(
            meeting.declarations,
            key=lambda d: (positions.get(d.item_id, -1) if d.item_id else -1, d.person.name, d.id),
        )
    ]
    paragraphs = {p for i in items if i.is_exempt for p in i.paragraphs}
    previous = previous_meeting(session, meeting)
    return MeetingRecord(
        id=meeting.id,
        audience=audience,
        committee=committee_record(committee),
        date=meeting.date,
        start_time=meeting.start_time,
        close_time=meeting.close_time,
        venue=meeting.venue,
        status=meeting.status,
        published_on=meeting.published_on,
        publication_deadline=publication_deadline(meeting.date),
        contact_officer=meeting.contact_officer,
        council_name=council_name(session),
        members=tuple(MemberRecord(person_record(m.person), m.role) for m in memberships),
        attendance=tuple(_attendance_record(a, roles) for a in meeting.attendance),
        declarations=tuple(declarations),
        items=tuple(item_record(i, audience, session) for i in items),
        carried_actions=tuple(action_records(SI.matters_arising(session, meeting, audience), audience)),
        exclusion_motion=exclusion_motion_text(paragraphs),
        approved_on=meeting.approved_on,
        approved_at=approved_at(session, meeting),
        previous_meeting_on=previous.date if previous is not None else None,
    )


def exempt_texts(session: Session, meeting_id: int) -> tuple[list[str], list[str]]:
    """The titles and the texts of the meeting's exempt items, which a public document must not contain.

    Names of officers and report authors are not included: they appear on public items too.
    """
    meeting = get_meeting(session, meeting_id)
    titles: list[str] = []
    texts: list[str] = []
    for item in meeting.items:
        if not item.is_exempt:
            continue
        if item.title != (item.public_title or DEFAULT_PUBLIC_TITLE):
            titles.append(item.title)
        texts.append(item.purpose)
        texts += [b.text for b in B.loads(item.minutes_body)]
        for r in item.resolutions:
            texts.append(r.text)
            texts += resolution_parts(r)
        for a in item.actions:
            texts += [a.text, a.notes] + [u.text for u in a.updates]
        titles += [a.file_name for a in item.attachments]
    clean = [" ".join(t.split()) for t in titles], [" ".join(t.split()) for t in texts]
    return [t for t in clean[0] if t], [t for t in clean[1] if t]
