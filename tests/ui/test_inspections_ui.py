"""Inspections in the app: the panel, actions from findings, the history views, topics and pasted minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from paperprep.db import open_database
from paperprep.domain import InspectionActivity, Judgement
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services.demo import load_demo
from paperprep.services.inspections import inspection_history
from paperprep.services.topics import list_topics, topic_history

EXAMPLES = Path(__file__).parents[1] / "fixtures" / "minutes"


def _demo(tmp_path: Path) -> tuple[Path, int, int]:
    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
        row = next(
            r
            for r in inspection_history(s)
            if r.meeting_id and M.get_meeting(s, r.meeting_id).status.value == "held"
        )
        meeting_id, item_id = row.meeting_id, row.item_id
    db.close()
    return path, meeting_id, item_id


def test_inspection_panel_edits_and_makes_actions(qtbot, tmp_path, open_window, answers, monkeypatch) -> None:
    path, meeting_id, item_id = _demo(tmp_path)
    window = open_window(path)
    window.open_item(meeting_id, item_id)
    panel = window.workspace.inspection
    assert panel.enabled.isChecked() and panel.details.isEnabled()
    assert panel.activity.currentData() == InspectionActivity.RE_INSPECTION.value
    assert panel.overall.currentData() == Judgement.REQUIRES_IMPROVEMENT.value
    assert panel.previous.currentData() == Judgement.INADEQUATE.value
    panel.areas.setPlainText("Workforce instability\nUnfinished assessments\nQuality of supervision")
    qtbot.waitUntil(lambda: window.save_label.text() == "All changes saved", timeout=3000)
    from paperprep.ui import inspection_panel

    monkeypatch.setattr(inspection_panel, "ask_owner_and_due", lambda *_a: ("Sue Butcher", None))
    qtbot.mouseClick(panel.make_actions, Qt.MouseButton.LeftButton)
    db = open_database(path)
    with db.transaction() as s:
        item = A.get_item(s, item_id)
        findings = sorted(a.source_finding for a in item.actions if a.source_finding)
        assert findings == ["Quality of supervision", "Unfinished assessments", "Workforce instability"]
        assert all(a.owner == "Sue Butcher" for a in item.actions if a.source_finding)
    db.close()


def test_history_views(qtbot, qtmodeltester, tmp_path, open_window) -> None:
    path, meeting_id, item_id = _demo(tmp_path)
    window = open_window(path)
    from paperprep.ui.history import InspectionHistoryDialog, TopicHistoryDialog

    inspections = InspectionHistoryDialog(window.store, window)
    qtbot.addWidget(inspections)
    assert inspections.service.currentText() == "Children's social care"
    assert inspections.model.rowCount() >= 2
    assert inspections.chart.rows == inspections.model.rows
    qtmodeltester.check(inspections.model, force_py=True)
    assert not inspections.chart.grab().isNull()
    topics = TopicHistoryDialog(window.store, window)
    qtbot.addWidget(topics)
    assert topics.topic.currentText() == "Ofsted inspection of children's services"
    assert topics.model.rowCount() >= 5
    assert any("RESOLVED to note the information" in " ".join(r.decisions) for r in topics.model.rows)
    qtmodeltester.check(topics.model, force_py=True)


def test_topic_chosen_in_the_agenda(qtbot, committee_db, open_window) -> None:
    path, committee_id = committee_db
    db = open_database(path)
    with db.transaction() as s:
        meeting = M.create_meeting(s, C.get_committee(s, committee_id), dt.date(2025, 9, 9))
        item_id = A.add_item(s, meeting, "Youth justice plan").id
        meeting_id = meeting.id
    db.close()
    window = open_window(path)
    window.select_meeting(meeting_id)
    agenda = window.workspace.agenda
    agenda.select(item_id)
    agenda.topic.setFocus()
    agenda.topic.setCurrentText("Youth justice")
    qtbot.keyClick(agenda.topic, Qt.Key.Key_Return)
    db = open_database(path)
    with db.transaction() as s:
        (topic,) = list_topics(s)
        assert topic.name == "Youth justice"
        assert [r.title for r in topic_history(s, topic.id)] == ["Youth justice plan"]
    db.close()


def test_paste_minutes_text_creates_the_item_and_inspection(
    qtbot, committee_db, open_window, monkeypatch
) -> None:
    from paperprep.ui import paste_dialog

    path, committee_id = committee_db
    db = open_database(path)
    with db.transaction() as s:
        meeting_id = M.create_meeting(s, C.get_committee(s, committee_id), dt.date(2022, 9, 6)).id
    db.close()
    window = open_window(path)
    window.select_meeting(meeting_id)
    dialog = paste_dialog.PasteDialog(window)
    qtbot.addWidget(dialog)
    dialog.source.setPlainText(
        (EXAMPLES / "minutes-ofsted-monitoring-visit-2022.txt").read_text(encoding="utf-8")
    )
    qtbot.mouseClick(dialog.read, Qt.MouseButton.LeftButton)
    preview = dialog.preview.toPlainText()
    assert (
        "Title: Ofsted update" in preview
        and "Ofsted monitoring visit, 13/07/2022 to 14/07/2022, 2 inspectors" in preview
    )
    monkeypatch.setattr(paste_dialog, "ask_pasted_minutes", lambda _parent: dialog.parsed)
    window.act_paste.trigger()
    assert window.workspace.minutes.editor.blocks()[0].text.startswith("Sue Butcher, Director")
    db = open_database(path)
    with db.transaction() as s:
        (item,) = A.ordered_items(M.get_meeting(s, meeting_id))
        assert item.title == "Ofsted update" and item.presenter_name == "Sue Butcher"
        assert [r.text for r in item.resolutions] == ["That the update be noted."]
        assert item.inspection.fieldwork_start == dt.date(2022, 7, 13)
        assert item.inspection.previous_judgement is Judgement.INADEQUATE
    db.close()


def test_committee_members(qtbot, qtmodeltester, committee_db, open_window, answers) -> None:
    from paperprep.domain import MembershipRole
    from paperprep.ui.members_dialog import MembersDialog

    path, committee_id = committee_db
    window = open_window(path)
    dialog = MembersDialog(window.store, committee_id, window)
    qtbot.addWidget(dialog)
    assert [r[1] for r in dialog.model.rows][:2] == ["Janet Pryer", "Sadia Ahmed"]
    answers["ask_text"] = ["Cllr Owen Lewis"]
    answers["ask_choice"] = [0, list(MembershipRole).index(MembershipRole.MEMBER)]
    qtbot.mouseClick(dialog.add, Qt.MouseButton.LeftButton)
    assert "Owen Lewis" in [r[1] for r in dialog.model.rows]
    dialog.table.setCurrentIndex(
        dialog.model.index([r[1] for r in dialog.model.rows].index("Michael Walsh"), 0)
    )
    answers["ask_text"] = ["31/12/2025"]
    qtbot.mouseClick(dialog.end, Qt.MouseButton.LeftButton)
    qtmodeltester.check(dialog.model, force_py=True)
    db = open_database(path)
    with db.transaction() as s:
        committee = C.get_committee(s, committee_id)
        names = [m.person.name for m in C.members_on(committee, dt.date(2026, 1, 5))]
        assert "Owen Lewis" in names
        assert "Michael Walsh" not in names
        assert "Michael Walsh" in [m.person.name for m in C.members_on(committee, dt.date(2025, 12, 1))]
    db.close()
