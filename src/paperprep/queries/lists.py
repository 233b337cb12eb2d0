"""Read models for the main window and its other windows: the navigator, committees, members, the action log,
search, the history views, export file names and the import preview. Each returns frozen records (no ORM objects).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy.orm import Session

from paperprep.domain import (
    Audience,
    CommitteeKind,
    MeetingStatus,
    MembershipRole,
    NumberingScheme,
    PersonKind,
)
from paperprep.records import ActionRecord
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services.action_import import WorkbookRows
from paperprep.services.actions import ActionFilter, action_log_records
from paperprep.services.inspections import InspectionHistoryRow, inspection_history, services_inspected
from paperprep.services.search import SearchResult, search
from paperprep.services.snapshot import council_name
from paperprep.services.topics import TopicHistoryRow, topic_history

__all__ = [
    "ActionFilter",
    "CommitteeChoice",
    "CommitteeSettings",
    "ExportNames",
    "ImportPreview",
    "InspectionHistoryRow",
    "MeetingDetails",
    "MemberRow",
    "Members",
    "NavMeeting",
    "Navigator",
    "PersonChoice",
    "SearchResult",
    "TopicChoice",
    "TopicHistoryRow",
    "WorkbookRows",
    "action_log",
    "committee_of_meeting",
    "committee_settings",
    "committees",
    "council_name",
    "database_empty",
    "export_names",
    "import_preview",
    "inspection_history",
    "meeting_details",
    "members",
    "navigator",
    "people",
    "search",
    "services_inspected",
    "topic_history",
    "topics",
]


# -- the navigator ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NavMeeting:
    id: int
    committee_id: int
    committee: str
    date: dt.date
    year: int  # the municipal year it falls in
    status: MeetingStatus
    warning: str  # a publication deadline warning, or ""

    @property
    def deadline(self) -> dt.date:
        """When the agenda must be published: worked out only when asked, for the meetings that are shown."""
        from paperprep.services.deadlines import publication_deadline

        return publication_deadline(self.date)


@dataclass(frozen=True, slots=True)
class Navigator:
    committees: tuple[tuple[int, str], ...]
    meetings: tuple[NavMeeting, ...]


def navigator(session: Session, today: dt.date | None = None) -> Navigator:
    """Every committee (archived ones aside) and every meeting, for the navigator: the first thing the window
    shows. Two Core selects straight into records, without the ORM, whose mappers are set up (a tenth of a
    second on first use) only when a view first loads a model; and without the item counts of
    services.meetings.list_meetings, which the navigator does not show."""
    from sqlalchemy import select

    from paperprep.db.models import Committee, Meeting
    from paperprep.services.deadlines import deadline_warning
    from paperprep.services.numbering import municipal_year

    today = today or dt.date.today()
    committee, meeting = Committee.__table__, Meeting.__table__
    c, m = committee.c, meeting.c
    listed = session.execute(
        select(c.id, c.name, c.year_start_month).where(c.archived.is_(False)).order_by(c.name)
    ).all()
    months = {cid: month for cid, _name, month in listed}
    rows = session.execute(
        select(m.id, m.committee_id, c.name, m.date, m.status, m.published_on)
        .join_from(meeting, committee, c.id == m.committee_id)
        .order_by(m.date, c.name, m.id)
    ).all()
    meetings = tuple(
        NavMeeting(
            mid,
            cid,
            name,
            date,
            municipal_year(date, months.get(cid, 5)),
            status,
            deadline_warning(date, published_on, today),
        )
        for mid, cid, name, date, status, published_on in rows
    )
    return Navigator(tuple((cid, name) for cid, name, _month in listed), meetings)


# -- committees, members and people ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommitteeChoice:
    id: int
    name: str
    code: str


def committees(session: Session) -> list[CommitteeChoice]:
    return [CommitteeChoice(c.id, c.name, c.code) for c in C.list_committees(session)]


class CommitteeSettings(NamedTuple):
    """The Committee settings form, in the order the dialog takes it."""

    name: str
    code: str
    kind: CommitteeKind
    numbering: NumberingScheme
    year_start_month: int


def committee_settings(session: Session, committee_id: int) -> CommitteeSettings:
    c = C.get_committee(session, committee_id)
    return CommitteeSettings(c.name, c.code, c.kind, c.numbering, c.year_start_month)


def committee_of_meeting(session: Session, meeting_id: int) -> int:
    return M.get_meeting(session, meeting_id).committee_id


class MemberRow(NamedTuple):
    id: int  # the membership
    name: str
    kind: str
    role: str
    start_date: dt.date | None
    end_date: dt.date | None


@dataclass(frozen=True, slots=True)
class Members:
    committee_name: str
    rows: tuple[MemberRow, ...]


_ROLE_ORDER = {MembershipRole.CHAIR: 0, MembershipRole.VICE_CHAIR: 1, MembershipRole.MEMBER: 2}


def members(session: Session, committee_id: int) -> Members:
    """Current members first (chair, vice-chair, members, by name), then those who have left."""
    committee = C.get_committee(session, committee_id)
    ordered = sorted(
        committee.memberships,
        key=lambda m: (m.end_date is not None, _ROLE_ORDER.get(m.role, 3), m.person.name),
    )
    return Members(
        committee.name,
        tuple(
            MemberRow(m.id, m.person.name, m.person.kind.label, m.role.label, m.start_date, m.end_date)
            for m in ordered
        ),
    )


@dataclass(frozen=True, slots=True)
class PersonChoice:
    id: int
    name: str
    kind: PersonKind


def people(session: Session, kind: PersonKind | None = None) -> list[PersonChoice]:
    return [PersonChoice(p.id, p.name, p.kind) for p in C.list_people(session, kind)]


# -- meetings --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingDetails:
    date: dt.date
    start_time: dt.time | None
    close_time: dt.time | None
    venue: str
    contact_officer: str
    first_minute_number: int | None
    version: int

    def form(self) -> dict[str, object]:
        """The values the Meeting details dialog shows."""
        return {
            "date": self.date,
            "start_time": self.start_time,
            "close_time": self.close_time,
            "venue": self.venue,
            "contact_officer": self.contact_officer,
            "first_minute_number": self.first_minute_number,
        }


def meeting_details(session: Session, meeting_id: int) -> MeetingDetails:
    m = M.get_meeting(session, meeting_id)
    return MeetingDetails(
        m.date, m.start_time, m.close_time, m.venue, m.contact_officer, m.first_minute_number, m.version
    )


@dataclass(frozen=True, slots=True)
class ExportNames:
    """What an export's suggested file name is made of."""

    date: dt.date
    committee_id: int
    committee_code: str
    committee_name: str


def export_names(session: Session, meeting_id: int) -> ExportNames:
    m = M.get_meeting(session, meeting_id)
    return ExportNames(m.date, m.committee_id, m.committee.code, m.committee.name)


def database_empty(session: Session) -> bool:
    """Whether the database holds no committee at all (a first run): one Core select, no ORM set-up."""
    from sqlalchemy import select

    from paperprep.db.models import Committee

    return session.execute(select(Committee.__table__.c.id).limit(1)).first() is None


# -- the action log, search and histories ------------------------------------------------------------------------


def action_log(
    session: Session, flt: ActionFilter, audience: Audience = Audience.CONFIDENTIAL
) -> list[ActionRecord]:
    """Two Core queries straight into records (services.actions.action_log_records): ten years of actions."""
    return action_log_records(session, flt, audience)


@dataclass(frozen=True, slots=True)
class TopicChoice:
    id: int
    name: str


def topics(session: Session) -> list[TopicChoice]:
    from paperprep.services.topics import list_topics

    return [TopicChoice(t.id, t.name) for t in list_topics(session)]


# -- importing officers' updates -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportPreview:
    text: str  # what would change, for the clerk to check
    changes: int
    conflict_ids: tuple[int, ...]  # actions also changed in paperprep since the workbook was written

    @property
    def empty(self) -> bool:
        return not self.changes and not self.conflict_ids


def import_preview(session: Session, rows: WorkbookRows, today: dt.date | None = None) -> ImportPreview:
    from paperprep.services.action_import import describe_plan, plan_import

    plan = plan_import(session, rows, today)
    return ImportPreview(describe_plan(plan), len(plan.changes), tuple(c.action_id for c in plan.conflicts))
