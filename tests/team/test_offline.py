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
from paperprep.ops import sync as S
from paperprep.ops.actions import AddAction

from .conftest import Shared

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


# -- a record added offline and sent, then edited again; settling by one choice from the command line ------------


def _copy_of(shared: Shared, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    copy = tmp_path / "away.sqlite"
    assert _cli(capsys, "backup", "--db", shared.url, "--out", str(copy))[0] == 0
    return copy


def _run(location: Any, *ops: Any) -> list[Any]:
    db = open_database(location, daily_backup=False)
    try:
        bench = Workbench(db, user="clerk")
        return [bench.run(op).result for op in ops]
    finally:
        db.close()


def _version_of(location: Any, item: int) -> int:
    return int(_rows(location, "SELECT version FROM agenda_items WHERE id = :i", i=item)[0][0])


def _minute_text(location: Any, item: int) -> str:
    return str(_rows(location, "SELECT minutes_text FROM agenda_items WHERE id = :i", i=item)[0][0])


def _type(location: Any, item: int, words: str) -> None:
    _run(location, OM.SaveMinutesText(item, (B.paragraph(words),), _version_of(location, item)))


def test_a_record_added_offline_and_synced_is_synced_again_after_an_offline_edit(
    shared: Shared, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy_of(shared, tmp_path, capsys)
    _run(shared.url, OA.AddItem(shared.meeting_id, "Added at the office meanwhile"))  # the ids now differ
    (item,) = _run(copy, OA.AddItem(shared.meeting_id, "Late report: home to school transport"))
    (resolution,) = _run(copy, OM.AddResolution(item, ResolutionWording.RESOLVED, "That it be noted.", ()))
    code, out, err = _cli(capsys, "sync", "--db", str(copy), "--json")
    assert (code, json.loads(out)["inserted"], json.loads(out)["conflicts"]) == (0, 2, []), err
    ((server_item,),) = _rows(shared.url, "SELECT id FROM agenda_items WHERE title LIKE 'Late report%'")
    assert server_item != item

    _type(copy, item, OFFLINE_TEXT)
    _run(copy, OM.UpdateResolution(resolution, ResolutionWording.RESOLVED, "That it be approved.", ()))
    code, out, err = _cli(capsys, "sync", "--db", str(copy), "--json")
    report = json.loads(out)
    assert (code, report["updated"], report["conflicts"]) == (0, 2, []), err
    assert OFFLINE_TEXT in _minute_text(shared.url, server_item)
    assert _rows(shared.url, "SELECT text FROM resolutions WHERE item_id = :i", i=server_item) == [
        ("That it be approved.",)
    ]

    # Changed on the server too, it is a conflict, and only in what the clerks wrote: settled by a choice.
    _type(copy, item, "Typed on the train again.")
    _type(shared.url, server_item, SERVER_TEXT)
    code, out, _err = _cli(capsys, "sync", "--db", str(copy), "--json")
    (conflict,) = json.loads(out)["conflicts"]
    assert code == 1 and conflict["id"] == str(item)
    assert sorted(conflict["offline"]) == ["minutes_body", "minutes_text"]
    code, out, err = _cli(capsys, "sync", "--db", str(copy), "--resolve", "keep-mine")
    assert code == 0 and err == "", err
    assert "1 settled, your version sent" in out
    assert _minute_text(shared.url, server_item) == "Typed on the train again."
    code, out, _err = _cli(capsys, "sync", "--db", str(copy), "--json")
    assert (code, json.loads(out)["updated"], json.loads(out)["conflicts"]) == (0, 0, [])


def test_sync_resolve_take_theirs_keeps_the_copy_as_it_was_and_sends_what_was_held_back(
    shared: Shared, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy_of(shared, tmp_path, capsys)
    _type(copy, shared.item_id, OFFLINE_TEXT)
    # A resolution added offline to the conflicted item is held back with it.
    _run(copy, OM.AddResolution(shared.item_id, ResolutionWording.RESOLVED, "That the plan be noted.", ()))
    _type(shared.url, shared.item_id, SERVER_TEXT)

    code, out, err = _cli(capsys, "sync", "--db", str(copy), "--resolve", "take-theirs", "--json")
    assert code == 0 and err == "", err
    report = json.loads(out)
    ((settled,), left) = report["settled"], report["conflicts"]
    assert left == [] and settled["choice"] == "take-theirs" and settled["id"] == str(shared.item_id)
    assert OFFLINE_TEXT in settled["offline"]["minutes_text"]
    assert report["inserted"] == 1  # the resolution, sent once its item was settled
    assert _rows(shared.url, "SELECT text FROM resolutions WHERE item_id = :i", i=shared.item_id) == [
        ("That the plan be noted.",)
    ]
    assert _minute_text(copy, shared.item_id) == _minute_text(shared.url, shared.item_id)
    assert SERVER_TEXT in _minute_text(copy, shared.item_id)
    # The offline text is not lost: the copy as it was is kept beside it.
    kept = Path(report["kept_copy"])
    assert kept.parent == tmp_path and kept.name.startswith("away-before-take-theirs-")
    assert OFFLINE_TEXT in _minute_text(kept, shared.item_id)
    code, out, _err = _cli(capsys, "sync", "--db", str(copy), "--json")
    assert (code, json.loads(out)["inserted"], json.loads(out)["conflicts"]) == (0, 0, [])


def test_sync_resolve_lists_what_a_choice_cannot_settle(
    shared: Shared, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (other,) = _run(shared.url, OA.AddItem(shared.meeting_id, "Home to school transport"))
    copy = _copy_of(shared, tmp_path, capsys)
    _type(copy, shared.item_id, OFFLINE_TEXT)
    _type(copy, other, "Noted offline.")
    _type(shared.url, shared.item_id, SERVER_TEXT)
    _run(shared.url, OA.RemoveItem(other))

    code, out, err = _cli(capsys, "sync", "--db", str(copy), "--resolve", "keep-mine")
    assert code == 1
    assert "1 settled, your version sent" in out and "1 not settled:" in out
    assert "removed on the server" in out and "It is not on the shared database" in out
    assert err.count("\n") == 1 and err.startswith("paperprep: 1 change is still not sent")
    assert "File > Send my changes" in err and str(copy) in err
    assert OFFLINE_TEXT in _minute_text(shared.url, shared.item_id)
    assert _minute_text(copy, other) == "Noted offline."  # nothing lost

    code, out, err = _cli(capsys, "sync", "--db", str(copy), "--resolve", "keep-mine", "--json")
    report = json.loads(out)
    assert code == 1 and report["settled"] == []
    (left,) = report["conflicts"]
    assert left["id"] == str(other) and "not on the shared database" in left["left_because"]
    assert "still not sent" in err


def test_settling_all_leaves_a_record_that_moved_again_or_was_typed_in_since_the_send(
    shared: Shared, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (other,) = _run(shared.url, OA.AddItem(shared.meeting_id, "Home to school transport"))
    path = _copy_of(shared, tmp_path, capsys)
    for item in (shared.item_id, other):
        _type(path, item, OFFLINE_TEXT)
        _type(shared.url, item, SERVER_TEXT)
    copy_db, server_db = open_database(path, daily_backup=False), open_database(shared.url, daily_backup=False)
    try:
        copy, server = Workbench(copy_db, user="clerk away"), Workbench(server_db, user="clerk at the office")
        origin, rows = S.read_copy(path)
        result = server.run(S.SendOfflineChanges(origin, rows)).result
        copy.run(S.RecordSent(result.rebase, server.read(S.server_time)))
        assert sorted(c.key for c in result.conflicts) == sorted([str(shared.item_id), str(other)])
        # Meanwhile the office saves the first again, and the clerk types in the second in the copy.
        _type(shared.url, shared.item_id, "Typed at County Hall once more.")
        later = "Typed in the copy after the send."
        copy.run(OM.SaveMinutesText(other, (B.paragraph(later),), _version_of(path, other)))
        done = S.settle_all(server, copy, path, result.conflicts, S.Choice.KEEP_MINE)
    finally:
        copy_db.close()
        server_db.close()
    assert done.settled == [] and done.sent.applied == 0
    why = {c.key: (c, reason) for c, reason in done.left}
    moved, moved_why = why[str(shared.item_id)]
    assert "changed again on the server" in moved_why
    assert "Typed at County Hall once more." in moved.server["minutes_text"]
    assert "changed in this copy after it was sent" in why[str(other)][1]
    # Nothing is lost: the first keeps the office's latest text; the second, sent as chosen, is on the server,
    # and the copy keeps what was typed since, to be compared at the next send.
    assert "Typed at County Hall once more." in _minute_text(shared.url, shared.item_id)
    assert OFFLINE_TEXT in _minute_text(shared.url, other)
    assert _minute_text(path, other) == later
