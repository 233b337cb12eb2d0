"""Search: full-text hits resolved to the meeting and minute they belong to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from paperprep.db import fts
from paperprep.db.models import Action, AgendaItem, Resolution
from paperprep.services.numbering import meeting_minute_ref


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
    results = []
    for hit in fts.search(session, query, limit):
        item: AgendaItem | None
        if hit.kind == "item":
            item = session.get(AgendaItem, hit.id)
        elif hit.kind == "resolution":
            resolution = session.get(Resolution, hit.id)
            item = resolution.item if resolution else None
        else:
            action = session.get(Action, hit.id)
            item = action.item if action else None
        if item is None:
            continue
        meeting = item.meeting
        results.append(
            SearchResult(
                hit.kind,
                item.id,
                meeting.id,
                meeting.date,
                meeting.committee.code,
                meeting_minute_ref(meeting, item.minute_number),
                item.title,
                hit.snippet,
            )
        )
    return results
