"""The benchmark suite: the app's hot paths on ten years of data, each as a ratio to a peer in the same run.

Machines here are shared and noisy, so no figure is compared with a fixed number of seconds. Each operation is
timed against a peer that does the least possible work for the same answer (a raw sqlite3 query), best of
several runs, and the ratio is checked against a budget. Run: python bench/run.py [--db bench.sqlite]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate  # noqa: E402

from paperprep.db import fts, open_database  # noqa: E402
from paperprep.domain import Audience  # noqa: E402
from paperprep.services.actions import ActionFilter, list_actions  # noqa: E402
from paperprep.services.meetings import list_meetings  # noqa: E402
from paperprep.services.snapshot import action_records, build_meeting_record  # noqa: E402


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path("bench.sqlite"))
    args = parser.parse_args()
    if not args.db.exists():
        print("generating", generate(args.db))
    db = open_database(args.db, daily_backup=False)
    raw = sqlite3.connect(args.db)
    meeting_id = raw.execute("SELECT id FROM meetings ORDER BY date DESC LIMIT 1").fetchone()[0]

    def app_meetings() -> object:
        with db.transaction() as s:
            return list_meetings(s)

    def peer_meetings() -> object:
        return raw.execute(
            "SELECT m.id, c.name, m.date, m.status, (SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id) "
            "FROM meetings m JOIN committees c ON c.id = m.committee_id ORDER BY m.date"
        ).fetchall()

    def app_snapshot() -> object:
        with db.transaction() as s:
            return build_meeting_record(s, meeting_id, Audience.CONFIDENTIAL)

    def peer_snapshot() -> object:
        items = raw.execute("SELECT * FROM agenda_items WHERE meeting_id = ?", (meeting_id,)).fetchall()
        ids = [r[0] for r in items]
        marks = ",".join("?" * len(ids))
        raw.execute(f"SELECT * FROM resolutions WHERE item_id IN ({marks})", ids).fetchall()
        raw.execute(f"SELECT * FROM actions WHERE item_id IN ({marks})", ids).fetchall()
        # Matters arising: the committee's open actions from earlier meetings.
        raw.execute(
            "SELECT a.*, i.title FROM actions a JOIN agenda_items i ON i.id = a.item_id "
            "JOIN meetings m ON m.id = i.meeting_id WHERE m.committee_id = "
            "(SELECT committee_id FROM meetings WHERE id = ?) AND m.date < (SELECT date FROM meetings WHERE id = ?) "
            "AND a.status IN ('open', 'in_progress')",
            (meeting_id, meeting_id),
        ).fetchall()
        return items

    def app_open_actions() -> object:
        with db.transaction() as s:
            return action_records(list_actions(s, ActionFilter(status="open")), Audience.CONFIDENTIAL)

    def peer_open_actions() -> object:
        return raw.execute(
            "SELECT a.*, i.title, m.date FROM actions a JOIN agenda_items i ON i.id = a.item_id "
            "JOIN meetings m ON m.id = i.meeting_id WHERE a.status IN ('open', 'in_progress')"
        ).fetchall()

    def app_search() -> object:
        with db.transaction() as s:
            return fts.search(s, "placement stability")

    def peer_search() -> object:
        return raw.execute(
            "SELECT count(*) FROM agenda_items WHERE minutes_text LIKE '%placement stability%'"
        ).fetchall()

    cases = [
        ("meeting list", app_meetings, peer_meetings, 20.0),
        ("open one meeting", app_snapshot, peer_snapshot, 60.0),
        ("open actions", app_open_actions, peer_open_actions, 60.0),
        # FTS ranks and cuts snippets over three tables; a LIKE scan of one column must not beat it by much.
        ("search (FTS vs LIKE scan)", app_search, peer_search, 3.0),
    ]
    failed = 0
    for name, app, peer, budget in cases:
        ours, theirs = best(app), best(peer)
        ratio = ours / theirs if theirs else float("inf")
        ok = ratio <= budget
        failed += not ok
        print(
            f"{name:<28} app {ours * 1000:8.1f} ms  peer {theirs * 1000:8.1f} ms  ratio {ratio:6.1f}  "
            f"budget {budget:5.1f}  {'ok' if ok else 'OVER'}"
        )
    db.close()
    raw.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
