"""Search: full-text hits resolved to the meeting and minute they belong to."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, literal, select, union_all
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


@functools.cache
def _owners_statement() -> Select[Any]:
    """Every hit's item, meeting and committee in one query, the ids bound as lists (one statement for every
    search, so SQLAlchemy builds and compiles it once)."""
    items, resolutions, actions = AgendaItem.__table__, Resolution.__table__, Action.__table__
    meetings, committees = Meeting.__table__, Committee.__table__
    owners = union_all(
        select(literal("item").label("kind"), items.c.id.label("hit_id"), items.c.id.label("item_id")).where(
            items.c.id.in_(bindparam("items", expanding=True))
        ),
        select(literal("resolution"), resolutions.c.id, resolutions.c.item_id).where(
            resolutions.c.id.in_(bindparam("resolutions", expanding=True))
        ),
        select(literal("action"), actions.c.id, actions.c.item_id).where(
            actions.c.id.in_(bindparam("actions", expanding=True))
        ),
    ).subquery("owners")
    return (
        select(
            owners.c.kind,
            owners.c.hit_id,
            items.c.id,
            items.c.title,
            items.c.minute_number,
            meetings.c.id,
            meetings.c.date,
            committees.c.code,
            committees.c.numbering,
            committees.c.year_start_month,
        )
        .join(items, items.c.id == owners.c.item_id)
        .join(meetings, meetings.c.id == items.c.meeting_id)
        .join(committees, committees.c.id == meetings.c.committee_id)
    )


def search(session: Session, query: str, limit: int = 100) -> list[SearchResult]:
    """Hits for the clerk's words, best first, each resolved to its meeting and minute in one query for all."""
    hits = fts.search(session, query, limit)
    if not hits:
        return []
    ids: dict[str, list[int]] = {"item": [], "resolution": [], "action": []}
    for hit in hits:
        ids[hit.kind].append(hit.id)
    rows = session.connection().execute(
        _owners_statement(),
        {"items": ids["item"], "resolutions": ids["resolution"], "actions": ids["action"]},
    )
    found = {(r[0], r[1]): r for r in rows}
    results = []
    for hit in hits:
        row = found.get((hit.kind, hit.id))
        if row is None:
            continue  # removed since the index was read
        _kind, _hit, item_id, title, number, meeting_id, day, code, scheme, start_month = row
        ref = minute_ref(number, scheme, municipal_year(day, start_month))
        results.append(SearchResult(hit.kind, item_id, meeting_id, day, code, ref, title, hit.snippet))
    return results
