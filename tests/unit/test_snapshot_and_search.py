"""The snapshot builder is the one place where exempt content is filtered; the search index follows every change."""

import dataclasses
import datetime as dt
from typing import Any

import pytest

from paperprep import blocks as B
from paperprep.db import fts
from paperprep.domain import AttendanceStatus, Audience, MembershipRole, ResolutionWording
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.snapshot import action_records, build_meeting_record, exempt_texts


@pytest.fixture
def db(database: Any) -> Any:
    """Every test here runs on both engines: SQLite and PostgreSQL (`database`, tests/conftest.py)."""
    return database


SECRET = "Harbour Care Ltd scored highest on price"


def _meeting(s):
    c = C.create_committee(s, "Scrutiny", "SC")
    m = M.create_meeting(s, c, dt.date(2021, 7, 6))
    A.add_standard_items(s, m)
    public = A.add_item(s, m, "Ofsted focused visit feedback")
    MI.set_body(
        s, public, [B.paragraph("The Sub-Committee was presented with the findings."), B.lettered("one")]
    )
    MI.add_resolution(s, public, ResolutionWording.RESOLVED, "to note the information")
    secret = A.add_item(
        s, m, "Residential placements contract award", purpose="Evaluate the Harbour Care bid"
    )
    A.set_exempt(s, secret, (3,), "Placements framework")
    MI.set_body(s, secret, [B.paragraph(SECRET)])
    res = MI.add_resolution(
        s, secret, ResolutionWording.RECOMMENDED, "award the contract to Harbour Care Ltd"
    )
    AC.add_action(s, secret, "Draft the Harbour Care Ltd award letter", owner="Imran Khan", resolution=res)
    AC.add_action(s, public, "Circulate the Ofsted letter", owner="Sue Butcher")
    chair = C.get_or_create_person(s, "Janet Pryer")
    sub = C.get_or_create_person(s, "Arjun Singh")
    away = C.get_or_create_person(s, "Michael Walsh")
    C.add_member(s, c, chair, MembershipRole.CHAIR)
    MI.set_attendance(s, m, chair, AttendanceStatus.PRESENT)
    MI.set_attendance(s, m, away, AttendanceStatus.APOLOGIES)
    MI.set_attendance(s, m, sub, AttendanceStatus.SUBSTITUTE, away)
    return m


def _all_text(record) -> str:
    return repr(dataclasses.asdict(record))


def test_public_snapshot_holds_no_exempt_text(db) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        public = build_meeting_record(s, m.id, Audience.PUBLIC)
        confidential = build_meeting_record(s, m.id, Audience.CONFIDENTIAL)
        titles, texts = exempt_texts(s, m.id)
        forbidden = titles + texts
    assert SECRET in texts and "Residential placements contract award" in titles
    text = _all_text(public)
    for secret in forbidden:
        assert secret not in text
    exempt = public.part_b[0]
    assert (
        exempt.redacted
        and exempt.title == "Placements framework"
        and exempt.exempt_paragraphs_text == "paragraph 3"
    )
    assert "paragraph 3 of Part 1 of Schedule 12A" in public.exclusion_motion
    assert SECRET in _all_text(confidential)
    assert confidential.part_b[0].title == "Residential placements contract award"


def test_minutes_order_present_and_substitutes(db) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        record = build_meeting_record(s, m.id, Audience.PUBLIC)
    assert [a.minutes_text for a in record.present] == [
        "Cllr Janet Pryer (Chair)",
        "Cllr Arjun Singh (for Cllr Michael Walsh)",
    ]
    assert [a.person.name for a in record.apologies] == ["Michael Walsh"]


def test_public_action_log_leaves_out_exempt_actions(db) -> None:
    with db.transaction() as s:
        _meeting(s)
        rows = action_records(AC.list_actions(s, AC.ActionFilter()), Audience.PUBLIC)
        everything = action_records(AC.list_actions(s, AC.ActionFilter()), Audience.CONFIDENTIAL)
    assert [r.text for r in rows] == ["Circulate the Ofsted letter"]
    assert len(everything) == 2
    assert rows[0].reference == "SC 6/21-22/1"


def test_search_index_follows_insert_update_and_delete(db) -> None:
    with db.transaction() as s:
        m = _meeting(s)
        item = A.add_item(s, m, "Youth justice plan")
    with db.transaction() as s:
        assert [h.id for h in fts.search(s, "youth justice")] == [item.id]
        A.update_item(s, A.get_item(s, item.id), title="Early help strategy")
    with db.transaction() as s:
        assert fts.search(s, "youth justice") == []
        assert [h.id for h in fts.search(s, "early help")] == [item.id]
        MI.set_body(s, A.get_item(s, item.id), [B.bullet("placement stability for care leavers")])
    with db.transaction() as s:
        assert [h.kind for h in fts.search(s, "stability")] == ["item"]
        assert [h.kind for h in fts.search(s, "award letter")] == ["action"]
        A.remove_item(s, A.get_item(s, item.id))
    with db.transaction() as s:
        assert fts.search(s, "stability") == []


def test_approve_locks_and_reopen_is_audited(db) -> None:
    import pytest

    from paperprep.domain import AuditEvent
    from paperprep.errors import MinutesLockedError, ValidationError
    from paperprep.ops import minutes as OM
    from paperprep.ops.base import Workbench

    with db.transaction() as s:
        m = _meeting(s)
        meeting_id, item_id = m.id, A.ordered_items(m)[5].id
        M.approve_minutes(s, m)
    bench = Workbench(db)
    with pytest.raises(MinutesLockedError):
        bench.run(OM.SaveMinutesText(item_id, (B.paragraph("changed"),)))
    with db.transaction() as s:
        m = M.get_meeting(s, meeting_id)
        with pytest.raises(ValidationError):
            M.reopen_minutes(s, m, "")
        M.reopen_minutes(s, m, "Chair asked to correct a name")
    bench.run(OM.SaveMinutesText(item_id, (B.paragraph("changed"),)))
    with db.transaction() as s:
        trail = M.audit_trail(s, M.get_meeting(s, meeting_id))
    assert [e.event for e in trail] == [AuditEvent.APPROVED, AuditEvent.REOPENED, AuditEvent.EDITED]
    assert trail[1].reason == "Chair asked to correct a name"
    assert "presented with the findings" in trail[2].detail
