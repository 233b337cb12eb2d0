"""Meetings: create, change, list, and move through their states; approve and reopen minutes."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from paperprep.db.models import AgendaItem, AuditEntry, Committee, Meeting
from paperprep.domain import AuditEvent, MeetingStatus
from paperprep.errors import MinutesLockedError, NotFoundError, ValidationError
from paperprep.services.numbering import municipal_year, renumber_meeting, renumber_year


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError(f"There is no meeting with id {meeting_id}. List them with paperprep meetings.")
    return meeting


def ensure_editable(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise MinutesLockedError(
            f"The minutes of {meeting.committee.name} on {meeting.date:%d/%m/%Y} are approved and locked. "
            "Reopen them (with a reason) to make changes."
        )


def create_meeting(
    session: Session,
    committee: Committee,
    date: dt.date,
    *,
    start_time: dt.time | None = None,
    venue: str | None = None,
    contact_officer: str | None = None,
    first_minute_number: int | None = None,
) -> Meeting:
    if first_minute_number is not None and first_minute_number < 1:
        raise ValidationError("The first minute number must be 1 or more.")
    meeting = Meeting(
        committee=committee,
        date=date,
        start_time=start_time,
        venue=venue if venue is not None else committee.default_venue,
        contact_officer=contact_officer if contact_officer is not None else committee.contact_officer,
        status=MeetingStatus.DRAFT_AGENDA,
        first_minute_number=first_minute_number,
    )
    session.add(meeting)
    session.flush()
    return meeting


_EDITABLE_FIELDS = {
    "start_time",
    "close_time",
    "venue",
    "contact_officer",
    "published_on",
    "first_minute_number",
}


def update_meeting(session: Session, meeting: Meeting, **changes: object) -> None:
    """Change the meeting's details. Changing the date or the first minute number renumbers the year."""
    ensure_editable(meeting)
    renumber_years = set()
    if "date" in changes:
        new_date = changes.pop("date")
        if not isinstance(new_date, dt.date):
            raise ValidationError("The meeting date is not a date. Use dd/mm/yyyy.")
        old_year = municipal_year(meeting.date, meeting.committee.year_start_month)
        meeting.date = new_date
        renumber_years.add(old_year)
    for key, value in changes.items():
        if key not in _EDITABLE_FIELDS:
            raise ValidationError(f"{key} is not a detail of a meeting that can be changed here.")
        setattr(meeting, key, value)
    session.flush()
    for year in renumber_years:
        renumber_year(session, meeting.committee, year)
    renumber_meeting(session, meeting)


_FORWARD = [
    MeetingStatus.DRAFT_AGENDA,
    MeetingStatus.AGENDA_PUBLISHED,
    MeetingStatus.HELD,
    MeetingStatus.DRAFT_MINUTES,
]


def set_status(
    session: Session, meeting: Meeting, status: MeetingStatus, today: dt.date | None = None
) -> None:
    """Move the meeting to `status`. Approving goes through approve_minutes, reopening through reopen_minutes."""
    if status is MeetingStatus.MINUTES_APPROVED:
        approve_minutes(session, meeting, today)
        return
    ensure_editable(meeting)
    meeting.status = status
    if status is MeetingStatus.AGENDA_PUBLISHED and meeting.published_on is None:
        meeting.published_on = today or dt.date.today()
    session.flush()


def approve_minutes(
    session: Session,
    meeting: Meeting,
    today: dt.date | None = None,
    at_meeting: Meeting | None = None,
) -> None:
    """Approve the minutes ("a correct record"): they are locked until reopened.

    A meeting that has not yet taken place has no minutes to approve. The approval records its date and the
    meeting at which the minutes were approved: `at_meeting` when given, otherwise the committee's meeting held
    on the approval date, if there is one."""
    if meeting.is_locked:
        return
    day = today or dt.date.today()
    if meeting.date > day:
        raise ValidationError(
            f"The meeting of {meeting.date:%d/%m/%Y} has not taken place yet, so its minutes cannot be approved. "
            "Approve them at a meeting held on or after that date."
        )
    if at_meeting is not None:
        if at_meeting.id == meeting.id:
            raise ValidationError("Minutes are approved at a later meeting, not at the meeting they record.")
        if at_meeting.date < meeting.date:
            raise ValidationError(
                f"The meeting of {at_meeting.date:%d/%m/%Y} was held before the meeting these minutes record."
            )
    else:
        at_meeting = session.scalar(
            select(Meeting)
            .where(
                Meeting.committee_id == meeting.committee_id,
                Meeting.date == day,
                Meeting.id != meeting.id,
            )
            .order_by(Meeting.id)
            .limit(1)
        )
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.approved_on = day
    meeting.approved_at_meeting_id = at_meeting.id if at_meeting is not None else None
    session.add(AuditEntry(meeting_id=meeting.id, event=AuditEvent.APPROVED, user=_user()))
    session.flush()


def reopen_minutes(session: Session, meeting: Meeting, reason: str) -> None:
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValidationError("Give a reason for reopening approved minutes; it is kept in the audit trail.")
    if not meeting.is_locked:
        raise ValidationError("These minutes are not approved, so there is nothing to reopen.")
    meeting.status = MeetingStatus.DRAFT_MINUTES
    session.add(AuditEntry(meeting_id=meeting.id, event=AuditEvent.REOPENED, reason=reason, user=_user()))
    session.flush()


def ever_approved(session: Session, meeting_id: int) -> bool:
    """Whether these minutes were ever approved (they may have been reopened since): their audit trail says so,
    or the meeting's approval date does."""
    row = session.execute(select(Meeting.status, Meeting.approved_on).where(Meeting.id == meeting_id)).first()
    if row is not None and (row.status is MeetingStatus.MINUTES_APPROVED or row.approved_on is not None):
        return True
    return (
        session.scalar(
            select(AuditEntry.id)
            .where(AuditEntry.meeting_id == meeting_id, AuditEntry.event == AuditEvent.APPROVED)
            .limit(1)
        )
        is not None
    )


def audit_trail(session: Session, meeting: Meeting) -> list[AuditEntry]:
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.meeting_id == meeting.id).order_by(AuditEntry.id))
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some locked-down machines; the audit still records the event
        return ""


def delete_meeting(session: Session, meeting: Meeting) -> None:
    """Delete a meeting that was never approved. Approved minutes, even reopened, are the council's record."""
    if ever_approved(session, meeting.id):
        raise MinutesLockedError(
            f"The minutes of {meeting.committee.name} on {meeting.date:%d/%m/%Y} have been approved, so the "
            "meeting is part of the council's record and cannot be deleted. Correct it instead (reopen the "
            "minutes, with a reason)."
        )
    committee = meeting.committee
    year = municipal_year(meeting.date, committee.year_start_month)
    session.delete(meeting)
    session.flush()
    renumber_year(session, committee, year)


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One line of a meeting list: cheap to load for thousands of meetings."""

    id: int
    committee_id: int
    committee: str
    committee_code: str
    date: dt.date
    start_time: dt.time | None
    status: MeetingStatus
    published_on: dt.date | None
    item_count: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "committee": self.committee,
            "committee_code": self.committee_code,
            "date": self.date.isoformat(),
            "time": self.start_time.strftime("%H:%M") if self.start_time else None,
            "status": self.status.value,
            "items": self.item_count,
        }


def list_meetings(
    session: Session,
    committee_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[MeetingRow]:
    counts = (
        select(AgendaItem.meeting_id, func.count(AgendaItem.id).label("n"))
        .group_by(AgendaItem.meeting_id)
        .subquery()
    )
    query = (
        select(
            Meeting.id,
            Meeting.committee_id,
            Committee.name,
            Committee.code,
            Meeting.date,
            Meeting.start_time,
            Meeting.status,
            Meeting.published_on,
            func.coalesce(counts.c.n, 0),
        )
        .join(Committee, Committee.id == Meeting.committee_id)
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .order_by(Meeting.date, Committee.name, Meeting.id)
    )
    if committee_id is not None:
        query = query.where(Meeting.committee_id == committee_id)
    if since is not None:
        query = query.where(Meeting.date >= since)
    if until is not None:
        query = query.where(Meeting.date <= until)
    return [MeetingRow(*row) for row in session.execute(query)]


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    return session.scalar(
        select(Meeting)
        .where(Meeting.committee_id == meeting.committee_id, Meeting.date < meeting.date)
        .order_by(Meeting.date.desc())
        .limit(1)
    )
