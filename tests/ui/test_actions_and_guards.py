"""The workspace, second pass, driven in the real main window: actions edited in place in both views (one undo step
each), declarations in one form, guard rails that speak up, export choices, and printing what is published."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from paperprep.db import open_database
from paperprep.domain import (
    Audience,
    DeclarationOutcome,
    DeclarationType,
    ItemKind,
    MeetingStatus,
    Rag,
    ResolutionWording,
)
from paperprep.ops import Workbench
from paperprep.ops.actions import AddAction
from paperprep.ops.agenda import AddItem
from paperprep.ops.meetings import CreateMeeting, SetMeetingStatus
from paperprep.ops.minutes import AddResolution
from paperprep.queries.meeting import ItemChoice, PersonChoice
from paperprep.ui.models import ActionsModel


def _action(window, name: str) -> QAction:  # type: ignore[no-untyped-def]
    action = window.findChild(QAction, name)
    assert action is not None
    return action


def _meeting_with_action(
    path: Path, committee_id: int, day: dt.date = dt.date(2026, 6, 10)
) -> tuple[int, int, int]:
    db = open_database(path)
    bench = Workbench(db)
    meeting = bench.run(CreateMeeting(committee_id, day)).result
    item = bench.run(AddItem(meeting, "Children's centres review")).result
    action = bench.run(AddAction(item, "Report back on usage figures", "Head of Early Help")).result
    db.close()
    return meeting, item, action


def _due(path: Path, action_id: int) -> str | None:
    with sqlite3.connect(path) as conn:
        (due,) = conn.execute("SELECT due_date FROM actions WHERE id = ?", (action_id,)).fetchone()
    return due


# -- 1. actions editable in place ------------------------------------------------------------------------------


def test_due_date_edited_in_both_views_each_one_undo_step(qtbot, committee_db, open_window) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    meeting, _item, action = _meeting_with_action(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting)
    panel = window.workspace.actions_panel
    window.workspace.tabs.setCurrentWidget(panel)
    undo = _action(window, "undo")

    # On the Actions tab, through the date editor in the cell.
    index = panel.own.index(0, ActionsModel.DUE_COLUMN)
    assert panel.own.flags(index) & Qt.ItemFlag.ItemIsEditable
    panel.own_table.setCurrentIndex(index)
    panel.own_table.edit(index)
    editor = panel.own_table.findChild(QWidget, "dueDateEditor")
    assert editor is not None
    editor.setDate(QDate(2026, 9, 30))  # the typed-date field and QDateEdit both take a QDate
    with qtbot.waitSignal(window.store.changed):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert _due(path, action) == "2026-09-30"
    assert panel.own.rows[0].due_date == dt.date(2026, 9, 30)
    assert undo.isEnabled() and "due date" in undo.text()

    # In the Action log window, on the same action.
    window.open_action_log()
    log = window.action_log_window
    qtbot.waitUntil(lambda: log.model.row_of(action) >= 0)
    row = log.model.row_of(action)
    with qtbot.waitSignal(log.actionsChanged):
        log.model.setData(log.model.index(row, ActionsModel.DUE_COLUMN), dt.date(2026, 12, 1))
    assert _due(path, action) == "2026-12-01"
    qtbot.waitUntil(lambda: panel.own.rows[0].due_date == dt.date(2026, 12, 1))

    # Each edit is one step of the meeting's history: one undo takes back the log's edit only, the next the tab's.
    undo.trigger()
    assert _due(path, action) == "2026-09-30"
    undo.trigger()
    assert _due(path, action) is None
    qtbot.waitUntil(lambda: panel.own.rows[0].due_date is None)


def test_wording_owner_rag_and_resolution_edit_in_place(qtbot, committee_db, open_window, answers) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    meeting, item, action = _meeting_with_action(path, committee_id)
    db = open_database(path)
    resolution = (
        Workbench(db)
        .run(AddResolution(item, ResolutionWording.RESOLVED, "That usage figures be reported"))
        .result
    )
    db.close()
    window = open_window(path)
    window.select_meeting(meeting)
    panel = window.workspace.actions_panel
    model = panel.own
    for column, value in (
        (ActionsModel.TEXT_COLUMN, "Report usage figures by centre"),
        (ActionsModel.OWNER_COLUMN, "Head of Early Years"),
        (ActionsModel.RAG_COLUMN, Rag.AMBER.value),
    ):
        with qtbot.waitSignal(window.store.changed):
            model.setData(model.index(0, column), value)
    row = model.rows[0]
    assert (row.text, row.owner, row.rag) == (
        "Report usage figures by centre",
        "Head of Early Years",
        Rag.AMBER,
    )
    # RAG: a coloured marker with its word.
    rag_index = model.index(0, ActionsModel.RAG_COLUMN)
    assert rag_index.data() == "Amber"
    assert rag_index.data(Qt.ItemDataRole.DecorationRole) is not None
    # The resolution the action comes from.
    panel.own_table.setCurrentIndex(model.index(0, ActionsModel.TEXT_COLUMN))
    answers["ask_choice"] = [1]  # 0 is "No resolution"
    with qtbot.waitSignal(window.store.changed):
        panel.resolution_button.click()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT resolution_id FROM actions WHERE id = ?", (action,)).fetchone() == (
            resolution,
        )
    assert "resolution" in _action(window, "undo").text()


def test_action_log_has_a_legend_for_colours_and_bold(qtbot, committee_db, open_window) -> None:  # type: ignore[no-untyped-def]
    path, _committee_id = committee_db
    window = open_window(path)
    window.open_action_log()
    legend = window.action_log_window.legend
    text = legend.toolTip()
    assert "Red" in text and "Amber" in text and "Green" in text and "overdue" in text.lower()


def test_actions_from_areas_ask_owner_and_due_date(qtbot, committee_db, open_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ops.actions import ActionsFromFindings, SaveInspection
    from paperprep.services.inspections import InspectionData
    from paperprep.ui import inspection_panel

    path, committee_id = committee_db
    db = open_database(path)
    bench = Workbench(db)
    meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 6, 10))).result
    item = bench.run(AddItem(meeting, "Ofsted focused visit")).result
    bench.run(SaveInspection(item, InspectionData(areas_for_improvement=["Supervision", "Care plans"])))
    db.close()
    asked: list[object] = []
    monkeypatch.setattr(
        inspection_panel,
        "ask_owner_and_due",
        lambda *a: asked.append(a) or ("Head of Service", dt.date(2026, 10, 31)),
    )
    runs: list[object] = []
    window = open_window(path)
    original = window.store.run
    monkeypatch.setattr(window.store, "run", lambda op, **kw: (runs.append(op), original(op, **kw))[1])
    window.select_meeting(meeting)
    window.workspace.open_minutes(item)
    panel = window.workspace.inspection
    panel.load_item(item)
    panel.create_actions()
    assert asked
    assert [op for op in runs if isinstance(op, ActionsFromFindings)] == [
        ActionsFromFindings(item, "Head of Service", dt.date(2026, 10, 31))
    ]
    with sqlite3.connect(path) as conn:
        assert set(conn.execute("SELECT owner, due_date FROM actions")) == {("Head of Service", "2026-10-31")}


# -- 2. declarations in one form -------------------------------------------------------------------------------


def test_declaration_dialog_filled_and_accepted(qtbot) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ui import declaration_dialog
    from paperprep.ui.application import make_application

    make_application()
    members = [PersonChoice(1, "Grace Okafor"), PersonChoice(2, "Janet Pryer")]
    items = [ItemChoice(10, "57. Apologies"), ItemChoice(11, "58. School places")]

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, declaration_dialog.DeclarationDialog)
        assert dialog.item.currentData() == 11  # the item shown
        dialog.member.setCurrentIndex(dialog.member.findData(2))
        dialog.set_type(DeclarationType.DISCLOSABLE_PECUNIARY)
        dialog.nature.setText("  Owns land   next to the site ")
        dialog.outcome.setCurrentIndex(dialog.outcome.findData(DeclarationOutcome.LEFT_ROOM.value))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
    answer = declaration_dialog.ask_declaration(None, members, items, 11)
    assert answer == declaration_dialog.DeclarationAnswer(
        2,
        DeclarationType.DISCLOSABLE_PECUNIARY,
        "Owns land next to the site",
        11,
        DeclarationOutcome.LEFT_ROOM,
    )

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert declaration_dialog.ask_declaration(None, members, items, None) is None


def test_declaration_through_the_window(qtbot, committee_db, open_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ui import declaration_dialog

    path, committee_id = committee_db
    meeting, item, _action_id = _meeting_with_action(path, committee_id)
    seen: dict[str, object] = {}

    def answer(_parent, members, items, current):  # type: ignore[no-untyped-def]
        seen.update(members=[m.name for m in members], items=[i.id for i in items], current=current)
        pryer = next(m for m in members if m.name == "Janet Pryer")
        return declaration_dialog.DeclarationAnswer(
            pryer.id,
            DeclarationType.OTHER_REGISTRABLE,
            "Governor of a school",
            current,
            DeclarationOutcome.DID_NOT_VOTE,
        )

    monkeypatch.setattr(declaration_dialog, "ask_declaration", answer)
    window = open_window(path)
    window.select_meeting(meeting)
    window.workspace.open_minutes(item)
    with qtbot.waitSignal(window.store.changed):
        window.workspace.minutes.add_declaration.click()
    assert seen["current"] == item and item in seen["items"]  # type: ignore[operator]
    assert "Janet Pryer" in seen["members"]  # type: ignore[operator]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT type, nature, item_id, outcome FROM declarations").fetchall() == [
            ("other_registrable", "Governor of a school", item, "did_not_vote")
        ]


# -- 3. guard rails --------------------------------------------------------------------------------------------


def test_approving_a_meeting_yet_to_happen_is_refused_with_the_reason(
    qtbot, committee_db, open_window, answers
) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    future = dt.date.today() + dt.timedelta(days=30)
    meeting, _item, _action_id = _meeting_with_action(path, committee_id, future)
    window = open_window(path)
    window.select_meeting(meeting)
    window.approve_minutes()  # no confirmation is asked: the refusal comes first
    assert any("has not taken place yet" in e for e in answers["_errors"])  # type: ignore[union-attr]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT status FROM meetings WHERE id = ?", (meeting,)).fetchone() == (
            "draft_agenda",
        )


def test_approving_asks_at_which_meeting_and_records_it(
    qtbot, committee_db, open_window, answers
) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    meeting, _item, _action_id = _meeting_with_action(path, committee_id, dt.date(2026, 6, 10))
    later = [_meeting_with_action(path, committee_id, day)[0] for day in (dt.date(2026, 7, 15), dt.date(2026, 9, 9))]
    window = open_window(path)
    window.select_meeting(meeting)
    answers["confirm"] = [True]
    answers["ask_choice"] = [1]  # the second held meeting after it (the next one is offered first)
    window.approve_minutes()
    with sqlite3.connect(path) as conn:
        assert conn.execute(
            "SELECT status, approved_at_meeting_id FROM meetings WHERE id = ?", (meeting,)
        ).fetchone() == ("minutes_approved", later[1])


def test_changing_a_published_agenda_warns_and_marks_the_item_late(
    qtbot, committee_db, open_window, answers
) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    meeting, item, _action_id = _meeting_with_action(path, committee_id)
    db = open_database(path)
    Workbench(db).run(SetMeetingStatus(meeting, MeetingStatus.AGENDA_PUBLISHED))
    db.close()
    window = open_window(path)
    window.select_meeting(meeting)
    agenda = window.workspace.agenda

    answers["confirm"] = [False]  # the warning: not now
    agenda.add_item(ItemKind.REPORT, title="Urgent: school transport contract")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM agenda_items").fetchone() == (1,)

    answers["confirm"] = [True, True]  # go on; and mark it late
    answers["ask_text"] = ["The contract ends before the next meeting."]
    agenda.add_item(ItemKind.REPORT, title="Urgent: school transport contract")
    with sqlite3.connect(path) as conn:
        late = conn.execute(
            "SELECT title, is_late, urgency_reason FROM agenda_items WHERE id != ? ", (item,)
        ).fetchall()
    assert late == [("Urgent: school transport contract", 1, "The contract ends before the next meeting.")]
    assert "late" in _action(window, "undo").text()
    _action(window, "undo").trigger()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT is_late FROM agenda_items WHERE id != ?", (item,)).fetchall() == [(0,)]

    # Moving or removing warns too; a draft agenda does not.
    agenda.select(item)
    answers["confirm"] = [False]
    agenda.remove_selected()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM agenda_items").fetchone() == (2,)
    assert answers["confirm"] == []


# -- 4. export choices ------------------------------------------------------------------------------------------


def test_action_log_export_offers_committee_and_status(
    qtbot, tmp_path, committee_db, open_window, answers, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ui import export_actions_xlsx

    path, committee_id = committee_db
    meeting, _item, _action_id = _meeting_with_action(path, committee_id)
    offered: list[object] = []

    def choose(_parent, committees, current):  # type: ignore[no-untyped-def]
        offered.append((committees, current))
        return committee_id, "all"

    monkeypatch.setattr(export_actions_xlsx, "ask_action_log_options", choose)
    monkeypatch.setattr("paperprep.ui.dialogs.offer_open", lambda *a: "")
    out = tmp_path / "log.xlsx"
    answers["choose_save_file"] = [out]
    window = open_window(path)
    window.select_meeting(meeting)
    run = export_actions_xlsx.export_action_log(window, Audience.PUBLIC)
    assert run is not None
    with qtbot.waitSignal(run.finished, timeout=30000):
        pass
    assert offered and offered[0][1] == committee_id  # type: ignore[index]
    assert out.exists()


def test_decisions_register_public_and_confidential_from_the_menu(
    qtbot, tmp_path, committee_db, open_window, answers, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from paperprep.ops.agenda import SetExempt

    path, committee_id = committee_db
    meeting, item, _action_id = _meeting_with_action(path, committee_id)
    db = open_database(path)
    bench = Workbench(db)
    bench.run(AddResolution(item, ResolutionWording.RESOLVED, "That the confidential tender be awarded"))
    bench.run(SetExempt(item, (3,), "Contract award"))
    db.close()
    monkeypatch.setattr("paperprep.ui.dialogs.offer_open", lambda *a: "")
    window = open_window(path)
    window.select_meeting(meeting)

    def text_of(out: Path) -> str:
        sheet = load_workbook(out).active
        return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)

    written = {}
    for name, audience in (("exportDecisions", "public"), ("exportDecisionsConfidential", "confidential")):
        out = tmp_path / f"decisions-{audience}.xlsx"
        answers["choose_save_file"] = [out]
        _action(window, name).trigger()
        qtbot.waitUntil(out.exists, timeout=30000)
        written[audience] = text_of(out)
    assert "confidential tender" not in written["public"] and "Contract award" in written["public"]
    assert "confidential tender" in written["confidential"]


# -- 5. print ---------------------------------------------------------------------------------------------------


def test_print_menu_entries_exist(qtbot, committee_db, open_window) -> None:  # type: ignore[no-untyped-def]
    path, _committee_id = committee_db
    window = open_window(path)
    file_menu = window.menuBar().actions()[0].menu()
    names = {a.objectName() for a in file_menu.actions()}
    assert {"printPaper", "printPreview"} <= names


def test_print_without_libreoffice_says_so(qtbot, committee_db, open_window, answers, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ops import exports as jobs
    from paperprep.ui import printing

    path, committee_id = committee_db
    meeting, _item, _action_id = _meeting_with_action(path, committee_id)
    monkeypatch.setattr(jobs, "libreoffice_missing", lambda: "LibreOffice is not installed on this computer.")
    window = open_window(path)
    window.select_meeting(meeting)
    answers["ask_choice"] = [0]
    assert printing.print_paper(window, preview=True) is None
    assert any("LibreOffice" in e for e in answers["_errors"])  # type: ignore[union-attr]


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="printing needs LibreOffice and pdftoppm",
)
def test_print_preview_opens_and_prints_the_published_pages(
    qtbot, tmp_path, committee_db, open_window, answers
) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ui import printing

    path, committee_id = committee_db
    meeting, _item, _action_id = _meeting_with_action(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting)
    answers["ask_choice"] = [0]  # the public agenda
    run = printing.print_paper(window, preview=True)
    assert run is not None
    with qtbot.waitSignal(run.ready, timeout=120000) as ready:
        pass
    job = ready.args[0]
    assert job is not None and job.pages
    qtbot.waitUntil(lambda: window.findChild(QPrintPreviewDialog, "printPreview") is not None)
    preview = window.findChild(QPrintPreviewDialog, "printPreview")
    assert preview.isVisible()
    # What the preview paints, into a PDF file: one sheet per page of the published paper.
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert job.paint(printer) == len(job.pages)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = next(int(line.split()[1]) for line in info.splitlines() if line.startswith("Pages:"))
    assert pages == len(job.pages) >= 1
    preview.close()
