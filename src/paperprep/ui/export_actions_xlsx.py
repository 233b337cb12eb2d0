"""Export menu entries for Excel: the action log, the decisions register, and importing officers' updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from paperprep.domain import Audience
from paperprep.errors import PaperprepError
from paperprep.ui import dialogs
from paperprep.ui.export_actions import ExportRun, last_folder, run_export
from paperprep.ui.worker import run_in_background


def _committee(window: Any) -> tuple[int | None, str]:
    meeting_id = window.workspace.meeting_id
    if meeting_id is None:
        return None, "all-committees"
    from paperprep.services.meetings import get_meeting

    return window.store.read(
        lambda s: (lambda m: (m.committee_id, m.committee.code))(get_meeting(s, meeting_id))
    )


def export_action_log(window: Any, audience: Audience) -> ExportRun | None:
    from paperprep.ops import exports as jobs

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
    from paperprep.ops import exports as jobs

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


class ImportRun(QObject):
    """An import in flight: the workbook is read and compared on a worker, then previewed and applied here."""

    finished = Signal(int)  # how many changes were applied (0 when cancelled or nothing to do)


def import_updates(window: Any) -> ImportRun | None:
    """Read a returned workbook off the GUI thread, preview every change, and apply them in one transaction."""
    from paperprep.imports.actions_xlsx import read_action_workbook
    from paperprep.services.action_import import apply_import, describe_plan, plan_import

    path = dialogs.choose_open_file(
        window, "Import officers' updates", last_folder(), "Excel workbooks (*.xlsx)"
    )
    if path is None:
        return None
    window.autosaver.flush()
    run = ImportRun(window)
    db = window.db
    window.statusBar().showMessage(f"Reading {path.name}\u2026")

    def work() -> tuple[Any, Any]:
        rows = read_action_workbook(path)
        with db.transaction() as session:
            return rows, plan_import(session, rows)

    def done(result: tuple[Any, Any]) -> None:
        rows, plan = result
        window.statusBar().clearMessage()
        applied = 0
        if not plan.changes and not plan.conflicts:
            dialogs.show_info(
                window, "Import officers' updates", describe_plan(plan) + "\n\nThere is nothing to apply."
            )
        else:
            choice = dialogs.ask_apply_import(window, describe_plan(plan), len(plan.conflicts))
            if choice:
                resolve = {c.action_id: "theirs" for c in plan.conflicts} if choice == "apply_theirs" else {}
                # Planned again inside the applying transaction, so nothing changed in between is overwritten.
                applied = int(
                    window.store.write(lambda s: apply_import(s, plan_import(s, rows), resolve), "actions")
                    or 0
                )
        if applied:
            window.statusBar().showMessage(f"{applied} changes imported from {path.name}.", 8000)
            if window.action_log_window is not None:
                window.action_log_window.refresh()
        run.finished.emit(applied)

    def failed(exc: BaseException) -> None:
        window.statusBar().clearMessage()
        if isinstance(exc, PaperprepError):
            dialogs.show_error(window, exc.message)
        else:
            from paperprep.ui.application import excepthook

            excepthook(type(exc), exc, exc.__traceback__)
        run.finished.emit(0)

    run_in_background(work, done, failed)
    return run


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
