"""File > House style in the real window: the choice is stored, and the next paper follows it."""

from __future__ import annotations

import datetime as dt

from docx import Document
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QDialogButtonBox, QMenu

from paperprep.db import open_database
from paperprep.ops import Workbench, exports
from paperprep.ops.agenda import AddItem
from paperprep.ops.meetings import CreateMeeting, SetCouncilName


def test_house_style_chosen_in_the_window_reaches_the_minutes(qtbot, committee_db, open_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, committee_id = committee_db
    db = open_database(path)
    bench = Workbench(db)
    bench.run(SetCouncilName("Borough of Kingsbridge Council"))
    meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 6, 10), dt.time(18, 30))).result
    bench.run(AddItem(meeting, "Budget monitoring"))
    db.close()
    window = open_window(path)
    action = window.findChild(QAction, "houseStyle")
    file_menu = window.findChild(QMenu, "fileMenu")
    assert action is not None and action in file_menu.actions()
    seen: dict[str, str] = {}

    def choose() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible())
        times = dialog.findChild(QComboBox, "houseStyleTime")
        seen["before"] = times.currentText()
        times.setCurrentIndex(next(i for i in range(times.count()) if "24" in times.itemText(i)))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, choose)
    action.trigger()
    assert "pm" in seen["before"]  # the default is the published examples' "6.30 pm"
    out = tmp_path / "minutes.docx"
    exports.export_minutes(window.db, meeting, out)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "18:30" in text and "6.30 pm" not in text
