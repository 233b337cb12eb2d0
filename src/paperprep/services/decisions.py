"""A row of the register of decisions; the rows are built, for an audience, by services/snapshot.py (decision_records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DecisionRow:
    committee: str
    meeting_date: dt.date
    minute_ref: str
    item_title: str
    wording: str
    text: str
    parts: tuple[str, ...]
