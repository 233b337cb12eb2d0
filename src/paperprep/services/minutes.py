"""Attendance, declarations, the minutes body, and resolutions with their recorded votes."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db.models import AgendaItem, Attendance, Declaration, Meeting, Person, RecordedVote, Resolution
from paperprep.domain import AttendanceStatus, DeclarationOutcome, DeclarationType, ResolutionWording, Vote
from paperprep.errors import NotFoundError, ValidationError
from paperprep.services.meetings import ensure_editable

# Attendance that rules out a recorded vote: the member was not at the meeting.
NOT_THERE = (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT)


def _votes_in(meeting: Meeting, person: Person) -> list[RecordedVote]:
    return [
        v for item in meeting.items for r in item.resolutions for v in r.votes if v.person_id == person.id
    ]


def set_attendance(
    session: Session,
    meeting: Meeting,
    person: Person,
    status: AttendanceStatus,
    substitute_for: Person | None = None,
    note: str = "",
) -> Attendance:
    """Record how a person attended. A substitute must name the member they stand in for."""
    ensure_editable(meeting)
    if status is AttendanceStatus.SUBSTITUTE:
        if substitute_for is None:
            raise ValidationError(f"Say which member {person.name} is substituting for.")
        if substitute_for.id == person.id:
            raise ValidationError("A member cannot substitute for themselves. Choose the absent member.")
    else:
        substitute_for = None
    if status in NOT_THERE:
        votes = _votes_in(meeting, person)
        if votes:
            item = votes[0].resolution.item
            raise ValidationError(
                f"{person.name} has a recorded vote on {item.title!r}, so they cannot be recorded as "
                f"{status.label.lower()}. Remove the recorded vote first if they were not there."
            )
    row = next((a for a in meeting.attendance if a.person_id == person.id), None)
    if row is None:
        row = Attendance(meeting=meeting, person=person)
        session.add(row)
    row.status = status
    row.substitute_for = substitute_for
    row.note = note.strip()
    session.flush()
    return row


def remove_attendance(session: Session, meeting: Meeting, person: Person) -> None:
    ensure_editable(meeting)
    for row in list(meeting.attendance):
        if row.person_id == person.id:
            meeting.attendance.remove(row)
            session.delete(row)
    session.flush()


def add_declaration(
    session: Session,
    meeting: Meeting,
    person: Person,
    type: DeclarationType,
    nature: str,
    item: AgendaItem | None = None,
    outcome: DeclarationOutcome = DeclarationOutcome.REMAINED,
) -> Declaration:
    """Record a member's declaration of interest in an item, and what they did: remained, left the room and
    took no part, or did not vote. A member who took no part cannot also have a recorded vote on the item."""
    ensure_editable(meeting)
    if item is not None and item.meeting_id != meeting.id:
        raise ValidationError("That item belongs to another meeting. Choose an item of this meeting.")
    outcome = DeclarationOutcome(outcome)
    if item is not None and outcome.took_no_vote:
        if any(v.person_id == person.id for r in item.resolutions for v in r.votes):
            raise ValidationError(
                f"{person.name} has a recorded vote on {item.title!r}, so the declaration cannot say they "
                f"{outcome.label}. Remove the recorded vote first, or say they remained in the meeting."
            )
    declaration = Declaration(
        meeting=meeting, person=person, type=type, nature=nature.strip(), item=item, outcome=outcome
    )
    session.add(declaration)
    session.flush()
    return declaration


def remove_declaration(session: Session, declaration: Declaration) -> None:
    ensure_editable(declaration.meeting)
    session.delete(declaration)
    session.flush()


def get_body(item: AgendaItem) -> tuple[B.Block, ...]:
    return B.loads(item.minutes_body)


def set_body(session: Session, item: AgendaItem, blocks: Sequence[B.Block]) -> bool:
    """Store the minutes body. Returns False (and writes nothing) when it has not changed."""
    ensure_editable(item.meeting)
    normalised = B.normalise(blocks)
    serialised = B.dumps(normalised)
    if serialised == item.minutes_body:
        return False
    item.minutes_body = serialised
    item.minutes_text = B.to_plain_text(normalised)
    session.flush()
    return True


def _parts(parts: Sequence[str]) -> str:
    clean = [" ".join(p.split()) for p in parts]
    return json.dumps([p for p in clean if p], ensure_ascii=False)


def resolution_parts(resolution: Resolution) -> list[str]:
    try:
        data = json.loads(resolution.parts or "[]")
    except ValueError:
        return []
    return [str(p) for p in data] if isinstance(data, list) else []


def add_resolution(
    session: Session,
    item: AgendaItem,
    wording: ResolutionWording = ResolutionWording.RESOLVED,
    text: str = "",
    parts: Sequence[str] = (),
    keyword: str = "",
) -> Resolution:
    ensure_editable(item.meeting)
    text = text.strip()
    if not text and not any(p.strip() for p in parts):
        raise ValidationError(
            "The resolution has no words. Type what was resolved, e.g. 'to note the report'."
        )
    resolution = Resolution(
        item=item,
        position=len(item.resolutions),
        wording=wording,
        keyword=keyword.strip().upper() if wording is ResolutionWording.OTHER else "",
        text=text,
        parts=_parts(parts),
    )
    session.add(resolution)
    session.flush()
    return resolution


def update_resolution(
    session: Session,
    resolution: Resolution,
    *,
    wording: ResolutionWording | None = None,
    text: str | None = None,
    parts: Sequence[str] | None = None,
    keyword: str | None = None,
) -> None:
    ensure_editable(resolution.item.meeting)
    if wording is not None:
        resolution.wording = wording
    if text is not None:
        resolution.text = text.strip()
    if parts is not None:
        resolution.parts = _parts(parts)
    if keyword is not None:
        resolution.keyword = keyword.strip().upper()
    session.flush()


def remove_resolution(session: Session, resolution: Resolution) -> None:
    item = resolution.item
    ensure_editable(item.meeting)
    item.resolutions.remove(resolution)
    session.delete(resolution)
    for position, other in enumerate(item.resolutions):
        other.position = position
    session.flush()


def get_resolution(session: Session, resolution_id: int) -> Resolution:
    resolution = session.get(Resolution, resolution_id)
    if resolution is None:
        raise NotFoundError(f"There is no resolution with id {resolution_id}.")
    return resolution


def record_vote(session: Session, resolution: Resolution, person: Person, vote: Vote | None) -> None:
    """Record (or with None, withdraw) a member's request to have their vote recorded.

    Refused for a member recorded as sending apologies or absent, and for one who declared an interest in the
    item and took no part in the vote.
    """
    item = resolution.item
    meeting = item.meeting
    ensure_editable(meeting)
    if vote is not None:
        row = next((a for a in meeting.attendance if a.person_id == person.id), None)
        if row is not None and row.status in NOT_THERE:
            raise ValidationError(
                f"{person.name} is recorded as {row.status.label.lower()} for this meeting, so no vote can be "
                "recorded for them. Correct their attendance first if they were there."
            )
        declared = next(
            (
                d
                for d in meeting.declarations
                if d.person_id == person.id and d.item_id == item.id and d.outcome.took_no_vote
            ),
            None,
        )
        if declared is not None:
            raise ValidationError(
                f"{person.name} declared an interest in {item.title!r} and {declared.outcome.label}, so no "
                "vote can be recorded for them. Change the declaration first if they did vote."
            )
    existing = next((v for v in resolution.votes if v.person_id == person.id), None)
    if vote is None:
        if existing is not None:
            resolution.votes.remove(existing)
            session.delete(existing)
    elif existing is None:
        session.add(RecordedVote(resolution=resolution, person=person, vote=vote))
    else:
        existing.vote = vote
    session.flush()


def set_presenter(
    session: Session, item: AgendaItem, person: Person | None = None, name: str = "", role: str = ""
) -> None:
    ensure_editable(item.meeting)
    item.presenter = person
    item.presenter_name = "" if person else name.strip()
    item.presenter_role = role.strip()
    session.flush()
