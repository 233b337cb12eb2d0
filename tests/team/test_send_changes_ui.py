"""File > Send my changes in the real main window, on an offline copy of a real PostgreSQL database: the minutes
typed offline reach the server, a minute changed on both sides is listed and compared side by side, the clerk's
choice (merge, or keep mine) lands on both sides, and a second send sends nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QLabel
from sqlalchemy import text

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.db.offline import make_offline_copy
from paperprep.ops import Workbench
from paperprep.ops.agenda import AddItem
from paperprep.ops.minutes import SaveMinutesText
from ui_support import window_opener

from .conftest import Shared

OFFLINE_TEXT = "Typed on the train: members asked for ward figures."
OTHER_TEXT = "Noted offline: no one else touched this one."
SERVER_TEXT = "Typed at County Hall: the Chair thanked officers for the report."


class _NoKeyring(KeyringBackend):
    """A keyring holding no password, as on a server that asks for none (the test cluster trusts its loopback)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("no password should be kept")

    def delete_password(self, service: str, username: str) -> None:
        return None


@dataclass(frozen=True)
class Trip:
    """The shared database with two items in one meeting, and an offline copy of it."""

    url: str
    copy: Path
    meeting_id: int
    conflicted: int
    other: int


@pytest.fixture
def trip(shared: Shared, tmp_path: Path) -> Iterator[Trip]:
    db = open_database(shared.url, daily_backup=False)
    try:
        other = Workbench(db, user="setup").run(AddItem(shared.meeting_id, "Home to school transport")).result
    finally:
        db.close()
    copy = tmp_path / "away.sqlite"
    make_offline_copy(shared.url, copy)
    before = keyring.get_keyring()
    keyring.set_keyring(_NoKeyring())
    yield Trip(shared.url, copy, shared.meeting_id, shared.item_id, other)
    keyring.set_keyring(before)


@pytest.fixture
def window_on_copy(qtbot: Any, answers: Any, trip: Trip) -> Iterator[Callable[[], Any]]:
    with window_opener(qtbot, lambda: open_database(trip.copy)) as opener:
        yield opener


def _minute(location: Any, item_id: int) -> str:
    db = open_database(location, daily_backup=False)
    try:
        with db.transaction() as s:
            body = s.execute(
                text("SELECT minutes_body FROM agenda_items WHERE id = :i"), {"i": item_id}
            ).scalar()
    finally:
        db.close()
    return B.to_plain_text(B.loads(body))


def _type_minute(qtbot: Any, window: Any, trip: Trip, item_id: int, words: str) -> None:
    window.select_meeting(trip.meeting_id)
    window.workspace.open_minutes(item_id)
    editor = window.workspace.minutes.editor
    assert window.workspace.minutes.item_id == item_id
    qtbot.keyClicks(editor, words)


def _send(qtbot: Any, window: Any) -> Any:
    """File > Send my changes, and the send's end (the status bar says what was sent)."""
    sending = window.databases.sending
    file_menu = window.action_collection.menus["fileMenu"]
    assert window.act_send_changes in file_menu.actions() and window.act_send_changes.isEnabled()
    window.act_send_changes.trigger()
    qtbot.waitUntil(lambda: not sending.running, timeout=15000)
    return sending


def _edit_on_server(trip: Trip) -> None:
    db = open_database(trip.url, daily_backup=False)
    try:
        Workbench(db, user="clerk at the office").run(
            SaveMinutesText(trip.conflicted, (B.paragraph(SERVER_TEXT),))
        )
    finally:
        db.close()


@pytest.mark.parametrize("choice", ["merge", "keep mine"])
def test_a_minute_changed_on_both_sides_is_compared_and_settled_as_the_clerk_chooses(
    qtbot: Any, trip: Trip, window_on_copy: Any, answers: Any, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    from paperprep.ui import team

    window = window_on_copy()
    _type_minute(qtbot, window, trip, trip.conflicted, OFFLINE_TEXT)
    _type_minute(qtbot, window, trip, trip.other, OTHER_TEXT)
    _edit_on_server(trip)

    compared: list[tuple[str, str]] = []
    wording: list[tuple[str, str]] = []

    def merge_in_the_real_dialog(parent: Any, conflict: team.Conflict) -> team.Resolution | None:
        dialog = team.ConflictDialog(parent, conflict)
        compared.append((dialog.mine.toPlainText(), dialog.theirs.toPlainText()))
        wording.append(
            (
                dialog.findChild(QLabel, "conflictIntro").text(),
                dialog.findChild(QLabel, "theirsHeading").text(),
            )
        )
        dialog.save_merged.click()  # the merged text starts with both versions
        return dialog.resolution

    monkeypatch.setattr(team, "ask_conflict", merge_in_the_real_dialog)

    sending = _send(qtbot, window)
    dialog = sending.dialog
    assert dialog is not None and dialog.isVisible()
    assert "1 change sent" in window.statusBar().currentMessage()
    # The list: the record as the clerk knows it, what differs, and both texts.
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(4)]
    assert "School place planning" in cells[0] and "Children & Learning Scrutiny" in cells[0]
    assert cells[1] == "minutes"
    assert OFFLINE_TEXT in cells[2] and SERVER_TEXT in cells[3]
    # The unconflicted minute went; the conflicted one did not, and the copy keeps what was typed.
    assert _minute(trip.url, trip.other) == OTHER_TEXT
    assert _minute(trip.url, trip.conflicted) == SERVER_TEXT
    assert _minute(trip.copy, trip.conflicted) == OFFLINE_TEXT

    if choice == "merge":
        dialog.compare_button.click()
        assert compared == [(OFFLINE_TEXT, SERVER_TEXT)]
        # It says what happened: the shared database's record changed since the copy, not "saved after you opened
        # it".
        ((intro, heading),) = wording
        assert intro.startswith(
            "The shared database's copy of the minutes of item \"School place planning\" of the Children & "
            "Learning Scrutiny meeting of 10/06/2026 was changed after you made your offline copy, so yours was "
            "not sent. Both are below."
        )
        assert "after you opened it" not in intro and heading == "On the shared database"
        expected = f"{OFFLINE_TEXT}\n{SERVER_TEXT}"
    else:
        dialog.keep_mine.click()
        assert compared == []
        expected = OFFLINE_TEXT
    qtbot.waitUntil(lambda: sending.dialog is None, timeout=5000)
    assert _minute(trip.url, trip.conflicted) == expected
    assert _minute(trip.copy, trip.conflicted) == expected
    window.workspace.open_minutes(trip.conflicted)
    assert B.to_plain_text(window.workspace.minutes.editor.blocks()) == expected  # the window shows it too
    assert "settled" in window.statusBar().currentMessage()

    # A second send sends nothing and lists nothing.
    sending = _send(qtbot, window)
    assert sending.dialog is None and sending.last_result is not None
    assert (sending.last_result.applied, sending.last_result.conflicts) == (0, [])
    assert "0 changes sent" in window.statusBar().currentMessage()
    assert answers["_errors"] == []


def test_changes_without_conflict_are_sent_and_the_copy_remembers_them(
    qtbot: Any, trip: Trip, window_on_copy: Any, answers: Any
) -> None:
    window = window_on_copy()
    _type_minute(qtbot, window, trip, trip.other, OTHER_TEXT)
    sending = _send(qtbot, window)  # the typing, half a second old at most, is saved first
    assert sending.dialog is None
    assert window.statusBar().currentMessage() == "1 change sent"
    assert _minute(trip.url, trip.other) == OTHER_TEXT
    assert window.act_send_changes.isEnabled()
    _send(qtbot, window)
    assert window.statusBar().currentMessage() == "0 changes sent"
    assert answers["_errors"] == []


def test_the_side_by_side_dialog_keeps_its_own_wording_for_a_stale_save(qtbot: Any) -> None:
    from paperprep.ui import team
    from paperprep.ui.application import make_application

    make_application()
    dialog = team.ConflictDialog(None, team.Conflict("the minute of 'Budget'", "mine", "theirs", who="Sam Patel"))
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "conflictIntro").text().startswith(
        "Sam Patel saved the minute of 'Budget' after you opened it, so your version was not saved over theirs."
    )
    assert dialog.findChild(QLabel, "theirsHeading").text() == "Now saved, by Sam Patel"


def test_send_my_changes_is_offered_only_on_an_offline_copy(window_on_file: Any) -> None:
    window = window_on_file()
    assert not window.act_send_changes.isEnabled()
    assert "offline copy" in window.act_send_changes.statusTip()
