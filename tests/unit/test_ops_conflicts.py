"""Two clerks (or two windows) on one database: stale edits are refused, and undo never overwrites the other's work.

Each test opens the same file twice, as two copies of the app would: two Workbenches with their own connections.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ops_support
import pytest
from ops_support import Location, Template, assert_same, copy_of, dump
from sqlalchemy import text

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.domain import ActionStatus, Rag, ResolutionWording
from paperprep.errors import ConflictError, DatabaseProblem, MinutesLockedError
from paperprep.ops import Operation, Workbench
from paperprep.ops import actions as OAC
from paperprep.ops import agenda as OA
from paperprep.ops import meetings as OME
from paperprep.ops import minutes as OM
from paperprep.ops.history import Histories
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.inspections import InspectionData


@dataclasses.dataclass
class Two:
    """One database file, opened by two clerks."""

    path: Location
    a: Workbench
    b: Workbench

    def one(self, sql: str, *args: Any) -> Any:
        return ops_support.first(self.path, sql, *args)

    @property
    def meeting(self) -> int:
        return int(
            self.one(
                "SELECT id FROM meetings WHERE status = 'draft_minutes' AND approved_on IS NULL "
                "AND id IN (SELECT meeting_id FROM agenda_items) ORDER BY id"
            )
        )

    def item(self) -> int:
        return int(
            self.one("SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position DESC", self.meeting)
        )

    def open_action(self) -> int:
        return int(
            self.one(
                "SELECT a.id FROM actions a JOIN agenda_items i ON i.id = a.item_id WHERE i.meeting_id = ? "
                "AND a.status = 'open' ORDER BY a.id",
                self.meeting,
            )
        )


@pytest.fixture
def two(template: Template, tmp_path: Path) -> Iterator[Two]:
    path = copy_of(template, tmp_path)
    first = open_database(path, daily_backup=False)
    second = open_database(path, daily_backup=False)
    try:
        yield Two(path, Workbench(first, user="clerk a"), Workbench(second, user="clerk b"))
    finally:
        first.close()
        second.close()


def _text(blocks: tuple[B.Block, ...]) -> str:
    return B.to_plain_text(blocks)


# -- stale edits ---------------------------------------------------------------------------------------------------


def test_the_second_of_two_saves_from_one_version_is_refused_and_both_texts_survive(two: Two) -> None:
    item = two.item()
    version_a = two.a.read(lambda s: A.get_item(s, item).version)
    version_b = two.b.read(lambda s: A.get_item(s, item).version)
    assert version_a == version_b
    mine = (B.paragraph("Clerk A's minute: the committee noted the report."),)
    theirs = (B.paragraph("Clerk B's minute: the committee asked for a further report."),)
    saved = two.a.run(OM.SaveMinutesText(item, mine, read_version=version_a))
    assert saved.result > version_a
    late = OM.SaveMinutesText(item, theirs, read_version=version_b)
    before = dump(two.path)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        two.b.run(late)
    assert_same(before, dump(two.path), "a refused save changed the database")
    assert two.one("SELECT minutes_text FROM agenda_items WHERE id = ?", item) == _text(mine)
    assert late.blocks == theirs, "the refused text is still there to show the clerk"
    # Having looked again, clerk B saves from the version now stored.
    fresh = two.b.read(lambda s: A.get_item(s, item).version)
    assert fresh == saved.result
    two.b.run(dataclasses.replace(late, read_version=fresh))
    assert two.one("SELECT minutes_text FROM agenda_items WHERE id = ?", item) == _text(theirs)


def _stale_edits(two: Two) -> Iterator[tuple[Operation[Any], Operation[Any]]]:
    """(edit from a view, edit by someone else) pairs on one record, both from the version read just before."""
    item, action, meeting = two.item(), two.open_action(), two.meeting
    resolution = two.a.run(
        OM.AddResolution(item, ResolutionWording.RESOLVED, "That the report be noted.")
    ).result
    two.a.run(OAC.SaveInspection(item, InspectionData(service="Children's social care")))

    def item_version() -> int:
        return two.a.read(lambda s: A.get_item(s, item).version)

    v = item_version()
    yield OA.EditItem(item, "title", "Mine", v), OA.EditItem(item, "title", "Theirs", v)
    v = item_version()
    yield OM.SetPresenter(item, "Sue Butcher", "Director", v), OA.EditItem(item, "purpose", "Theirs", v)
    v = item_version()
    yield OM.SaveMinutesText(item, (B.paragraph("Mine"),), v), OM.SetPresenter(item, "Imran Khan", "Head", v)
    v = two.a.read(lambda s: MI.get_resolution(s, resolution).version)
    yield (
        OM.UpdateResolution(resolution, ResolutionWording.AGREED, "Mine", (), v),
        OM.UpdateResolution(resolution, ResolutionWording.NOTED, "Theirs", (), v),
    )
    v = two.a.read(lambda s: AC.get_action(s, action).version)
    yield (
        OAC.UpdateAction(action, status=ActionStatus.DONE, read_version=v),
        OAC.UpdateAction(action, rag=Rag.RED, read_version=v),
    )
    v = two.a.read(lambda s: A.get_item(s, item).inspection.version)  # type: ignore[union-attr]
    yield (
        OAC.SaveInspection(item, InspectionData(service="Mine"), v),
        OAC.SaveInspection(item, InspectionData(service="Theirs"), v),
    )
    v = two.a.read(lambda s: M.get_meeting(s, meeting).version)
    yield (
        OME.UpdateMeetingDetails(meeting, {"venue": "Mine"}, v),
        OME.UpdateMeetingDetails(meeting, {"venue": "Theirs"}, v),
    )


def test_every_edit_that_states_a_version_is_refused_when_stale(two: Two) -> None:
    pairs = 0
    for first, second in _stale_edits(two):
        pairs += 1
        two.b.run(second)
        before = dump(two.path)
        with pytest.raises(ConflictError):
            two.a.run(first)
        assert_same(before, dump(two.path), f"refused {first!r}")
    assert pairs == 7


def test_a_write_that_loses_a_race_is_a_conflict(two: Two) -> None:
    """The version changes between reading the row and writing it: SQLAlchemy's StaleDataError, translated."""
    item = two.item()

    @dataclasses.dataclass(frozen=True)
    class RacedRename(Operation[None]):
        item_id: int

        @property
        def label(self) -> str:
            return "Rename item"

        def apply(self, session: Any) -> None:
            row = A.get_item(session, self.item_id)
            session.execute(
                text("UPDATE agenda_items SET version = version + 1 WHERE id = :id"), {"id": self.item_id}
            )  # what another writer would have done in between
            row.title = "Renamed"
            session.flush()

    before = dump(two.path)
    with pytest.raises(ConflictError, match="Rename item was not saved"):
        two.a.run(RacedRename(item))
    assert_same(before, dump(two.path), "a lost race changed the database")


# -- undo and redo against the other clerk's changes ----------------------------------------------------------------


def test_undo_is_refused_when_the_other_clerk_changed_the_same_column(two: Two) -> None:
    action = two.open_action()
    mine = two.a.run(OAC.UpdateAction(action, status=ActionStatus.DONE))
    two.b.run(OAC.UpdateAction(action, status=ActionStatus.IN_PROGRESS))
    before = dump(two.path)
    with pytest.raises(ConflictError, match="an action has been changed since"):
        two.a.undo(mine.step)
    assert_same(before, dump(two.path), "a refused undo changed the database")
    assert two.one("SELECT status FROM actions WHERE id = ?", action) == ActionStatus.IN_PROGRESS.value


def test_a_refused_undo_is_dropped_from_the_history(two: Two) -> None:
    item = two.item()
    histories = Histories(two.a)
    mine = two.a.run(OA.EditItem(item, "title", "Clerk A's title"))
    histories.record(mine.step)
    meeting = mine.step.changes.home_meeting
    assert meeting == two.meeting and histories.can_undo(meeting)
    two.b.run(OA.EditItem(item, "title", "Clerk B's title"))
    with pytest.raises(ConflictError):
        histories.undo(meeting)
    assert not histories.can_undo(meeting) and not histories.can_redo(meeting)
    assert two.one("SELECT title FROM agenda_items WHERE id = ?", item) == "Clerk B's title"


@pytest.mark.parametrize("pause", [0.0, 1.05], ids=["same second", "a second later"])
def test_an_unrelated_change_by_the_other_clerk_does_not_block_undo_and_survives_it(
    two: Two, pause: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both edits move the row's updated_at; that alone is no clash, whatever second each fell in."""
    action = two.open_action()
    item = two.item()
    original = two.one("SELECT status FROM actions WHERE id = ?", action)
    _clock(monkeypatch, dt.datetime(2026, 9, 15, 10, 0, 0))
    status = two.a.run(OAC.UpdateAction(action, status=ActionStatus.DONE))
    typed = two.a.run(OM.SaveMinutesText(item, (B.paragraph("Clerk A's minute."),)))
    _clock(monkeypatch, dt.datetime(2026, 9, 15, 10, 0, 0) + dt.timedelta(seconds=pause))
    time.sleep(pause)  # an item's updated_at is the real time
    two.b.run(OAC.UpdateAction(action, rag=Rag.RED))
    two.b.run(OA.EditItem(item, "title", "Clerk B's title"))
    two.a.undo(status.step)
    two.a.undo(typed.step)
    assert two.one("SELECT status FROM actions WHERE id = ?", action) == original
    assert two.one("SELECT rag FROM actions WHERE id = ?", action) == Rag.RED.value, "clerk B's RAG was lost"
    assert two.one("SELECT title FROM agenda_items WHERE id = ?", item) == "Clerk B's title"
    assert two.one("SELECT minutes_text FROM agenda_items WHERE id = ?", item) != "Clerk A's minute."
    stamp = "2026-09-15 10:00:01" if pause else "2026-09-15 10:00:00"
    assert str(two.one("SELECT updated_at FROM actions WHERE id = ?", action)).startswith(stamp)
    # And redo, which checks the same way, puts clerk A's status back beside clerk B's RAG.
    two.a.redo(status.step)
    assert two.one("SELECT status || ' ' || rag FROM actions WHERE id = ?", action) == "done red"


def _clock(monkeypatch: pytest.MonkeyPatch, now: dt.datetime) -> None:
    """Fix the time that the actions service stamps on an action it changes."""
    from paperprep.services import actions

    monkeypatch.setattr(actions, "_now", lambda: now)


def test_redo_is_refused_after_a_conflicting_change(two: Two) -> None:
    action = two.open_action()
    mine = two.a.run(OAC.UpdateAction(action, status=ActionStatus.DONE))
    two.a.undo(mine.step)
    two.b.run(OAC.UpdateAction(action, status=ActionStatus.CANCELLED))
    before = dump(two.path)
    with pytest.raises(ConflictError, match="cannot be redone"):
        two.a.redo(mine.step)
    assert_same(before, dump(two.path), "a refused redo changed the database")
    assert two.one("SELECT status FROM actions WHERE id = ?", action) == ActionStatus.CANCELLED.value


def test_redo_is_refused_when_the_id_was_taken_since(two: Two) -> None:
    meeting = two.meeting
    mine = two.a.run(OA.AddItem(meeting, "Clerk A's item"))
    two.a.undo(mine.step)
    theirs = two.b.run(OA.AddItem(meeting, "Clerk B's item"))
    if ops_support.on_server(two.path):
        # PostgreSQL never gives a freed id again: nothing stands in the redo's way, and both items are kept.
        assert theirs.result != mine.result
        two.a.redo(mine.step)
        assert two.one("SELECT title FROM agenda_items WHERE id = ?", mine.result) == "Clerk A's item"
        assert two.one("SELECT title FROM agenda_items WHERE id = ?", theirs.result) == "Clerk B's item"
        return
    assert theirs.result == mine.result, "SQLite gives the freed id to the next row"
    with pytest.raises(ConflictError, match="cannot be redone"):
        two.a.redo(mine.step)
    assert two.one("SELECT title FROM agenda_items WHERE id = ?", theirs.result) == "Clerk B's item"


def test_undo_is_refused_when_what_it_refers_to_was_removed(two: Two) -> None:
    """Undoing the removal of an action whose item the other clerk has removed since would leave an orphan."""
    action = two.open_action()
    item = two.one("SELECT item_id FROM actions WHERE id = ?", action)
    removed = two.a.run(OAC.RemoveAction(action))
    two.b.run(OA.RemoveItem(item))
    before = dump(two.path)
    with pytest.raises(ConflictError, match="something it refers to has been removed"):
        two.a.undo(removed.step)
    assert_same(before, dump(two.path), "a refused undo changed the database")
    added = two.a.run(OM.AddResolution(two.item(), ResolutionWording.NOTED, "The update."))
    two.b.run(OA.RemoveItem(two.item()))  # the resolution goes with its item
    with pytest.raises(ConflictError, match="a resolution has been changed since"):
        two.a.undo(added.step)


# -- approved minutes ------------------------------------------------------------------------------------------------


def test_undo_and_redo_on_approved_minutes_are_refused(two: Two) -> None:
    meeting, item = two.meeting, two.item()
    typed = two.a.run(OM.SaveMinutesText(item, (B.paragraph("Typed before approval."),)))
    renamed = two.a.run(OA.EditItem(item, "purpose", "To note."))
    two.a.undo(renamed.step)
    two.b.run(OME.ApproveMinutes(meeting))
    before = dump(two.path)
    with pytest.raises(MinutesLockedError):
        two.a.undo(typed.step)
    with pytest.raises(MinutesLockedError):
        two.a.redo(renamed.step)
    assert_same(before, dump(two.path), "a refused undo changed approved minutes")
    histories = Histories(two.a)
    histories.record(typed.step)
    with pytest.raises(MinutesLockedError):
        histories.undo(meeting)
    assert not histories.can_undo(meeting)


def test_an_action_of_approved_minutes_can_still_be_undone(two: Two) -> None:
    """Actions are followed up after approval, so their steps are not locked with the minutes."""
    meeting, action = two.meeting, two.open_action()
    before = dump(two.path)
    update = two.a.run(OAC.AddActionUpdate(action, "Recruitment is under way."))
    status = two.a.run(OAC.UpdateAction(action, status=ActionStatus.IN_PROGRESS))
    two.a.run(OME.ApproveMinutes(meeting))
    approved = dump(two.path)
    two.a.undo(status.step)
    two.a.undo(update.step)
    assert two.one("SELECT status FROM actions WHERE id = ?", action) == ActionStatus.OPEN.value
    assert two.one("SELECT count(*) FROM action_updates WHERE text = 'Recruitment is under way.'") == 0
    two.a.redo(update.step)
    two.a.redo(status.step)
    after = dump(two.path)
    trail = set(approved.pop("audit_entries")), set(after.pop("audit_entries"))
    assert_same(approved, after, "redo after approval")
    assert before != approved
    # Approved minutes: each undo and redo of their actions' progress is audited, and no audit row goes away.
    assert trail[0] < trail[1] and len(trail[1] - trail[0]) == 4


# -- the history when the database cannot be reached ----------------------------------------------------------------


class _BusyBench:
    def undo(self, step: Any, source: str = "") -> Any:
        raise DatabaseProblem("The database is busy.")

    redo = undo


def test_a_step_stays_in_the_history_when_the_database_was_busy(two: Two) -> None:
    done = two.a.run(OA.AddItem(two.meeting, "Kept for another try"))
    histories = Histories(_BusyBench())  # type: ignore[arg-type]
    histories.record(done.step)
    meeting = done.step.changes.home_meeting
    with pytest.raises(DatabaseProblem):
        histories.undo(meeting)
    assert histories.can_undo(meeting)
    histories.get(meeting).undone.append(histories.get(meeting).done.pop())
    with pytest.raises(DatabaseProblem):
        histories.redo(meeting)
    assert histories.can_redo(meeting)
