"""Two windows on one SQLite file, as two clerks on a shared database: a stale save shows both versions side by
side and loses neither, and each window shows the other's changes within two seconds, with no server."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from paperprep.db import open_database
from paperprep.ops import Workbench
from paperprep.ops.agenda import AddItem, EditItem
from paperprep.ops.meetings import CreateMeeting

A_TEXT = "Members noted the report on school places, from the clerk at County Hall."
B_TEXT = "The Committee asked for the sufficiency figures by ward, typed in the committee room."


def _meeting_with_item(path: Path, committee_id: int) -> tuple[int, int]:
    db = open_database(path)
    try:
        bench = Workbench(db, user="setup")
        meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 6, 10))).result
        item = bench.run(AddItem(meeting, "School place planning")).result
    finally:
        db.close()
    return meeting, item


def _stored(path: Path, item_id: int) -> tuple[str, str]:
    """(title, minute as plain text) of the item, read by a connection of the test's own."""
    with sqlite3.connect(path) as conn:
        title, text = conn.execute(
            "SELECT title, minutes_text FROM agenda_items WHERE id = ?", (item_id,)
        ).fetchone()
    return str(title), str(text or "")


def _on_screen(window: Any) -> str:
    return str(window.workspace.minutes.editor.toPlainText())


@pytest.mark.parametrize("choice", ["mine", "theirs", "merge"])
def test_a_stale_save_on_a_file_shows_both_versions_and_each_window_sees_the_other(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    from PySide6.QtGui import QGuiApplication

    from paperprep.ui import team

    path, committee_id = committee_db
    meeting, item = _meeting_with_item(path, committee_id)
    first, second = open_window(path), open_window(path)  # two Stores, two Database objects, one file
    assert first.db is not second.db
    for window in (first, second):  # both load the same item
        window.select_meeting(meeting)
        window.workspace.open_minutes(item)
        assert window.workspace.minutes.item_id == item

    shown: list[team.Conflict] = []

    def answer(_parent: Any, conflict: team.Conflict) -> team.Resolution:
        shown.append(conflict)
        chosen = team.Choice(choice)
        if chosen is team.Choice.MERGE:
            return team.Resolution(chosen, team.merged_start(conflict))
        return team.Resolution(chosen, conflict.theirs if chosen is team.Choice.THEIRS else conflict.mine)

    monkeypatch.setattr(team, "ask_conflict", answer)
    QGuiApplication.clipboard().setText("")

    # B types; before B's typing is saved, A types and saves.
    second.workspace.minutes.editor.insertPlainText(B_TEXT)
    first.workspace.minutes.editor.insertPlainText(A_TEXT)
    assert first.store.autosaver.flush() is True
    assert _stored(path, item)[1] == A_TEXT

    # B's save states the version B read: refused as a conflict, shown side by side, then resolved.
    assert second.store.autosaver.flush() is True
    assert len(shown) == 1
    assert team.clipboard_text(shown[0].theirs) == A_TEXT
    assert B_TEXT in team.clipboard_text(shown[0].mine)
    assert second.store.autosaver.unsaved is False

    stored = _stored(path, item)[1]
    kept = stored + "\n" + QGuiApplication.clipboard().text()
    assert B_TEXT in kept  # B's words: saved, or on the clipboard to paste
    if choice == "mine":
        assert B_TEXT in stored and A_TEXT not in stored  # B chose so, having seen A's text
    elif choice == "theirs":
        assert stored == A_TEXT == _on_screen(second)
        assert B_TEXT in QGuiApplication.clipboard().text()
    else:
        assert A_TEXT in stored and B_TEXT in stored
    assert _on_screen(second) == stored

    # A's window learns of B's save without a server: within two seconds it shows the minute as stored.
    qtbot.waitUntil(lambda: _on_screen(first) == stored, timeout=2000)

    # And B's window shows A's next change, an agenda title, within two seconds.
    started = time.monotonic()
    assert first.store.run(EditItem(item, "title", "School place planning 2026-2030")) is not None
    qtbot.waitUntil(
        lambda: [r.title for r in second.workspace.agenda.model.rows] == ["School place planning 2026-2030"],
        timeout=2000,
    )
    assert time.monotonic() - started < 2.0
    assert _stored(path, item)[0] == "School place planning 2026-2030"


def test_a_window_does_not_take_its_own_saves_for_another_windows(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window
) -> None:
    from paperprep.ui import team

    path, committee_id = committee_db
    meeting, item = _meeting_with_item(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting)
    heard: list[Any] = []
    window.store.changed.connect(heard.append)

    assert window.store.run(EditItem(item, "title", "Pupil place planning")) is not None
    assert window.store.file_link is not None
    assert window.store.file_link.poll() is False  # its own commit: nothing to reload
    qtbot.wait(1300)  # longer than the poll's interval
    assert [c.label for c in heard if c.origin == team.ELSEWHERE] == []

    # A commit by another program on the same file is heard, by the same road as the window's own changes.
    db = open_database(path)
    try:
        Workbench(db, user="cli").run(EditItem(item, "title", "Pupil place planning 2026"))
    finally:
        db.close()
    qtbot.waitUntil(lambda: any(c.origin == team.ELSEWHERE and c.everything for c in heard), timeout=2000)
    assert [r.title for r in window.workspace.agenda.model.rows] == ["Pupil place planning 2026"]
