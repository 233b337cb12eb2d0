"""A bounded load test on the loopback cluster: 20 clerks at once, each making 200 edits to the same meetings.

Every edit states the version it read, as the app does. Each is either saved or refused as a ConflictError; none
is lost: for every field, the value at the end is the marker of the last saved edit of it (the saved edit that
read the highest version of its row; two saved edits of one row never read the same version). The data then
passes the integrity checks. The throughput and the latency of a save are printed (docs/team-mode.md keeps them).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import text

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.domain import ResolutionWording
from paperprep.errors import ConflictError
from paperprep.ops import Workbench
from paperprep.ops.actions import AddAction, UpdateAction
from paperprep.ops.agenda import AddItem, EditItem
from paperprep.ops.meetings import CreateCommittee, CreateMeeting
from paperprep.ops.minutes import AddResolution, SaveMinutesText

WRITERS = 20
EDITS = 200
MEETINGS = 3
ITEMS = 4  # per meeting, each with an action


@dataclass(frozen=True)
class Edit:
    writer: int
    table: str
    row: int
    column: str
    marker: str
    read_version: int
    saved: bool
    seconds: float


@dataclass
class Outcome:
    edits: list[Edit] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _shared(url: str) -> tuple[list[int], list[int]]:
    """Meetings with items, each item with a resolution and an action: (item ids, action ids)."""
    db = open_database(url, daily_backup=False)
    items: list[int] = []
    actions: list[int] = []
    try:
        bench = Workbench(db, user="setup")
        committee = bench.run(CreateCommittee("Children and Learning Scrutiny", "CLSC")).result
        for n in range(MEETINGS):
            meeting = bench.run(
                CreateMeeting(committee, dt.date(2026, 6, 10) + dt.timedelta(weeks=6 * n))
            ).result
            for i in range(ITEMS):
                item = bench.run(AddItem(meeting, f"Report {n}.{i}")).result
                resolution = bench.run(
                    AddResolution(item, ResolutionWording.RESOLVED, "That it be noted.")
                ).result
                actions.append(
                    bench.run(AddAction(item, f"Action {n}.{i}", "Director", None, resolution)).result
                )
                items.append(item)
    finally:
        db.close()
    return items, actions


def _version(bench: Workbench, table: str, row: int) -> int:
    return int(
        bench.read(
            lambda s: s.execute(text(f"SELECT version FROM {table} WHERE id = :i"), {"i": row}).scalar()
        )
    )


def _writer(
    url: str, writer: int, items: list[int], actions: list[int], start: threading.Barrier, out: Outcome
) -> None:
    db = open_database(url, daily_backup=False)
    pick = random.Random(writer)
    mine: list[Edit] = []
    try:
        bench = Workbench(db, user=f"clerk {writer}")
        start.wait()
        for n in range(EDITS):
            marker = f"w{writer:02d}e{n:03d}"
            kind = pick.choice(("minutes", "title", "purpose", "action"))
            if kind == "action":
                table, row, column = "actions", pick.choice(actions), "text"
            else:
                table, row = "agenda_items", pick.choice(items)
                column = {"minutes": "minutes_text", "title": "title", "purpose": "purpose"}[kind]
            read = _version(bench, table, row)
            if kind == "minutes":
                op: Any = SaveMinutesText(row, (B.paragraph(f"Minute {marker}."),), read)
            elif kind == "action":
                op = UpdateAction(row, None, None, read, text=f"Action {marker}")
            else:
                op = EditItem(row, column, f"Item {marker}", read)
            began = time.perf_counter()
            try:
                bench.run(op)
                saved = True
            except ConflictError:
                saved = False
            mine.append(Edit(writer, table, row, column, marker, read, saved, time.perf_counter() - began))
    except Exception as exc:  # noqa: BLE001 - any other failure fails the test, with what it was
        out.failures.append(f"writer {writer}: {type(exc).__name__}: {exc}")
    finally:
        db.close()
        out.edits.extend(mine)


def test_twenty_clerks_at_once_lose_nothing(team_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    items, actions = _shared(team_url)
    out = Outcome()
    start = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=_writer, args=(team_url, w, items, actions, start, out))
        for w in range(WRITERS)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    elapsed = time.perf_counter() - began
    assert not any(t.is_alive() for t in threads), "a writer did not finish"
    assert not out.failures, out.failures[:5]
    assert len(out.edits) == WRITERS * EDITS, "an edit was neither saved nor refused"
    saved = [e for e in out.edits if e.saved]
    assert saved and len(saved) < len(out.edits), "the load made no conflicts at all: it did not test them"

    # No two saved edits of one row read the same version: no update was made over another unseen.
    reads = [(e.table, e.row, e.read_version) for e in saved]
    assert len(reads) == len(set(reads)), "two saves of one row were both accepted from the same version"

    # The last saved edit of each field is what the field holds.
    last: dict[tuple[str, int, str], Edit] = {}
    for edit in saved:
        key = (edit.table, edit.row, edit.column)
        if key not in last or edit.read_version > last[key].read_version:
            last[key] = edit
    db = open_database(team_url, daily_backup=False)
    try:
        with db.transaction() as s:
            for (table, row, column), edit in last.items():
                value = s.execute(text(f"SELECT {column} FROM {table} WHERE id = :i"), {"i": row}).scalar()
                assert edit.marker in str(value), (
                    f"{table} {row} {column}: {edit.marker} was lost ({value!r})"
                )
            for table, row in {(e.table, e.row) for e in saved}:
                version = s.execute(text(f"SELECT version FROM {table} WHERE id = :i"), {"i": row}).scalar()
                count = sum(1 for e in saved if (e.table, e.row) == (table, row))
                assert version >= 1 + count, f"{table} {row}: {count} saves but version {version}"
            _integrity(s)
    finally:
        db.close()

    latencies = sorted(e.seconds for e in saved)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    with capsys.disabled():
        print(
            f"\nload: {WRITERS} writers x {EDITS} edits in {elapsed:.1f} s: {len(out.edits) / elapsed:.0f} edits/s, "
            f"{len(saved)} saved, {len(out.edits) - len(saved)} conflicts; save latency median "
            f"{statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        )


def _integrity(s: Any) -> None:
    """Foreign keys hold, and each meeting's items are in order with minute numbers that run on."""
    orphans = {
        "agenda items": "SELECT count(*) FROM agenda_items i LEFT JOIN meetings m ON m.id = i.meeting_id "
        "WHERE m.id IS NULL",
        "resolutions": "SELECT count(*) FROM resolutions r LEFT JOIN agenda_items i ON i.id = r.item_id "
        "WHERE i.id IS NULL",
        "actions": "SELECT count(*) FROM actions a LEFT JOIN agenda_items i ON i.id = a.item_id WHERE i.id IS NULL",
        "actions' resolutions": "SELECT count(*) FROM actions a LEFT JOIN resolutions r ON r.id = a.resolution_id "
        "WHERE a.resolution_id IS NOT NULL AND r.id IS NULL",
    }
    for what, sql in orphans.items():
        assert s.execute(text(sql)).scalar() == 0, f"{what} point at records that do not exist"
    numbers = s.execute(
        text(
            "SELECT i.meeting_id, i.position, i.minute_number FROM agenda_items i JOIN meetings m "
            "ON m.id = i.meeting_id ORDER BY m.date, i.position"
        )
    ).all()
    by_meeting: dict[int, list[int]] = {}
    minutes: list[int] = []
    for meeting, position, number in numbers:
        by_meeting.setdefault(meeting, []).append(position)
        minutes.append(number)
    assert all(p == list(range(len(p))) for p in by_meeting.values()), "positions have gaps"
    assert minutes == list(range(minutes[0], minutes[0] + len(minutes))), (
        f"minute numbers do not run on: {minutes}"
    )
