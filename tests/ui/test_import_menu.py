"""Officers' updates come back through the Export menu: preview, then one transaction."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from paperprep.db import open_database
from paperprep.domain import ActionStatus, Audience
from paperprep.ops import exports as jobs
from paperprep.services.actions import ActionFilter, list_actions
from paperprep.services.demo import load_demo


def test_import_updates_from_the_menu(qtbot, tmp_path: Path, open_window, answers, monkeypatch) -> None:
    from paperprep.ui import dialogs, export_actions_xlsx

    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
    workbook = tmp_path / "log.xlsx"
    jobs.export_action_log(db, workbook, status="open", audience=Audience.CONFIDENTIAL)
    db.close()
    book = load_workbook(workbook)
    ws = book["Actions"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Status") + 1).value = "Done"
    reference = ws.cell(row=2, column=1).value
    action_id = ws.cell(row=2, column=header.index("paperprep id") + 1).value
    book.save(workbook)

    window = open_window(path)
    answers["choose_open_file"] = [workbook]
    previews: list[str] = []
    monkeypatch.setattr(dialogs, "ask_apply_import", lambda _w, text, _c: previews.append(text) or "apply")
    run = export_actions_xlsx.import_updates(window)
    with qtbot.waitSignal(run.finished, timeout=30_000) as finished:
        pass
    assert finished.args == [1]
    assert (
        f"{reference}: status Open -> Done" in previews[0]
        or f"{reference}: status In progress -> Done" in previews[0]
    )
    db = open_database(path)
    with db.transaction() as s:
        statuses = {a.id: a.status for a in list_actions(s, ActionFilter())}
        assert statuses[action_id] is ActionStatus.DONE
    db.close()
