"""A connection that may only read, honoured by the window itself: a viewer's account on a shared database (the
throwaway PostgreSQL cluster of tests/pg_support.py) opens the real main window read-only, every panel and window
built then or later has its fields read-only (their text still selectable and copyable), the commands that change
data are disabled with the reason, typing changes nothing and no operation runs. The panels follow the store's
read-only signal, with no polling."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.domain import MembershipRole, PersonKind
from paperprep.ops import Workbench
from paperprep.ops.actions import AddAction
from paperprep.ops.agenda import AddItem
from paperprep.ops.meetings import CreateMeeting
from paperprep.ops.minutes import SaveMinutesText
from paperprep.services import committees as C
from ui_support import window_opener

MINUTE = "Members noted the report on school places."


@dataclass(frozen=True)
class Council:
    url: str  # the viewer's address
    committee_id: int
    meetings: tuple[int, int]
    items: tuple[int, int]


def _fill(url: str) -> tuple[int, tuple[int, int], tuple[int, int]]:
    db = open_database(url, daily_backup=False)
    try:
        with db.transaction() as s:
            committee = C.create_committee(s, "Children & Learning Scrutiny", "CLSC")
            C.add_member(
                s,
                committee,
                C.get_or_create_person(s, "Janet Pryer", PersonKind.COUNCILLOR),
                MembershipRole.CHAIR,
                dt.date(2020, 5, 1),
            )
            committee_id = committee.id
        bench = Workbench(db, user="setup")
        meetings = []
        items = []
        for day in (dt.date(2026, 6, 10), dt.date(2026, 7, 8)):
            meeting = bench.run(CreateMeeting(committee_id, day)).result
            item = bench.run(AddItem(meeting, "School place planning")).result
            bench.run(SaveMinutesText(item, (B.paragraph(MINUTE),)))
            meetings.append(meeting)
            items.append(item)
        bench.run(AddAction(items[0], "Send the sufficiency figures by ward", "Sue Butcher", None))
    finally:
        db.close()
    return committee_id, (meetings[0], meetings[1]), (items[0], items[1])


@pytest.fixture
def council(pg_cluster: Any) -> Iterator[Council]:
    """A shared database with two meetings of one item each, and a viewer's login role granted as
    docs/team-mode.md says (SELECT only)."""
    url = pg_cluster.new_database()
    database = url.rsplit("/", 1)[1]
    name = f"viewer_{uuid.uuid4().hex[:8]}"
    try:
        committee_id, meetings, items = _fill(url)
        pg_cluster.psql(f"CREATE ROLE {name} LOGIN")
        pg_cluster.psql(
            f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {name}; GRANT USAGE ON SCHEMA public TO {name}; "
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name};",
            database,
        )
        yield Council(url.replace("postgres@", f"{name}@", 1), committee_id, meetings, items)
    finally:
        pg_cluster.drop_database(url)
        pg_cluster.psql(f"DROP ROLE IF EXISTS {name}")


@pytest.fixture
def window_on(qtbot: Any, answers: Any) -> Iterator[Callable[[str], Any]]:
    with window_opener(qtbot, lambda url: open_database(url, daily_backup=False)) as opener:
        yield opener


def _runs(window: Any, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every operation that reaches the workbench from now on."""
    ran: list[object] = []
    bench = window.store.bench
    real = bench.run

    def run(op: object, source: str = "") -> Any:
        ran.append(op)
        return real(op, source)

    monkeypatch.setattr(bench, "run", run)
    return ran


def _text_fields_read_only(*fields: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

    for field in fields:
        assert field.isReadOnly(), field.objectName()
        if isinstance(field, QTextEdit | QPlainTextEdit):  # read-only, yet selectable by mouse and keyboard
            flags = field.textInteractionFlags()
            assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard, field.objectName()
            assert not flags & Qt.TextInteractionFlag.TextEditable, field.objectName()


def test_a_viewer_window_is_read_only_in_every_panel_built_then_or_later(
    qtbot: Any, council: Council, window_on: Any, answers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QGuiApplication

    window = window_on(council.url)
    reason = window.store.read_only
    assert reason.startswith("You are connected read-only:")
    ran = _runs(window, monkeypatch)
    bar = window.databases.read_only_bar
    assert bar.bar.isVisible() and bar.label.text() == reason
    assert not hasattr(bar, "timer")  # no polling: the panels follow the store's signal

    # Commands that change data: disabled, and their tip says why. Reading and exporting stay.
    for name in ("act_new_meeting", "act_add_item", "act_approve", "act_paste", "act_new_committee"):
        action = getattr(window, name)
        assert not action.isEnabled(), name
        assert reason in action.toolTip(), name
    for name in ("act_action_log", "act_find", "act_export_minutes", "act_open"):
        assert getattr(window, name).isEnabled(), name

    # The first meeting: its minute, agenda and attendance are read-only.
    window.select_meeting(council.meetings[0])
    window.workspace.open_minutes(council.items[0])
    minutes = window.workspace.minutes
    agenda = window.workspace.agenda
    agenda.select(council.items[0])
    assert agenda.title.text() == "School place planning"
    assert minutes.editor.toPlainText() == MINUTE
    _text_fields_read_only(
        minutes.editor, minutes.presenter, minutes.resolution_text, minutes.resolution_parts, agenda.title
    )
    _text_fields_read_only(agenda.purpose, agenda.report_of)
    for button in (minutes.add_resolution, minutes.add_action, minutes.add_declaration, agenda.add_report):
        assert not button.isEnabled(), button.text()
    assert agenda.model.locked and window.workspace.attendance.model.locked
    assert not window.workspace.attendance.all_present.isEnabled()
    assert not window.workspace.status.isEnabled()  # the meeting's status cannot be chosen either
    assert window.workspace.actions_panel.own.locked
    assert not window.workspace.actions_panel.resolution_button.isEnabled()

    # Typing changes nothing, and nothing is run.
    minutes.editor.setFocus()
    qtbot.keyClicks(minutes.editor, " And more.")
    qtbot.keyClicks(agenda.title, "Renamed")
    assert minutes.editor.toPlainText() == MINUTE
    assert agenda.title.text() == "School place planning"
    assert not window.store.autosaver.pending and not window.store.autosaver.unsaved
    assert window.store.autosaver.flush() is True

    # The text can still be selected and copied.
    QGuiApplication.clipboard().setText("")
    minutes.editor.selectAll()
    minutes.editor.copy()
    assert QGuiApplication.clipboard().text() == MINUTE

    # Another meeting, loaded later: read-only too.
    window.select_meeting(council.meetings[1])
    window.workspace.open_minutes(council.items[1])
    assert minutes.item_id == council.items[1]
    agenda.select(council.items[1])
    assert agenda.title.text() == "School place planning"
    _text_fields_read_only(minutes.editor, minutes.presenter, agenda.title)
    assert agenda.model.locked

    # A window built later, the Action log: nothing edits in place, no update can be added.
    window.open_action_log()
    log = window.action_log_window
    qtbot.waitUntil(lambda: len(log.model.rows) == 1, timeout=5000)
    assert log.model.locked
    _text_fields_read_only(log.update_text)
    assert not log.add_update.isEnabled() and reason in log.add_update.toolTip()
    assert not log.resolution_button.isEnabled()

    # The committee's members can be looked at, not changed.
    from paperprep.ui.members_dialog import MembersDialog

    members = MembersDialog(window.store, council.committee_id, window)
    assert [r.name for r in members.model.rows] == ["Janet Pryer"]
    assert not members.add.isEnabled() and not members.remove.isEnabled()
    members.close()

    assert ran == []  # no operation reached the database
    assert answers["_errors"] == []  # and the clerk was never told off for trying


def test_the_panels_follow_the_read_only_signal(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file the account may always write; the store's signal is what every panel follows. Turned on and off
    without any event loop turn: each panel has changed at once, so nothing waits for a timer."""
    path, committee_id = committee_db
    db = open_database(path)
    bench = Workbench(db)
    meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 6, 10))).result
    item = bench.run(AddItem(meeting, "Library opening hours")).result
    db.close()
    window = open_window(path)
    window.select_meeting(meeting)
    window.workspace.open_minutes(item)
    minutes, agenda = window.workspace.minutes, window.workspace.agenda
    assert not minutes.editor.isReadOnly() and not agenda.title.isReadOnly()
    assert window.act_add_item.isEnabled()

    store = window.store
    reason = "You are connected read-only: a test says so."
    monkeypatch.setattr(store, "_read_only", reason)
    store.readOnlyChanged.emit(reason)
    assert minutes.editor.isReadOnly() and agenda.title.isReadOnly() and minutes.presenter.isReadOnly()
    assert not agenda.add_report.isEnabled() and agenda.model.locked
    assert not window.act_add_item.isEnabled() and reason in window.act_add_item.toolTip()
    assert not window.workspace.status.isEnabled()
    assert window.databases.read_only_bar.bar.isVisible()

    monkeypatch.setattr(store, "_read_only", "")
    store.readOnlyChanged.emit("")
    assert not minutes.editor.isReadOnly() and not agenda.title.isReadOnly()
    assert agenda.add_report.isEnabled() and not agenda.model.locked
    assert window.act_add_item.isEnabled() and reason not in window.act_add_item.toolTip()
    assert window.workspace.status.isEnabled()
    assert window.databases.read_only_bar.bar.isHidden()
    qtbot.keyClicks(minutes.editor, "Open on Sundays.")
    assert window.store.autosaver.flush() is True
