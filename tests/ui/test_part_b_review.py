"""Part B you can review: the dialog shows what is stored, warns inside itself, and the item editor shows the
title the public will see."""

from __future__ import annotations

import datetime as dt
import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit

from paperprep.db import open_database
from paperprep.ops import Workbench
from paperprep.ops.agenda import AddItem, SetExempt
from paperprep.ops.meetings import CreateMeeting


def _exempt_item(path, committee_id):  # type: ignore[no-untyped-def]
    db = open_database(path)
    bench = Workbench(db)
    meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 6, 10))).result
    item = bench.run(AddItem(meeting, "Residential placement: named child")).result
    bench.run(SetExempt(item, (1, 2), "Placement decision"))
    db.close()
    return meeting, item


def test_the_dialog_shows_stored_values_and_warns_inside_itself(qtbot, committee_db) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ui import dialogs
    from paperprep.ui.application import make_application

    make_application()
    seen: dict[str, object] = {}

    def drive() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible())
        boxes = {b.objectName(): b for b in dialog.findChildren(QCheckBox)}
        title = dialog.findChild(QLineEdit, "publicTitle")
        seen["ticked"] = sorted(name for name, box in boxes.items() if box.isChecked())
        seen["title"] = title.text()
        for box in boxes.values():
            box.setChecked(False)
        title.setText("Placement decision (revised)")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        ok.click()  # no paragraph ticked: the dialog stays, says why, and keeps the typing
        seen["still_open"] = dialog.isVisible()
        seen["warning"] = dialog.findChild(QLabel, "partBWarning").text()
        seen["kept"] = title.text()
        boxes["paragraph3"].setChecked(True)
        ok.click()

    QTimer.singleShot(0, drive)
    answer = dialogs.ask_paragraphs(None, "Residential placement", paragraphs=(1, 2), public_title="Placement decision")
    assert seen["ticked"] == ["paragraph1", "paragraph2"]
    assert seen["title"] == "Placement decision"
    assert seen["still_open"] is True
    assert "Tick at least one paragraph" in str(seen["warning"])
    assert seen["kept"] == "Placement decision (revised)"
    assert answer == ((3,), "Placement decision (revised)")


def test_reviewing_part_b_keeps_what_is_stored_and_the_public_title_is_in_the_editor(  # type: ignore[no-untyped-def]
    qtbot, committee_db, open_window, answers, monkeypatch
) -> None:
    path, committee_id = committee_db
    meeting, item = _exempt_item(path, committee_id)
    window = open_window(path)
    window.select_meeting(meeting)
    agenda = window.workspace.agenda
    agenda.select(item)
    assert agenda.public_title.isEnabled()
    assert agenda.public_title.text() == "Placement decision"

    asked: list[tuple[object, ...]] = []
    from paperprep.ui import dialogs

    def reviewed(parent, title, paragraphs=(), public_title=""):  # type: ignore[no-untyped-def]
        asked.append((title, tuple(paragraphs), public_title))
        return tuple(paragraphs), public_title  # the clerk looks, and presses OK

    monkeypatch.setattr(dialogs, "ask_paragraphs", reviewed)
    agenda.make_exempt()
    assert asked == [("Residential placement: named child", (1, 2), "Placement decision")]
    with sqlite3.connect(path) as conn:
        stored = conn.execute(
            "SELECT exempt_paragraphs, public_title FROM agenda_items WHERE id = ?", (item,)
        ).fetchone()
    assert stored == ("1,2", "Placement decision")

    # The public title is edited in place, like the other details, and saved.
    agenda.public_title.setFocus()
    agenda.public_title.selectAll()
    qtbot.keyClicks(agenda.public_title, "Children's placement: decision")
    assert window.store.autosaver.flush()
    with sqlite3.connect(path) as conn:
        (public,) = conn.execute("SELECT public_title FROM agenda_items WHERE id = ?", (item,)).fetchone()
    assert public == "Children's placement: decision"

    # A public item has no public title to edit.
    window.workspace.agenda.add_item(title="Budget monitoring")
    assert not agenda.public_title.isEnabled()
