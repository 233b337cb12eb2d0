"""Guard rails that speak up: approvals of meetings yet to happen, where minutes were approved, late items with
their reason for urgency, a workbook imported twice, actions edited in full, and the decisions register's audience."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from paperprep.db import open_database
from paperprep.db.models import AgendaItem, Meeting
from paperprep.domain import ActionStatus, Audience, MeetingStatus, ResolutionWording
from paperprep.errors import ValidationError
from paperprep.ops import Workbench
from paperprep.ops import exports as jobs
from paperprep.ops.actions import AddAction, ApplyActionImport, UpdateAction
from paperprep.ops.agenda import AddItem, MarkLate
from paperprep.ops.meetings import ApproveMinutes, CreateCommittee, CreateMeeting
from paperprep.ops.minutes import AddResolution
from paperprep.queries import lists
from paperprep.queries import meeting as Q
from paperprep.services import agenda as A
from paperprep.services import meetings as M
from paperprep.services.action_import import plan_import


def _setup(bench: Workbench, *days: dt.date) -> tuple[int, list[int]]:
    committee = bench.run(CreateCommittee("Cabinet", "CAB")).result
    return committee, [bench.run(CreateMeeting(committee, day)).result for day in days]


def test_minutes_of_a_meeting_yet_to_happen_cannot_be_approved(db) -> None:  # type: ignore[no-untyped-def]
    bench = Workbench(db)
    _committee, (meeting,) = _setup(bench, dt.date(2026, 6, 10))
    with db.transaction() as s:
        m = s.get(Meeting, meeting)
        with pytest.raises(ValidationError, match="has not taken place yet"):
            M.approve_minutes(s, m, dt.date(2026, 6, 9))
        M.approve_minutes(s, m, dt.date(2026, 6, 10))  # the same day is fine
        assert m.status is MeetingStatus.MINUTES_APPROVED


def test_approval_records_the_meeting_at_which_it_was_given(db) -> None:  # type: ignore[no-untyped-def]
    bench = Workbench(db)
    _committee, (first, second, third) = _setup(
        bench, dt.date(2026, 3, 12), dt.date(2026, 4, 16), dt.date(2026, 5, 20)
    )
    with db.transaction() as s:
        m = s.get(Meeting, first)
        M.approve_minutes(s, m, dt.date(2026, 4, 16))  # the committee met that day
        assert (m.approved_on, m.approved_at_meeting_id) == (dt.date(2026, 4, 16), second)
        M.reopen_minutes(s, m, "A name was misspelt")
        M.approve_minutes(s, m, dt.date(2026, 4, 20))  # no meeting that day
        assert m.approved_at_meeting_id is None
        M.reopen_minutes(s, m, "Approved at the wrong meeting")
        M.approve_minutes(s, m, dt.date(2026, 5, 20), at_meeting=s.get(Meeting, third))
        assert m.approved_at_meeting_id == third
        m2 = s.get(Meeting, second)
        with pytest.raises(ValidationError, match="before the meeting"):
            M.approve_minutes(s, m2, dt.date(2026, 5, 20), at_meeting=s.get(Meeting, first))


def test_the_approve_operation_takes_an_explicit_meeting(db) -> None:  # type: ignore[no-untyped-def]
    bench = Workbench(db)
    _committee, (first, second) = _setup(bench, dt.date(2025, 3, 12), dt.date(2025, 4, 16))
    bench.run(ApproveMinutes(first, at_meeting_id=second))
    with db.transaction() as s:
        assert s.get(Meeting, first).approved_at_meeting_id == second  # type: ignore[union-attr]


def test_a_late_item_keeps_its_reason_and_is_undone_in_one_step(db) -> None:  # type: ignore[no-untyped-def]
    bench = Workbench(db)
    _committee, (meeting,) = _setup(bench, dt.date(2026, 6, 10))
    item = bench.run(AddItem(meeting, "School transport contract")).result
    with pytest.raises(ValidationError, match="reason for urgency"):
        bench.run(MarkLate(item, "   "))
    done = bench.run(MarkLate(item, "  The contract ends  before the next meeting. "))
    with db.transaction() as s:
        row = s.get(AgendaItem, item)
        assert (
            row is not None
            and row.is_late
            and row.urgency_reason == "The contract ends before the next meeting."
        )
    agenda = bench.read(lambda s: Q.agenda(s, meeting))
    assert agenda is not None and agenda.rows[0].is_late and not agenda.published
    bench.undo(done.step)
    with db.transaction() as s:
        row = s.get(AgendaItem, item)
        assert row is not None and not row.is_late and row.urgency_reason == ""


def test_a_late_item_is_marked_on_the_agenda_with_its_reason(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    bench = Workbench(db)
    _committee, (meeting,) = _setup(bench, dt.date(2026, 6, 10))
    bench.run(AddItem(meeting, "Budget monitoring"))
    late = bench.run(AddItem(meeting, "School transport contract")).result
    bench.run(MarkLate(late, "The contract ends before the next meeting."))
    out = tmp_path / "agenda.docx"
    jobs.export_agenda(db, meeting, out, Audience.PUBLIC)
    text = [p.text for p in Document(str(out)).paragraphs]
    heading = next(i for i, t in enumerate(text) if t.endswith("School transport contract"))
    assert text[heading + 1 : heading + 3] == [
        "Late item",
        "Reason for urgency: The contract ends before the next meeting.",
    ]
    assert text.count("Late item") == 1  # the item on time is not marked


def test_agenda_published_until_the_minutes_are_approved(db) -> None:  # type: ignore[no-untyped-def]
    bench = Workbench(db)
    _committee, (meeting,) = _setup(bench, dt.date(2025, 6, 10))
    with db.transaction() as s:
        m = s.get(Meeting, meeting)
        assert m is not None and not A.agenda_published(m)
        for status in (MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD, MeetingStatus.DRAFT_MINUTES):
            m.status = status
            assert A.agenda_published(m)
        m.status = MeetingStatus.MINUTES_APPROVED
        assert not A.agenda_published(m)


def test_an_action_edited_in_full(db) -> None:  # type: ignore[no-untyped-def]
    bench = Workbench(db)
    _committee, (meeting,) = _setup(bench, dt.date(2026, 6, 10))
    item = bench.run(AddItem(meeting, "Budget")).result
    other = bench.run(AddItem(meeting, "Other")).result
    resolution = bench.run(AddResolution(item, ResolutionWording.RESOLVED, "That the budget be noted")).result
    foreign = bench.run(AddResolution(other, ResolutionWording.RESOLVED, "That it be noted")).result
    action = bench.run(AddAction(item, "Report back", "Head of Finance")).result
    bench.run(
        UpdateAction(action, text=" Report back in May ", owner="Director", due_date=dt.date(2026, 5, 1))
    )
    bench.run(UpdateAction(action, resolution_id=resolution))
    with pytest.raises(ValidationError, match="another item"):
        bench.run(UpdateAction(action, resolution_id=foreign))
    found = bench.read(lambda s: Q.action_resolutions(s, action))
    assert found is not None and found.current == resolution and [c[0] for c in found.choices] == [resolution]
    row = bench.read(lambda s: Q.meeting_actions(s, meeting)).own[0]  # type: ignore[union-attr]
    assert (row.text, row.owner, row.due_date) == ("Report back in May", "Director", dt.date(2026, 5, 1))
    bench.run(UpdateAction(action, clear_due_date=True, clear_resolution=True))
    found = bench.read(lambda s: Q.action_resolutions(s, action))
    assert found is not None and found.current is None
    row = bench.read(lambda s: Q.meeting_actions(s, meeting)).own[0]  # type: ignore[union-attr]
    assert row.due_date is None


def test_a_workbook_imported_twice_is_no_change_the_second_time(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    from paperprep.imports.actions_xlsx import read_action_workbook

    bench = Workbench(db)
    _committee, (meeting,) = _setup(bench, dt.date(2026, 6, 10))
    item = bench.run(AddItem(meeting, "Budget")).result
    bench.run(AddAction(item, "Report back", "Head of Finance"))
    bench.run(AddAction(item, "Write to schools", "Head of Inclusion"))
    workbook = tmp_path / "log.xlsx"
    jobs.export_action_log(db, workbook, status="open", audience=Audience.CONFIDENTIAL)
    book = load_workbook(workbook)
    ws = book["Actions"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Status") + 1).value = "Done"
    ws.cell(row=3, column=header.index("Latest update") + 1).value = "Letters sent."
    book.save(workbook)
    rows = read_action_workbook(workbook)

    applied = bench.run(ApplyActionImport(rows)).result
    assert applied == 2
    again = bench.read(lambda s: plan_import(s, rows))
    assert (again.changes, again.conflicts, again.unchanged) == ([], [], 2)
    preview = bench.read(lambda s: lists.import_preview(s, rows))
    assert preview.empty and "0 conflicts" in preview.text
    # A value changed in paperprep since is a change again (or a conflict), not "no change".
    row = bench.read(lambda s: Q.meeting_actions(s, meeting)).own[0]  # type: ignore[union-attr]
    bench.run(UpdateAction(row.id, status=ActionStatus.IN_PROGRESS))
    later = bench.read(lambda s: plan_import(s, rows))
    assert len(later.changes) + len(later.conflicts) == 1


def test_cli_exports_decisions_for_an_audience(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from paperprep.app import main
    from paperprep.ops.agenda import SetExempt

    path = tmp_path / "d.sqlite"
    db = open_database(path)
    bench = Workbench(db)
    _committee, (meeting,) = _setup(bench, dt.date(2026, 6, 10))
    item = bench.run(AddItem(meeting, "Tender")).result
    bench.run(AddResolution(item, ResolutionWording.RESOLVED, "That the secret tender be awarded"))
    bench.run(SetExempt(item, (3,), "Contract award"))
    db.close()

    def text(out: Path) -> str:
        sheet = load_workbook(out).active
        return " ".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None)

    for audience in ("public", "confidential"):
        out = tmp_path / f"{audience}.xlsx"
        code = main(["export", "decisions", "--db", str(path), "--audience", audience, "--out", str(out)])
        assert code in (0, None)
    assert "secret tender" not in text(tmp_path / "public.xlsx")
    assert "secret tender" in text(tmp_path / "confidential.xlsx")


def test_migration_0005_keeps_the_triggers(tmp_path: Path) -> None:
    from contextlib import closing

    from alembic import command

    from paperprep.db import _alembic_config
    from paperprep.db.engine import sqlite_engine

    path = tmp_path / "old.sqlite"
    engine = sqlite_engine(path)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0004")  # type: ignore[arg-type]
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        before = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    db = open_database(path, daily_backup=False)
    db.close()
    with closing(sqlite3.connect(path)) as conn:
        after = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        columns = {r[1] for r in conn.execute("PRAGMA table_info(agenda_items)")}
        meeting_columns = {r[1] for r in conn.execute("PRAGMA table_info(meetings)")}
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert before and before <= after
    assert {"is_late", "urgency_reason"} <= columns and "approved_at_meeting_id" in meeting_columns
    assert version >= "0005"  # and later migrations keep what 0005 added
