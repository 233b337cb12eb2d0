"""Excel: the action log and the decisions register written off the GUI thread, and officers' returned workbooks
read and compared on a worker, previewed, then applied as one operation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from paperprep.domain import Audience
from paperprep.ops.actions import ApplyActionImport
from paperprep.queries import lists
from paperprep.ui import dialogs, failures
from paperprep.ui.export_actions import (
    ExportHost,
    ExportRun,
    last_folder,
    run_export,
    safe_name,
    start_helper,
)
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


class ActionLogChoice(QDialog):
    """Which actions go in the workbook: a committee (or all) and a status (open, or all), as the CLI offers."""

    def __init__(
        self, parent: QWidget | None, committees: list[tuple[int, str]], current: int | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionLogChoice")
        self.setWindowTitle("Export action log")
        self.committee = QComboBox()
        self.committee.setObjectName("actionLogCommittee")
        self.committee.setAccessibleName("Committee")
        self.committee.addItem("All committees", None)
        for committee_id, name in committees:
            self.committee.addItem(name, committee_id)
        self.committee.setCurrentIndex(max(0, self.committee.findData(current)) if current is not None else 0)
        self.status = QComboBox()
        self.status.setObjectName("actionLogStatus")
        self.status.setAccessibleName("Actions")
        self.status.addItem("Open actions", "open")
        self.status.addItem("All actions, done and cancelled too", "all")
        form = QFormLayout(self)
        for text, widget in (("&Committee:", self.committee), ("&Actions:", self.status)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def answer(self) -> tuple[int | None, str]:
        return self.committee.currentData(), str(self.status.currentData())


def ask_action_log_options(
    parent: QWidget | None, committees: list[tuple[int, str]], current: int | None
) -> tuple[int | None, str] | None:
    """(committee id or None for all, "open" or "all"), or None (cancelled). Module-level so tests can answer it."""
    dialog = ActionLogChoice(parent, committees, current)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def export_action_log(host: ExportHost, audience: Audience) -> ExportRun | None:
    from paperprep.ops import helper

    start_helper(host)
    current, _code = _committee(host)
    committees = host.store.read(lists.committees)
    choice = ask_action_log_options(host.parent_widget(), [(c.id, c.name) for c in committees], current)
    if choice is None:
        return None
    committee_id, status = choice
    code = next((c.code for c in committees if c.id == committee_id), "all-committees")
    suffix = "-CONFIDENTIAL" if audience is Audience.CONFIDENTIAL else ""
    which = "" if status == "open" else "-all"
    name = f"action-log-{safe_name(code)}{which}-{dt.date.today().isoformat()}{suffix}.xlsx"
    out = dialogs.choose_save_file(
        host.parent_widget(), "Export action log", str(Path(last_folder()) / name), WORKBOOKS
    )
    if out is None:
        return None
    out = _xlsx(out)
    db = host.store.db

    def job(run: ExportRun) -> list[str]:
        helper.run(db, "export_action_log", out, committee_id, status, audience, progress=run.progress)
        return []

    return run_export(host, "Export action log", out, job)


def export_decisions(host: ExportHost, audience: Audience = Audience.PUBLIC) -> ExportRun | None:
    """The register of decisions: public (an exempt item shows its neutral title, no wording) or confidential."""
    from paperprep.ops import helper

    start_helper(host)
    committee_id, code = _committee(host)
    suffix = "-CONFIDENTIAL" if audience is Audience.CONFIDENTIAL else ""
    out = dialogs.choose_save_file(
        host.parent_widget(),
        "Export decisions" + (" (confidential)" if audience is Audience.CONFIDENTIAL else ""),
        str(Path(last_folder()) / f"decisions-{code}{suffix}.xlsx"),
        WORKBOOKS,
    )
    if out is None:
        return None
    out = _xlsx(out)
    db = host.store.db

    def job(run: ExportRun) -> list[str]:
        helper.run(db, "export_decisions", out, committee_id, audience)
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
