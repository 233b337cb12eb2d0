"""Team mode in the desktop app, against a real PostgreSQL cluster: another clerk's change reaches an open window
within two seconds, a stale save shows both versions and loses neither, presence, undo that never undoes another
clerk's work, a read-only account, the audit's database user, and notices that always fit the server's limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from paperprep import blocks as B
from paperprep.db import notify, open_database
from paperprep.domain import MeetingStatus
from paperprep.errors import ConflictError
from paperprep.ops import Workbench
from paperprep.ops.agenda import EditItem
from paperprep.ops.changes import Changes, Kind, Origin, from_notice, to_notice
from paperprep.ops.meetings import ApproveMinutes, SetMeetingStatus
from paperprep.ops.minutes import SaveMinutesText
from ui_support import window_opener

from .conftest import Shared

A_TEXT = (B.paragraph("Members noted the report on school places, from the clerk at County Hall."),)
B_TEXT = (B.paragraph("The Committee asked for the sufficiency figures by ward, typed in the committee room."),)


def _words(blocks: tuple[B.Block, ...]) -> str:
    return B.to_plain_text(blocks)


def _stored_minute(url: str, item_id: int) -> str:
    db = open_database(url, daily_backup=False)
    try:
        with db.transaction() as s:
            body = s.execute(text("SELECT minutes_body FROM agenda_items WHERE id = :i"), {"i": item_id}).scalar()
    finally:
        db.close()
    return _words(B.loads(body))


@pytest.fixture
def window_on(qtbot: Any, answers: Any) -> Iterator[Any]:
    """open(url) -> a real MainWindow on the shared database, its listener connected."""
    with window_opener(qtbot, lambda url: open_database(url, daily_backup=False)) as shown:

        def opener(url: str) -> Any:
            window = shown(url)
            qtbot.waitUntil(lambda: window.store.team is not None and window.store.team.connected, timeout=5000)
            return window

        yield opener


@pytest.fixture
def clerk_a(shared: Shared) -> Iterator[Workbench]:
    """The other clerk: a workbench of their own on the same database (another copy of paperprep)."""
    db = open_database(shared.url, daily_backup=False)
    yield Workbench(db, user="sam")
    db.close()


def _show_minute(window: Any, shared: Shared) -> Any:
    window.select_meeting(shared.meeting_id)
    window.workspace.open_minutes(shared.item_id)
    panel = window.workspace.minutes
    assert panel.item_id == shared.item_id
    return panel


def test_another_clerks_save_reaches_the_open_window_within_two_seconds(
    qtbot: Any, shared: Shared, clerk_a: Workbench, window_on: Any
) -> None:
    window = window_on(shared.url)
    panel = _show_minute(window, shared)
    agenda = window.workspace.agenda
    assert _words(panel.editor.blocks()) != _words(A_TEXT)

    started = time.monotonic()
    clerk_a.run(SaveMinutesText(shared.item_id, A_TEXT))
    qtbot.waitUntil(lambda: _words(panel.editor.blocks()) == _words(A_TEXT), timeout=2000)
    assert time.monotonic() - started < 2.0

    # An agenda detail too, by the same road: the agenda table shows the new title.
    clerk_a.run(EditItem(shared.item_id, "title", "School place planning 2026-2030"))
    qtbot.waitUntil(
        lambda: [r.title for r in agenda.model.rows] == ["School place planning 2026-2030"], timeout=2000
    )
    assert window.store.changed_by(Kind.AGENDA, shared.item_id) == "Postgres"  # the database user, as a name


@pytest.mark.parametrize("choice", ["mine", "theirs", "merge"])
def test_a_stale_save_shows_both_versions_and_loses_neither(
    qtbot: Any, shared: Shared, clerk_a: Workbench, window_on: Any, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    from PySide6.QtGui import QGuiApplication

    from paperprep.ui import team

    window = window_on(shared.url)
    panel = _show_minute(window, shared)
    shown: list[team.Conflict] = []

    def answer(_parent: Any, conflict: team.Conflict) -> team.Resolution:
        shown.append(conflict)
        chosen = team.Choice(choice)
        text = team.merged_start(conflict) if chosen is team.Choice.MERGE else (
            conflict.theirs if chosen is team.Choice.THEIRS else conflict.mine
        )
        return team.Resolution(chosen, text)

    monkeypatch.setattr(team, "ask_conflict", answer)
    QGuiApplication.clipboard().setText("")

    # Both clients have loaded the same item. Clerk B types; before B's typing is saved, clerk A saves.
    panel.editor.setFocus()
    panel.editor.insertPlainText(_words(B_TEXT))
    clerk_a.run(SaveMinutesText(shared.item_id, A_TEXT))
    assert window.store.autosaver.flush() is True  # B's save: refused as a conflict, then resolved
    assert len(shown) == 1
    assert _words(shown[0].theirs) == _words(A_TEXT)
    assert _words(B_TEXT) in _words(shown[0].mine)
    assert window.store.autosaver.unsaved is False

    stored = _stored_minute(shared.url, shared.item_id)
    on_screen = _words(panel.editor.blocks())
    if choice == "mine":
        assert _words(B_TEXT) in stored and _words(A_TEXT) not in stored
    elif choice == "theirs":
        assert stored == _words(A_TEXT) == on_screen
        assert _words(B_TEXT) in QGuiApplication.clipboard().text()  # B's words, kept for pasting
    else:
        assert _words(B_TEXT) in stored and _words(A_TEXT) in stored
    assert on_screen == stored
    # Nothing of either clerk is lost: each text is in the database or on the clipboard.
    kept = stored + "\n" + QGuiApplication.clipboard().text()
    assert _words(A_TEXT) in kept or choice == "mine"
    assert _words(B_TEXT) in kept
    if choice == "mine":  # A's text was overwritten only by B's choice after seeing it: it was shown to B
        assert _words(A_TEXT) == _words(shown[0].theirs)


def test_after_a_lost_connection_the_window_reconnects_and_reloads_everything(
    qtbot: Any, shared: Shared, clerk_a: Workbench, window_on: Any, pg_cluster: Any
) -> None:
    window = window_on(shared.url)
    panel = _show_minute(window, shared)
    team = window.store.team
    database = shared.url.rsplit("/", 1)[1]
    with qtbot.waitSignal(team.connectionChanged, timeout=5000, check_params_cb=lambda up: not up):
        pg_cluster.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE application_name = 'paperprep listener' AND datname = '{database}'"
        )
    # Saved while the window could not hear: the notice is lost, so the catch-up must bring it.
    clerk_a.run(SaveMinutesText(shared.item_id, A_TEXT))
    with qtbot.waitSignal(
        window.store.changed, timeout=8000, check_params_cb=lambda changes: changes.everything
    ):
        pass
    assert team.connected
    qtbot.waitUntil(lambda: _words(panel.editor.blocks()) == _words(A_TEXT), timeout=2000)


def test_presence_names_the_other_clerk_on_the_same_minute(
    qtbot: Any, shared: Shared, window_on: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperprep.ui.team import TeamLink

    window = window_on(shared.url)
    panel = _show_minute(window, shared)
    assert panel.presence_label.isHidden()

    db = open_database(shared.url, daily_backup=False)
    assert db.url is not None
    sam = TeamLink(notify.Listener(db.url), Origin("sam-window", "spatel"), "sam.patel")
    try:
        qtbot.waitUntil(lambda: sam.connected, timeout=5000)
        sam.set_editing(shared.item_id)
        qtbot.waitUntil(lambda: panel.presence_label.text() == "Sam Patel is editing this minute", timeout=3000)
        assert panel.presence_label.isVisible()
        # And Sam's window knows B is there too (B answered Sam's question on opening, or said so itself).
        qtbot.waitUntil(lambda: sam.editors(shared.item_id) == ["Postgres"], timeout=3000)
        sam.set_editing(None)
        qtbot.waitUntil(lambda: panel.presence_label.isHidden(), timeout=3000)
        sam.set_editing(shared.item_id)
        qtbot.waitUntil(lambda: panel.presence_label.isVisible(), timeout=3000)
    finally:
        sam.stop()
    qtbot.waitUntil(lambda: panel.presence_label.isHidden(), timeout=3000)  # Sam's window said goodbye

    # A window that falls silent (no heartbeat, no goodbye) is forgotten after the expiry.
    monkeypatch.setattr(notify, "EXPIRY", 0.5)
    silent = notify.Listener(db.url)
    silent.connect()
    silent.send(notify.PRESENCE, notify.presence("lost-laptop", "jo.evans", shared.item_id))
    qtbot.waitUntil(lambda: panel.presence_label.text() == "Jo Evans is editing this minute", timeout=3000)
    qtbot.waitUntil(lambda: panel.presence_label.isHidden(), timeout=3000)
    silent.close()
    db.close()


def test_undo_never_undoes_another_clerks_work(shared: Shared, clerk_a: Workbench) -> None:
    db = open_database(shared.url, daily_backup=False)
    clerk_b = Workbench(db, user="jo")
    try:
        mine = clerk_a.run(SaveMinutesText(shared.item_id, A_TEXT))
        clerk_b.run(SaveMinutesText(shared.item_id, B_TEXT, read_version=mine.result))
        with pytest.raises(ConflictError):
            clerk_a.undo(mine.step)
        assert _stored_minute(shared.url, shared.item_id) == _words(B_TEXT)
    finally:
        db.close()


def test_a_viewer_account_is_read_only_and_says_why(
    qtbot: Any, shared: Shared, login_role: Any, window_on: Any, answers: Any
) -> None:
    viewer = login_role("viewer")
    window = window_on(viewer)
    assert window.store.read_only.startswith("You are connected read-only:")
    panel = _show_minute(window, shared)
    bar = window.databases.read_only_bar
    qtbot.waitUntil(lambda: bar.bar.isVisible(), timeout=2000)
    qtbot.waitUntil(panel.editor.isReadOnly, timeout=2000)
    assert bar.label.text() == window.store.read_only
    assert window.workspace.agenda.title.isReadOnly()
    assert window.store.run(SaveMinutesText(shared.item_id, B_TEXT)) is None
    assert answers["_errors"][-1] == window.store.read_only
    assert _stored_minute(shared.url, shared.item_id) == ""


def test_the_audit_records_the_database_user(shared: Shared, login_role: Any) -> None:
    clerk = login_role("clerk")
    db = open_database(clerk, daily_backup=False)
    try:
        bench = Workbench(db, user="os-login")
        role = clerk.split("//")[1].split("@")[0]
        assert bench.writable() and bench.database_user() == role
        bench.run(SetMeetingStatus(shared.meeting_id, MeetingStatus.DRAFT_MINUTES))
        bench.run(ApproveMinutes(shared.meeting_id))
        with db.transaction() as s:
            rows = s.execute(text('SELECT "user", db_user FROM audit_entries')).fetchall()
    finally:
        db.close()
    # Each entry: the computer's user (as the app or the service knows it) and, from the server, the account.
    assert rows and all(user and db_user == role for user, db_user in rows)


def test_notices_always_fit_the_servers_limit(shared: Shared) -> None:
    origin = Origin("a" * 12, "u" * 300)
    small = Changes("Typing in the minutes", origin, frozenset({Kind.MINUTES}), frozenset({3}), {Kind.MINUTES: frozenset({7})})
    assert from_notice(to_notice(small)) == Changes(
        "Typing in the minutes", Origin("a" * 12, "u" * 200), small.kinds, small.meeting_ids, small.ids
    )
    many_ids = Changes(
        "Paste minutes",
        origin,
        frozenset({Kind.MINUTES, Kind.RESOLUTIONS}),
        frozenset({3, 4}),
        {Kind.RESOLUTIONS: frozenset(range(1_000_000, 1_003_000))},
    )
    cut = from_notice(to_notice(many_ids))
    assert cut is not None and len(to_notice(many_ids).encode()) <= notify.LIMIT
    assert cut.kinds == many_ids.kinds and cut.meeting_ids == many_ids.meeting_ids and not cut.ids
    assert not cut.everything and cut.touches_meeting(3, Kind.RESOLUTIONS)
    many_meetings = Changes("Import", origin, frozenset({Kind.MEETINGS}), frozenset(range(100_000, 103_000)))
    whole = from_notice(to_notice(many_meetings))
    assert whole is not None and whole.everything and whole.touches_meeting(5, Kind.AGENDA)
    assert len(to_notice(many_meetings).encode()) <= notify.LIMIT
    assert from_notice("not a notice") is None and from_notice('{"v": 99}') is None

    # The server takes the largest notice, with the database user it adds, and delivers it whole.
    db = open_database(shared.url, daily_backup=False)
    assert db.url is not None
    listener = notify.Listener(db.url)
    listener.connect()
    try:
        with db.transaction() as s:
            notify.send(s.connection(), to_notice(many_ids))
        got = listener.wait(2.0)
    finally:
        listener.close()
        db.close()
    assert len(got) == 1 and len(got[0].payload.encode()) < 8000
    received = from_notice(got[0].payload)
    assert received is not None and received.origin.database_user == "postgres"
    assert received.kinds == many_ids.kinds


def test_a_stale_agenda_title_is_merged_not_lost(
    qtbot: Any, shared: Shared, clerk_a: Workbench, window_on: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperprep.ui import team

    window = window_on(shared.url)
    window.select_meeting(shared.meeting_id)
    agenda = window.workspace.agenda
    agenda.table.selectRow(0)
    assert agenda.selected_id() == shared.item_id
    shown: list[team.Conflict] = []

    def merge(_parent: Any, conflict: team.Conflict) -> team.Resolution:
        shown.append(conflict)
        return team.Resolution(team.Choice.MERGE, team.merged_start(conflict))

    monkeypatch.setattr(team, "ask_conflict", merge)
    agenda.title.setFocus()
    agenda.title.selectAll()
    qtbot.keyClicks(agenda.title, "Pupil place planning")
    clerk_a.run(EditItem(shared.item_id, "title", "School place planning and admissions"))
    assert window.store.autosaver.flush() is True
    assert [(c.mine, c.theirs) for c in shown] == [("Pupil place planning", "School place planning and admissions")]
    db = open_database(shared.url, daily_backup=False)
    try:
        with db.transaction() as s:
            title = s.execute(text("SELECT title FROM agenda_items WHERE id = :i"), {"i": shared.item_id}).scalar()
    finally:
        db.close()
    assert title == "Pupil place planning School place planning and admissions" == agenda.title.text()
