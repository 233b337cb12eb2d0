"""Hostile text: whatever a clerk pastes is stored, cleaned one documented way, by every operation."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperprep import blocks as B
from paperprep.cleaning import clean, clean_text
from paperprep.db import open_database
from paperprep.ops import Workbench
from paperprep.ops.agenda import AddItem
from paperprep.ops.meetings import CreateCommittee, CreateMeeting
from paperprep.ops.minutes import SaveMinutesText

ANY_TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_cleaned_text_is_storable_and_keeps_what_is_printable(text: str) -> None:
    cleaned = clean_text(text)
    cleaned.encode("utf-8")  # no lone surrogate left
    assert not any(ord(c) < 0x20 and c not in "\t\n\r" for c in cleaned)
    assert not any(0x7F <= ord(c) <= 0x9F for c in cleaned)
    kept = [c for c in text if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF]
    assert all(c in cleaned for c in kept)
    assert clean_text(cleaned) == cleaned


def test_the_documented_rules() -> None:
    assert clean_text("Budget \ud800report") == "Budget \ufffdreport"
    assert clean_text("line\x0bbreak\x0cpage") == "line\nbreak\npage"
    assert clean_text("\x01=1+1\x7f\x85") == "=1+1"
    assert clean_text("Croeso i'r Cyngor \U0001f600\tok\n") == "Croeso i'r Cyngor \U0001f600\tok\n"
    block = B.paragraph("a\x00b")
    assert clean((block, ["x\ud83d"], {"k": "\x02v"})) == (B.paragraph("ab"), ["x\ufffd"], {"k": "v"})


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=ANY_TEXT.filter(lambda t: clean_text(t).strip()), body=ANY_TEXT)
def test_every_operation_stores_hostile_text_cleaned(tmp_path: Path, title: str, body: str) -> None:
    path = tmp_path / "hostile.sqlite"
    path.unlink(missing_ok=True)
    db = open_database(path, daily_backup=False)
    try:
        bench = Workbench(db)
        committee = bench.run(CreateCommittee("Audit Committee", "AUD")).result
        meeting = bench.run(CreateMeeting(committee, dt.date(2026, 6, 10))).result
        item = bench.run(AddItem(meeting, title)).result
        bench.run(SaveMinutesText(item, (B.paragraph(body),)))
    finally:
        db.close()
    with sqlite3.connect(path) as conn:
        stored_title, stored_text = conn.execute(
            "SELECT title, minutes_text FROM agenda_items WHERE id = ?", (item,)
        ).fetchone()
    assert stored_title == " ".join(clean_text(title).split())
    assert clean_text(stored_text) == stored_text
