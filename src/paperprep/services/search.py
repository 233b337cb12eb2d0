"""Search: full-text hits resolved to the meeting and minute they belong to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from paperprep.db import fts
from paperprep.db.models import Action, AgendaItem, Committee, Meeting, Resolution
from paperprep.services.numbering import minute_ref, municipal_year


@dataclass(frozen=True, slots=True)
class SearchResult:
    kind: str  # item, resolution or action
    item_id: int
    meeting_id: int
    meeting_date: dt.date
    committee_code: str
    minute_ref: str
    title: str
    snippet: str

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "item_id": self.item_id,
            "meeting_id": self.meeting_id,
            "meeting_date": self.meeting_date.isoformat(),
            "committee": self.committee_code,
            "minute": self.minute_ref,
            "title": self.title,
            "snippet": self.snippet,
        }


def search(session: Session, query: str, limit: int = 100) -> list[SearchResult]:
    """Hits for the clerk's words, best first, each resolved to its meeting and minute in one query for all."""
    hits = fts.search(session, query, limit)
    if not hits:
        return []
    ids: dict[str, list[int]] = {"item": [], "resolution": [], "action": []}
    for hit in hits:
        ids[hit.kind].append(hit.id)
    owners = union_all(
        select(
            literal("item").label("kind"), AgendaItem.id.label("hit_id"), AgendaItem.id.label("item_id")
        ).where(AgendaItem.id.in_(ids["item"])),
        select(literal("resolution"), Resolution.id, Resolution.item_id).where(
            Resolution.id.in_(ids["resolution"])
        ),
        select(literal("action"), Action.id, Action.item_id).where(Action.id.in_(ids["action"])),
    ).subquery("owners")
    rows = session.execute(
        select(
            owners.c.kind,
            owners.c.hit_id,
            AgendaItem.id,
            AgendaItem.title,
            AgendaItem.minute_number,
            Meeting.id,
            Meeting.date,
            Committee.code,
            Committee.numbering,
            Committee.year_start_month,
        )
        .join(AgendaItem, AgendaItem.id == owners.c.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Committee, Committee.id == Meeting.committee_id)
    ).all()
    found = {(r[0], r[1]): r for r in rows}
    results = []
    for hit in hits:
        row = found.get((hit.kind, hit.id))
        if row is None:
            continue  # removed since the index was read
        _kind, _hit, item_id, title, number, meeting_id, day, code, scheme, start_month = row
        results.append(
            SearchResult(
                hit.kind,
                item_id,
                meeting_id,
                day,
                code,
                minute_ref(number, scheme, municipal_year(day, start_month)),
                title,
                hit.snippet,
            )
        )
    return results
