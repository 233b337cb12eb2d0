"""Approved minutes are the record: every operation on an approved meeting is refused, or (an action's progress)
allowed and audited, and its minutes document does not change by a byte (timestamps aside); after reopening,
every kind of change writes an audit row with before and after; a meeting ever approved cannot be deleted; a
meeting loaded as approved has its approval in the audit trail."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ops_support import APPROVED, build_template, copy_of, dump

from paperprep import blocks as B
from paperprep.db import Database, open_database
from paperprep.domain import (
    ActionStatus,
    AttendanceStatus,
    Audience,
    DeclarationType,
    MeetingStatus,
    Rag,
    ResolutionWording,
    Vote,
)
from paperprep.errors import MinutesLockedError
from paperprep.imports.pasted import parse_minutes_text
from paperprep.ops import Operation, Workbench
from paperprep.ops import actions as OAC
from paperprep.ops import agenda as OA
from paperprep.ops import meetings as OME
from paperprep.ops import minutes as OM
from paperprep.services.inspections import InspectionData

PASTED = "5. Budget monitoring\n\nThe committee received the report.\n\nRESOLVED: That the report be noted.\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("approved"))


@dataclass
class Fixture:
    """A copy of the demo, and the ids of its newest approved (locked) meeting."""

    path: Path
    db: Database
    bench: Workbench
    tmp: Path
    ids: dict[str, Any]

    def one(self, sql: str, *args: Any) -> Any:
        with closing(sqlite3.connect(self.path)) as conn:
            row = conn.execute(sql, args).fetchone()
        return row[0] if row is not None else None

    def audit(self, meeting: int) -> list[tuple[str, str, str]]:
        with closing(sqlite3.connect(self.path)) as conn:
            return conn.execute(
                "SELECT event, detail, user FROM audit_entries WHERE meeting_id = ? ORDER BY id", (meeting,)
            ).fetchall()

    def minutes_xml(self, meeting: int) -> dict[str, str]:
        """Every Word part of the meeting's minutes, both audiences, with the actions shown: the document but
        its core properties (where the time of writing is)."""
        from paperprep.ops.exports import export_minutes

        out: dict[str, str] = {}
        for audience in Audience:
            target = self.tmp / f"minutes-{audience.value}.docx"
            export_minutes(self.db, meeting, target, audience, show_actions=True)
            with zipfile.ZipFile(target) as docx:
                for name in docx.namelist():
                    if name.startswith("word/") and name.endswith(".xml"):
                        out[f"{audience.value}:{name}"] = docx.read(name).decode("utf-8")
        return out


def _ids(path: Path, meeting: int | None = None) -> dict[str, Any]:
    """Real ids of `meeting` (default: the newest approved one) to build operations on."""
    with closing(sqlite3.connect(path)) as conn:

        def first(sql: str, *args: Any) -> Any:
            row = conn.execute(sql, args).fetchone()
            return row[0] if row is not None else None

        if meeting is None:
            meeting = first("SELECT id FROM meetings WHERE status = ? ORDER BY date DESC LIMIT 1", APPROVED)
        items = f"(SELECT id FROM agenda_items WHERE meeting_id = {int(meeting)})"
        return {
            "meeting": meeting,
            "item": first(f"SELECT item_id FROM resolutions WHERE item_id IN {items} ORDER BY id"),
            "resolution": first(f"SELECT id FROM resolutions WHERE item_id IN {items} ORDER BY id"),
            "action": first(
                f"SELECT id FROM actions WHERE item_id IN {items} ORDER BY status = 'done', rag = 'red', id"
            ),
            "attendee": first("SELECT person_id FROM attendance WHERE meeting_id = ? ORDER BY id", meeting),
            "councillor": first(
                "SELECT id FROM people WHERE kind = 'councillor' AND id NOT IN "
                "(SELECT person_id FROM attendance WHERE meeting_id = ?) ORDER BY id",
                meeting,
            ),
            "declaration": first("SELECT id FROM declarations WHERE meeting_id = ? ORDER BY id", meeting),
            "attachment": first(f"SELECT id FROM attachments WHERE item_id IN {items} ORDER BY id"),
            "last_item": first(f"SELECT id FROM agenda_items WHERE id IN {items} ORDER BY position DESC"),
        }


@pytest.fixture
def fx(template: Path, tmp_path: Path) -> Iterator[Fixture]:
    path = copy_of(template, tmp_path)
    db = open_database(path, daily_backup=False)
    try:
        fixture = Fixture(path, db, Workbench(db, user="clerk-a"), tmp_path, _ids(path))
        assert all(v is not None for v in fixture.ids.values()), fixture.ids
        yield fixture
    finally:
        db.close()


def _import_marking_all_done(fx: Fixture) -> Operation[Any]:
    """The officers' action log as exported, every action of every meeting marked done with an update."""
    from paperprep.imports.actions_xlsx import read_action_workbook
    from paperprep.ops.exports import export_action_log

    out = fx.tmp / "action-log.xlsx"
    assert export_action_log(fx.db, out, status="all") > 0
    rows = read_action_workbook(out)
    changed = tuple(
        dataclasses.replace(
            r, status=ActionStatus.DONE.label, latest_update="Finished.", update_date=dt.date(2026, 9, 14)
        )
        for r in rows.rows
    )
    return OAC.ApplyActionImport(dataclasses.replace(rows, rows=changed))


def _document(fx: Fixture) -> Path:
    source = fx.tmp / "Report to committee.pdf"
    source.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n")
    return source


Build = Callable[[Fixture], Operation[Any]]

# Every kind of change to a meeting: these a locked meeting refuses.
REFUSED: dict[str, Build] = {
    "add item": lambda f: OA.AddItem(f.ids["meeting"], "Late report"),
    "add standard items": lambda f: OA.AddStandardItems(f.ids["meeting"]),
    "remove item": lambda f: OA.RemoveItem(f.ids["item"]),
    "move item": lambda f: OA.MoveItem(f.ids["last_item"], 0),
    "make exempt": lambda f: OA.SetExempt(f.ids["item"], (3,), "Contract"),
    "return to part a": lambda f: OA.ClearExempt(f.ids["item"]),
    "mark late": lambda f: OA.MarkLate(f.ids["item"], "The report could not wait."),
    "rename item": lambda f: OA.EditItem(f.ids["item"], "title", "Another title"),
    "item purpose": lambda f: OA.EditItem(f.ids["item"], "purpose", "To decide."),
    "topic": lambda f: OA.SetItemTopic(f.ids["item"], "Youth justice"),
    "add document": lambda f: OA.AddDocument(f.ids["item"], _document(f), f.tmp / "store"),
    "remove document": lambda f: OA.RemoveDocument(f.ids["attachment"]),
    "paste minutes": lambda f: OA.PasteMinutes(f.ids["meeting"], parse_minutes_text(PASTED)),
    "attendance": lambda f: OM.SetAttendance(f.ids["meeting"], f.ids["attendee"], AttendanceStatus.ABSENT),
    "mark all present": lambda f: OM.MarkAllPresent(f.ids["meeting"], (f.ids["councillor"],)),
    "substitute": lambda f: OM.AddSubstitute(f.ids["meeting"], "Cllr Ada Lovelace", f.ids["attendee"]),
    "officer": lambda f: OM.AddOfficer(f.ids["meeting"], "Grace Okafor", "Head of Service"),
    "remove attendance": lambda f: OM.RemoveAttendance(f.ids["meeting"], f.ids["attendee"]),
    "minutes text": lambda f: OM.SaveMinutesText(f.ids["item"], (B.paragraph("Rewritten."),)),
    "presenter": lambda f: OM.SetPresenter(f.ids["item"], "Dr Mary Seacole", "Director"),
    "add resolution": lambda f: OM.AddResolution(f.ids["item"], ResolutionWording.NOTED, "The update."),
    "change resolution": lambda f: OM.UpdateResolution(
        f.ids["resolution"], ResolutionWording.AGREED, "Changed.", ()
    ),
    "remove resolution": lambda f: OM.RemoveResolution(f.ids["resolution"]),
    "vote": lambda f: OM.RecordVote(f.ids["resolution"], f.ids["attendee"], Vote.AGAINST),
    "add declaration": lambda f: OM.AddDeclaration(
        f.ids["meeting"], f.ids["attendee"], DeclarationType.NON_REGISTRABLE, "A friend", f.ids["item"]
    ),
    "remove declaration": lambda f: OM.RemoveDeclaration(f.ids["declaration"]),
    "add action": lambda f: OAC.AddAction(f.ids["item"], "Report back.", "Head of Service"),
    "remove action": lambda f: OAC.RemoveAction(f.ids["action"]),
    "action wording": lambda f: OAC.UpdateAction(f.ids["action"], text="Other words."),
    "action resolution": lambda f: OAC.UpdateAction(f.ids["action"], clear_resolution=True),
    "inspection": lambda f: OAC.SaveInspection(f.ids["item"], InspectionData(service="Adult social care")),
    "remove inspection": lambda f: OAC.RemoveInspection(f.ids["item"]),
    "actions from findings": lambda f: OAC.ActionsFromFindings(f.ids["item"], "Head of Service"),
    "meeting details": lambda f: OME.UpdateMeetingDetails(f.ids["meeting"], {"venue": "Committee Room 9"}),
    "status": lambda f: OME.SetMeetingStatus(f.ids["meeting"], MeetingStatus.HELD),
    "delete meeting": lambda f: OME.DeleteMeeting(f.ids["meeting"]),
}

# An action's progress: it goes on in the action log after approval, and is audited.
PROGRESS: dict[str, Build] = {
    "action status": lambda f: OAC.UpdateAction(f.ids["action"], status=ActionStatus.IN_PROGRESS),
    "action rag": lambda f: OAC.UpdateAction(f.ids["action"], rag=Rag.RED),
    "new owner": lambda f: OAC.UpdateAction(f.ids["action"], owner="Someone New"),
    "revised due date": lambda f: OAC.UpdateAction(f.ids["action"], due_date=dt.date(2027, 3, 31)),
    "progress update": lambda f: OAC.AddActionUpdate(f.ids["action"], "Recruitment is under way."),
    "officers' workbook": _import_marking_all_done,
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_locked_meeting_refuses_every_change_and_its_minutes_stay(fx: Fixture, name: str) -> None:
    meeting = fx.ids["meeting"]
    minutes, before = fx.minutes_xml(meeting), dump(fx.path)
    op = REFUSED[name](fx)
    with pytest.raises(MinutesLockedError, match="approved") as refused:
        fx.bench.run(op)
    assert "reopen" in str(refused.value).lower()
    assert dump(fx.path) == before, f"{name}: refused, yet the database changed"
    assert fx.minutes_xml(meeting) == minutes, f"{name}: the approved minutes changed"


@pytest.mark.parametrize("name", sorted(PROGRESS))
def test_progress_on_a_locked_meeting_is_audited_and_never_rewrites_its_minutes(
    fx: Fixture, name: str
) -> None:
    meeting = fx.ids["meeting"]
    minutes, trail = fx.minutes_xml(meeting), fx.audit(meeting)
    fx.bench.run(PROGRESS[name](fx))
    added = fx.audit(meeting)[len(trail) :]
    assert added, f"{name}: no audit row"
    details = [json.loads(detail) for _event, detail, _user in added]
    assert all(user == "clerk-a" for _e, _d, user in added)
    assert any(d["table"] in ("actions", "action_updates") for d in details)
    assert all(d["operation"] and (d["before"] or d["after"]) for d in details)
    assert fx.minutes_xml(meeting) == minutes, f"{name}: progress rewrote the approved minutes"


def test_the_workbook_leaves_every_approved_meetings_minutes_as_they_were(fx: Fixture) -> None:
    """The officers' workbook changes actions across many approved meetings (the matters arising of later
    meetings list them): every approved meeting's minutes stay as approved, and every change is audited."""
    with closing(sqlite3.connect(fx.path)) as conn:
        approved = [r[0] for r in conn.execute("SELECT id FROM meetings WHERE status = ?", (APPROVED,))]
        touched = conn.execute(
            "SELECT count(*) FROM actions a JOIN agenda_items i ON i.id = a.item_id JOIN meetings m "
            "ON m.id = i.meeting_id WHERE m.status = ? AND a.status != ?",
            (APPROVED, ActionStatus.DONE.value),
        ).fetchone()[0]
    assert len(approved) > 1 and touched > 0
    minutes = {m: fx.minutes_xml(m) for m in approved}
    edits = fx.one("SELECT count(*) FROM audit_entries WHERE event = 'edited'")
    fx.bench.run(_import_marking_all_done(fx))
    assert fx.one("SELECT count(*) FROM audit_entries WHERE event = 'edited'") >= edits + touched
    for meeting in approved:
        assert fx.minutes_xml(meeting) == minutes[meeting], f"meeting {meeting}: the approved minutes changed"


def test_undo_follows_the_same_rules(fx: Fixture) -> None:
    """An action's progress can be undone on approved minutes, and the undo is audited too; the trail stays."""
    meeting, action = fx.ids["meeting"], fx.ids["action"]
    done = fx.bench.run(OAC.UpdateAction(action, rag=Rag.AMBER))
    trail = fx.audit(meeting)
    fx.bench.undo(done.step)
    after = fx.audit(meeting)
    assert after[: len(trail)] == trail, "an undo took audit rows away"
    undone = json.loads(after[-1][1])
    assert undone["operation"].startswith("Undo") and undone["after"]["rag"] != Rag.AMBER.value


# -- after reopening -----------------------------------------------------------------------------------------------


def test_after_reopening_every_kind_of_change_is_audited_with_before_and_after(fx: Fixture) -> None:
    meeting = fx.ids["meeting"]
    fx.bench.run(OME.ReopenMinutes(meeting, "The venue was wrong"))
    # (The officers' workbook, across meetings, has its own test above.)
    for name in sorted(set(REFUSED) - {"delete meeting", "status"}) + sorted(
        set(PROGRESS) - {"officers' workbook"}
    ):
        fresh = _ids(fx.path, meeting)
        fx.ids = {k: (fresh[k] if fresh.get(k) is not None else fx.ids[k]) for k in fx.ids}
        build = REFUSED.get(name) or PROGRESS[name]
        trail = fx.audit(meeting)
        before = dump(fx.path)
        try:
            fx.bench.run(build(fx))
        except MinutesLockedError:
            pytest.fail(f"{name} was refused on reopened minutes")
        except Exception as exc:  # noqa: BLE001 - bad input for this state: refused, and nothing changed
            assert dump(fx.path) == before, f"{name} failed ({exc}) but changed the database"
            continue
        if dump(fx.path) == before:
            continue  # nothing to change (an item already without an inspection, say)
        added = fx.audit(meeting)[len(trail) :]
        assert added, f"{name}: a change to reopened minutes wrote no audit row"
        for _event, detail, user in added:
            entry = json.loads(detail)
            assert user == "clerk-a"
            assert (
                entry["operation"] and entry["table"] and entry["change"] in ("added", "changed", "removed")
            )
            assert entry["before"] or entry["after"]
            if entry["change"] == "changed":
                assert set(entry["before"]) == set(entry["after"]) and entry["before"] != entry["after"]
            assert not {"version", "updated_at", "minute_number"} & set(entry["after"] or entry["before"])


def test_long_text_is_kept_whole_in_the_audit(fx: Fixture) -> None:
    meeting = fx.ids["meeting"]
    fx.bench.run(OME.ReopenMinutes(meeting, "Minute wording"))
    text = "The committee discussed the matter at length. " * 200
    fx.bench.run(OM.SaveMinutesText(fx.ids["item"], (B.paragraph(text.strip()),)))
    entry = json.loads(fx.audit(meeting)[-1][1])
    assert text.strip() in entry["after"]["minutes_text"]


def test_reapproval_takes_the_corrected_minutes_as_the_record(fx: Fixture) -> None:
    meeting, action = fx.ids["meeting"], fx.ids["action"]
    fx.bench.run(OAC.UpdateAction(action, owner="Interim Director"))  # progress: the minutes keep the old
    old_owner = fx.one("SELECT minuted_owner FROM actions WHERE id = ?", action)
    assert old_owner and old_owner != "Interim Director"
    assert old_owner in "".join(fx.minutes_xml(meeting).values())
    fx.bench.run(OME.ReopenMinutes(meeting, "The action's wording was wrong"))
    fx.bench.run(OAC.UpdateAction(action, text="Report on recruitment in March."))
    fx.bench.run(OME.ApproveMinutes(meeting))
    assert (
        fx.one("SELECT minuted_text FROM actions WHERE id = ?", action) == "Report on recruitment in March."
    )
    assert fx.one("SELECT minuted_owner FROM actions WHERE id = ?", action) == "Interim Director"


# -- deletion and loading ------------------------------------------------------------------------------------------


def test_a_meeting_ever_approved_cannot_be_deleted_and_keeps_its_trail(fx: Fixture) -> None:
    reopened = fx.one(
        "SELECT id FROM meetings WHERE status != ? AND approved_on IS NOT NULL ORDER BY date DESC", APPROVED
    )
    assert reopened is not None
    trail = fx.audit(reopened)
    assert trail
    for meeting in (fx.ids["meeting"], reopened):
        with pytest.raises(MinutesLockedError, match="cannot be deleted"):
            fx.bench.run(OME.DeleteMeeting(meeting))
    assert fx.audit(reopened) == trail
    with closing(sqlite3.connect(fx.path)) as conn:  # no road at all: not even SQL past the app
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM meetings WHERE id = ?", (reopened,))
            conn.commit()
    assert fx.audit(reopened) == trail


def test_a_meeting_never_approved_can_still_be_deleted(fx: Fixture) -> None:
    committee = fx.one("SELECT committee_id FROM meetings WHERE id = ?", fx.ids["meeting"])
    new = fx.bench.run(OME.CreateMeeting(committee, dt.date(2027, 1, 20))).result
    fx.bench.run(OA.AddItem(new, "Budget"))
    fx.bench.run(OME.DeleteMeeting(new))
    assert fx.one("SELECT count(*) FROM meetings WHERE id = ?", new) == 0


def test_a_meeting_loaded_as_approved_is_audited_and_frozen(fx: Fixture) -> None:
    from paperprep.services.interchange import dump_meeting

    data = json.loads(json.dumps(fx.bench.read(lambda s: dump_meeting(s, fx.ids["meeting"]))))
    assert APPROVED in json.dumps(data)
    new = fx.bench.run(OME.LoadMeeting(data)).result
    events = [event for event, _detail, _user in fx.audit(new)]
    assert events == ["approved"]
    assert "added as approved" in fx.audit(new)[0][1]
    assert fx.one("SELECT approved_record FROM meetings WHERE id = ?", new)
    assert (
        fx.one(
            "SELECT count(*) FROM actions a JOIN agenda_items i ON i.id = a.item_id "
            "WHERE i.meeting_id = ? AND a.minuted_text IS NULL",
            new,
        )
        == 0
    )
    with pytest.raises(MinutesLockedError):
        fx.bench.run(OA.AddItem(new, "Smuggled in"))


def test_demo_approvals_are_frozen(fx: Fixture) -> None:
    assert fx.one("SELECT count(*) FROM meetings WHERE status = ? AND approved_record IS NULL", APPROVED) == 0
    assert (
        fx.one(
            "SELECT count(*) FROM actions a JOIN agenda_items i ON i.id = a.item_id JOIN meetings m "
            "ON m.id = i.meeting_id WHERE m.status = ? AND a.minuted_text IS NULL",
            APPROVED,
        )
        == 0
    )


def test_the_tables_name_every_operation_that_changes_a_meeting(fx: Fixture) -> None:
    """Every operation of the agenda, the minutes and the actions, and every change of a meeting's own details,
    is in the tables above: a new kind of change cannot slip past these tests."""
    import inspect

    covered = {type(build(fx)) for build in (*REFUSED.values(), *PROGRESS.values())}
    wanted = {
        cls
        for module in (OA, OM, OAC)
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Operation) and cls is not Operation and cls.__module__ == module.__name__
    } | {OME.UpdateMeetingDetails, OME.SetMeetingStatus, OME.DeleteMeeting}
    assert wanted - covered == set()


def test_migration_0006_freezes_approved_actions_and_keeps_the_trail(tmp_path: Path) -> None:
    from alembic import command

    from paperprep.db import _alembic_config
    from paperprep.db.engine import sqlite_engine

    path = tmp_path / "old.sqlite"
    engine = sqlite_engine(path)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0005")  # type: ignore[arg-type]
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(
            "INSERT INTO committees (id, name, code, kind, numbering, year_start_month, default_venue, "
            "contact_officer, archived) VALUES (1, 'Scrutiny', 'SC', 'other', 'continuous', 5, '', '', 0);"
            "INSERT INTO meetings (id, committee_id, date, venue, status, contact_officer, updated_at, version, "
            "approved_on) VALUES (1, 1, '2025-06-01', '', 'minutes_approved', '', '2025-06-01 10:00:00', 1, "
            "'2025-07-01');"
            "INSERT INTO agenda_items (id, meeting_id, position, title, kind, purpose, report_of, presenter_name, "
            "presenter_role, is_exempt, exempt_paragraphs, public_title, minutes_body, minutes_text, updated_at, "
            "version) VALUES (1, 1, 0, 'Budget', 'report', '', '', '', '', 0, '', '', '[]', '', "
            "'2025-06-01 10:00:00', 1);"
            "INSERT INTO actions (id, item_id, number, text, owner, due_date, status, rag, notes, source_finding, "
            "created_at, updated_at, version) VALUES (1, 1, 1, 'Report back', 'Finance', '2025-09-01', 'open', "
            "'none', '', '', '2025-06-01 10:00:00', '2025-06-01 10:00:00', 1);"
            "INSERT INTO audit_entries (id, meeting_id, at, event, reason, detail, user) "
            "VALUES (1, 1, '2025-07-01 10:00:00', 'approved', '', '', 'clerk');"
        )
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    db = open_database(path, daily_backup=False)
    try:
        bench = Workbench(db, user="clerk-b")
        bench.run(OAC.UpdateAction(1, due_date=dt.date(2025, 12, 1)))  # capture sees the rebuilt audit table
        with pytest.raises(MinutesLockedError):
            bench.run(OME.DeleteMeeting(1))
    finally:
        db.close()
    with closing(sqlite3.connect(path)) as conn:
        assert triggers <= {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        row = conn.execute(
            "SELECT minuted_text, minuted_owner, minuted_due_date, due_date FROM actions"
        ).fetchone()
        assert row == ("Report back", "Finance", "2025-09-01", "2025-12-01")
        assert [r[0] for r in conn.execute("SELECT event FROM audit_entries ORDER BY id")] == [
            "approved",
            "edited",
        ]
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM meetings WHERE id = 1")
            conn.commit()
