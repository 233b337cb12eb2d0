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

from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    InspectionSummary,
    Person,
    Setting,
)
from paperprep.domain import Audience, ItemKind, Judgement, MembershipRole
from paperprep.formats import action_reference
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
from paperprep.services.actions import carried_forward
from paperprep.services.agenda import DEFAULT_PUBLIC_TITLE, exclusion_motion_text
from paperprep.services.committees import members_on
from paperprep.services.deadlines import publication_deadline
from paperprep.services.meetings import get_meeting
from paperprep.services.minutes import resolution_parts
from paperprep.services.numbering import meeting_minute_ref

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
        reference=action_reference(committee.code, ref, action.number),
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


def item_record(item: AgendaItem, audience: Audience) -> ItemRecord:
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
    resolutions = tuple(
        ResolutionRecord(
            r.id,
            r.wording,
            r.text,
            tuple(resolution_parts(r)),
            tuple(RecordedVoteRecord(person_record(v.person), v.vote) for v in r.votes),
            r.keyword or r.wording.label,
        )
        for r in item.resolutions
    )
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
        blocks=B.loads(item.minutes_body),
        resolutions=resolutions,
        actions=tuple(action_record(a) for a in item.actions),
        attachments=tuple(
            AttachmentRecord(a.id, a.file_name, a.kind, a.size_bytes, a.page_count, a.sha256)
            for a in item.attachments
        ),
        inspection=inspection_record(item.inspection) if item.inspection is not None else None,
    )


def build_meeting_record(session: Session, meeting_id: int, audience: Audience) -> MeetingRecord:
    """The meeting as `audience` may see it."""
    meeting = get_meeting(session, meeting_id)
    committee = meeting.committee
    memberships = members_on(committee, meeting.date)
    roles = {m.person_id: m.role for m in memberships}
    items = sorted(meeting.items, key=lambda i: i.position)
    refs = {i.id: meeting_minute_ref(meeting, i.minute_number) for i in items}
    declarations = []
    for d in meeting.declarations:
        item_title = None
        if d.item is not None:
            item_title = (
                (d.item.public_title or DEFAULT_PUBLIC_TITLE)
                if (d.item.is_exempt and audience is Audience.PUBLIC)
                else d.item.title
            )
        declarations.append(
            DeclarationRecord(
                person_record(d.person),
                d.type,
                d.nature,
                refs.get(d.item_id) if d.item_id else None,
                item_title,
            )
        )
    paragraphs = {p for i in items if i.is_exempt for p in i.paragraphs}
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
        items=tuple(item_record(i, audience) for i in items),
        carried_actions=tuple(action_records(carried_forward(session, meeting), audience)),
        exclusion_motion=exclusion_motion_text(paragraphs),
        approved_on=meeting.approved_on,
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
