"""Search merges the ranked hits of items, resolutions and actions, best first, cuts them at the limit, and
resolves each to its meeting and minute, on both engines."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from paperprep import blocks as B
from paperprep.db import fts, open_database
from paperprep.domain import ResolutionWording
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.search import search


@pytest.fixture
def db(database: Any) -> Any:
    """Every test here runs on both engines: SQLite and PostgreSQL (`database`, tests/conftest.py)."""
    return database


def _minutes(s: Any) -> dict[str, Any]:
    """Two meetings whose items, resolutions and actions name the Kestrel depot, some often and some once, among
    business that does not name it (so that the words are rare enough to rank by)."""
    committee = C.create_committee(s, "Environment Scrutiny", "ES")
    made: dict[str, Any] = {"meetings": []}
    for m, day in enumerate((dt.date(2022, 3, 8), dt.date(2023, 6, 13))):
        meeting = M.create_meeting(s, committee, day)
        made["meetings"].append(meeting)
        for n in range(4):
            item = A.add_item(s, meeting, f"Kestrel depot report {n}" if n % 2 else f"Fleet review {n}")
            body = "The Kestrel depot was discussed. " * (n % 2 + 1) + "Members noted the report. " * (
                8 * n + 3 * m
            )
            MI.set_body(s, item, [B.paragraph(body)])
            MI.add_resolution(
                s, item, ResolutionWording.RESOLVED, "to close the Kestrel depot" + " soon" * (n + m)
            )
            AC.add_action(
                s, item, f"Survey the Kestrel depot roof{' and gutters' * (n * m)}", owner="Dana Price"
            )
        for n in range(6):
            other = A.add_item(s, meeting, f"Waste collection contract {n}")
            MI.set_body(s, other, [B.paragraph("Members asked about bin rounds and recycling. " * (n + 1))])
            MI.add_resolution(s, other, ResolutionWording.RESOLVED, "to note the update on recycling")
            AC.add_action(s, other, "Circulate the recycling figures", owner="Lee Hart")
    return made


def test_a_smaller_limit_gives_the_best_of_the_same_order(db: Any) -> None:
    with db.transaction() as s:
        _minutes(s)
    with db.transaction() as s:
        everything = search(s, "Kestrel depot")
        kinds = {r.kind for r in everything}
        assert kinds == {"item", "resolution", "action"}
        assert len(everything) == 24  # 8 items, 8 resolutions, 8 actions
        for limit in (1, 3, 7, 16):
            assert search(s, "Kestrel depot", limit=limit) == everything[:limit], limit
        assert search(s, "Kestrel depot", limit=0) == []


def test_every_hit_is_resolved_to_its_own_meeting_and_minute(db: Any) -> None:
    with db.transaction() as s:
        made = _minutes(s)
        meetings = {m.id: m.date for m in made["meetings"]}
    with db.transaction() as s:
        found = search(s, "roof")
        assert len(found) == 8 and {r.kind for r in found} == {"action"}
        for result in found:
            item = A.get_item(s, result.item_id)
            assert item.meeting_id == result.meeting_id
            assert result.meeting_date == meetings[result.meeting_id]
            assert result.title == item.title and result.committee_code == "ES"
            assert result.minute_ref and "[roof]" in result.snippet.lower()


def test_sqlite_merges_the_tables_as_one_ranking_would(db_path: Path) -> None:
    """The merged streams give exactly what one bm25 ranking over the three tables gives, snippets included.
    (FTS5 is SQLite's: PostgreSQL ranks the three tables in one query already.)"""
    sqlite = open_database(db_path, daily_backup=False)
    try:
        _compare_with_one_ranking(sqlite)
    finally:
        sqlite.close()


def _compare_with_one_ranking(db: Any) -> None:
    with db.transaction() as s:
        _minutes(s)
    with db.transaction() as s:
        for query in ("Kestrel depot", "depot", "kestrel dep", "the kestrel"):
            expr = fts._match_expression(query)
            union = " UNION ALL ".join(
                f"SELECT '{kind}' AS kind, rowid AS id, bm25({table}) AS rank, "
                f"snippet({table}, -1, '[', ']', ' … ', 12) AS snip FROM {table} WHERE {table} MATCH :q"
                for kind, table in (
                    ("item", "fts_items"),
                    ("resolution", "fts_resolutions"),
                    ("action", "fts_actions"),
                )
            )
            everything = [
                (r.kind, r.id, r.snip, r.rank) for r in s.execute(text(union + " ORDER BY rank"), {"q": expr})
            ]
            got = [(h.kind, h.id, h.snippet, h.rank) for h in fts.search(s, query, limit=10)]
            assert len(got) == 10 < len(everything)
            assert len({r[0] for r in got}) > 1, (
                query
            )  # the best ten mix the tables: the merge is what is tested
            assert [r[3] for r in got] == sorted(r[3] for r in everything)[:10]
            # Equal ranks may come in either order from one ranking: above the last rank taken the hits are the
            # same set, and those at it are among the hits with that rank.
            last = got[-1][3]
            assert sorted(r for r in got if r[3] < last) == sorted(r for r in everything if r[3] < last), (
                query
            )
            assert {r for r in got if r[3] == last} <= {r for r in everything if r[3] == last}, query
