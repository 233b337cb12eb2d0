"""Word and PDF exports: papers and the agenda pack written off the GUI thread, with a progress dialog that
cancels; and what every export shares (the host it runs for, the run itself, the last folder and the council's
template).

A PDF is converted from the Word paper by LibreOffice. Where LibreOffice is missing the clerk is told so, and how
to install it, before choosing a file name; the Word exports work as before.

An export needs little of the window: the store, the meeting on screen, a status-bar message and a parent for its
dialogs. That is `ExportHost`; the main window is one, and nothing here imports it. When a file is written the
clerk is offered to open it or show its folder; the last folder is remembered.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QProgressDialog, QWidget

from paperprep.domain import Audience
from paperprep.errors import ExportCancelled
from paperprep.queries import lists
from paperprep.ui import dialogs, failures, settings
from paperprep.ui.store import Store
from paperprep.ui.worker import run_in_background

__all__ = [
    "ExportHost",
    "ExportRun",
    "export_pack",
    "export_paper",
    "last_folder",
    "run_export",
    "safe_name",
    "start_helper",
    "exports_in_flight",
    "cancel_exports",
]

log = logging.getLogger(__name__)

WORD = "Word documents (*.docx)"
PDF = "PDF documents (*.pdf)"


class ExportHost(Protocol):
    """What an export needs of the window it runs for."""

    @property
    def store(self) -> Store: ...

    def current_meeting_id(self) -> int | None:
        """The meeting on screen, or None."""
        ...

    def show_message(self, text: str, timeout: int = 0) -> None:
        """A line in the status bar (0: until the next one)."""
        ...

    def parent_widget(self) -> QWidget:
        """The parent of the export's dialogs."""
        ...


class ExportRun(QObject):
    """One export in flight: the worker reports progress through a signal and reads the cancel flag."""

    progressed = Signal(int, int)
    finished = Signal(object)  # the path written, or None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancelled = threading.Event()
        self._shown = -1  # the last whole percent sent

    def progress(self, done: int, total: int) -> bool:
        """Called on the worker for every step; only a step the bar can show is sent on. Each one is a queued
        call on the GUI thread, and the progress dialog, being modal, runs the event loop inside every value set:
        a 400-item meeting would send 400 of them for a bar of 100."""
        percent = 100 * done // max(1, total)
        if percent != self._shown or done >= total:
            self._shown = percent
            self.progressed.emit(done, total)
        return not self.cancelled.is_set()


def safe_name(text: str) -> str:
    return re.sub(r"[^\w\- ]+", "", text).strip().replace(" ", "-")[:80] or "export"


def last_folder() -> str:
    return settings.last_export_folder()


def choose_template(host: ExportHost) -> None:
    current = settings.word_template()
    path = dialogs.choose_open_file(
        host.parent_widget(),
        "Council's Word template",
        str(current.parent if current else Path.home()),
        "Word documents (*.docx)",
    )
    if path is not None:
        settings.set_word_template(path)
        host.show_message(f"Word papers will use the template {path.name}.", 8000)


def use_house_template(host: ExportHost) -> None:
    settings.set_word_template(None)
    host.show_message("Word papers will use paperprep's house template.", 8000)


def run_export(host: ExportHost, title: str, out: Path, job: Callable[[ExportRun], list[str]]) -> ExportRun:
    """Run `job` on a worker with a cancellable progress dialog; then offer to open what it wrote."""
    parent = host.parent_widget()
    run = ExportRun(parent)
    dialog = QProgressDialog(f"Writing {out.name}\u2026", "Cancel", 0, 100, parent)
    dialog.setObjectName("exportProgress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setValue(0)
    dialog.canceled.connect(run.cancelled.set)
    run.progressed.connect(lambda done, total: dialog.setValue(int(100 * done / max(1, total))))

    def done(warnings: list[str]) -> None:
        _in_flight.pop(run, None)
        dialog.reset()
        dialog.close()
        settings.remember_export_folder(out)
        run.finished.emit(out)
        choice = dialogs.offer_open(parent, out, warnings)
        if choice == "open":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
        elif choice == "folder":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out.parent)))

    def failed(exc: BaseException) -> None:
        _in_flight.pop(run, None)
        dialog.reset()
        dialog.close()
        run.finished.emit(None)
        if isinstance(exc, ExportCancelled):
            host.show_message("Export cancelled; nothing was written.", 6000)
        else:
            failures.report(parent, exc)

    host.store.autosaver.flush()
    _in_flight[run] = (out, parent)
    run_in_background(lambda: job(run), done, failed)
    return run


# Exports still being written, each with its file and the window it runs for.
_in_flight: dict[ExportRun, tuple[Path, QWidget]] = {}


def exports_in_flight(window: QWidget) -> list[Path]:
    """The files that exports started from `window` are still writing."""
    return [out for out, parent in _in_flight.values() if parent is window]


def cancel_exports(window: QWidget) -> None:
    """Cancel the exports started from `window` (it is closing): each stops at its next step and writes nothing."""
    for run, (_out, parent) in list(_in_flight.items()):
        if parent is window:
            run.cancelled.set()


def start_helper(host: ExportHost) -> None:
    """Start the process that will write the export (paperprep.ops.helper) while the clerk chooses its file
    name, so that the export need not wait for it. Should it fail to start, the export says why."""
    from paperprep.ops import helper

    try:
        helper.prepare(host.store.db)
    except Exception:  # noqa: BLE001 - the export tries again, and reports what stops it
        log.warning("the export helper could not be started ahead", exc_info=True)


def _suggested_name(host: ExportHost, meeting_id: int, kind: str, audience: Audience) -> str:
    names = host.store.read(lists.export_names, meeting_id)
    return f"{safe_name(names.committee_name)}-{kind}-{names.date.isoformat()}" + (
        "-CONFIDENTIAL" if audience is Audience.CONFIDENTIAL else "-public"
    )


def _pdf_possible(host: ExportHost) -> bool:
    """Whether this computer can write PDFs; if not, the clerk is told how to install LibreOffice."""
    from paperprep.ops import exports as jobs

    missing = jobs.libreoffice_missing()
    if missing:
        dialogs.show_error(host.parent_widget(), missing)
        return False
    return True


def export_paper(host: ExportHost, kind: str, audience: Audience, pdf: bool = False) -> ExportRun | None:
    """The agenda or the minutes ("agenda" or "minutes") of the meeting on screen, as Word or as a tagged PDF."""
    from paperprep.ops import helper

    parent = host.parent_widget()
    meeting_id = host.current_meeting_id()
    if meeting_id is None:
        dialogs.show_error(parent, "Choose the meeting to export on the left first.")
        return None
    if pdf and not _pdf_possible(host):
        return None
    suffix, kinds = (".pdf", PDF) if pdf else (".docx", WORD)
    start_helper(host)
    suggested = _suggested_name(host, meeting_id, kind, audience)
    out = dialogs.choose_save_file(
        parent, f"Export {kind}", str(Path(last_folder()) / f"{suggested}{suffix}"), kinds
    )
    if out is None:
        return None
    if out.suffix.lower() != suffix:
        out = out.with_suffix(suffix)
    db = host.store.db
    template = settings.word_template()
    if kind == "agenda":
        return run_export(
            host,
            "Export agenda",
            out,
            lambda run: helper.run(db, "export_agenda", meeting_id, out, audience, template, progress=run.progress),
        )
    return run_export(
        host,
        "Export minutes",
        out,
        lambda run: helper.run(db, "export_minutes", meeting_id, out, audience, template, progress=run.progress),
    )


def export_pack(host: ExportHost, audience: Audience) -> ExportRun | None:
    """The agenda pack of the meeting on screen: one PDF, and beside it a folder of the separate PDFs."""
    from paperprep.ops import exports as jobs
    from paperprep.ops import helper

    parent = host.parent_widget()
    meeting_id = host.current_meeting_id()
    if meeting_id is None:
        dialogs.show_error(parent, "Choose the meeting to export on the left first.")
        return None
    if not _pdf_possible(host):
        return None
    start_helper(host)
    suggested = _suggested_name(host, meeting_id, "agenda-pack", audience)
    out = dialogs.choose_save_file(
        parent, "Export agenda pack", str(Path(last_folder()) / f"{suggested}.pdf"), PDF
    )
    if out is None:
        return None
    if out.suffix.lower() != ".pdf":
        out = out.with_suffix(".pdf")
    db = host.store.db
    template = settings.word_template()
    folder = jobs.pack_folder(out)

    run = run_export(
        host,
        "Export agenda pack",
        out,
        lambda run: helper.run(db, "export_pack", meeting_id, out, audience, template, progress=run.progress),
    )

    def written(path: object) -> None:
        if path is not None:
            host.show_message(f"The separate PDFs to publish on the website are in {folder}.", 20000)

    run.finished.connect(written)
    return run
