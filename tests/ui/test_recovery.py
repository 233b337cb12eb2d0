"""Saving that cannot lie, driven in the real main window: a save that fails (another program holds the database
locked) keeps the text on screen and shows it as unsaved; closing then asks (try again, recovery file, cancel);
and the next start on the same database offers the recovery file back, through the normal operations."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction, QGuiApplication

from paperprep import blocks as B
from paperprep import recovery as R
from paperprep.db import open_database
from paperprep.ops import Workbench
from paperprep.ops.agenda import AddItem, EditItem
from paperprep.ops.meetings import CreateMeeting
from paperprep.ops.minutes import SaveMinutesText
from paperprep.queries import meeting as Q

TEXT = "The committee noted the report and thanked officers for the clear summary."


class Lock:
    """Another program holding the database's write lock (a second connection inside BEGIN EXCLUSIVE)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=0)

    def hold(self) -> None:
        self.conn.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.release()
        self.conn.close()


@pytest.fixture
def lock(committee_db: tuple[Path, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[Lock]:
    """The lock, with the app's busy timeout made short so that a locked save fails in a tenth of a second."""
    from paperprep.db import engine

    original = engine._set_pragmas

    def pragmas(conn: sqlite3.Connection, record: Any) -> None:
        original(conn, record)
        conn.execute("PRAGMA busy_timeout = 100")

    monkeypatch.setattr(engine, "_set_pragmas", pragmas)
    held = Lock(committee_db[0])
    yield held
    held.close()


@pytest.fixture
def choices(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[Any]]]:
    """Answers for the two recovery questions; an unexpected question fails the test. The offers are kept.

    A test that failed half-way leaves its window with unsaved text: closing it afterwards keeps it in a file."""
    from paperprep.ui import recovery

    queued: dict[str, list[Any]] = {"unsaved": [], "recovery": [], "offered": []}
    finished = []

    def ask_unsaved(_parent: object, reason: str, fields: int) -> str:
        if finished and not queued["unsaved"]:
            return "recover"
        if not queued["unsaved"]:
            raise AssertionError("unexpected question: ask_unsaved")
        answer = queued["unsaved"].pop(0)
        return answer() if callable(answer) else answer

    def ask_recovery(_parent: object, rows: list[Any]) -> str:
        if not queued["recovery"]:
            raise AssertionError("unexpected question: ask_recovery")
        queued["offered"].append(rows)
        return queued["recovery"].pop(0)

    monkeypatch.setattr(recovery, "ask_unsaved", ask_unsaved)
    monkeypatch.setattr(recovery, "ask_recovery", ask_recovery)
    yield queued
    finished.append(True)


def _meeting_and_item(path: Path, committee_id: int, title: str = "Youth service review") -> tuple[int, int]:
    db = open_database(path)
    bench = Workbench(db)
    meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 6, 10))).result
    item = bench.run(AddItem(meeting, title)).result
    db.close()
    return meeting, item


def _minute(path: Path, item: int) -> Any:
    db = open_database(path, daily_backup=False)
    try:
        return Workbench(db).read(lambda s: Q.item_minute(s, item))
    finally:
        db.close()


def _type_and_fail(qtbot: Any, window: Any, meeting: int, item: int, lock: Lock, text: str = TEXT) -> None:
    window.select_meeting(meeting)
    window.workspace.open_minutes(item)
    lock.hold()
    qtbot.keyClicks(window.workspace.minutes.editor, text)
    qtbot.waitUntil(
        lambda: window.save_label.text().startswith("Not saved"), timeout=5000
    )  # the autosave failed


def _action(window: Any, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert action is not None
    return action


def test_a_locked_database_keeps_the_text_and_the_recovery_file_brings_it_back(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, answers, lock, choices
) -> None:
    path, committee_id = committee_db
    meeting, item = _meeting_and_item(path, committee_id)
    window = open_window(path)
    _type_and_fail(qtbot, window, meeting, item, lock)

    # The failed save is shown as such, with why (the sentence the clerk was shown); the text stays on screen.
    (error,) = answers["_errors"]
    assert "database" in error
    assert window.save_label.text() == f"Not saved: {error}"
    assert window.workspace.minutes.editor.toPlainText() == TEXT
    assert window.store.autosaver.unsaved

    # Cancel keeps the window, and the text.
    choices["unsaved"] = ["cancel"]
    window.close()
    assert window.isVisible()
    assert window.workspace.minutes.editor.toPlainText() == TEXT

    # Save to a recovery file: the window closes, and the text is in a private file beside the database.
    choices["unsaved"] = ["recover"]
    window.close()
    assert not window.isVisible()
    file = R.file_for(path)
    assert file.parent == path.parent / "paperprep-recovery"
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(file.parent).st_mode) == 0o700
    (entry,) = json.loads(file.read_text(encoding="utf-8"))["entries"]
    assert entry["operation"] == "SaveMinutesText" and entry["field"] == "Minutes text"
    assert entry["text"] == TEXT and entry["item"] == "Youth service review"
    assert entry["fields"]["item_id"] == item
    assert dt.datetime.fromisoformat(entry["typed_at"]).date() == dt.date.today()

    lock.release()
    assert _minute(path, item).blocks == ()  # nothing reached the database

    # The next start on the same database offers it; Restore puts it back through the operations.
    choices["recovery"] = ["restore"]
    second = open_window(path)
    qtbot.waitUntil(lambda: bool(choices["offered"]), timeout=5000)
    (row,) = choices["offered"][0]
    assert (row.item, row.field) == ("Youth service review", "Minutes text")
    assert row.first_words == "The committee noted the report and thanked officers\u2026"
    assert row.when.startswith(dt.date.today().strftime("%d/%m/%Y"))
    assert B.to_plain_text(_minute(path, item).blocks) == TEXT
    assert not file.exists()  # everything in it was restored

    # It is one undoable step of the meeting's history.
    second.select_meeting(meeting)
    undo = _action(second, "undo")
    assert undo.isEnabled() and "Typing in the minutes" in undo.text()
    undo.trigger()
    assert _minute(path, item).blocks == ()


def test_try_again_after_the_lock_is_released_saves_and_closes(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, answers, lock, choices
) -> None:
    path, committee_id = committee_db
    meeting, item = _meeting_and_item(path, committee_id)
    window = open_window(path)
    _type_and_fail(qtbot, window, meeting, item, lock)

    # Try again while still locked: it fails, and the question comes back; then the other program lets go.
    def release_then_retry() -> str:
        lock.release()
        return "retry"

    choices["unsaved"] = ["retry", release_then_retry]
    window.close()
    assert not window.isVisible()
    assert choices["unsaved"] == []  # asked twice: the first retry failed
    assert B.to_plain_text(_minute(path, item).blocks) == TEXT
    assert not R.file_for(path).exists()


def _keep(path: Path, *ops: Any, typed_at: dt.datetime | None = None) -> None:
    when = typed_at or dt.datetime(2026, 6, 10, 19, 5)
    R.add(
        path,
        [
            R.Entry(type(op).__name__, R.encode(op), "", "", field, text, when, key)
            for op, field, text, key in ops
        ],
    )


def test_keep_for_later_keeps_the_file_and_discard_removes_it(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, answers, choices
) -> None:
    path, committee_id = committee_db
    _meeting, item = _meeting_and_item(path, committee_id)
    version = _minute(path, item).version
    op = SaveMinutesText(item, (B.paragraph("Kept for later."),), version)
    _keep(path, (op, "Minutes text", "Kept for later.", f"body:{item}"))

    choices["recovery"] = ["keep"]
    open_window(path)
    qtbot.waitUntil(lambda: len(choices["offered"]) == 1, timeout=5000)
    (row,) = choices["offered"][0]
    assert row.item == "Youth service review" and row.when == "10/06/2026 19:05"  # read from the database
    assert R.file_for(path).exists()
    assert _minute(path, item).blocks == ()

    choices["recovery"] = ["discard"]
    open_window(path)
    qtbot.waitUntil(lambda: len(choices["offered"]) == 2, timeout=5000)
    assert not R.file_for(path).exists()
    assert _minute(path, item).blocks == ()


def test_a_field_changed_since_keeps_both_texts(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, answers, choices, monkeypatch
) -> None:
    path, committee_id = committee_db
    _meeting, item = _meeting_and_item(path, committee_id)
    version = _minute(path, item).version
    recovered_minute = SaveMinutesText(item, (B.paragraph("Members asked about waiting lists."),), version)
    recovered_title = EditItem(item, "title", "Youth service review 2026", version)
    _keep(
        path,
        (recovered_minute, "Minutes text", "Members asked about waiting lists.", f"body:{item}"),
        (recovered_title, "Title", "Youth service review 2026", f"item:{item}:title"),
    )
    # Since then, another window saved other text in both fields.
    db = open_database(path, daily_backup=False)
    bench = Workbench(db)
    saved = bench.run(SaveMinutesText(item, (B.paragraph("The report was noted."),), version)).result
    bench.run(EditItem(item, "title", "Youth services", saved))
    db.close()

    from paperprep.ui import dialogs

    choices["recovery"] = ["restore"]
    infos: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, _t, text: infos.append(text))
    open_window(path)
    qtbot.waitUntil(lambda: bool(infos), timeout=5000)

    # The minute holds both: the text saved since, then a note, then the recovered text.
    texts = [b.text for b in _minute(path, item).blocks]
    assert texts[0] == "The report was noted." and texts[-1] == "Members asked about waiting lists."
    assert texts[1].startswith("Recovered text, typed on 10/06/2026 at 19:05")
    # A title cannot hold two texts: the one saved since stays, and the recovered one is kept and copied.
    db = open_database(path, daily_backup=False)
    assert Workbench(db).read(lambda s: Q.item_details(s, item)).title == "Youth services"  # type: ignore[union-attr]
    db.close()
    (kept,) = R.read(path)
    assert kept.field == "Title" and kept.text == "Youth service review 2026"
    assert "Youth service review 2026" in QGuiApplication.clipboard().text()
    assert "Restored 1 of 2" in infos[0] and "changed since" in infos[0].lower()


def test_a_damaged_recovery_file_is_reported_and_kept(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, answers, choices
) -> None:
    path, _committee_id = committee_db
    file = R.file_for(path)
    file.parent.mkdir()
    file.write_text('{"entries": [{"operation": ', encoding="utf-8")
    open_window(path)
    qtbot.waitUntil(lambda: bool(answers["_errors"]), timeout=5000)
    (error,) = answers["_errors"]
    assert "recovery file" in error and "damaged" in error and "kept" in error
    assert choices["offered"] == []
    assert file.read_text(encoding="utf-8") == '{"entries": [{"operation": '
