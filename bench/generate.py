"""Years of a council's meetings for the benchmark suite: per ten years, about 20,000 items and 50,000 actions.

Rows go in through SQLAlchemy Core in bulk, with ids assigned here so that every table is one executemany (the
services would take many minutes for this much). The shape is what the services make: contiguous positions,
minute numbers by the committee's scheme, JSON minutes bodies with lettered paragraphs, bullets and resolutions
with parts, attendance, actions with updates, and the search index filled by the same triggers the app uses.

The text comes from bench/textgen.py (a Zipf vocabulary of real words, names, places and acronyms), so searches
and documents behave as they would on real minutes. A separate "Scaling" committee holds three meetings of 40,
200 and 400 items for the size figures.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from textgen import TextGen

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.db.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Committee,
    Meeting,
    Membership,
    Person,
    Resolution,
)
from paperprep.domain import (
    ActionStatus,
    AttendanceStatus,
    ItemKind,
    MeetingStatus,
    MembershipRole,
    NumberingScheme,
    PersonKind,
    Rag,
    ResolutionWording,
)

COMMITTEES = (
    ("Children's Services Scrutiny Committee", "CSSC"),
    ("Adult Social Care and Health Scrutiny Committee", "ASCH"),
    ("Corporate Parenting Board", "CPB"),
    ("Audit and Governance Committee", "AGC"),
    ("Housing and Communities Committee", "HCC"),
    ("Environment and Transport Committee", "ETC"),
    ("Schools Forum", "SF"),
    ("Health and Wellbeing Board", "HWB"),
)
SCALING_SIZES = (40, 200, 400)
STAMP = dt.datetime(2020, 1, 1)


class _Rows:
    """Rows of every table, with ids given here, written in one executemany per table."""

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        self.ids: dict[Any, int] = defaultdict(int)

    def add(self, model: Any, **values: Any) -> int:
        self.ids[model] += 1
        values["id"] = self.ids[model]
        self.rows[model].append(values)
        return values["id"]

    def write(self, conn: Any) -> None:
        for model in (Committee, Person, Membership, Meeting, Attendance, AgendaItem, Resolution, Action,
                      ActionUpdate):
            batch = self.rows.get(model, [])
            for start in range(0, len(batch), 5000):
                conn.execute(insert(model), batch[start : start + 5000])


def _minutes(text: TextGen) -> list[B.Block]:
    """A report's minutes: narrative, then questions as lettered sub-paragraphs, sometimes bullets."""
    rng = text.rng
    body = [B.paragraph(text.paragraph((2, 4)))]
    if rng.random() < 0.8:
        body.append(B.paragraph("During the discussion the following points were raised:"))
        body += [B.lettered(text.asked()) for _ in range(rng.randint(2, 6))]
    if rng.random() < 0.4:
        body += [B.bullet(text.sentence(6, 14)) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.5:
        body.append(B.paragraph(text.paragraph((1, 3))))
    return body


def _item(rows: _Rows, text: TextGen, meeting_id: int, position: int, number: int, day: dt.date,
          approved: bool) -> int:
    rng = text.rng
    body = _minutes(text) if approved or rng.random() < 0.3 else []
    officer, role = text.officer()
    item_id = rows.add(
        AgendaItem,
        meeting_id=meeting_id,
        position=position,
        minute_number=number,
        title=text.title(),
        kind=ItemKind.REPORT.value,
        purpose=text.sentence(15, 35),
        report_of=role,
        presenter_name=officer,
        presenter_role=role,
        is_exempt=False,
        exempt_paragraphs="",
        public_title="",
        minutes_body=B.dumps(body),
        minutes_text=B.to_plain_text(body),
        updated_at=STAMP,
    )
    parts = [text.sentence(8, 20) for _ in range(rng.randint(0, 4))]
    resolution_id = rows.add(
        Resolution,
        item_id=item_id,
        position=0,
        wording=ResolutionWording.RESOLVED.value,
        keyword="",
        text="That:" if parts else "That the report be noted.",
        parts=json.dumps(parts),
    )
    age = (dt.date.today() - day).days
    for n in range(1, rng.choice((0, 1, 2, 3, 4, 5)) + 1):
        done = rng.random() < min(0.95, age / 1500)
        status = rng.choice((ActionStatus.DONE, ActionStatus.CANCELLED)) if done else rng.choice(
            (ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
        action_id = rows.add(
            Action,
            item_id=item_id,
            resolution_id=resolution_id,
            number=n,
            text=text.sentence(8, 22),
            owner=text.officer()[0],
            due_date=day + dt.timedelta(days=28 * n),
            status=status.value,
            rag=rng.choice(list(Rag)).value,
            notes="",
            source_finding="",
            created_at=STAMP,
            updated_at=STAMP,
        )
        for k in range(rng.randint(0, 2)):
            rows.add(ActionUpdate, action_id=action_id, date=day + dt.timedelta(days=14 * (k + 1)),
                     text=text.sentence(6, 18))
    return item_id


def _meeting(rows: _Rows, text: TextGen, committee_id: int, day: dt.date, status: MeetingStatus,
             members: list[int], items: int, number: int) -> int:
    approved = status is MeetingStatus.MINUTES_APPROVED
    meeting_id = rows.add(
        Meeting,
        committee_id=committee_id,
        date=day,
        start_time=dt.time(10, 0),
        close_time=dt.time(12, 30) if approved else None,
        venue="Council Chamber, Town Hall",
        contact_officer="",
        status=status.value,
        approved_on=day + dt.timedelta(days=42) if approved else None,
        updated_at=STAMP,
    )
    for person_id in members:
        present = text.rng.random() < 0.85
        rows.add(Attendance, meeting_id=meeting_id, person_id=person_id,
                 status=(AttendanceStatus.PRESENT if present else AttendanceStatus.APOLOGIES).value, note="")
    for position in range(items):
        _item(rows, text, meeting_id, position, number + position, day, approved)
    return meeting_id


def generate(path: Path, years: int = 10, committees: int = 8, seed: int = 1,
             meetings_per_year: int = 10) -> dict[str, int]:
    text = TextGen(seed)
    rng = text.rng
    rows = _Rows()
    people = [rows.add(Person, name=name, kind=PersonKind.COUNCILLOR.value, title="", email="")
              for name in text.people[:400]]
    today = dt.date.today()
    start = dt.date(today.year - years, 5, 1)
    for c, (name, code) in enumerate(COMMITTEES[:committees]):
        committee_id = rows.add(
            Committee, name=name, code=code, kind="scrutiny", numbering=NumberingScheme.CONTINUOUS.value, year_start_month=5,
            default_venue="Council Chamber, Town Hall", contact_officer="", archived=False)
        members = rng.sample(people, 12)
        for k, person_id in enumerate(members):
            role = MembershipRole.CHAIR if k == 0 else MembershipRole.VICE_CHAIR if k == 1 else MembershipRole.MEMBER
            rows.add(Membership, committee_id=committee_id, person_id=person_id, role=role.value)
        number = 1
        total = years * meetings_per_year
        for m in range(total):
            day = start + dt.timedelta(days=int(365 * years * m / total) + c)
            if m % meetings_per_year == 0:  # a new municipal year
                number = 1
            status = (MeetingStatus.MINUTES_APPROVED if m < total - 2 else
                      MeetingStatus.DRAFT_MINUTES if m == total - 2 else MeetingStatus.DRAFT_AGENDA)
            items = rng.randint(18, 32)
            _meeting(rows, text, committee_id, day, status, members, items, number)
            number += items
    scaling_id = rows.add(Committee, name="Scaling Committee", code="SCALE", kind="other",
                          numbering=NumberingScheme.CONTINUOUS.value, year_start_month=5, default_venue="",
                          contact_officer="", archived=False)
    members = rng.sample(people, 10)
    number = 1
    for k, size in enumerate(SCALING_SIZES):
        _meeting(rows, text, scaling_id, start + dt.timedelta(days=100 + k), MeetingStatus.MINUTES_APPROVED,
                 members, size, number)
        number += size
    db = open_database(path, daily_backup=False)
    with db.transaction() as session:
        rows.write(session.connection())
    db.close()
    counts = {
        "meetings": rows.ids[Meeting],
        "items": rows.ids[AgendaItem],
        "actions": rows.ids[Action],
        "words": sum(len(r["minutes_text"].split()) for r in rows.rows[AgendaItem]),
    }
    return counts


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench.sqlite")
    print(generate(target))
