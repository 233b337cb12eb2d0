"""Opening a meeting in the real window: each part of it is read once, every panel is filled (the matters arising
too); the Action log asked to refresh twice in one turn reads once, after the last ask; and an export's progress
reaches the GUI thread once a percent, not once an item, while a cancel is still seen at every item."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from paperprep.db import open_database
from paperprep.ops import Workbench
from paperprep.ops.actions import UpdateAction
from paperprep.ops.meetings import LoadDemo
from paperprep.queries import lists
from paperprep.queries import meeting as Q
from paperprep.ui.export_actions import ExportRun
from paperprep.ui.store import Store

# The matters arising of a meeting: its committee's open actions from earlier meetings.
CARRIED = """
    SELECT a.id FROM actions a JOIN agenda_items i ON i.id = a.item_id JOIN meetings m ON m.id = i.meeting_id
    WHERE m.committee_id = (SELECT committee_id FROM meetings WHERE id = :meeting)
      AND m.date < (SELECT date FROM meetings WHERE id = :meeting) AND a.status IN ('open', 'in_progress')
"""


def _demo(path: Path) -> None:
    db = open_database(path)
    try:
        Workbench(db).run(LoadDemo())
    finally:
        db.close()


def _meeting_with_most_matters_arising(path: Path) -> tuple[int, list[int], set[int]]:
    """(meeting, its items in agenda order, its matters arising)."""
    with sqlite3.connect(path) as conn:
        meetings = [m for (m,) in conn.execute("SELECT id FROM meetings")]
        carried = {m: {a for (a,) in conn.execute(CARRIED, {"meeting": m})} for m in meetings}
        meeting = max(meetings, key=lambda m: len(carried[m]))
        items = [
            i
            for (i,) in conn.execute(
                "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position", (meeting,)
            )
        ]
    return meeting, items, carried[meeting]


def test_opening_a_meeting_reads_each_part_once_and_fills_every_panel(
    qtbot: Any, tmp_path: Path, open_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.sqlite"
    _demo(path)
    meeting, items, carried = _meeting_with_most_matters_arising(path)
    assert items and carried  # the demo has a meeting with both to show
    window = open_window(path)
    reads: Counter[str] = Counter()
    read = Store.read

    def counted(store: Store, query: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(query, "__module__", "") == Q.__name__:
            reads[query.__name__] += 1
        return read(store, query, *args, **kwargs)

    monkeypatch.setattr(Store, "read", counted)
    window.select_meeting(meeting)
    qtbot.wait(20)  # whatever the open queued runs too

    every_part = {"meeting_heading", "agenda", "attendance", "minute_items", "item_minute", "meeting_actions"}
    assert every_part <= set(reads), reads
    assert all(count == 1 for count in reads.values()), reads
    workspace = window.workspace
    assert [row.id for row in workspace.agenda.model.rows] == items
    assert {row.id for row in workspace.actions_panel.carried.rows} == carried
    assert workspace.minutes.item_id == items[0]
    assert workspace.attendance.model.rows


def test_the_action_log_asked_twice_in_one_turn_reads_once_and_sees_the_last_change(
    qtbot: Any, tmp_path: Path, open_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.sqlite"
    _demo(path)
    window = open_window(path)
    window.open_action_log()
    log = window.action_log_window
    qtbot.waitUntil(lambda: log.model.rowCount() > 0)
    reads: list[int] = []
    action_log = lists.action_log

    def counted(session: Any, flt: Any, *args: Any) -> Any:
        reads.append(1)
        return action_log(session, flt, *args)

    monkeypatch.setattr(lists, "action_log", counted)
    first = log.model.rows[0]
    with qtbot.waitSignal(log.loaded):
        log.refresh()
        # Saved after the first ask, in the same turn; its change notice asks again. The one read comes after
        # both, so the new owner shows.
        window.store.run(UpdateAction(first.id, owner="Head of Early Help", read_version=first.version))
    assert len(reads) == 1
    assert log.model.rows[log.model.row_of(first.id)].owner == "Head of Early Help"


def test_an_exports_progress_reaches_the_window_once_a_percent(qtbot: Any) -> None:
    run = ExportRun()
    seen: list[tuple[int, int]] = []
    run.progressed.connect(lambda done, total: seen.append((done, total)))
    assert all(run.progress(n, 400) for n in range(401))
    assert [100 * done // total for done, total in seen] == list(range(101))
    assert seen[0] == (0, 400) and seen[-1] == (400, 400)

    small = ExportRun()
    few: list[tuple[int, int]] = []
    small.progressed.connect(lambda done, total: few.append((done, total)))
    assert all(small.progress(n, 3) for n in range(4))
    assert few == [(0, 3), (1, 3), (2, 3), (3, 3)]  # every step of a short export moves the bar


def test_a_cancel_is_seen_at_the_next_item_even_when_the_bar_does_not_move(qtbot: Any) -> None:
    run = ExportRun()
    seen: list[tuple[int, int]] = []
    run.progressed.connect(lambda done, total: seen.append((done, total)))
    assert run.progress(0, 400)
    run.cancelled.set()
    assert run.progress(1, 400) is False  # the same percent: nothing sent, and still stopped
    assert seen == [(0, 400)]
