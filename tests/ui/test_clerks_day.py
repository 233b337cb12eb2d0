"""A clerk's day in the real main window, then the app started again on the same database."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.domain import AttendanceStatus, ResolutionWording
from paperprep.services import agenda as A
from paperprep.services import meetings as M
from paperprep.services.actions import ActionFilter, list_actions


def titles(window) -> list[str]:
    return [row.title for row in window.workspace.agenda.model.rows]


def test_a_clerks_day(qtbot, committee_db, open_window, answers) -> None:
    path, committee_id = committee_db
    window = open_window(path)
    ws = window.workspace
    agenda = ws.agenda

    # Create a meeting for the committee.
    answers["ask_new_meeting"] = [(committee_id, dt.date(2025, 7, 8), dt.time(18, 30), "Council Chamber")]
    window.act_new_meeting.trigger()
    assert ws.meeting_id is not None
    meeting_id = ws.meeting_id
    assert "8 July 2025" in ws.heading.text()

    # Standard items, then two reports typed in place.
    qtbot.mouseClick(agenda.add_standard, Qt.MouseButton.LeftButton)
    assert len(agenda.model.rows) == 5
    for title in ("Ofsted focused visit feedback", "Residential placements contract"):
        qtbot.mouseClick(agenda.add_report, Qt.MouseButton.LeftButton)
        editor = agenda.table.viewport().findChild(QLineEdit)
        assert editor is not None and editor.text() == "New report"
        qtbot.keyClicks(editor, title)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda t=title: t in titles(window))
    assert titles(window)[-2:] == ["Ofsted focused visit feedback", "Residential placements contract"]

    # One item exempt under paragraph 3: it moves to Part B and brings the exclusion motion.
    agenda.select(agenda.model.rows[-1].id)
    answers["ask_paragraphs"] = [((3,), "Placements contract")]
    qtbot.mouseClick(agenda.part_b, Qt.MouseButton.LeftButton)
    assert titles(window)[-2:] == ["Exclusion of the press and public", "Residential placements contract"]
    assert agenda.model.rows[-1].is_exempt

    # Attendance: one apology and one substitute.
    ws.tabs.setCurrentWidget(ws.attendance)
    model = ws.attendance.model
    rows = {r.name: r for r in model.rows}
    model.setData(model.index(model.row_of(rows["Grace Okafor"].id), 2), AttendanceStatus.APOLOGIES.value)
    for name in ("Janet Pryer", "Sadia Ahmed"):
        model.setData(model.index(model.row_of(rows[name].id), 2), AttendanceStatus.PRESENT.value)
    qtbot.waitUntil(lambda: sum(r.status is not None for r in model.rows) == 3)
    answers["ask_text"] = ["Arjun Singh"]
    answers["ask_choice"] = [[r.name for r in model.rows if r.is_member].index("Michael Walsh")]
    qtbot.mouseClick(ws.attendance.add_substitute, Qt.MouseButton.LeftButton)
    statuses = {r.name: (r.status, r.substitute_for) for r in model.rows}
    assert statuses["Arjun Singh"] == (AttendanceStatus.SUBSTITUTE, "Michael Walsh")
    assert statuses["Grace Okafor"][0] is AttendanceStatus.APOLOGIES

    # The minute: a paragraph, lettered paragraphs and a bullet list, typed.
    ofsted_id = next(r.id for r in agenda.model.rows if r.title.startswith("Ofsted"))
    ws.tabs.setCurrentWidget(agenda)
    agenda.select(ofsted_id)
    window.act_write_minutes.trigger()
    editor = ws.minutes.editor
    assert ws.minutes.item_id == ofsted_id
    qtbot.keyClicks(editor, "The letter set out three areas:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(
        editor, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    qtbot.keyClicks(editor, "quality of assessments;")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "quality of supervision.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # an empty lettered line ends the list
    qtbot.keyClicks(editor, "Strengths:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(
        editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    qtbot.keyClicks(editor, "strong leadership")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor, "across the service")
    expected = (
        B.paragraph("The letter set out three areas:"),
        B.lettered("quality of assessments;"),
        B.lettered("quality of supervision."),
        B.paragraph("Strengths:"),
        B.bullet("strong leadership"),
        B.bullet("across the service", 1),
    )
    assert editor.blocks() == expected
    qtbot.waitUntil(lambda: window.save_label.text() == "All changes saved", timeout=3000)

    # A resolution and two actions.
    minutes = ws.minutes
    qtbot.keyClicks(minutes.resolution_text, "to note the information")
    qtbot.mouseClick(minutes.add_resolution, Qt.MouseButton.LeftButton)
    minutes.tabs.setCurrentIndex(1)
    for text, owner in (
        ("Circulate the Ofsted letter", "Sue Butcher"),
        ("Report on supervision audits", "Sue Butcher"),
    ):
        minutes.action_text.setText(text)
        minutes.action_owner.setText(owner)
        qtbot.mouseClick(minutes.add_action, Qt.MouseButton.LeftButton)
    assert len(minutes.item_actions.rows) == 2

    # Reorder, then undo and redo it.
    ws.tabs.setCurrentWidget(agenda)
    before = titles(window)
    agenda.select(ofsted_id)
    agenda.table.setFocus()
    qtbot.keyClick(agenda.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    moved = titles(window)
    assert (
        moved != before
        and moved.index("Ofsted focused visit feedback") == before.index("Ofsted focused visit feedback") - 1
    )
    window.act_undo.trigger()
    assert titles(window) == before
    window.act_redo.trigger()
    assert titles(window) == moved

    window.close()
    window.db.close()

    # Start again on the same database: everything is there, with the right numbers.
    again = open_window(path)
    again.select_meeting(meeting_id)
    assert titles(again) == moved
    db = open_database(path)
    with db.transaction() as s:
        meeting = M.get_meeting(s, meeting_id)
        items = A.ordered_items(meeting)
        assert [i.minute_number for i in items] == list(range(1, 9))
        assert items[-1].is_exempt and items[-1].exempt_paragraphs == "3"
        assert items[-1].public_title == "Placements contract"
        ofsted = next(i for i in items if i.id == ofsted_id)
        assert B.loads(ofsted.minutes_body) == expected
        assert [(r.wording, r.text) for r in ofsted.resolutions] == [
            (ResolutionWording.RESOLVED, "to note the information")
        ]
        actions = list_actions(s, ActionFilter(meeting_id=meeting_id))
        assert [a.text for a in actions] == ["Circulate the Ofsted letter", "Report on supervision audits"]
        assert {
            (a.person.name, a.status, a.substitute_for.name if a.substitute_for else None)
            for a in meeting.attendance
        } >= {
            ("Grace Okafor", AttendanceStatus.APOLOGIES, None),
            ("Arjun Singh", AttendanceStatus.SUBSTITUTE, "Michael Walsh"),
        }
    db.close()
    assert answers["_errors"] == []
