"""One change pipeline, driven in the real main window: undo stays with the meeting on screen, every window shows
the last committed change, nothing can be typed with nothing selected, and a paste is one undo step."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from paperprep.db import open_database
from paperprep.domain import ActionStatus, ItemKind
from paperprep.ops import Workbench
from paperprep.ops.actions import AddAction
from paperprep.ops.agenda import AddItem
from paperprep.ops.meetings import CreateMeeting
from paperprep.ui.models import ActionsModel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "minutes"


def _meetings(path: Path, committee_id: int, *days: dt.date) -> list[int]:
    db = open_database(path)
    bench = Workbench(db)
    ids = [bench.run(CreateMeeting(committee_id, day)).result for day in days]
    db.close()
    return ids


def _items(path: Path, meeting_id: int) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT id, title FROM agenda_items WHERE meeting_id = ? ORDER BY position", (meeting_id,)
        ).fetchall()


def _action(window, name: str) -> QAction:  # type: ignore[no-untyped-def]
    action = window.findChild(QAction, name)
    assert action is not None
    return action


def test_undo_acts_only_on_the_meeting_on_screen(qtbot, committee_db, open_window) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    first, second = _meetings(path, committee_id, dt.date(2026, 6, 10), dt.date(2026, 7, 8))
    window = open_window(path)
    undo, redo = _action(window, "undo"), _action(window, "redo")

    window.select_meeting(first)
    window.workspace.agenda.add_item(ItemKind.REPORT, title="School place planning")
    added = _items(path, first)
    assert [t for _i, t in added] == ["School place planning"]
    assert undo.isEnabled() and "Add item" in undo.text()

    # Another meeting on screen: its history is empty, and Ctrl+Z must not reach into the first meeting.
    window.select_meeting(second)
    assert window.workspace.meeting_id == second
    assert not undo.isEnabled()
    window.workspace.agenda.table.setFocus()
    qtbot.keyClick(window.workspace.agenda.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undo.trigger()
    assert _items(path, first) == added

    # Back on the first meeting, undo and redo act there, and redo brings back the same item, title and all.
    window.select_meeting(first)
    assert undo.isEnabled()
    undo.trigger()
    assert _items(path, first) == []
    assert window.workspace.agenda.model.rowCount() == 0
    window.select_meeting(second)
    assert not redo.isEnabled()
    window.select_meeting(first)
    redo.trigger()
    assert _items(path, first) == added
    assert [r.title for r in window.workspace.agenda.model.rows] == ["School place planning"]


def test_an_action_status_shows_at_once_in_every_window(qtbot, committee_db, open_window) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    (meeting,) = _meetings(path, committee_id, dt.date(2026, 6, 10))
    db = open_database(path)
    bench = Workbench(db)
    item = bench.run(AddItem(meeting, "Children's centres review")).result
    action = bench.run(AddAction(item, "Report back on usage figures", "Head of Early Help")).result
    db.close()
    window = open_window(path)
    window.select_meeting(meeting)
    panel = window.workspace.actions_panel
    assert [r.status for r in panel.own.rows] == [ActionStatus.OPEN]
    window.open_action_log()
    log = window.action_log_window
    log.status.setCurrentIndex(log.status.findData("all"))  # done actions stay in the list
    with qtbot.waitSignal(log.loaded):
        log.status.activated.emit(log.status.currentIndex())
    assert log.model.row_of(action) >= 0

    # Changed in the Action log window: the meeting's Actions tab shows it at once, with no reload asked for.
    row = log.model.row_of(action)
    with qtbot.waitSignal(log.actionsChanged):  # the model hands the edit on once the editor has closed
        log.model.setData(log.model.index(row, ActionsModel.STATUS_COLUMN), ActionStatus.IN_PROGRESS.value)
    assert [r.status for r in panel.own.rows] == [ActionStatus.IN_PROGRESS]
    window.workspace.minutes.show_item(item)
    assert window.workspace.minutes.item_actions.rows[0].status is ActionStatus.IN_PROGRESS

    # Changed on the Actions tab: the Action log window follows.
    with qtbot.waitSignal(window.store.changed):
        panel.own.setData(panel.own.index(0, ActionsModel.STATUS_COLUMN), ActionStatus.DONE.value)
    qtbot.waitUntil(lambda: log.model.rows[log.model.row_of(action)].status is ActionStatus.DONE)

    # Both edits are steps of the meeting's one history, whichever window made them.
    undo = _action(window, "undo")
    assert "Done" in undo.text()
    undo.trigger()
    assert [r.status for r in panel.own.rows] == [ActionStatus.IN_PROGRESS]
    qtbot.waitUntil(lambda: log.model.rows[log.model.row_of(action)].status is ActionStatus.IN_PROGRESS)


def test_nothing_can_be_typed_with_nothing_selected(qtbot, committee_db, open_window) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    (meeting,) = _meetings(path, committee_id, dt.date(2026, 6, 10))
    window = open_window(path)
    window.select_meeting(meeting)
    minutes, agenda = window.workspace.minutes, window.workspace.agenda
    window.workspace.tabs.setCurrentWidget(minutes)
    assert minutes.item_id is None
    assert not minutes.editor.isEnabled()
    assert not agenda.title.isEnabled() and not agenda.purpose.isEnabled()
    qtbot.keyClicks(minutes.editor, "Lost words")
    qtbot.keyClicks(agenda.title, "Lost title")
    window.store.autosaver.flush()
    assert minutes.editor.toPlainText() == ""
    assert window.findChild(type(window.save_label), "saveState").text() == "All changes saved"

    # With an item, the editor is live and what is typed is committed before "All changes saved" shows.
    agenda.add_item(ItemKind.REPORT, title="Libraries strategy")
    window.workspace.open_minutes(agenda.selected_id())
    assert minutes.editor.isEnabled()
    qtbot.keyClicks(minutes.editor, "The Committee considered the strategy.")
    qtbot.waitUntil(lambda: window.save_label.text() == "All changes saved", timeout=5000)
    with sqlite3.connect(path) as conn:
        (text,) = conn.execute("SELECT minutes_text FROM agenda_items WHERE meeting_id = ?", (meeting,)).fetchone()
    assert text == "The Committee considered the strategy."


def test_a_paste_is_one_undo_step(qtbot, committee_db, open_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from paperprep.imports.pasted import parse_minutes_text as parse_minutes
    from paperprep.ui import paste_dialog

    path, committee_id = committee_db
    (meeting,) = _meetings(path, committee_id, dt.date(2026, 6, 10))
    text = sorted(FIXTURES.glob("*.txt"))[0].read_text(encoding="utf-8")
    parsed = parse_minutes(text)
    monkeypatch.setattr(paste_dialog, "ask_pasted_minutes", lambda _parent: parsed)
    window = open_window(path)
    window.select_meeting(meeting)
    _action(window, "pasteMinutes").trigger()
    pasted = _items(path, meeting)
    assert len(pasted) == 1
    with sqlite3.connect(path) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM resolutions), (SELECT count(*) FROM inspection_summaries)"
        ).fetchone()
    undo = _action(window, "undo")
    assert undo.text().startswith("Undo Paste minutes")
    undo.trigger()
    assert _items(path, meeting) == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM resolutions").fetchone() == (0,)
    assert not undo.isEnabled()
    _action(window, "redo").trigger()
    assert _items(path, meeting) == pasted
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute(
                "SELECT (SELECT count(*) FROM resolutions), (SELECT count(*) FROM inspection_summaries)"
            ).fetchone()
            == counts
        )


def test_approval_cannot_be_undone_and_the_edit_menu_says_so(qtbot, committee_db, open_window, answers) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    (meeting,) = _meetings(path, committee_id, dt.date(2026, 6, 10))
    window = open_window(path)
    window.select_meeting(meeting)
    window.workspace.agenda.add_item(ItemKind.REPORT, title="Budget monitoring")
    answers["confirm"] = [True]
    window.approve_minutes()
    undo = _action(window, "undo")
    assert not undo.isEnabled()
    assert undo.text() == "Can't undo \u201cApprove minutes\u201d"
    assert _items(path, meeting) != []


def test_two_windows_on_one_file_report_a_conflict_and_keep_both_texts(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, answers, monkeypatch
) -> None:
    from paperprep.ui import team

    shown: list[object] = []
    monkeypatch.setattr(team, "ask_conflict", lambda _p, conflict: shown.append(conflict))  # closed unanswered
    path, committee_id = committee_db
    (meeting,) = _meetings(path, committee_id, dt.date(2026, 6, 10))
    db = open_database(path)
    item = Workbench(db).run(AddItem(meeting, "Library opening hours")).result
    db.close()
    first, second = open_window(path), open_window(path)
    for window in (first, second):
        window.select_meeting(meeting)
        window.workspace.open_minutes(item)
        assert window.workspace.minutes.editor.isEnabled()

    qtbot.keyClicks(first.workspace.minutes.editor, "The first clerk's account.")
    assert first.store.autosaver.flush()
    qtbot.keyClicks(second.workspace.minutes.editor, "The second clerk's account.")
    assert not second.store.autosaver.flush()

    assert len(shown) == 1 and answers["_errors"] == []
    assert "changed elsewhere" in second.store.autosaver.reason
    assert second.workspace.minutes.editor.toPlainText() == "The second clerk's account."
    assert second.save_label.text().startswith("Not saved")
    with sqlite3.connect(path) as conn:
        (saved,) = conn.execute("SELECT minutes_text FROM agenda_items WHERE id = ?", (item,)).fetchone()
    assert saved == "The first clerk's account."

    # Closing with typing not saved asks first; Cancel keeps the window open and the text.
    answers["ask_unsaved"] = ["cancel"]
    second.close()
    assert second.isVisible()
    assert second.workspace.minutes.editor.toPlainText() == "The second clerk's account."
    answers["ask_unsaved"] = ["recover"]
    second.close()
    assert not second.isVisible()
