"""Topics: a subject followed across meetings, and its history, like a published "issue history" page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from paperprep.db.models import AgendaItem, Committee, Meeting, Topic
from paperprep.errors import NotFoundError, ValidationError
from paperprep.services.minutes import resolution_parts
from paperprep.services.numbering import meeting_minute_ref


def list_topics(session: Session) -> list[Topic]:
    return list(session.scalars(select(Topic).order_by(Topic.name)))


def get_or_create_topic(session: Session, name: str, description: str = "") -> Topic:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(
            "The topic has no name. Type a name, e.g. 'Ofsted inspection of children's services'."
        )
    topic = session.scalar(select(Topic).where(Topic.name == name))
    if topic is None:
        topic = Topic(name=name, description=description.strip())
        session.add(topic)
        session.flush()
    return topic


def set_item_topic(session: Session, item: AgendaItem, topic: Topic | None) -> None:
    item.topic = topic
    session.flush()


@dataclass(frozen=True, slots=True)
class TopicHistoryRow:
    meeting_id: int
    item_id: int
    meeting_date: dt.date
    committee: str
    minute_ref: str
    title: str
    decisions: tuple[str, ...]  # "RESOLVED to note the information", ...


def topic_history(session: Session, topic_id: int, include_exempt: bool = False) -> list[TopicHistoryRow]:
    """Every meeting and minute where the topic came up, oldest first, with its resolutions."""
    topic = session.get(Topic, topic_id)
    if topic is None:
        raise NotFoundError(f"There is no topic with id {topic_id}.")
    query = (
        select(AgendaItem, Meeting, Committee)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Committee, Committee.id == Meeting.committee_id)
        .where(AgendaItem.topic_id == topic_id)
        .order_by(Meeting.date, AgendaItem.position)
    )
    if not include_exempt:
        query = query.where(AgendaItem.is_exempt.is_(False))
    rows = []
    for item, meeting, committee in session.execute(query):
        decisions = []
        for r in item.resolutions:
            parts = " ".join(f"({n}) {p}" for n, p in enumerate(resolution_parts(r), start=1))
            decisions.append(" ".join(x for x in (r.keyword or r.wording.label, r.text, parts) if x))
        rows.append(
            TopicHistoryRow(
                meeting.id,
                item.id,
                meeting.date,
                committee.name,
                meeting_minute_ref(meeting, item.minute_number),
                item.title,
                tuple(decisions),
            )
        )
    return rows
