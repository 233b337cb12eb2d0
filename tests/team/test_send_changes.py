"""Resolving what a send of an offline copy held back (paperprep.ops.sync): the clerk keeps their version, takes the
server's, or merges the two, and each choice lands on both sides so that the next send sends nothing and lists
nothing; a server record that moves again while the clerk chooses is reported again, and nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.db.offline import make_offline_copy, offline_origin
from paperprep.domain import ResolutionWording
from paperprep.errors import ConflictError, ValidationError
from paperprep.ops import Workbench
from paperprep.ops import agenda as OA
from paperprep.ops import minutes as OM
from paperprep.ops import sync as S

from .conftest import Shared

OFFLINE_TEXT = "Typed on the train: members asked for the ward figures before the next meeting."
SERVER_TEXT = "Typed at County Hall: the Chair thanked officers for the report."
PURPOSE = "To note the plan, as amended on the train."
AGAIN_TEXT = "Typed at County Hall again: the Vice-Chair added the sufficiency figures."


@dataclass
class Away:
    """An offline copy of the shared database, with a workbench on each side."""

    path: Path
    copy: Workbench
    server: Workbench
    item_id: int


@pytest.fixture
def away(shared: Shared, tmp_path: Path) -> Iterator[Away]:
    path = tmp_path / "away.sqlite"
    make_offline_copy(shared.url, path)
    copy_db = open_database(path, daily_backup=False)
    server_db = open_database(shared.url, daily_backup=False)
    try:
        yield Away(
            path,
            Workbench(copy_db, user="clerk away"),
            Workbench(server_db, user="clerk at the office"),
            shared.item_id,
        )
    finally:
        copy_db.close()
        server_db.close()


def _minute(bench: Workbench, item_id: int) -> str:
    body = bench.read(
        lambda s: s.execute(
            text("SELECT minutes_body FROM agenda_items WHERE id = :i"), {"i": item_id}
        ).scalar()
    )
    return B.to_plain_text(B.loads(body))


def _column(bench: Workbench, column: str, item_id: int) -> Any:
    return bench.read(
        lambda s: s.execute(text(f"SELECT {column} FROM agenda_items WHERE id = :i"), {"i": item_id}).scalar()
    )


def _version(bench: Workbench, item_id: int) -> int:
    return int(_column(bench, "version", item_id))


def _send(away: Away) -> S.SyncResult:
    """What File > Send my changes does: read the copy, send it, record in the open copy what reached the server."""
    origin, rows = S.read_copy(away.path)
    result = away.server.run(S.SendOfflineChanges(origin, rows)).result
    away.copy.run(S.RecordSent(result.rebase, away.server.read(S.server_time)))
    return result


def _both_edit_the_minute(away: Away) -> None:
    item = away.item_id
    away.copy.run(OM.SaveMinutesText(item, (B.paragraph(OFFLINE_TEXT),), _version(away.copy, item)))
    away.server.run(OM.SaveMinutesText(item, (B.paragraph(SERVER_TEXT),), _version(away.server, item)))


def _the_conflict(away: Away) -> S.Conflict:
    result = _send(away)
    (conflict,) = result.conflicts
    assert conflict.table == "agenda_items" and conflict.key == str(away.item_id)
    return conflict


def _nothing_left(away: Away) -> None:
    again = _send(away)
    assert (again.applied, again.conflicts) == (0, [])


def test_the_conflict_shows_the_minute_as_the_clerk_knows_it(away: Away) -> None:
    _both_edit_the_minute(away)
    away.copy.run(OA.EditItem(away.item_id, "purpose", PURPOSE))
    conflict = _the_conflict(away)
    assert conflict.reference == (
        'item "School place planning" of the Children & Learning Scrutiny meeting of 10/06/2026'
    )
    assert S.unresolvable(conflict) == ""
    fields = S.conflict_fields(conflict)
    (minutes,) = [f for f in fields if f.name == "minutes"]
    assert minutes.text and minutes.columns == S.MINUTES_COLUMNS
    assert B.to_plain_text(minutes.mine) == OFFLINE_TEXT and B.to_plain_text(minutes.theirs) == SERVER_TEXT
    # The purpose was changed offline only, but a record is sent whole or not at all: it is held back with the
    # minute, and listed as a field of the conflict, text that may be merged too.
    assert [f.name for f in fields] == ["purpose", "minutes"]
    assert fields[0].text and fields[0].mine == PURPOSE and fields[0].theirs == ""
    assert _column(away.server, "purpose", away.item_id) == ""
    # Keeping mine sends the whole record as it is in the copy.
    assert S.settle(away.server, away.copy, conflict, S.Choice.KEEP_MINE) is None
    assert _column(away.server, "purpose", away.item_id) == PURPOSE
    assert _minute(away.server, away.item_id) == OFFLINE_TEXT


def test_keep_mine_sends_the_offline_minute_and_the_next_send_is_empty(away: Away) -> None:
    _both_edit_the_minute(away)
    conflict = _the_conflict(away)
    before = _version(away.server, away.item_id)
    assert S.settle(away.server, away.copy, conflict, S.Choice.KEEP_MINE) is None
    assert _minute(away.server, away.item_id) == OFFLINE_TEXT
    assert _version(away.server, away.item_id) == before + 1
    assert _minute(away.copy, away.item_id) == OFFLINE_TEXT
    _nothing_left(away)


def test_take_theirs_brings_the_server_minute_into_the_copy(away: Away) -> None:
    _both_edit_the_minute(away)
    conflict = _the_conflict(away)
    before = _version(away.server, away.item_id)
    assert S.settle(away.server, away.copy, conflict, S.Choice.TAKE_THEIRS) is None
    assert _minute(away.copy, away.item_id) == SERVER_TEXT
    assert _minute(away.server, away.item_id) == SERVER_TEXT
    assert _version(away.server, away.item_id) == before  # nothing written on the server
    _nothing_left(away)


def test_merge_puts_the_merged_minute_on_both_sides(away: Away) -> None:
    _both_edit_the_minute(away)
    conflict = _the_conflict(away)
    merged = (B.paragraph(SERVER_TEXT), B.lettered(OFFLINE_TEXT))
    assert S.settle(away.server, away.copy, conflict, S.Choice.MERGE, {"minutes": merged}) is None
    for bench in (away.server, away.copy):
        assert _minute(bench, away.item_id) == f"{SERVER_TEXT}\n(a) {OFFLINE_TEXT}"
        assert OFFLINE_TEXT in _column(bench, "minutes_text", away.item_id)
    _nothing_left(away)


def test_a_server_record_that_moves_again_is_reported_again_and_nothing_is_lost(away: Away) -> None:
    _both_edit_the_minute(away)
    conflict = _the_conflict(away)
    # While the clerk looks at the conflict, the office saves the minute once more.
    away.server.run(
        OM.SaveMinutesText(away.item_id, (B.paragraph(AGAIN_TEXT),), _version(away.server, away.item_id))
    )
    again = S.settle(away.server, away.copy, conflict, S.Choice.KEEP_MINE)
    assert again is not None and "changed again on the server" in again.reason
    assert AGAIN_TEXT in again.server["minutes_text"] and OFFLINE_TEXT in again.offline["minutes_text"]
    assert _minute(away.server, away.item_id) == AGAIN_TEXT
    assert _minute(away.copy, away.item_id) == OFFLINE_TEXT
    # The conflict as reported again can be settled.
    assert S.settle(away.server, away.copy, again, S.Choice.KEEP_MINE) is None
    assert _minute(away.server, away.item_id) == OFFLINE_TEXT
    _nothing_left(away)


def test_a_choice_is_not_applied_over_typing_in_the_copy_since_the_send(away: Away) -> None:
    _both_edit_the_minute(away)
    conflict = _the_conflict(away)
    later = "Typed after sending: the clerk's last words."
    away.copy.run(OM.SaveMinutesText(away.item_id, (B.paragraph(later),), _version(away.copy, away.item_id)))
    with pytest.raises(ConflictError, match="changed in this copy after it was sent"):
        S.settle(away.server, away.copy, conflict, S.Choice.TAKE_THEIRS)
    assert _minute(away.copy, away.item_id) == later
    # Unresolved, it stays listed: the next send shows the clerk's latest words against the server's.
    (listed,) = _send(away).conflicts
    assert later in listed.offline["minutes_text"] and SERVER_TEXT in listed.server["minutes_text"]


def test_an_unresolved_conflict_stays_listed_with_the_offline_text_in_the_copy(away: Away) -> None:
    _both_edit_the_minute(away)
    first = _the_conflict(away)
    second = _the_conflict(away)
    assert (second.key, second.offline, second.server) == (first.key, first.offline, first.server)
    assert _minute(away.copy, away.item_id) == OFFLINE_TEXT
    assert _minute(away.server, away.item_id) == SERVER_TEXT


def test_a_record_removed_on_the_server_cannot_be_settled_by_a_choice(away: Away, shared: Shared) -> None:
    away.copy.run(
        OM.SaveMinutesText(away.item_id, (B.paragraph(OFFLINE_TEXT),), _version(away.copy, away.item_id))
    )
    away.server.run(OA.RemoveItem(away.item_id))
    (conflict,) = _send(away).conflicts
    assert "removed on the server" in conflict.reason
    assert "not on the shared database" in S.unresolvable(conflict)
    with pytest.raises(ValidationError, match="cannot be settled here"):
        S.chosen_values(conflict, S.Choice.KEEP_MINE)
    assert _minute(away.copy, away.item_id) == OFFLINE_TEXT


def test_only_text_is_merged(away: Away) -> None:
    _both_edit_the_minute(away)
    conflict = _the_conflict(away)
    with pytest.raises(ValidationError, match="not text to merge"):
        S.chosen_values(conflict, S.Choice.MERGE, {"position": "2"})


def test_the_app_knows_an_offline_copy_from_a_clerks_own_file(away: Away, tmp_path: Path) -> None:
    origin = offline_origin(away.path)
    assert origin is not None and origin.source.startswith("postgresql://")
    own = tmp_path / "own.sqlite"
    open_database(own, daily_backup=False).close()
    assert offline_origin(own) is None
    assert offline_origin(tmp_path / "missing.sqlite") is None


# -- a record added offline, sent, then edited offline again ----------------------------------------------------

ADDED_TITLE = "Late report: home to school transport"
FIRST_TEXT = "Typed on the train: the report was introduced."
SECOND_TEXT = "Typed on the train later: members asked for the route figures."


def _added_and_sent(away: Away, shared: Shared) -> tuple[int, int, int, int]:
    """An item and its resolution added in the copy and sent: (item in the copy, on the server, resolution in the
    copy, on the server). The copy's ids are made to differ from the server's, as they do once another clerk has
    added records on the server meanwhile."""
    away.server.run(OA.AddItem(shared.meeting_id, "Added at the office meanwhile"))
    item = away.copy.run(OA.AddItem(shared.meeting_id, ADDED_TITLE)).result
    away.copy.run(OM.SaveMinutesText(item, (B.paragraph(FIRST_TEXT),), _version(away.copy, item)))
    resolution = away.copy.run(
        OM.AddResolution(item, ResolutionWording.RESOLVED, "That the report be noted.", ())
    ).result
    first = _send(away)
    assert first.conflicts == [] and first.inserted == 2
    server_item = away.server.read(
        lambda s: s.execute(text("SELECT id FROM agenda_items WHERE title = :t"), {"t": ADDED_TITLE}).scalar_one()
    )
    server_resolution = away.server.read(
        lambda s: s.execute(
            text("SELECT id FROM resolutions WHERE item_id = :i"), {"i": server_item}
        ).scalar_one()
    )
    assert server_item != item  # else the test would not tell the two ids apart
    return item, server_item, resolution, server_resolution


def test_a_record_added_offline_and_sent_can_be_edited_offline_and_sent_again(
    away: Away, shared: Shared
) -> None:
    item, server_item, resolution, server_resolution = _added_and_sent(away, shared)
    away.copy.run(OM.SaveMinutesText(item, (B.paragraph(SECOND_TEXT),), _version(away.copy, item)))
    away.copy.run(
        OM.UpdateResolution(resolution, ResolutionWording.RESOLVED, "That the report be approved.", ())
    )
    again = _send(away)
    assert again.conflicts == [] and again.updated == 2
    assert _minute(away.server, server_item) == SECOND_TEXT
    assert (
        away.server.read(
            lambda s: s.execute(
                text("SELECT text FROM resolutions WHERE id = :r"), {"r": server_resolution}
            ).scalar()
        )
        == "That the report be approved."
    )
    _nothing_left(away)


@pytest.mark.parametrize("choice", [S.Choice.KEEP_MINE, S.Choice.TAKE_THEIRS, S.Choice.MERGE])
def test_a_record_added_offline_and_then_changed_on_both_sides_is_a_conflict_the_clerk_can_settle(
    away: Away, shared: Shared, choice: S.Choice
) -> None:
    item, server_item, _resolution, _server_resolution = _added_and_sent(away, shared)
    away.copy.run(OM.SaveMinutesText(item, (B.paragraph(SECOND_TEXT),), _version(away.copy, item)))
    away.server.run(
        OM.SaveMinutesText(server_item, (B.paragraph(SERVER_TEXT),), _version(away.server, server_item))
    )
    result = _send(away)
    (conflict,) = result.conflicts
    assert (conflict.key, conflict.server_key) == (str(item), str(server_item))
    assert "changed both offline and on the server" in conflict.reason
    assert ADDED_TITLE in conflict.reference
    # Only what the clerks wrote differs: not the ids, which the copy and the server number apart.
    assert S.unresolvable(conflict) == ""
    assert [f.name for f in S.conflict_fields(conflict)] == ["minutes"]
    merged = {"minutes": (B.paragraph(SERVER_TEXT), B.paragraph(SECOND_TEXT))}
    assert S.settle(away.server, away.copy, conflict, choice, merged if choice is S.Choice.MERGE else None) is None
    expected = {
        S.Choice.KEEP_MINE: SECOND_TEXT,
        S.Choice.TAKE_THEIRS: SERVER_TEXT,
        S.Choice.MERGE: f"{SERVER_TEXT}\n{SECOND_TEXT}",
    }[choice]
    assert _minute(away.server, server_item) == expected
    assert _minute(away.copy, item) == expected
    _nothing_left(away)
    # And typed offline once more after settling, it is sent without a conflict.
    away.copy.run(OM.SaveMinutesText(item, (B.paragraph(FIRST_TEXT),), _version(away.copy, item)))
    last = _send(away)
    assert (last.updated, last.conflicts) == (1, [])
    assert _minute(away.server, server_item) == FIRST_TEXT


def test_a_record_added_offline_and_sent_can_be_removed_offline_and_sent_again(
    away: Away, shared: Shared
) -> None:
    _item, server_item, resolution, server_resolution = _added_and_sent(away, shared)
    away.copy.run(OM.RemoveResolution(resolution))
    again = _send(away)
    assert (again.deleted, again.conflicts) == (1, [])
    gone = away.server.read(
        lambda s: s.execute(
            text("SELECT id FROM resolutions WHERE id = :r OR item_id = :i"),
            {"r": server_resolution, "i": server_item},
        ).all()
    )
    assert gone == []
    _nothing_left(away)
