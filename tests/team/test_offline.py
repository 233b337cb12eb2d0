"""The offline copy round trip: `paperprep backup --db postgresql://... --out FILE.sqlite` makes a complete copy the
app opens like any file; `paperprep sync` sends back what changed offline, version-checked: a row changed on both
sides is listed with both values and not sent, nothing is lost, and the rest reaches the server."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from paperprep import blocks as B
from paperprep.cli import parse_args, run
from paperprep.db import fts, head_revision, open_database, schema_revision
from paperprep.db.offline import public_address, read_origin
from paperprep.domain import ResolutionWording
from paperprep.ops import Workbench
from paperprep.ops import agenda as OA
from paperprep.ops import meetings as OME
from paperprep.ops import minutes as OM
from paperprep.ops.actions import AddAction

TABLES = (
    "committees",
    "people",
    "topics",
    "meetings",
    "memberships",
    "agenda_items",
    "attendance",
    "declarations",
    "resolutions",
    "actions",
    "action_updates",
    "recorded_votes",
    "inspection_summaries",
    "audit_entries",
)
OFFLINE_TEXT = "Typed on the train: members asked for the ward figures before the next meeting."
SERVER_TEXT = "Typed at County Hall: the Chair thanked officers for the report."


@pytest.fixture
def demo_server(team_url: str) -> Iterator[str]:
    db = open_database(team_url, daily_backup=False)
    try:
        Workbench(db, user="setup").run(OME.LoadDemo(dt.date(2026, 9, 15)))
    finally:
        db.close()
    yield team_url


def _rows(location: Any, sql: str, **args: Any) -> list[tuple[Any, ...]]:
    db = open_database(location, daily_backup=False)
    try:
        with db.transaction() as s:
            return [tuple(r) for r in s.execute(text(sql), args)]
    finally:
        db.close()


def _ids_and_versions(location: Any, table: str) -> list[tuple[Any, ...]]:
    columns = (
        "id, version"
        if table in ("meetings", "agenda_items", "attendance", "resolutions", "actions")
        else "id"
    )
    return sorted(_rows(location, f"SELECT {columns} FROM {table}"))


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(parse_args(list(argv)))
    out, err = capsys.readouterr()
    return code, out, err


def _draft_items(location: Any) -> list[tuple[int, int, str, int]]:
    """(item, meeting, title, version) of the items of meetings never approved, first meeting first."""
    return _rows(
        location,
        "SELECT i.id, i.meeting_id, i.title, i.version FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id "
        "WHERE m.status != 'minutes_approved' AND m.approved_on IS NULL ORDER BY m.id, i.position",
    )


def test_the_offline_copy_is_complete_and_records_where_it_came_from(
    demo_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "away.sqlite"
    code, out, err = _cli(capsys, "backup", "--db", demo_server, "--out", str(copy))
    assert code == 0, err
    assert "Offline copy" in out and str(copy) in out
    for table in TABLES:
        assert _ids_and_versions(copy, table) == _ids_and_versions(demo_server, table), table
    db = open_database(copy, daily_backup=False)
    try:
        assert not db.on_server and schema_revision(db) == head_revision()
        (title,) = _rows(demo_server, "SELECT title FROM agenda_items WHERE kind = 'report' ORDER BY id")[0]
        word = max((w for w in str(title).split() if w.isalpha()), key=len)
        with db.transaction() as s:
            hits = fts.search(s, word)
        assert hits, "the copy's search index was not built"
    finally:
        db.close()
    origin = read_origin(copy)
    assert origin.source == demo_server
    assert dt.datetime.fromisoformat(origin.server_time).year >= 2024
    versions = {int(k): v[0] for k, v in origin.base["agenda_items"].items()}
    assert versions == dict(_rows(demo_server, "SELECT id, version FROM agenda_items"))
    assert public_address("postgresql://sam.patel:s3cret@db.council.local:5432/paperprep") == (
        "postgresql://sam.patel@db.council.local:5432/paperprep"
    )


def test_sync_sends_what_changed_offline_and_lists_what_changed_on_both_sides(
    demo_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "away.sqlite"
    assert _cli(capsys, "backup", "--db", demo_server, "--out", str(copy))[0] == 0
    items = _draft_items(copy)
    (both, meeting, both_title, both_version) = items[0]
    (mine, _m, _t, mine_version) = next(i for i in items if i[1] == meeting and i[0] != both)
    removed = next(i[0] for i in reversed(items) if i[1] != meeting and i[0] != both)

    # Offline: two minutes typed, an item added with a resolution and an action, another item removed.
    local = open_database(copy, daily_backup=False)
    try:
        bench = Workbench(local, user="clerk away")
        bench.run(OM.SaveMinutesText(both, (B.paragraph(OFFLINE_TEXT),), both_version))
        bench.run(
            OM.SaveMinutesText(mine, (B.paragraph("Noted offline, no one else touched it."),), mine_version)
        )
        added = bench.run(OA.AddItem(meeting, "Late report: home to school transport")).result
        resolution = bench.run(
            OM.AddResolution(added, ResolutionWording.RESOLVED, "That the report be noted.", ())
        ).result
        bench.run(AddAction(added, "Circulate the route figures", "Head of Transport", None, resolution))
        bench.run(OA.RemoveItem(removed))
    finally:
        local.close()

    # On the server meanwhile: another clerk types in the same minute.
    server = open_database(demo_server, daily_backup=False)
    try:
        Workbench(server, user="clerk at the office").run(
            OM.SaveMinutesText(both, (B.paragraph(SERVER_TEXT),), both_version)
        )
    finally:
        server.close()

    code, out, err = _cli(capsys, "sync", "--db", str(copy), "--json")
    assert code == 1, err  # a conflict remains
    report = json.loads(out)
    assert report["updated"] >= 1 and report["inserted"] >= 3 and report["deleted"] >= 1
    (conflict,) = report["conflicts"]
    assert conflict["table"] == "agenda_items" and conflict["id"] == str(both)
    assert both_title in conflict["reference"]
    assert OFFLINE_TEXT in conflict["offline"]["minutes_text"]
    assert SERVER_TEXT in conflict["server"]["minutes_text"]

    # Nothing lost: the server keeps its text, the copy keeps the offline one.
    assert (
        SERVER_TEXT in _rows(demo_server, "SELECT minutes_text FROM agenda_items WHERE id = :i", i=both)[0][0]
    )
    assert OFFLINE_TEXT in _rows(copy, "SELECT minutes_text FROM agenda_items WHERE id = :i", i=both)[0][0]
    # The offline-only edit reached the server, its version raised.
    text_now, version_now = _rows(
        demo_server, "SELECT minutes_text, version FROM agenda_items WHERE id = :i", i=mine
    )[0]
    assert "Noted offline" in text_now and version_now > mine_version
    # The new item has a server id of its own, and its resolution and action point at it.
    (new_item,) = _rows(
        demo_server, "SELECT id FROM agenda_items WHERE title = 'Late report: home to school transport'"
    )[0]
    (new_resolution,) = _rows(demo_server, "SELECT id FROM resolutions WHERE item_id = :i", i=new_item)[0]
    assert _rows(demo_server, "SELECT text, resolution_id FROM actions WHERE item_id = :i", i=new_item) == [
        ("Circulate the route figures", new_resolution)
    ]
    numbers = [
        r[0]
        for r in _rows(
            demo_server,
            "SELECT minute_number FROM agenda_items WHERE meeting_id = :m ORDER BY position",
            m=meeting,
        )
    ]
    assert None not in numbers and numbers == sorted(numbers), "the meeting was not renumbered"
    assert _rows(demo_server, "SELECT id FROM agenda_items WHERE id = :i", i=removed) == []

    # A second sync sends nothing again, and still lists the conflict.
    code, out, _err = _cli(capsys, "sync", "--db", str(copy), "--json")
    again = json.loads(out)
    assert code == 1 and again["updated"] == again["inserted"] == again["deleted"] == 0
    assert [c["id"] for c in again["conflicts"]] == [str(both)]
    assert len(_rows(demo_server, "SELECT id FROM agenda_items WHERE title LIKE 'Late report: home%'")) == 1

    # The plain list says the same in words.
    code, out, _err = _cli(capsys, "sync", "--db", str(copy))
    assert code == 1 and "1 not sent" in out and both_title in out and OFFLINE_TEXT[:20] in out


def test_sync_refuses_a_file_that_is_not_an_offline_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "mine.sqlite"
    open_database(plain, daily_backup=False).close()
    code, out, err = _cli(capsys, "sync", "--db", str(plain))
    assert code == 1 and out == ""
    assert (
        err.count("\n") == 1 and "not an offline copy" in err and "paperprep backup --db postgresql://" in err
    )
