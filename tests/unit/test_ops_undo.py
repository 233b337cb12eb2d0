"""Undo and redo of every operation, from the rows the database recorded: exact, and versions never go back.

The property: on the demo database, any sequence of operations on real ids, each undone and redone at once, gives
back the database before and after it row for row (the search index too); the whole sequence undone in reverse
gives back the start, and redone gives back the end. A refused operation changes nothing.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from ops_support import (
    BUILDERS,
    Context,
    Location,
    NotApplicable,
    Template,
    assert_same,
    build,
    copy_of,
    do_undo_redo,
    dump_without_audit,
    first,
    rows,
    seeded,
)

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.domain import ActionStatus, CommitteeKind, NumberingScheme
from paperprep.errors import ConflictError, ValidationError
from paperprep.ops import Kind, Operation, Step, Workbench
from paperprep.ops import actions as OAC
from paperprep.ops import agenda as OA
from paperprep.ops import meetings as OME
from paperprep.ops import minutes as OM
from paperprep.ops.history import Histories

OPERATION_MODULES = (OA, OM, OAC, OME)


# Sequences tried by the property test; raise it to hunt (PAPERPREP_OPS_EXAMPLES=500 scripts/test ...). Each
# example copies a database, which costs more on PostgreSQL (CREATE DATABASE): it tries a third as many there.
EXAMPLES = int(os.environ.get("PAPERPREP_OPS_EXAMPLES", "25"))
SERVER_EXAMPLES = max(1, EXAMPLES // 3)
KINDS = sorted(BUILDERS, key=lambda cls: cls.__name__)


def _operation_classes(undoable: bool) -> set[type[Operation[Any]]]:
    found = set()
    for module in OPERATION_MODULES:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Operation) and cls is not Operation and cls.__module__ == module.__name__:
                if cls.undoable is undoable:
                    found.add(cls)
    return found


def test_every_undoable_operation_is_exercised() -> None:
    """A new operation must be added to the generator, or its undo is never tested."""
    assert set(BUILDERS) == _operation_classes(undoable=True)


NOT_UNDOABLE = {
    OME.ApproveMinutes,
    OME.ReopenMinutes,
    OME.DeleteMeeting,
    OME.CreateCommittee,
    OME.UpdateCommittee,
    OME.AddMember,
    OME.EndMembership,
    OME.RemoveMembership,
    OME.CreateMeeting,
    OME.SetCouncilName,
    OME.LoadMeeting,
    OME.LoadDemo,
    OAC.ApplyActionImport,
}


def test_the_operations_that_cannot_be_undone_are_the_expected_ones() -> None:
    assert _operation_classes(undoable=False) == NOT_UNDOABLE


# -- each kind of operation, once, with inputs that are accepted --------------------------------------------------

# Some operations need something to act on that the demo lacks, or that an earlier draw may have taken away.
PREPARE: dict[type[Operation[Any]], type[Operation[Any]]] = {
    OA.RemoveDocument: OA.AddDocument,
    OA.ClearExempt: OA.SetExempt,
    OM.RemoveDeclaration: OM.AddDeclaration,
    OAC.RemoveInspection: OAC.SaveInspection,
    OAC.ActionsFromFindings: OAC.SaveInspection,
}


def _prepare(kind: type[Operation[Any]], bench: Workbench, path: Location, context: Context) -> None:
    if kind is OA.AddStandardItems:  # every demo meeting has them all: take one away
        item = _first(
            path,
            "SELECT i.id FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id "
            "WHERE m.status != 'minutes_approved' AND i.kind = 'apologies' ORDER BY i.id",
        )
        assert do_undo_redo(bench, path, OA.RemoveItem(item)) is not None
    if kind not in PREPARE:
        return
    for seed in range(60):
        prepared = do_undo_redo(bench, path, build(PREPARE[kind], path, seeded(seed), context))
        if prepared is not None and (kind is not OAC.ActionsFromFindings or _has_areas(path)):
            return
    raise AssertionError(f"nothing prepared for {kind.__name__}")


@pytest.mark.parametrize("kind", KINDS, ids=lambda cls: cls.__name__)
def test_each_operation_is_undone_and_redone_exactly(
    kind: type[Operation[Any]], template: Template, tmp_path: Path
) -> None:
    path = copy_of(template, tmp_path)
    context = Context.make(tmp_path / "files")
    db = open_database(path, daily_backup=False)
    try:
        bench = Workbench(db)
        steps: list[Step] = []
        _prepare(kind, bench, path, context)
        for seed in range(200):
            try:
                op = build(kind, path, seeded(seed), context)
            except NotApplicable:
                continue
            step = do_undo_redo(bench, path, op)
            if step is not None and step.rows:
                steps.append(step)
                break
        assert steps, f"no accepted {kind.__name__} that changed anything in 200 tries"
        assert steps[0].undoable and steps[0].changes.kinds
    finally:
        db.close()


def _has_areas(path: Location) -> bool:
    return bool(
        rows(
            path,
            "SELECT 1 FROM inspection_summaries s JOIN agenda_items i ON i.id = s.item_id "
            "JOIN meetings m ON m.id = i.meeting_id "
            "WHERE m.status != 'minutes_approved' AND s.areas_for_improvement != '[]'",
        )
    )


# -- the property --------------------------------------------------------------------------------------------------


def test_any_sequence_of_operations_is_undone_and_redone_exactly(template: Template, tmp_path: Path) -> None:
    examples = EXAMPLES if template.cluster is None else SERVER_EXAMPLES

    @settings(max_examples=examples, deadline=None)
    @given(data=st.data())
    def any_sequence(data: st.DataObject) -> None:
        path = copy_of(template, tmp_path)
        context = Context.make(tmp_path / "files")
        db = open_database(path, daily_backup=False)
        try:
            bench = Workbench(db)
            start = dump_without_audit(path)
            steps: list[Step] = []
            length = data.draw(st.integers(1, 6), label="length")
            for _ in range(length):
                kind = data.draw(st.sampled_from(KINDS), label="operation")
                try:
                    op = build(kind, path, lambda values: data.draw(st.sampled_from(list(values))), context)
                except NotApplicable:
                    continue
                note(repr(op))
                step = do_undo_redo(bench, path, op)
                if step is not None:
                    steps.append(step)
            end = dump_without_audit(path)
            for step in reversed(steps):
                bench.undo(step)
            assert_same(
                start, dump_without_audit(path), "undoing the whole sequence did not give back the start"
            )
            for step in steps:
                bench.redo(step)
            assert_same(end, dump_without_audit(path), "redoing the whole sequence did not give back the end")
        finally:
            db.close()
            template.drop_copies()

    any_sequence()


# -- the recording itself --------------------------------------------------------------------------------------------


def test_a_failed_first_operation_does_not_stop_the_recording_of_the_next(
    template: Template, tmp_path: Path
) -> None:
    """The recording triggers are TEMP objects made on first use; a rollback must not leave them missing."""
    path = copy_of(template, tmp_path)
    db = open_database(path, daily_backup=False)
    try:
        bench = Workbench(db)
        meeting = _first(path, "SELECT id FROM meetings WHERE status != 'minutes_approved' ORDER BY id")
        with pytest.raises(ValidationError):
            bench.run(OA.AddItem(meeting, "   "))
        done = bench.run(OA.AddItem(meeting, "Budget"))
        assert any(r.table == "agenda_items" and r.before is None for r in done.step.rows)
        other = Workbench(open_database(path, daily_backup=False))
        try:
            other.run(OA.EditItem(done.result, "title", "Budget (revised)"))
        finally:
            other.db.close()
        edited = dump_without_audit(path)
        fresh = Workbench(open_database(path, daily_backup=False))
        try:
            with pytest.raises(ConflictError):
                fresh.undo(done.step)  # refused, and rolled back, on a new connection's first use
            assert_same(edited, dump_without_audit(path), "a refused undo changed the database")
            again = fresh.run(OA.EditItem(done.result, "purpose", "To approve the budget."))
            assert again.step.rows and Kind.AGENDA in again.step.changes.kinds
            fresh.undo(again.step)
            assert_same(edited, dump_without_audit(path), "undo after a refused undo")
        finally:
            fresh.db.close()
    finally:
        db.close()


def _first(path: Location, sql: str, *args: Any) -> Any:
    return first(path, sql, *args)


# -- operations that cannot be undone ------------------------------------------------------------------------------


def test_operations_that_cannot_be_undone(template: Template, tmp_path: Path) -> None:
    path = copy_of(template, tmp_path)
    db = open_database(path, daily_backup=False)
    try:
        bench = Workbench(db)
        histories = Histories(bench)
        editable = _first(
            path, "SELECT id FROM meetings WHERE status = 'draft_minutes' AND approved_on IS NULL ORDER BY id"
        )
        other = _first(path, "SELECT id FROM meetings WHERE status = 'draft_agenda' ORDER BY id DESC")
        item = _first(path, "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position", editable)
        committee = _first(path, "SELECT committee_id FROM meetings WHERE id = ?", editable)
        membership = _first(path, "SELECT id FROM memberships WHERE committee_id = ? ORDER BY id", committee)
        action = _first(
            path,
            "SELECT a.id FROM actions a JOIN agenda_items i ON i.id = a.item_id WHERE a.status = 'open' "
            "ORDER BY a.id",
        )
        interchange = bench.read(lambda s: _dump_meeting(s, other))

        # An undoable step first, so that the barrier is seen to clear the meeting's history.
        typed = bench.run(OM.SaveMinutesText(item, (B.paragraph("Typed before approval."),)))
        histories.record(typed.step)
        assert histories.can_undo(editable)

        def run(op: Operation[Any], *kinds: Kind, home: int | None = None, more: bool = False) -> Step:
            """Run `op`, which cannot be undone; `kinds` are what it changed (at least, with `more`)."""
            done = bench.run(op)
            step = done.step
            assert not step.undoable, op
            if more:
                assert set(kinds) <= step.changes.kinds, (op, step.changes.kinds)
            else:
                assert set(kinds) == step.changes.kinds, (op, step.changes.kinds)
            if home is not None:
                assert home in step.changes.meeting_ids
            with pytest.raises(ConflictError, match="cannot be undone"):
                bench.undo(step)
            with pytest.raises(ConflictError, match="cannot be undone"):
                bench.redo(step)
            histories.record(step)
            key = step.changes.home_meeting
            if key is not None:
                history = histories.get(key)
                assert history.barrier == step.label and not history.done and not history.undone
                assert not histories.can_undo(key)
            assert histories.last_irreversible == step.label
            assert histories.get(None).barrier == step.label
            return step

        run(OME.ApproveMinutes(editable), Kind.MEETINGS, Kind.AUDIT, home=editable)
        assert not histories.can_undo(editable)
        run(OME.ReopenMinutes(editable, "Wrong date in minute 3"), Kind.MEETINGS, Kind.AUDIT, home=editable)
        run(OME.SetCouncilName("Borsetshire County Council"), Kind.SETTINGS)
        new_committee = bench.run(
            OME.CreateCommittee("Audit and Governance Committee", "AGC", CommitteeKind.AUDIT)
        ).result
        run(
            OME.UpdateCommittee(
                new_committee, "Audit Committee", "AUD", CommitteeKind.AUDIT, NumberingScheme.PER_MEETING, 4
            ),
            Kind.COMMITTEES,
        )
        run(OME.CreateCommittee("Licensing Committee", "LIC", CommitteeKind.LICENSING), Kind.COMMITTEES)
        run(OME.AddMember(new_committee, "Cllr Nadia Brook"), Kind.MEMBERS, Kind.PEOPLE)
        run(OME.EndMembership(membership, dt.date(2027, 5, 1)), Kind.MEMBERS)
        run(OME.RemoveMembership(membership), Kind.MEMBERS)
        created = bench.run(OME.CreateMeeting(new_committee, dt.date(2027, 2, 3), dt.time(14))).result
        run(OME.CreateMeeting(new_committee, dt.date(2027, 3, 3)), Kind.MEETINGS)
        run(OME.LoadMeeting(interchange), Kind.MEETINGS, Kind.AGENDA, more=True)
        run(OME.DeleteMeeting(created), Kind.MEETINGS, home=created)
        # The action's minutes were approved and reopened above: the officers' change is audited.
        run(OAC.ApplyActionImport(_workbook_marking_done(db, tmp_path, action)), Kind.ACTIONS, Kind.AUDIT)
        assert _first(path, "SELECT status FROM actions WHERE id = ?", action) == ActionStatus.DONE.value
    finally:
        db.close()


def _dump_meeting(session: Any, meeting_id: int) -> Any:
    from paperprep.services.interchange import dump_meeting

    return dump_meeting(session, meeting_id)


def _workbook_marking_done(db: Any, tmp_path: Path, action_id: int) -> Any:
    """The action log as exported, with one action marked done by its officer."""
    import dataclasses

    from paperprep.imports.actions_xlsx import read_action_workbook
    from paperprep.ops.exports import export_action_log

    out = tmp_path / "action-log.xlsx"
    assert export_action_log(db, out, status="all") > 0
    rows = read_action_workbook(out)
    changed = tuple(
        dataclasses.replace(r, status=ActionStatus.DONE.label) if r.action_id == action_id else r
        for r in rows.rows
    )
    assert changed != rows.rows
    return dataclasses.replace(rows, rows=changed)
