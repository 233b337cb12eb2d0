"""The standard items' minutes written from the data, shown until the clerk edits them and then never rewritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from paperprep import blocks as B
from paperprep.db.models import AgendaItem, Meeting
from paperprep.domain import (
    ActionStatus,
    AttendanceStatus,
    Audience,
    DeclarationOutcome,
    DeclarationType,
    ItemKind,
    PersonKind,
    ResolutionWording,
)
from paperprep.ops import Workbench
from paperprep.ops import minutes as OM
from paperprep.queries import meeting as Q
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services import standard_items as SI
from paperprep.services.snapshot import build_meeting_record


@pytest.fixture
def db(database: Any) -> Any:
    """Every test here runs on both engines: SQLite and PostgreSQL (`database`, tests/conftest.py)."""
    return database


MARCH = dt.date(2026, 3, 12)
APRIL = dt.date(2026, 4, 16)


def _texts(blocks: tuple[B.Block, ...]) -> list[str]:
    return [b.text for b in blocks]


def _item(meeting: Meeting, kind: ItemKind) -> AgendaItem:
    return next(i for i in meeting.items if i.kind is kind)


def _two_meetings(s) -> tuple[Meeting, Meeting]:
    committee = C.create_committee(s, "Cabinet", "CAB")
    first = M.create_meeting(s, committee, MARCH)
    second = M.create_meeting(s, committee, APRIL)
    for meeting in (first, second):
        A.add_standard_items(s, meeting)
    return first, second


def _record_item(s, meeting: Meeting, kind: ItemKind, audience: Audience = Audience.PUBLIC):
    record = build_meeting_record(s, meeting.id, audience)
    return next(i for i in record.items if i.kind is kind)


def test_apologies_from_the_attendance(db) -> None:
    with db.transaction() as s:
        _, m = _two_meetings(s)
        item = _item(m, ItemKind.APOLOGIES)
        assert _texts(SI.minute_blocks(s, item, Audience.PUBLIC)[0]) == ["No apologies were received."]
        MI.set_attendance(s, m, C.get_or_create_person(s, "Michael Walsh"), AttendanceStatus.APOLOGIES)
        assert _texts(_record_item(s, m, ItemKind.APOLOGIES).blocks) == [
            "Apologies for absence were received from Councillor Michael Walsh."
        ]
        MI.set_attendance(s, m, C.get_or_create_person(s, "Cllr Sadia Ahmed"), AttendanceStatus.APOLOGIES)
        moore = C.get_or_create_person(s, "Linda Moore", PersonKind.CO_OPTED)
        MI.set_attendance(s, m, moore, AttendanceStatus.APOLOGIES)
        MI.set_attendance(s, m, C.get_or_create_person(s, "Owen Lewis"), AttendanceStatus.PRESENT)
        record = _record_item(s, m, ItemKind.APOLOGIES)
        assert record.generated
        assert _texts(record.blocks) == [
            "Apologies for absence were received from Councillors Sadia Ahmed and Michael Walsh, "
            "and from Linda Moore."
        ]


def test_substitutes_from_the_attendance(db) -> None:
    with db.transaction() as s:
        _, m = _two_meetings(s)
        assert _texts(_record_item(s, m, ItemKind.SUBSTITUTES).blocks) == [
            "There were no substitute members."
        ]
        walsh = C.get_or_create_person(s, "Michael Walsh")
        MI.set_attendance(s, m, walsh, AttendanceStatus.APOLOGIES)
        MI.set_attendance(s, m, C.get_or_create_person(s, "Arjun Singh"), AttendanceStatus.SUBSTITUTE, walsh)
        assert _texts(_record_item(s, m, ItemKind.SUBSTITUTES).blocks) == [
            "Councillor Arjun Singh substituted for Councillor Michael Walsh."
        ]


def test_declarations_with_member_type_item_and_outcome(db) -> None:
    with db.transaction() as s:
        _, m = _two_meetings(s)
        assert _texts(_record_item(s, m, ItemKind.DECLARATIONS).blocks) == [
            "There were no declarations of interest."
        ]
        budget = A.add_item(s, m, "Medium term financial strategy")
        secret = A.add_item(
            s, m, "Harbour Care contract", exempt_paragraphs=(3,), public_title="Contract matter"
        )
        lewis = C.get_or_create_person(s, "Owen Lewis")
        okafor = C.get_or_create_person(s, "Grace Okafor")
        MI.add_declaration(
            s,
            m,
            lewis,
            DeclarationType.DISCLOSABLE_PECUNIARY,
            "Owns a business in the regeneration area",
            budget,
            DeclarationOutcome.LEFT_ROOM,
        )
        MI.add_declaration(
            s, m, okafor, DeclarationType.OTHER_REGISTRABLE, "", secret, DeclarationOutcome.DID_NOT_VOTE
        )
        public = _texts(_record_item(s, m, ItemKind.DECLARATIONS).blocks)
        assert public == [
            "Councillor Owen Lewis declared a disclosable pecuniary interest in minute "
            f"{budget.minute_number}, Medium term financial strategy (owns a business in the regeneration "
            "area), and left the room and took no part.",
            f"Councillor Grace Okafor declared an other registrable interest in minute {secret.minute_number}, "
            "Contract matter, and did not vote.",
        ]
        confidential = _texts(_record_item(s, m, ItemKind.DECLARATIONS, Audience.CONFIDENTIAL).blocks)
        assert "Harbour Care contract" in confidential[1]
        assert "Harbour Care" not in " ".join(public)


def test_previous_minutes_resolution_names_the_previous_meeting(db) -> None:
    with db.transaction() as s:
        first, second = _two_meetings(s)
        assert _record_item(s, first, ItemKind.PREVIOUS_MINUTES).resolutions == ()  # no meeting before it
        record = _record_item(s, second, ItemKind.PREVIOUS_MINUTES)
        assert record.generated_resolution
        (resolution,) = record.resolutions
        assert resolution.wording is ResolutionWording.RESOLVED and resolution.keyword == "RESOLVED"
        assert resolution.text == (
            "That the minutes of the meeting held on 12 March 2026 be approved as a correct record and "
            "signed by the Chair."
        )
        # The clerk's own resolution replaces the proposal.
        item = _item(second, ItemKind.PREVIOUS_MINUTES)
        MI.add_resolution(
            s, item, ResolutionWording.RESOLVED, "That the minutes be agreed, subject to an amendment."
        )
        record = _record_item(s, second, ItemKind.PREVIOUS_MINUTES)
        assert not record.generated_resolution
        assert [r.text for r in record.resolutions] == [
            "That the minutes be agreed, subject to an amendment."
        ]


def test_matters_arising_lists_the_actions_open_at_the_meeting(db) -> None:
    with db.transaction() as s:
        first, second = _two_meetings(s)
        report = A.add_item(s, first, "Budget monitoring")
        secret = A.add_item(s, first, "Harbour Care contract", exempt_paragraphs=(3,))
        AC.add_action(s, report, "Circulate the savings plan", owner="Director of Finance", due_date=APRIL)
        AC.add_action(s, secret, "Negotiate the Harbour Care price", owner="Imran Khan")
        done = AC.add_action(s, report, "Brief the group leaders", status=ActionStatus.DONE)
        done.completed_on = MARCH + dt.timedelta(days=3)  # done before the second meeting: not carried
        later = AC.add_action(s, report, "Publish the consultation", status=ActionStatus.DONE)
        later.completed_on = APRIL + dt.timedelta(days=10)  # still open when the second meeting was held
        public = _texts(_record_item(s, second, ItemKind.ACTION_LOG).blocks)
        assert public[0] == "Members noted the open actions from earlier meetings:"
        assert any(
            "CAB " in t and "Circulate the savings plan (Director of Finance, due 16/04/2026)." in t
            for t in public
        )
        assert any("Publish the consultation" in t for t in public)
        assert not any("Brief the group leaders" in t for t in public)
        assert not any("Harbour Care" in t for t in public)
        confidential = _texts(_record_item(s, second, ItemKind.ACTION_LOG, Audience.CONFIDENTIAL).blocks)
        assert any("Negotiate the Harbour Care price" in t for t in confidential)
        assert _texts(_record_item(s, first, ItemKind.ACTION_LOG).blocks) == [
            "There were no outstanding actions from earlier meetings."
        ]


def test_once_the_clerk_edits_the_text_it_is_kept_and_never_rewritten(db) -> None:
    bench = Workbench(db)
    with db.transaction() as s:
        _, m = _two_meetings(s)
        walsh = C.get_or_create_person(s, "Michael Walsh")
        MI.set_attendance(s, m, walsh, AttendanceStatus.APOLOGIES)
        item_id, meeting_id = _item(m, ItemKind.APOLOGIES).id, m.id
    minute = bench.read(lambda s: Q.item_minute(s, item_id))
    assert minute is not None and minute.generated
    assert _texts(minute.blocks) == ["Apologies for absence were received from Councillor Michael Walsh."]
    # The clerk edits what the editor shows.
    edited = (
        B.paragraph("Apologies for absence were received from Councillor Walsh (on council business)."),
    )
    bench.run(OM.SaveMinutesText(item_id, edited, minute.version))
    with db.transaction() as s:
        MI.set_attendance(
            s,
            s.get(Meeting, meeting_id),
            C.get_or_create_person(s, "Sadia Ahmed"),
            AttendanceStatus.APOLOGIES,
        )
    minute = bench.read(lambda s: Q.item_minute(s, item_id))
    assert minute is not None and not minute.generated and minute.blocks == edited
    with db.transaction() as s:
        record = _record_item(s, s.get(Meeting, meeting_id), ItemKind.APOLOGIES)
        assert not record.generated and record.blocks == edited


def test_the_editor_shows_the_proposed_resolution_and_generated_text(db) -> None:
    bench = Workbench(db)
    with db.transaction() as s:
        _, m = _two_meetings(s)
        previous_id = _item(m, ItemKind.PREVIOUS_MINUTES).id
        declarations_id = _item(m, ItemKind.DECLARATIONS).id
    previous = bench.read(lambda s: Q.item_minute(s, previous_id))
    assert previous is not None and previous.proposed_resolution.startswith(
        "RESOLVED - That the minutes of the meeting held on 12 March 2026"
    )
    declarations = bench.read(lambda s: Q.item_minute(s, declarations_id))
    assert declarations is not None and declarations.generated
    assert _texts(declarations.blocks) == ["There were no declarations of interest."]


def test_approved_at_names_the_meeting_that_approved_the_minutes(db) -> None:
    with db.transaction() as s:
        first, second = _two_meetings(s)
        assert build_meeting_record(s, first.id, Audience.PUBLIC).approved_at == ""
        M.approve_minutes(s, first, APRIL)
        record = build_meeting_record(s, first.id, Audience.PUBLIC)
        assert record.approved_at == "the meeting of the Cabinet held on 16 April 2026"
        assert build_meeting_record(s, second.id, Audience.PUBLIC).previous_meeting_on == MARCH
        M.reopen_minutes(s, first, "A date was wrong")
        M.approve_minutes(s, first, dt.date(2026, 4, 20))  # no meeting that day
        assert build_meeting_record(s, first.id, Audience.PUBLIC).approved_at == ""


def test_long_date_has_no_weekday() -> None:
    assert SI.long_date(dt.date(2026, 3, 2)) == "2 March 2026"
