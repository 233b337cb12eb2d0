"""Excel: the action log and the decisions register written off the GUI thread, and officers' returned workbooks
read and compared on a worker, previewed, then applied as one operation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from paperprep.domain import Audience
from paperprep.ops.actions import ApplyActionImport
from paperprep.queries import lists
from paperprep.ui import dialogs, failures
from paperprep.ui.export_actions import ExportHost, ExportRun, last_folder, run_export
from paperprep.ui.worker import run_in_background

WORKBOOKS = "Excel workbooks (*.xlsx)"


def _committee(host: ExportHost) -> tuple[int | None, str]:
    """The committee of the meeting on screen (and its code, for the file name), or all committees."""
    meeting_id = host.current_meeting_id()
    if meeting_id is None:
        return None, "all-committees"
    names = host.store.read(lists.export_names, meeting_id)
    return names.committee_id, names.committee_code


def _xlsx(out: Path) -> Path:
    return out if out.suffix.lower() == ".xlsx" else out.with_suffix(".xlsx")


def export_action_log(host: ExportHost, audience: Audience) -> ExportRun | None:
    from paperprep.ops import exports as jobs

    committee_id, code = _committee(host)
    suffix = "-CONFIDENTIAL" if audience is Audience.CONFIDENTIAL else ""
    name = f"action-log-{code}-{dt.date.today().isoformat()}{suffix}.xlsx"
    out = dialogs.choose_save_file(
        host.parent_widget(), "Export action log", str(Path(last_folder()) / name), WORKBOOKS
    )
    if out is None:
        return None
    out = _xlsx(out)
    db = host.store.db

    def job(run: ExportRun) -> list[str]:
        jobs.export_action_log(db, out, committee_id, "open", audience, progress=run.progress)
        return []

    return run_export(host, "Export action log", out, job)


def export_decisions(host: ExportHost) -> ExportRun | None:
    from paperprep.ops import exports as jobs

    committee_id, code = _committee(host)
    out = dialogs.choose_save_file(
        host.parent_widget(),
        "Export decisions",
        str(Path(last_folder()) / f"decisions-{code}.xlsx"),
        WORKBOOKS,
    )
    if out is None:
        return None
    out = _xlsx(out)
    db = host.store.db

    def job(run: ExportRun) -> list[str]:
        jobs.export_decisions(db, out, committee_id)
        return []

    return run_export(host, "Export decisions", out, job)


class ImportRun(QObject):
    """An import in flight: the workbook is read and compared on a worker, then previewed and applied here."""

    finished = Signal(int)  # how many changes were applied (0 when cancelled or nothing to do)


def import_updates(host: ExportHost) -> ImportRun | None:
    """Read a returned workbook off the GUI thread, preview every change, and apply them as one operation."""
    from paperprep.imports.actions_xlsx import read_action_workbook

    parent = host.parent_widget()
    path = dialogs.choose_open_file(parent, "Import officers' updates", last_folder(), WORKBOOKS)
    if path is None:
        return None
    host.store.autosaver.flush()
    run = ImportRun(parent)
    bench = host.store.bench
    host.show_message(f"Reading {path.name}\u2026")

    def work() -> tuple[lists.WorkbookRows, lists.ImportPreview]:
        rows = read_action_workbook(path)
        return rows, bench.read(lambda session: lists.import_preview(session, rows))

    def done(result: tuple[lists.WorkbookRows, lists.ImportPreview]) -> None:
        rows, preview = result
        host.show_message("")  # clears the line
        applied = 0
        if preview.empty:
            dialogs.show_info(
                parent, "Import officers' updates", preview.text + "\n\nThere is nothing to apply."
            )
        else:
            choice = dialogs.ask_apply_import(parent, preview.text, len(preview.conflict_ids))
            if choice:
                resolve = dict.fromkeys(preview.conflict_ids, "theirs") if choice == "apply_theirs" else {}
                # Planned again inside the applying transaction, so nothing changed in between is overwritten.
                applied_op = host.store.run(ApplyActionImport(rows, resolve), parent=parent)
                applied = applied_op.result if applied_op is not None else 0
        if applied:
            host.show_message(f"{applied} changes imported from {path.name}.", 8000)
        run.finished.emit(applied)

    def failed(exc: BaseException) -> None:
        host.show_message("")  # clears the line
        failures.report(parent, exc)
        run.finished.emit(0)

    run_in_background(work, done, failed)
    return run
