"""The keyboard-only workflow, the models under qtmodeltester, locking approved minutes, and responsiveness."""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.domain import AuditEvent, ItemKind
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services.demo import load_demo


def _meeting(path, committee_id) -> int:
    db = open_database(path)
    with db.transaction() as s:
        meeting = M.create_meeting(s, C.get_committee(s, committee_id), dt.date(2025, 9, 9))
        A.add_standard_items(s, meeting)
        meeting_id = meeting.id
    db.close()
    return meeting_id


def test_keyboard_only_add_item_write_minute_add_resolution(qtbot, committee_db, open_window) -> None:
    path, committee_id = committee_db
    meeting_id = _meeting(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting_id)
    window.workspace.agenda.table.setFocus()

    # Add an item: Ctrl+Shift+A, type its title, Enter.
    qtbot.keyClick(
        window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Youth justice plan")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    agenda = window.workspace.agenda
    qtbot.waitUntil(lambda: "Youth justice plan" in [r.title for r in agenda.model.rows])

    # Write its minute: Ctrl+E opens the minutes of the selected item with the cursor in the text.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    minutes = window.workspace.minutes
    assert QApplication.focusWidget() is minutes.editor
    qtbot.keyClicks(minutes.editor, "Members noted the plan.")
    qtbot.keyClick(minutes.editor, Qt.Key.Key_Return)
    qtbot.keyClick(
        minutes.editor, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    qtbot.keyClicks(minutes.editor, "reoffending fell")

    # Add a resolution: Ctrl+Shift+R puts the cursor in the resolution text; Enter adds it.
    qtbot.keyClick(
        minutes.editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert QApplication.focusWidget() is minutes.resolution_text
    qtbot.keyClicks(minutes.resolution_text, "to note the plan")
    qtbot.keyClick(minutes.resolution_text, Qt.Key.Key_Return)
    qtbot.keyClick(minutes.resolution_text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    db = open_database(path)
    with db.transaction() as s:
        item = next(
            i for i in A.ordered_items(M.get_meeting(s, meeting_id)) if i.title == "Youth justice plan"
        )
        assert item.kind is ItemKind.REPORT
        assert B.loads(item.minutes_body) == (
            B.paragraph("Members noted the plan."),
            B.lettered("reoffending fell"),
        )
        assert [r.text for r in item.resolutions] == ["to note the plan"]
    db.close()


def test_models_pass_the_model_tester(qtbot, qtmodeltester, tmp_path, open_window) -> None:
    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
    db.close()
    window = open_window(path)
    qtmodeltester.check(window.navigator)
    qtmodeltester.check(window.proxy)
    meeting_id = window.navigator._root.children[1].children[0].children[-1].id  # noqa: SLF001
    window.select_meeting(meeting_id)
    ws = window.workspace
    assert ws.agenda.model.rowCount() > 5
    for model in (
        ws.agenda.model,
        ws.attendance.model,
        ws.actions_panel.own,
        ws.actions_panel.carried,
        ws.minutes.resolutions,
        ws.minutes.item_actions,
    ):
        qtmodeltester.check(model, force_py=True)
    window.open_action_log()
    log = window.action_log_window
    qtbot.waitUntil(lambda: log.model.rowCount() > 0)
    qtmodeltester.check(log.model, force_py=True)
    qtmodeltester.check(log.proxy, force_py=True)


def test_approve_locks_and_reopen_asks_a_reason(qtbot, committee_db, open_window, answers) -> None:
    path, committee_id = committee_db
    meeting_id = _meeting(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting_id)
    ws = window.workspace
    ws.open_minutes(ws.agenda.model.rows[0].id)
    answers["confirm"] = [True]
    window.act_approve.trigger()
    assert ws.minutes.editor.isReadOnly()
    assert not ws.agenda.add_report.isEnabled() and not ws.minutes.add_resolution.isEnabled()
    assert (
        ws.agenda.model.flags(ws.agenda.model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable
        == Qt.ItemFlag.NoItemFlags
    )
    answers["ask_text"] = ["Correct the spelling of a name"]
    window.act_reopen.trigger()
    assert not ws.minutes.editor.isReadOnly()
    db = open_database(path)
    with db.transaction() as s:
        trail = M.audit_trail(s, M.get_meeting(s, meeting_id))
        assert [(e.event, e.reason) for e in trail] == [
            (AuditEvent.APPROVED, ""),
            (AuditEvent.REOPENED, "Correct the spelling of a name"),
        ]
    db.close()


def test_no_freeze_while_demo_loads_and_search_runs(qtbot, tmp_path, open_window) -> None:
    window = open_window(tmp_path / "fresh.sqlite")
    longest = 0.0
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        nonlocal longest
        now = clock.elapsed()
        longest = max(longest, (now - last[0]) / 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    with qtbot.waitSignal(window.demoLoaded, timeout=60_000):
        window.load_demo()
    window.open_search()
    dialog = window.search_dialog
    with qtbot.waitSignal(dialog.searched, timeout=20_000):
        dialog.query.setText("priority actions")
    timer.stop()
    print(f"longest event-loop stall: {longest * 1000:.0f} ms over {time.perf_counter() - started:.1f} s")
    assert dialog.model.rowCount() > 0
    assert longest < 1.0, f"the window froze for {longest:.2f} s"
    # A result opens its item's minutes.
    first = dialog.model.rows[0]
    dialog.results.setFocus()
    dialog.results.setCurrentIndex(dialog.model.index(0, 0))
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert (
        window.workspace.meeting_id == first.meeting_id and window.workspace.minutes.item_id == first.item_id
    )


def test_drag_and_drop_reorders_within_its_part(qtbot, committee_db, open_window) -> None:
    path, committee_id = committee_db
    meeting_id = _meeting(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting_id)
    model = window.workspace.agenda.model
    first, last = model.rows[0].id, model.rows[-1].id
    data = model.mimeData([model.index(0, 0)])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, len(model.rows), 0, model.index(-1, -1))
    model.dropMimeData(data, Qt.DropAction.MoveAction, len(model.rows), 0, model.index(-1, -1))
    assert [r.id for r in model.rows][-1] == first and model.rows[0].minute_ref == "1"
    assert [r.minute_ref for r in model.rows] == ["1", "2", "3", "4", "5"]
    window.act_undo.trigger()
    assert model.rows[0].id == first and model.rows[-1].id == last


def test_calendar_opens_the_meeting_of_the_day(qtbot, committee_db, open_window) -> None:
    from PySide6.QtCore import QDate

    path, committee_id = committee_db
    meeting_id = _meeting(path, committee_id)
    window = open_window(path)
    assert window.workspace.meeting_id is None
    window.calendar.setSelectedDate(QDate(2025, 9, 9))
    window.calendar.activated.emit(QDate(2025, 9, 9))
    assert window.workspace.meeting_id == meeting_id
    assert window.calendar.dateTextFormat(QDate(2025, 9, 9)).fontWeight() == 700


def test_meeting_details_delete_and_council_name(qtbot, committee_db, open_window, answers) -> None:
    path, committee_id = committee_db
    meeting_id = _meeting(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting_id)
    answers["ask_meeting_details"] = [
        {
            "date": dt.date(2025, 9, 16),
            "start_time": dt.time(18, 30),
            "close_time": dt.time(20, 5),
            "venue": "Committee Room 1",
            "contact_officer": "Rachel Evans",
            "first_minute_number": 40,
        }
    ]
    window.act_details.trigger()
    assert "16 September 2025" in window.workspace.heading.text()
    assert window.workspace.agenda.model.rows[0].minute_ref == "40"
    answers["ask_text"] = ["Borough of Kingsbridge Council"]
    window.act_council.trigger()
    db = open_database(path)
    with db.transaction() as s:
        meeting = M.get_meeting(s, meeting_id)
        assert (meeting.close_time, meeting.venue) == (dt.time(20, 5), "Committee Room 1")
        from paperprep.services.snapshot import council_name

        assert council_name(s) == "Borough of Kingsbridge Council"
    db.close()
    answers["confirm"] = [True]
    window.act_delete_meeting.trigger()
    assert window.workspace.meeting_id is None and window.navigator.meetings_on(dt.date(2025, 9, 16)) == []


def test_every_window_command_is_in_a_menu(qtbot, committee_db, open_window) -> None:
    from PySide6.QtGui import QAction

    path, _committee_id = committee_db
    window = open_window(path)
    in_menus = {a for menu in window.menuBar().actions() if menu.menu() for a in menu.menu().actions()}
    in_menus |= {a for a in window.recent_menu.actions()}
    commands = {
        name: value
        for name, value in vars(window).items()
        if name.startswith("act_") and isinstance(value, QAction)
    }
    assert len(commands) > 20
    assert [name for name, action in commands.items() if action not in in_menus] == []


def test_committee_settings_renumber(qtbot, committee_db, open_window, answers) -> None:
    from paperprep.domain import CommitteeKind, NumberingScheme

    path, committee_id = committee_db
    meeting_id = _meeting(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting_id)
    answers["ask_new_committee"] = [
        ("Children's Scrutiny", "CSC", CommitteeKind.SCRUTINY, NumberingScheme.NUMBER_YEAR, 5)
    ]
    window.act_committee.trigger()
    assert window.workspace.agenda.model.rows[0].minute_ref == "1/25"
    assert window.navigator._root.children[0].label == "Children's Scrutiny"  # noqa: SLF001
