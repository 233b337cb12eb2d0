"""The rules that keep the record right: Part A before the exclusion motion before Part B, declarations with what
the member did, no recorded vote for someone who was not there or took no part, action references unique in the
whole database, and demo data that obeys all of it (with real documents on its reports)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.db.models import Attachment, Declaration, Meeting, RecordedVote
from paperprep.domain import (
    ActionStatus,
    AttendanceStatus,
    Audience,
    DeclarationOutcome,
    DeclarationType,
    InspectionActivity,
    ItemKind,
    MeetingStatus,
    NumberingScheme,
    ResolutionWording,
    Vote,
)
from paperprep.errors import ValidationError
from paperprep.imports.pasted import parse_minutes_text
from paperprep.imports.pasted_apply import create_item_from_parsed
from paperprep.ops import Workbench
from paperprep.ops import meetings as OME
from paperprep.ops import minutes as OM
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.interchange import dump_meeting, load_meeting
from paperprep.services.snapshot import action_records, build_meeting_record


@pytest.fixture
def db(database: Any) -> Any:
    """Every test here runs on both engines: SQLite and PostgreSQL (`database`, tests/conftest.py)."""
    return database


TODAY = dt.date(2026, 9, 15)
MOTION = ItemKind.EXCLUSION_MOTION


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo council, loaded through the operation the app runs, with its documents beside it."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(path, daily_backup=False)
    try:
        Workbench(db).run(OME.LoadDemo(TODAY, path.parent / "demo-files"))
    finally:
        db.close()
    return path


def _order_problems(items: list) -> list[str]:
    """What breaks "every public item, then the motion, then the exempt items" in an agenda."""
    problems = []
    kinds = ["B" if i.is_exempt else ("M" if i.kind is MOTION else "A") for i in items]
    text = "".join(kinds)
    if "".join(sorted(text, key="AMB".index)) != text:
        problems.append(f"out of order: {text}")
    if "B" in text and "M" not in text:
        problems.append(f"exempt items without the motion: {text}")
    if text.count("M") > 1:
        problems.append(f"two motions: {text}")
    return problems


def _meeting(s, day: dt.date = dt.date(2026, 3, 12)) -> Meeting:
    committee = C.find_committee(s, "SC") or C.create_committee(s, "Scrutiny", "SC")
    meeting = M.create_meeting(s, committee, day)
    A.add_standard_items(s, meeting)
    A.add_item(s, meeting, "Budget")
    secret = A.add_item(s, meeting, "Contract award")
    A.set_exempt(s, secret, (3,), "Contract matter")
    return meeting


def _titles(meeting: Meeting) -> list[str]:
    return [i.title for i in A.ordered_items(meeting)]


# -- Part A, the exclusion motion, Part B ----------------------------------------------------------------------


def test_a_public_item_added_or_pasted_goes_before_the_motion(db) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        A.add_item(s, m, "Late report")
        A.add_item(s, m, "Asked for the very end", index=99)
        A.add_item(s, m, "Asked for the top", index=0)
        parsed = parse_minutes_text(
            "Ofsted update\n\nMinutes:\n\nThe Board received an update.\n\nAGREED\nThat the update be noted."
        )
        create_item_from_parsed(s, m, parsed)
        A.add_item(s, m, "Another secret", exempt_paragraphs=(1,), index=0)
        titles = _titles(m)
        assert titles[0] == "Asked for the top"
        assert titles[-4:-2] == [parsed.title or "Pasted minute", "Exclusion of the press and public"]
        assert titles[-2:] == ["Another secret", "Contract award"]  # index 0 of Part B: its first item
        assert _order_problems(A.ordered_items(m)) == []
        A.check_order(m)


def test_a_move_that_breaks_the_order_is_refused_with_what_to_do(db) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        items = A.ordered_items(m)
        budget = next(i for i in items if i.title == "Budget")
        motion = next(i for i in items if i.kind is MOTION)
        secret = next(i for i in items if i.is_exempt)
        before = _titles(m)
        with pytest.raises(ValidationError, match="make it exempt first"):
            A.move_item(s, budget, len(items) - 1)
        with pytest.raises(ValidationError, match="return it to Part A first"):
            A.move_item(s, secret, 0)
        with pytest.raises(ValidationError, match="directly before the exempt items"):
            A.move_item(s, motion, 0)
        assert _titles(m) == before
        # Moves within a part are fine, and the motion may stay where it is.
        assert A.move_item(s, budget, 0) == 0
        assert A.move_item(s, motion, motion.position) == motion.position
        assert _order_problems(A.ordered_items(m)) == []


def test_marking_exempt_or_public_keeps_the_order(db) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        budget = next(i for i in A.ordered_items(m) if i.title == "Budget")
        A.set_exempt(s, budget, (1,))
        assert _titles(m)[-3:] == ["Exclusion of the press and public", "Contract award", "Budget"]
        A.clear_exempt(s, budget)
        assert _titles(m)[-3:] == ["Budget", "Exclusion of the press and public", "Contract award"]
        motion = next(i for i in A.ordered_items(m) if i.kind is MOTION)
        with pytest.raises(ValidationError, match="cannot be exempt"):
            A.set_exempt(s, motion, (3,))
        with pytest.raises(ValidationError, match="already has the exclusion"):
            A.add_item(s, m, "A second motion", MOTION)
        with pytest.raises(ValidationError, match="Return the exempt items to Part A"):
            A.remove_item(s, motion)
        with pytest.raises(ValidationError, match="stays the motion"):
            A.update_item(s, motion, kind="report")
        with pytest.raises(ValidationError, match="already has the exclusion"):
            A.update_item(s, budget, kind=MOTION.value)
        assert _order_problems(A.ordered_items(m)) == []


# Examples of the property test: fewer on PostgreSQL, where each needs a database of its own made in the cluster.
EXAMPLES = {"sqlite": 40, "postgresql": 8}

operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "add_exempt", "paste", "remove", "move", "exempt", "unexempt", "kind"]),
        st.integers(0, 30),
    ),
    min_size=1,
    max_size=20,
)


def test_no_sequence_of_changes_breaks_the_order(engine_name: str, fresh_database: Any) -> None:
    """On both engines, a new database for each example (fewer on PostgreSQL, where making one takes longer)."""

    @settings(max_examples=EXAMPLES[engine_name], deadline=None)
    @given(ops=operations)
    def any_sequence(ops: list[tuple[str, int]]) -> None:
        with fresh_database() as db:
            _order_stays_right(db, ops)

    any_sequence()


def _order_stays_right(db: Any, ops: list[tuple[str, int]]) -> None:
    kinds = list(ItemKind)
    with db.transaction() as s:
        m = _meeting(s)
        for op, n in ops:
            items = A.ordered_items(m)
            pick = items[n % len(items)] if items else None
            try:
                if op == "add":
                    A.add_item(s, m, f"Item {n}", kinds[n % len(kinds)], index=n)
                elif op == "add_exempt":
                    A.add_item(s, m, f"Secret {n}", exempt_paragraphs=(1 + n % 7,), index=n)
                elif op == "paste":
                    create_item_from_parsed(s, m, parse_minutes_text(f"Pasted {n}\n\nMinutes:\n\nText."))
                elif pick is None:
                    continue
                elif op == "remove":
                    A.remove_item(s, pick)
                elif op == "move":
                    A.move_item(s, pick, n)
                elif op == "exempt":
                    A.set_exempt(s, pick, (3,))
                elif op == "unexempt":
                    A.clear_exempt(s, pick)
                elif op == "kind":
                    A.update_item(s, pick, kind=kinds[n % len(kinds)].value)
            except ValidationError as exc:
                assert exc.message.endswith("."), exc.message
            items = A.ordered_items(m)
            assert _order_problems(items) == [], (op, n)
            assert [i.position for i in items] == list(range(len(items)))


def test_no_public_item_stands_after_the_motion_in_any_demo_meeting(demo: Path) -> None:
    db = open_database(demo, daily_backup=False)
    try:
        with db.transaction() as s:
            meetings = s.query(Meeting).all()
            assert meetings
            for meeting in meetings:
                items = A.ordered_items(meeting)
                assert _order_problems(items) == [], f"{meeting.committee.code} {meeting.date}"
                A.check_order(meeting)
            assert any(i.is_exempt for m in meetings for i in m.items)
    finally:
        db.close()


# -- declarations and recorded votes ---------------------------------------------------------------------------


def test_a_declaration_keeps_its_item_and_what_the_member_did(db) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        budget = next(i for i in A.ordered_items(m) if i.title == "Budget")
        lewis = C.get_or_create_person(s, "Owen Lewis")
        okafor = C.get_or_create_person(s, "Grace Okafor")
        MI.add_declaration(s, m, okafor, DeclarationType.OTHER_REGISTRABLE, "School governor", budget)
        MI.add_declaration(
            s,
            m,
            lewis,
            DeclarationType.DISCLOSABLE_PECUNIARY,
            "Owns a business",
            budget,
            DeclarationOutcome.LEFT_ROOM,
        )
        record = build_meeting_record(s, m.id, Audience.PUBLIC)
        by_name = {d.person.name: d for d in record.declarations}
        assert by_name["Grace Okafor"].outcome is DeclarationOutcome.REMAINED
        assert by_name["Owen Lewis"].outcome is DeclarationOutcome.LEFT_ROOM
        assert by_name["Owen Lewis"].outcome_text == "left the room and took no part"
        assert by_name["Owen Lewis"].item_id == budget.id
        item = next(i for i in record.items if i.id == budget.id)
        assert {d.person.name for d in item.declarations} == {"Grace Okafor", "Owen Lewis"}
        assert "left the room and took no part" in by_name["Owen Lewis"].text
    assert [o.label for o in DeclarationOutcome] == [
        "remained in the meeting",
        "left the room and took no part",
        "did not vote",
    ]


def test_the_declaration_operation_records_the_outcome_and_undoes(db) -> None:
    bench = Workbench(db)
    with db.transaction() as s:
        m = _meeting(s)
        person = C.get_or_create_person(s, "Owen Lewis")
        meeting_id, person_id = m.id, person.id
        item_id = next(i.id for i in m.items if i.title == "Budget")
    done = bench.run(
        OM.AddDeclaration(
            meeting_id,
            person_id,
            DeclarationType.NON_REGISTRABLE,
            "Friend",
            item_id,
            DeclarationOutcome.DID_NOT_VOTE,
        )
    )
    with db.transaction() as s:
        declaration = s.get(Declaration, done.result)
        assert declaration is not None and declaration.outcome is DeclarationOutcome.DID_NOT_VOTE
    bench.undo(done.step)
    with db.transaction() as s:
        assert s.get(Declaration, done.result) is None


def test_no_recorded_vote_for_a_member_who_was_not_there_or_took_no_part(db) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        budget = next(i for i in A.ordered_items(m) if i.title == "Budget")
        res = MI.add_resolution(s, budget, ResolutionWording.RESOLVED, "to approve the budget")
        away = C.get_or_create_person(s, "David Bennett")
        absent = C.get_or_create_person(s, "Michael Walsh")
        out = C.get_or_create_person(s, "Owen Lewis")
        there = C.get_or_create_person(s, "Sadia Ahmed")
        MI.set_attendance(s, m, away, AttendanceStatus.APOLOGIES)
        MI.set_attendance(s, m, absent, AttendanceStatus.ABSENT)
        MI.set_attendance(s, m, out, AttendanceStatus.PRESENT)
        MI.set_attendance(s, m, there, AttendanceStatus.PRESENT)
        MI.add_declaration(
            s, m, out, DeclarationType.DISCLOSABLE_PECUNIARY, "", budget, DeclarationOutcome.LEFT_ROOM
        )
        with pytest.raises(
            ValidationError, match="David Bennett is recorded as apologies .* Correct their attendance"
        ):
            MI.record_vote(s, res, away, Vote.AGAINST)
        with pytest.raises(ValidationError, match="Michael Walsh is recorded as absent"):
            MI.record_vote(s, res, absent, Vote.FOR)
        with pytest.raises(ValidationError, match="left the room and took no part, so no vote"):
            MI.record_vote(s, res, out, Vote.ABSTAINED)
        MI.record_vote(s, res, there, Vote.AGAINST)
        # And the other way round: the record cannot be made to contradict a recorded vote.
        with pytest.raises(ValidationError, match="has a recorded vote on 'Budget'"):
            MI.set_attendance(s, m, there, AttendanceStatus.APOLOGIES)
        with pytest.raises(ValidationError, match="has a recorded vote on 'Budget'"):
            MI.add_declaration(
                s, m, there, DeclarationType.NON_REGISTRABLE, "", budget, DeclarationOutcome.DID_NOT_VOTE
            )
        MI.add_declaration(s, m, there, DeclarationType.NON_REGISTRABLE, "", budget)  # remained: fine
        assert [v.person.name for v in res.votes] == ["Sadia Ahmed"]


def test_the_demo_obeys_every_rule_of_the_record(demo: Path) -> None:
    db = open_database(demo, daily_backup=False)
    try:
        with db.transaction() as s:
            votes = s.query(RecordedVote).all()
            assert votes, "the demo records some votes"
            for vote in votes:
                item = vote.resolution.item
                meeting = item.meeting
                row = next((a for a in meeting.attendance if a.person_id == vote.person_id), None)
                assert row is not None and row.status not in (
                    AttendanceStatus.APOLOGIES,
                    AttendanceStatus.ABSENT,
                ), f"{vote.person.name} votes at {meeting.committee.code} {meeting.date} but was not there"
                assert not any(
                    d.person_id == vote.person_id and d.item_id == item.id and d.outcome.took_no_vote
                    for d in meeting.declarations
                ), f"{vote.person.name} votes on {item.title!r} after taking no part"
            pecuniary = [
                d for d in s.query(Declaration).all() if d.type is DeclarationType.DISCLOSABLE_PECUNIARY
            ]
            assert pecuniary and all(d.outcome is DeclarationOutcome.LEFT_ROOM for d in pecuniary)
            for meeting in s.query(Meeting).all():
                if meeting.status is MeetingStatus.MINUTES_APPROVED:
                    record = build_meeting_record(s, meeting.id, Audience.PUBLIC)
                    assert record.approved_at.startswith(
                        f"the meeting of the {meeting.committee.name} held on "
                    )
                    assert meeting.approved_on > meeting.date
    finally:
        db.close()


WORDS = {
    InspectionActivity.STANDARD_INSPECTION: ("inspection", "inadequate"),
    InspectionActivity.MONITORING_VISIT: ("monitoring visit",),
    InspectionActivity.RE_INSPECTION: ("re-inspection", "requires improvement"),
}


def test_the_demo_inspection_minutes_say_what_their_summaries_say(demo: Path) -> None:
    db = open_database(demo, daily_backup=False)
    try:
        with db.transaction() as s:
            seen = set()
            for meeting in s.query(Meeting).all():
                for item in meeting.items:
                    summary = item.inspection
                    if summary is None:
                        continue
                    seen.add(summary.activity)
                    text = item.minutes_text.lower()
                    for word in WORDS[summary.activity]:
                        assert word in text, f"{summary.activity.label}: {word!r} missing"
                    others = [a for a in WORDS if a is not summary.activity]
                    if summary.activity is not InspectionActivity.RE_INSPECTION:
                        assert "re-inspection" not in text
                    if summary.activity is InspectionActivity.MONITORING_VISIT:
                        assert summary.overall.rank is None and summary.inspectors == 2
                    assert others
            assert seen == set(WORDS)
    finally:
        db.close()


# -- action references ------------------------------------------------------------------------------------------


def test_every_action_reference_in_the_demo_is_unique(demo: Path) -> None:
    db = open_database(demo, daily_backup=False)
    try:
        with db.transaction() as s:
            everything = AC.list_actions(s, AC.ActionFilter(status="all"))
            rows = action_records(everything, Audience.CONFIDENTIAL)
            references = [r.reference for r in rows]
            assert len(references) == len(everything) > 10
            assert len(set(references)) == len(references), sorted(references)
            cab = [r for r in rows if r.committee_code == "CAB"][0]
            assert cab.reference.startswith("CAB ") and cab.reference.count("/") == 2
    finally:
        db.close()


def test_references_name_the_year_or_the_meeting(db) -> None:
    with db.transaction() as s:
        for code, scheme in (("CONT", NumberingScheme.CONTINUOUS), ("PERM", NumberingScheme.PER_MEETING)):
            committee = C.create_committee(s, code, code, numbering=scheme)
            for day in (dt.date(2025, 6, 3), dt.date(2025, 9, 2), dt.date(2026, 6, 2)):
                meeting = M.create_meeting(s, committee, day)
                item = A.add_item(s, meeting, "Report")
                AC.add_action(s, item, "Do it", owner="Officer")
        rows = action_records(AC.list_actions(s, AC.ActionFilter(status="all")), Audience.CONFIDENTIAL)
        refs = sorted(r.reference for r in rows)
        assert refs == sorted(
            [
                "CONT 1/25-26/1",
                "CONT 2/25-26/1",
                "CONT 1/26-27/1",
                "PERM 1/03.06.25/1",
                "PERM 1/02.09.25/1",
                "PERM 1/02.06.26/1",
            ]
        )


# -- the migration ----------------------------------------------------------------------------------------------


def test_migration_0004_adds_the_outcome_and_keeps_the_triggers(tmp_path: Path) -> None:
    from alembic import command

    from paperprep.db import _alembic_config
    from paperprep.db.engine import sqlite_engine

    path = tmp_path / "old.sqlite"
    engine = sqlite_engine(path)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0003")  # type: ignore[arg-type]
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        triggers_before = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        conn.execute(
            "INSERT INTO committees (id, name, code, kind, numbering, year_start_month, default_venue, "
            "contact_officer, archived) VALUES (1, 'Scrutiny', 'SC', 'other', 'continuous', 5, '', '', 0)"
        )
        conn.execute(
            "INSERT INTO meetings (id, committee_id, date, venue, status, contact_officer, updated_at, "
            "version) VALUES (1, 1, '2025-06-01', '', 'held', '', '2025-06-01 10:00:00', 1)"
        )
        conn.execute(
            "INSERT INTO people (id, name, kind, title, email) VALUES (1, 'Owen Lewis', 'councillor', '', '')"
        )
        conn.execute(
            "INSERT INTO declarations (id, meeting_id, person_id, type, nature) "
            "VALUES (1, 1, 1, 'non_registrable', 'Friend')"
        )
        conn.commit()
    db = open_database(path, daily_backup=False)
    try:
        with db.transaction() as s:
            declaration = s.get(Declaration, 1)
            assert declaration is not None and declaration.outcome is DeclarationOutcome.REMAINED
    finally:
        db.close()
    with closing(sqlite3.connect(path)) as conn:
        triggers_after = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert triggers_before and triggers_before <= triggers_after
    assert version >= "0004"  # and later migrations keep what 0004 added


# -- interchange ------------------------------------------------------------------------------------------------


def test_the_outcome_travels_in_the_interchange_file(db, tmp_path: Path) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        budget = next(i for i in A.ordered_items(m) if i.title == "Budget")
        person = C.get_or_create_person(s, "Owen Lewis")
        MI.add_declaration(
            s, m, person, DeclarationType.DISCLOSABLE_PECUNIARY, "", budget, DeclarationOutcome.LEFT_ROOM
        )
        data = dump_meeting(s, m.id)
    assert data["declarations"][0]["outcome"] == "left_room"
    target = open_database(tmp_path / "other.sqlite", daily_backup=False)
    try:
        with target.transaction() as s:
            new_id = load_meeting(s, json.loads(json.dumps(data)))
            assert dump_meeting(s, new_id) == data
        without = json.loads(json.dumps(data))
        del without["declarations"][0]["outcome"]
        without["items"] = [i for i in without["items"] if i["kind"] != "exclusion_motion"]
        with target.transaction() as s:
            other = dump_meeting(s, load_meeting(s, without))
        assert other["declarations"][0]["outcome"] == "remained"
        assert [i["kind"] for i in other["items"]][-2:] == ["exclusion_motion", "report"]
    finally:
        target.close()


# -- the demo's documents ---------------------------------------------------------------------------------------


def test_demo_reports_are_real_documents_in_the_managed_folder(demo: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    import docx

    files = demo.parent / "demo-files"
    db = open_database(demo, daily_backup=False)
    try:
        with db.transaction() as s:
            attachments = s.query(Attachment).all()
            assert {a.file_name.rsplit(".", 1)[-1] for a in attachments} == {"pdf", "docx"}
            for attachment in attachments:
                stored = files / attachment.stored_name
                data = stored.read_bytes()
                assert hashlib.sha256(data).hexdigest() == attachment.sha256
                assert attachment.size_bytes == len(data)
                if attachment.file_name.endswith(".pdf"):
                    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
                    assert len(reader.pages) == attachment.page_count == 1
                    text = reader.pages[0].extract_text()
                else:
                    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
                assert len(text) > 80, attachment.file_name
                if attachment.item.is_exempt:
                    assert "NOT FOR PUBLICATION" in text and "Schedule 12A" in text
                    assert attachment.item.title in text
                    assert all(b.text[:40] in text for b in B.loads(attachment.item.minutes_body)), text
            exempt_items = [i for m in s.query(Meeting).all() for i in m.items if i.is_exempt]
            assert exempt_items and all(i.attachments for i in exempt_items)
            reports = [i for m in s.query(Meeting).all() for i in m.items if i.kind is ItemKind.REPORT]
            assert all(i.attachments for i in reports)
            letters = [
                i.inspection for m in s.query(Meeting).all() for i in m.items if i.inspection is not None
            ]
            assert letters and all(x.letter_attachment_id is not None for x in letters)
            # A public record of an exempt item holds none of its documents; the dump lists every document.
            meeting = exempt_items[0].meeting
            public = build_meeting_record(s, meeting.id, Audience.PUBLIC)
            assert all(not i.attachments for i in public.items if i.is_exempt)
            dumped = dump_meeting(s, meeting.id)
            listed = [a["file_name"] for item in dumped["items"] for a in item["attachments"]]
            assert sorted(listed) == sorted(a.file_name for i in meeting.items for a in i.attachments)
            assert any(name.endswith("exempt report.pdf") for name in listed)
    finally:
        db.close()


def test_the_demo_without_a_file_gets_no_documents(tmp_path: Path) -> None:
    """load_demo finds the folder of the database file; only an in-memory database goes without documents."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from paperprep.db.models import Base
    from paperprep.services.demo import load_demo

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        load_demo(s, TODAY)
        assert s.query(Attachment).count() == 0
        assert s.query(Meeting).count() > 10
        done = AC.list_actions(s, AC.ActionFilter(status="done"))
        assert done and all(a.completed_on is not None and a.completed_on <= TODAY for a in done)
        assert all(a.status is ActionStatus.DONE for a in done)
