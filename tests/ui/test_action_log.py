"""The action log window: filters, sorting, status edited in place, and dated updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt

from paperprep.db import open_database
from paperprep.domain import ActionStatus
from paperprep.services import actions as AC
from paperprep.services.demo import load_demo
from paperprep.ui.models import ActionsModel


def test_filter_sort_edit_and_update(qtbot, tmp_path: Path, open_window) -> None:
    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
        open_count = len(AC.list_actions(s, AC.ActionFilter(status="open")))
        everything = len(AC.list_actions(s, AC.ActionFilter()))
    db.close()
    window = open_window(path)
    window.open_action_log()
    log = window.action_log_window
    qtbot.waitUntil(lambda: log.model.rowCount() == open_count)
    log.status.setCurrentIndex(log.status.findData("all"))
    with qtbot.waitSignal(log.loaded):
        log.status.activated.emit(log.status.currentIndex())
    assert log.model.rowCount() == everything > open_count
    log.owner.setText("Head of Inclusion")
    with qtbot.waitSignal(log.loaded):
        qtbot.keyClick(log.owner, Qt.Key.Key_Return)
    assert log.model.rowCount() > 0 and {r.owner for r in log.model.rows} == {"Head of Inclusion"}
    # Sorted by due date through the proxy.
    dues = [log.proxy.index(n, ActionsModel.DUE_COLUMN).data() for n in range(log.proxy.rowCount())]
    as_dates = [dt.datetime.strptime(d, "%d/%m/%Y").date() for d in dues]
    assert as_dates == sorted(as_dates)
    # Status edited in place, saved at once.
    target = log.model.rows[0]
    with qtbot.waitSignal(log.actionsChanged):
        log.model.setData(log.model.index(0, ActionsModel.STATUS_COLUMN), ActionStatus.DONE.value)
    # An update, dated.
    qtbot.waitUntil(lambda: log.model.rowCount() > 0)
    log.select(target.id)
    log.update_text.setText("Figures sent to members.")
    log.update_date.setDate(QDate(2026, 11, 2))
    with qtbot.waitSignal(log.loaded):
        qtbot.mouseClick(log.add_update, Qt.MouseButton.LeftButton)
    row = log.model.rows[log.model.row_of(target.id)]
    assert row.latest_update is not None and row.latest_update.text == "Figures sent to members."
    db = open_database(path)
    with db.transaction() as s:
        action = AC.get_action(s, target.id)
        assert action.status is ActionStatus.DONE
        assert (action.updates[-1].date, action.updates[-1].text) == (
            dt.date(2026, 11, 2),
            "Figures sent to members.",
        )
    db.close()
