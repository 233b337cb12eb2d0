"""Export menu entries for Excel: the action log, the decisions register, and importing officers' updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from paperprep.domain import Audience
from paperprep.errors import PaperprepError
from paperprep.ui import dialogs
from paperprep.ui.export_actions import ExportRun, last_folder, run_export


def _committee(window: Any) -> tuple[int | None, str]:
    meeting_id = window.workspace.meeting_id
    if meeting_id is None:
        return None, "all-committees"
    from paperprep.services.meetings import get_meeting

    return window.store.read(
        lambda s: (lambda m: (m.committee_id, m.committee.code))(get_meeting(s, meeting_id))
    )


def export_action_log(window: Any, audience: Audience) -> ExportRun | None:
    from paperprep.export import jobs

    committee_id, code = _committee(window)
    suffix = "-CONFIDENTIAL" if audience is Audience.CONFIDENTIAL else ""
    name = f"action-log-{code}-{dt.date.today().isoformat()}{suffix}.xlsx"
    out = dialogs.choose_save_file(
        window, "Export action log", str(Path(last_folder()) / name), "Excel workbooks (*.xlsx)"
    )
    if out is None:
        return None
    out = out if out.suffix.lower() == ".xlsx" else out.with_suffix(".xlsx")
    db = window.db

    def job(run: ExportRun) -> list[str]:
        jobs.export_action_log(db, out, committee_id, "open", audience, progress=run.progress)
        return []

    return run_export(window, "Export action log", out, job)


def export_decisions(window: Any) -> ExportRun | None:
    from paperprep.export import jobs

    committee_id, code = _committee(window)
    out = dialogs.choose_save_file(
        window,
        "Export decisions",
        str(Path(last_folder()) / f"decisions-{code}.xlsx"),
        "Excel workbooks (*.xlsx)",
    )
    if out is None:
        return None
    out = out if out.suffix.lower() == ".xlsx" else out.with_suffix(".xlsx")
    db = window.db

    def job(run: ExportRun) -> list[str]:
        jobs.export_decisions(db, out, committee_id)
        return []

    return run_export(window, "Export decisions", out, job)


def import_updates(window: Any) -> int:
    """Read a returned workbook, preview every change, and apply in one transaction. Returns changes applied."""
    from paperprep.imports.actions_xlsx import read_action_workbook
    from paperprep.services.action_import import apply_import, describe_plan, plan_import

    path = dialogs.choose_open_file(
        window, "Import officers' updates", last_folder(), "Excel workbooks (*.xlsx)"
    )
    if path is None:
        return 0
    window.autosaver.flush()
    try:
        rows = read_action_workbook(path)
        plan = window.store.read(lambda s: plan_import(s, rows))
    except PaperprepError as exc:
        dialogs.show_error(window, exc.message)
        return 0
    if not plan.changes and not plan.conflicts:
        dialogs.show_info(
            window, "Import officers' updates", describe_plan(plan) + "\n\nThere is nothing to apply."
        )
        return 0
    choice = dialogs.ask_apply_import(window, describe_plan(plan), len(plan.conflicts))
    if not choice:
        return 0
    resolve = {c.action_id: "theirs" for c in plan.conflicts} if choice == "apply_theirs" else {}
    applied = window.store.write(lambda s: apply_import(s, plan_import(s, rows), resolve), "actions")
    if applied:
        window.statusBar().showMessage(f"{applied} changes imported from {path.name}.", 8000)
        if window.action_log_window is not None:
            window.action_log_window.refresh()
    return int(applied or 0)


def install_xlsx_actions(window: Any, menu: QMenu) -> list[QAction]:
    specs = [
        ("Action &log (Excel)...", "exportActionLog", lambda: export_action_log(window, Audience.PUBLIC)),
        (
            "Action log, confidential (E&xcel)...",
            "exportActionLogConfidential",
            lambda: export_action_log(window, Audience.CONFIDENTIAL),
        ),
        ("&Decisions register (Excel)...", "exportDecisions", lambda: export_decisions(window)),
        ("&Import officers' updates...", "importActionUpdates", lambda: import_updates(window)),
    ]
    actions = []
    for text, name, slot in specs:
        action = QAction(text, window)
        action.setObjectName(name)
        action.triggered.connect(lambda _c=False, s=slot: s())
        menu.addAction(action)
        actions.append(action)
    return actions
