"""Minute numbers: each committee's scheme across the meetings of a municipal year.

Numbers are stored on the items and recomputed after every structural change, so they can never drift: no doubled
numbers and no gaps. Approved minutes are never renumbered; numbering runs on from them.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from paperprep.db.models import AgendaItem, Committee, Meeting
from paperprep.domain import MeetingStatus, NumberingScheme
from paperprep.formats import action_reference


def municipal_year(day: dt.date, start_month: int = 5) -> int:
    """The calendar year in which the municipal year holding `day` began."""
    return day.year if day.month >= start_month else day.year - 1


def year_bounds(year: int, start_month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, start_month, 1)
    end = dt.date(year + 1, start_month, 1) - dt.timedelta(days=1)
    return start, end


def minute_ref(number: int | None, scheme: NumberingScheme, year: int) -> str:
    """The minute number as printed: "57", or "57/21" for the number/year scheme."""
    if number is None:
        return ""
    if scheme is NumberingScheme.NUMBER_YEAR:
        return f"{number}/{year % 100:02d}"
    return str(number)


def meeting_minute_ref(meeting: Meeting, number: int | None) -> str:
    committee = meeting.committee
    return minute_ref(number, committee.numbering, municipal_year(meeting.date, committee.year_start_month))


def meeting_action_reference(meeting: Meeting, minute_number: int | None, number: int) -> str:
    """The action's reference, unique in the database: the municipal year, or the meeting's date where minute
    numbers restart at every meeting."""
    committee = meeting.committee
    if committee.numbering is NumberingScheme.PER_MEETING:
        return action_reference(committee.code, minute_number, number, meeting_date=meeting.date)
    year = municipal_year(meeting.date, committee.year_start_month)
    return action_reference(committee.code, minute_number, number, year=year)


def renumber_year(session: Session, committee: Committee, year: int) -> None:
    """Recompute the minute numbers of every meeting of `committee` in the municipal year `year`."""
    start, end = year_bounds(year, committee.year_start_month)
    session.flush()
    meetings = session.execute(
        select(Meeting.id, Meeting.first_minute_number, Meeting.status)
        .where(Meeting.committee_id == committee.id, Meeting.date >= start, Meeting.date <= end)
        .order_by(Meeting.date, Meeting.start_time, Meeting.id)
    ).all()
    # One query for every item of the year; their collections are not needed, so nothing else is loaded.
    by_meeting: dict[int, list[AgendaItem]] = {}
    for item in session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id.in_([m.id for m in meetings]))
        .order_by(AgendaItem.meeting_id, AgendaItem.position)
        .options(lazyload("*"))
    ):
        by_meeting.setdefault(item.meeting_id, []).append(item)
    counter = 1
    renumbered: list[dict[str, int]] = []
    for meeting_id, first_number, status in meetings:
        if committee.numbering is NumberingScheme.PER_MEETING:
            counter = 1
        if first_number is not None:
            counter = first_number
        items = by_meeting.get(meeting_id, [])
        if status is MeetingStatus.MINUTES_APPROVED:
            numbers = [i.minute_number for i in items if i.minute_number is not None]
            if numbers:
                counter = max(numbers) + 1
            continue
        for item in items:
            if item.minute_number != counter:
                renumbered.append({"item_id": item.id, "number": counter})
                set_committed_value(item, "minute_number", counter)
            counter += 1
    if renumbered:
        # Numbers are derived, not edited: writing them past the ORM keeps the items' versions, so a clerk
        # typing a minute is not told of a conflict because an item was added to an earlier meeting.
        table = cast(Table, AgendaItem.__table__)
        session.execute(
            update(table).where(table.c.id == bindparam("item_id")).values(minute_number=bindparam("number")),
            renumbered,
        )
    session.flush()


def renumber_meeting(session: Session, meeting: Meeting) -> None:
    committee = meeting.committee
    renumber_year(session, committee, municipal_year(meeting.date, committee.year_start_month))
