"""Snapshots: frozen records of a meeting for an audience, and of actions for the action log.

This is the single place where exempt (Part B) content is filtered out. A public snapshot holds, for each exempt
item, only its minute number, its neutral public title and its Schedule 12A paragraph(s). Exporters that receive a
public record therefore cannot leak what they were never given; `exempt_texts` lists the confidential text so that
exporters can prove it, by searching the finished file before writing it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session, contains_eager, selectinload

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
from paperprep.domain import Audience, Inspectorate, ItemKind, Judgement, MembershipRole, ResolutionWording
from paperprep.formats import exempt_notice
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
from paperprep.services.decisions import DecisionRow
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


def as_minuted(action: Action) -> tuple[str, str, dt.date | None]:
    """(wording, owner, due date) as the minutes record the action: frozen at approval while the minutes are
    approved, so that progress in the action log (a new owner, a revised date) never rewrites them."""
    if action.item.meeting.is_locked and action.minuted_text is not None:
        return action.minuted_text, action.minuted_owner or "", action.minuted_due_date
    return action.text, action.owner, action.due_date


def minuted_action_record(action: Action) -> ActionRecord:
    """The action as its meeting's minutes print it (see as_minuted)."""
    text, owner, due = as_minuted(action)
    return replace(action_record(action), text=text, owner=owner, due_date=due)


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
        fieldwork_start_precision=summary.fieldwork_start_precision or "day",
        fieldwork_end_precision=summary.fieldwork_end_precision or "day",
        previous_date_precision=summary.previous_date_precision or "day",
        action_plan_due_precision=summary.action_plan_due_precision or "day",
        action_plan_due_text=summary.action_plan_due_text or "",
        inspectorates=tuple(
            Inspectorate(str(v))
            for v in _load_json_list(summary.inspectorates)
            if str(v) in {i.value for i in Inspectorate}
        ),
        no_graded_judgement=bool(summary.no_graded_judgement),
        no_priority_actions=bool(summary.no_priority_actions),
        display=summary.display or "table",
    )


def _presenter(item: AgendaItem) -> PresenterRecord | None:
    if item.presenter is not None:
        person = person_record(item.presenter)
        return PresenterRecord(person.display_name, item.presenter_role or item.presenter.title)
    if item.presenter_name:
        return PresenterRecord(item.presenter_name, item.presenter_role)
    return None


def _exempt_in(item: AgendaItem | None, audience: Audience) -> bool:
    return item is not None and item.is_exempt and audience is Audience.PUBLIC


def declaration_sentence(declaration: Declaration, audience: Audience) -> str:
    """The sentence the minutes write. In public, a declaration about an exempt item names the member, the
    interest and the item's number and public title, never the nature of the interest (it would reveal the item)."""
    item = declaration.item
    if not _exempt_in(item, audience):
        return SI.declaration_sentence(declaration, audience)
    assert item is not None
    kind = declaration.type.label
    kind = kind[:1].lower() + kind[1:]
    article = "an " if kind[:1] in "aeiou" else "a "
    text = f"{SI.councillor_name(declaration.person)} declared {article}{kind}"
    title = item.public_title or DEFAULT_PUBLIC_TITLE
    ref = meeting_minute_ref(item.meeting, item.minute_number)
    text += f" in minute {ref}, {title}" if ref else f" in the item {title}"
    return f"{text}, and {declaration.outcome.label}."


def declaration_record(declaration: Declaration, audience: Audience) -> DeclarationRecord:
    """A declaration as `audience` may read it: about an exempt item, in public, only the member, the type of
    interest, the outcome and the item's number and public title."""
    item = declaration.item
    item_title = None
    exempt = _exempt_in(item, audience)
    if item is not None:
        item_title = (item.public_title or DEFAULT_PUBLIC_TITLE) if exempt else item.title
    return DeclarationRecord(
        person_record(declaration.person),
        declaration.type,
        "" if exempt else declaration.nature,
        meeting_minute_ref(item.meeting, item.minute_number) if item is not None else None,
        item_title,
        item_id=item.id if item is not None else None,
        outcome=declaration.outcome,
        text=declaration_sentence(declaration, audience),
    )


def _declaration_blocks(meeting: Meeting, audience: Audience) -> tuple[B.Block, ...]:
    """The declarations item's text written from the data, as `audience` may read it."""
    declarations = SI._declarations(meeting)  # the order the generated text has always had
    if not declarations:
        return (B.paragraph("There were no declarations of interest."),)
    return tuple(B.paragraph(declaration_sentence(d, audience)) for d in declarations)


def _resolution_record(r: Resolution) -> ResolutionRecord:
    return ResolutionRecord(
        r.id,
        r.wording,
        r.text,
        tuple(resolution_parts(r)),
        tuple(RecordedVoteRecord(person_record(v.person), v.vote) for v in r.votes),
        r.keyword or r.wording.label,
    )


def approved_text(meeting: Meeting) -> dict[str, Any] | None:
    """What approval froze of the minutes (freeze_minutes), while they are approved; None otherwise, and for
    minutes approved before it was kept."""
    if not meeting.is_locked or not meeting.approved_record:
        return None
    try:
        data = json.loads(meeting.approved_record)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _frozen_item(frozen: dict[str, Any] | None, item: AgendaItem) -> dict[str, Any] | None:
    items = frozen.get("items") if frozen is not None else None
    entry = items.get(str(item.id)) if isinstance(items, dict) else None
    return entry if isinstance(entry, dict) else None


def minute_as_shown(
    session: Session, item: AgendaItem, audience: Audience, live: bool = False
) -> tuple[tuple[B.Block, ...], bool, SI.ProposedResolution | None]:
    """(blocks, generated, proposed resolution) of the item's minute: the clerk's stored text, or the text
    written from the data; for approved minutes, that text as it was approved (unless `live`)."""
    entry = None if live else _frozen_item(approved_text(item.meeting), item)
    if entry is not None:
        blocks = B.loads(json.dumps(entry.get(audience.value) or []))
        raw = entry.get("resolution")
        proposed = (
            SI.ProposedResolution(ResolutionWording(raw["wording"]), str(raw["text"]))
            if isinstance(raw, dict)
            else None
        )
        return blocks, bool(blocks), proposed
    blocks, generated = SI.minute_blocks(session, item, audience)
    if generated and item.kind is ItemKind.DECLARATIONS:
        blocks = _declaration_blocks(item.meeting, audience)
    return blocks, generated, SI.proposed_resolution(session, item)


def item_record(
    item: AgendaItem, audience: Audience, session: Session | None = None, live: bool = False
) -> ItemRecord:
    """The item as `audience` may see it. With a session, a standard item the clerk has not written shows the
    text written from the data, and the previous minutes their proposed resolution: for approved minutes, as
    they were approved (unless `live`), with their actions as minuted."""
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
            is_late=item.is_late,
        )
    resolutions = tuple(_resolution_record(r) for r in item.resolutions)
    blocks, generated = B.loads(item.minutes_body), False
    proposed = None
    if session is not None:
        blocks, generated, proposed = minute_as_shown(session, item, audience, live)
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
        actions=tuple((action_record(a) if live else minuted_action_record(a)) for a in item.actions),
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
        is_late=item.is_late,
        urgency_reason=item.urgency_reason,
    )


def approved_at(session: Session, meeting: Meeting) -> str:
    """ "the meeting of the Cabinet held on 12 March 2026": the committee's meeting on the day its minutes were
    approved; "" when they are not approved, or no meeting of the committee was held that day."""
    if meeting.approved_on is None:
        return ""
    if meeting.approved_at_meeting_id is not None:  # recorded at approval
        at = session.get(Meeting, meeting.approved_at_meeting_id)
        if at is not None:
            return f"the meeting of the {at.committee.name} held on {SI.long_date(at.date)}"
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


def freeze_minutes(session: Session, meeting: Meeting) -> None:
    """Approval makes the minutes the record: keep what they say that is written from other data (the standard
    items' text, the proposed resolution, the approving meeting, members' roles, the council's name) and each
    action's wording, owner and due date as minuted. The approved minutes print these from now on.

    Written past the ORM, like minute numbers: derived, so no row's version moves and no open view conflicts."""
    items = sorted(meeting.items, key=lambda i: i.position)
    frozen: dict[str, Any] = {}
    for item in items:
        if B.loads(item.minutes_body):
            continue  # the clerk's own text, stored, and locked with the minutes
        entry: dict[str, Any] = {}
        proposed = None
        for audience in Audience:
            blocks, _generated, proposed = minute_as_shown(session, item, audience, live=True)
            entry[audience.value] = json.loads(B.dumps(blocks))
        entry["resolution"] = (
            {"wording": proposed.wording.value, "text": proposed.text} if proposed is not None else None
        )
        frozen[str(item.id)] = entry
    record = {
        "approved_at": approved_at(session, meeting),
        "council": council_name(session),
        "roles": {str(m.person_id): m.role.value for m in members_on(meeting.committee, meeting.date)},
        "items": frozen,
    }
    meetings = cast(Table, Meeting.__table__)
    session.execute(
        update(meetings)
        .where(meetings.c.id == meeting.id)
        .values(approved_record=json.dumps(record, ensure_ascii=False, sort_keys=True))
    )
    actions = cast(Table, Action.__table__)
    if items:
        session.execute(
            update(actions)
            .where(actions.c.item_id.in_([i.id for i in items]))
            .values(
                minuted_text=actions.c.text,
                minuted_owner=actions.c.owner,
                minuted_due_date=actions.c.due_date,
            )
        )
    session.expire_all()


def _load_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting with everything its record reads, in one query per relation: its items and their
    resolutions (with votes), actions (with updates), attachments and inspection, and its attendance and
    declarations. Each statement is compiled afresh in a new process (a CLI export), so none is asked for
    twice."""
    meeting = session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.items).options(
                selectinload(AgendaItem.resolutions),
                selectinload(AgendaItem.actions),
                selectinload(AgendaItem.attachments),
                selectinload(AgendaItem.inspection),
            ),
            selectinload(Meeting.attendance),
            selectinload(Meeting.declarations),
        )
    ).one_or_none()
    if meeting is None:
        return get_meeting(session, meeting_id)  # which says that there is no such meeting
    return meeting


def build_meeting_record(session: Session, meeting_id: int, audience: Audience) -> MeetingRecord:
    """The meeting as `audience` may see it; approved minutes as they were approved."""
    meeting = _load_meeting(session, meeting_id)
    committee = meeting.committee
    memberships = members_on(committee, meeting.date)
    roles = {m.person_id: m.role for m in memberships}
    frozen = approved_text(meeting)
    if frozen is not None and isinstance(frozen.get("roles"), dict):
        roles = {int(k): MembershipRole(v) for k, v in frozen["roles"].items()}
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
        council_name=str(frozen["council"]) if frozen and "council" in frozen else council_name(session),
        members=tuple(MemberRecord(person_record(m.person), m.role) for m in memberships),
        attendance=tuple(_attendance_record(a, roles) for a in meeting.attendance),
        declarations=tuple(declarations),
        items=tuple(item_record(i, audience, session) for i in items),
        carried_actions=tuple(action_records(SI.matters_arising(session, meeting, audience), audience)),
        exclusion_motion=exclusion_motion_text(paragraphs),
        approved_on=meeting.approved_on,
        approved_at=str(frozen["approved_at"]) if frozen and "approved_at" in frozen else approved_at(session, meeting),
        previous_meeting_on=previous.date if previous is not None else None,
    )


# -- what a public document must not hold ---------------------------------------------------------------------


def _inspection_texts(summary: InspectionSummary) -> list[str]:
    record = inspection_record(summary)
    return [
        record.service,
        record.scope,
        *(j.area for j in record.judgements),
        *record.strengths,
        *record.areas_for_improvement,
        *record.priority_actions,
        *(s.text for s in record.next_steps),
    ]


def _action_texts(action: Action) -> list[str]:
    minuted = [t for t in (action.minuted_text, action.minuted_owner) if t]
    return [
        action.text,
        action.owner,
        *minuted,
        action.notes,
        action.source_finding,
        *(u.text for u in action.updates),
    ]


def item_texts(item: AgendaItem) -> tuple[list[str], list[str]]:
    """Every text the clerk can give an item, as (names: its title and its documents' file names; texts: all the
    rest). For an exempt item all of it is confidential but its public title."""
    names = [item.title, *(a.file_name for a in item.attachments)]
    texts = [item.purpose, item.report_of, item.presenter_name, item.presenter_role, getattr(item, "urgency_reason", "")]
    if item.presenter is not None:
        texts += [item.presenter.name, item.presenter.title, person_record(item.presenter).display_name]
    if item.topic is not None:
        texts.append(item.topic.name)
    texts += [b.text for b in B.loads(item.minutes_body)]
    for r in item.resolutions:
        texts += [r.text, r.keyword, *resolution_parts(r)]
    for a in item.actions:
        texts += _action_texts(a)
    texts += [d.nature for d in item.meeting.declarations if d.item_id == item.id]
    if item.inspection is not None:
        texts += _inspection_texts(item.inspection)
    return names, texts


def _person_texts(person: Person) -> list[str]:
    record = person_record(person)
    return [person.name, person.title, record.display_name, SI.councillor_name(person)]


def _meeting_public_texts(meeting: Meeting) -> list[str]:
    """What a public paper of the meeting may hold anyway: the meeting's own details, its people, its public
    items and their declarations, and the public titles of its exempt items."""
    committee = meeting.committee
    out = [committee.name, committee.code, meeting.venue, meeting.contact_officer]
    for membership in committee.memberships:
        out += _person_texts(membership.person)
    for row in meeting.attendance:
        out += _person_texts(row.person) + [row.note]
        if row.substitute_for is not None:
            out += _person_texts(row.substitute_for)
    for declaration in meeting.declarations:
        out += _person_texts(declaration.person)
        if declaration.item is None or not declaration.item.is_exempt:
            out.append(declaration.nature)
    for item in meeting.items:
        if item.is_exempt:
            out.append(item.public_title or DEFAULT_PUBLIC_TITLE)
            for resolution in item.resolutions:
                out += [_person_texts(v.person)[0] for v in resolution.votes]
        else:
            names, texts = item_texts(item)
            out += names + texts
    return out


def _withhold(exempt: Iterable[AgendaItem], public: Iterable[str]) -> tuple[list[str], list[str]]:
    """The exempt items' texts, less those that are public anyway (the same words on a public item, a member's
    name): finding those in a public paper proves nothing."""
    known = "\n".join(" ".join(t.split()).casefold() for t in public if t)

    def secret(text: str) -> bool:
        flat = " ".join(text.split()).casefold()
        if not flat:
            return False
        if flat not in known:
            return True
        # As whole words, as the leak check looks (export/safety.py): "Smith" is not public in "Smithson".
        start = r"(?<!\w)" if flat[:1].isalnum() else ""
        end = r"(?!\w)" if flat[-1:].isalnum() else ""
        return re.search(start + re.escape(flat) + end, known) is None

    names: list[str] = []
    texts: list[str] = []
    for item in exempt:
        item_names, item_text = item_texts(item)
        public_title = item.public_title or DEFAULT_PUBLIC_TITLE
        names += [n for n in item_names if n != public_title]
        texts += item_text
    clean_names = {" ".join(t.split()) for t in names}
    clean_texts = {" ".join(t.split()) for t in texts}
    return sorted(t for t in clean_names if secret(t)), sorted(t for t in clean_texts if secret(t))


def exempt_texts(session: Session, meeting_id: int) -> tuple[list[str], list[str]]:
    """The texts a public paper of the meeting must not hold, as (names, texts): every text field of its exempt
    items (title, purpose, report author, presenter, minutes, resolutions and their keywords, actions, the nature
    of declarations, inspection findings, documents' names), and those of the earlier exempt items whose open
    actions a confidential matters arising would list; less the texts that are public anyway (on a public item,
    a member's name)."""
    meeting = get_meeting(session, meeting_id)
    exempt = {item.id: item for item in meeting.items if item.is_exempt}
    public = _meeting_public_texts(meeting)
    for action in SI.matters_arising(session, meeting, Audience.CONFIDENTIAL):
        if action.item.is_exempt:
            exempt.setdefault(action.item.id, action.item)
        else:
            public += _action_texts(action) + [action.item.title]
    return _withhold(exempt.values(), public)


def action_log_exempt_texts(session: Session, actions: Iterable[Action]) -> tuple[list[str], list[str]]:
    """What a public action log of these actions (the confidential list) must not hold: the texts of their exempt
    items, less what the public rows and their committees show anyway."""
    exempt: dict[int, AgendaItem] = {}
    public: list[str] = []
    for action in actions:
        item = action.item
        if item.is_exempt:
            exempt.setdefault(item.id, item)
            public += [item.public_title or DEFAULT_PUBLIC_TITLE]
        else:
            public += _action_texts(action) + [item.title]
        public += [item.meeting.committee.name, item.meeting.committee.code]
    return _withhold(exempt.values(), public)


def _decision_resolutions(session: Session, committee_id: int | None) -> list[Resolution]:
    query = (
        select(Resolution)
        .join(AgendaItem, AgendaItem.id == Resolution.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Committee, Committee.id == Meeting.committee_id)
        .options(
            contains_eager(Resolution.item)
            .contains_eager(AgendaItem.meeting)
            .contains_eager(Meeting.committee)
        )
        .order_by(Meeting.date, AgendaItem.position, Resolution.position)
    )
    if committee_id is not None:
        query = query.where(Meeting.committee_id == committee_id)
    return list(session.scalars(query).unique())


def _public_wording(resolution: Resolution) -> str:
    """The keyword a public register shows for an exempt item: a standard one, never the clerk's own."""
    return "" if resolution.wording is ResolutionWording.OTHER else resolution.wording.label


def decision_records(session: Session, committee_id: int | None, audience: Audience) -> list[DecisionRow]:
    """The register of decisions for an audience, oldest first. In public an exempt item's resolution shows its
    reference, date and neutral title, a standard keyword and the exempt notice: never its words, its parts or
    the clerk's own keyword."""
    rows = []
    for resolution in _decision_resolutions(session, committee_id):
        item = resolution.item
        meeting = item.meeting
        ref = meeting_minute_ref(meeting, item.minute_number)
        if item.is_exempt and audience is Audience.PUBLIC:
            paragraphs = ItemRecord(
                item.id, 0, None, "", "", ItemKind.OTHER, True, item.paragraphs, True
            ).exempt_paragraphs_text
            rows.append(
                DecisionRow(
                    meeting.committee.name,
                    meeting.date,
                    ref,
                    item.public_title or DEFAULT_PUBLIC_TITLE,
                    _public_wording(resolution),
                    exempt_notice(paragraphs),
                    (),
                )
            )
        else:
            rows.append(
                DecisionRow(
                    meeting.committee.name,
                    meeting.date,
                    ref,
                    item.title,
                    resolution.keyword or resolution.wording.label,
                    resolution.text,
                    tuple(resolution_parts(resolution)),
                )
            )
    return rows


def decisions_exempt_texts(session: Session, committee_id: int | None) -> tuple[list[str], list[str]]:
    """What a public register of decisions must not hold: the texts of the exempt items that have resolutions,
    less what the public rows show anyway."""
    exempt: dict[int, AgendaItem] = {}
    public: list[str] = []
    for resolution in _decision_resolutions(session, committee_id):
        item = resolution.item
        if item.is_exempt:
            exempt.setdefault(item.id, item)
            public.append(item.public_title or DEFAULT_PUBLIC_TITLE)
        else:
            public += [item.title, resolution.text, resolution.keyword, *resolution_parts(resolution)]
        public.append(item.meeting.committee.name)
    return _withhold(exempt.values(), public)
