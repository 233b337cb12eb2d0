"""The register of decisions: every resolution with its minute reference, meeting date and wording."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from paperprep.db.models import AgendaItem, Committee, Meeting, Resolution
from paperprep.domain import Audience
from paperprep.services.agenda import DEFAULT_PUBLIC_TITLE
from paperprep.services.minutes import resolution_parts
from paperprep.services.numbering import meeting_minute_ref


@dataclass(frozen=True)
class DecisionRow:
    committee: str
    meeting_date: dt.date
    minute_ref: str
    item_title: str
    wording: str
    text: str
    parts: tuple[str, ...]


def decision_rows(session: Session, committee_id: int | None, audience: Audience) -> list[DecisionRow]:
    """Resolutions oldest first. A public register shows an exempt item's neutral title and withholds the text."""
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
    rows = []
    for resolution in session.scalars(query).unique():
        item = resolution.item
        meeting = item.meeting
        exempt = item.is_exempt and audience is Audience.PUBLIC
        rows.append(
            DecisionRow(
                meeting.committee.name,
                meeting.date,
                meeting_minute_ref(meeting, item.minute_number),
                (item.public_title or DEFAULT_PUBLIC_TITLE) if exempt else item.title,
                resolution.keyword or resolution.wording.label,
                f"Exempt information under Schedule 12A, paragraph(s) {item.exempt_paragraphs}"
                if exempt
                else resolution.text,
                () if exempt else tuple(resolution_parts(resolution)),
            )
        )
    return rows
