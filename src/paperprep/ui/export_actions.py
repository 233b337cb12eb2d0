"""The Export menu: Word papers and Excel logs written off the GUI thread, with a progress dialog that cancels.

When a file is written the clerk is offered to open it or show its folder; the last folder is remembered.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QProgressDialog

from paperprep.domain import Audience
from paperprep.errors import ExportCancelled, PaperprepError
from paperprep.services.meetings import get_meeting
from paperprep.ui import dialogs
from paperprep.ui.worker import run_in_background


class ExportRun(QObject):
    """One export in flight: the worker reports progress through a signal and reads the cancel flag."""

    progressed = Signal(int, int)
    finished = Signal(object)  # the path written, or None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancelled = threading.Event()

    def progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self.cancelled.is_set()


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w\- ]+", "", text).strip().replace(" ", "-")[:80] or "export"


def last_folder() -> str:
    from paperprep.ui.main_window import settings

    value = settings().value("last_export_folder", "")
    folder = str(value) if value else ""
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_folder(path: Path) -> None:
    from paperprep.ui.main_window import settings

    settings().setValue("last_export_folder", str(path.parent))


def council_template() -> Path | None:
    """The council's Word template chosen in Export > Word template, if it is still there."""
    from paperprep.ui.main_window import settings

    value = settings().value("word_template", "")
    path = Path(str(value)) if value else None
    return path if path is not None and path.is_file() else None


def choose_template(window: Any) -> None:
    from paperprep.ui.main_window import settings

    current = council_template()
    path = dialogs.choose_open_file(
        window,
        "Council's Word template",
        str(current.parent if current else Path.home()),
        "Word documents (*.docx)",
    )
    if path is None:
        return
    settings().setValue("word_template", str(path))
    window.statusBar().showMessage(f"Word papers will use the template {path.name}.", 8000)


def use_default_template(window: Any) -> None:
    from paperprep.ui.main_window import settings

    settings().remove("word_template")
    window.statusBar().showMessage("Word papers will use paperprep's house template.", 8000)


def run_export(window: Any, title: str, out: Path, job: Callable[[ExportRun], list[str]]) -> ExportRun:
    """Run `job` on a worker with a cancellable progress dialog; then offer to open what it wrote."""
    run = ExportRun(window)
    dialog = QProgressDialog(f"Writing {out.name}\u2026", "Cancel", 0, 100, window)
    dialog.setObjectName("exportProgress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setValue(0)
    dialog.canceled.connect(run.cancelled.set)
    run.progressed.connect(lambda done, total: dialog.setValue(int(100 * done / max(1, total))))

    def done(warnings: list[str]) -> None:
        dialog.reset()
        dialog.close()
        remember_folder(out)
        run.finished.emit(out)
        choice = dialogs.offer_open(window, out, warnings)
        if choice == "open":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
        elif choice == "folder":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out.parent)))

    def failed(exc: BaseException) -> None:
        dialog.reset()
        dialog.close()
        run.finished.emit(None)
        if isinstance(exc, ExportCancelled):
            window.statusBar().showMessage("Export cancelled; nothing was written.", 6000)
        elif isinstance(exc, PaperprepError):
            dialogs.show_error(window, exc.message)
        else:
            from paperprep.ui.application import excepthook

            excepthook(type(exc), exc, exc.__traceback__)

    window.autosaver.flush()
    run_in_background(lambda: job(run), done, failed)
    return run


def export_paper(window: Any, kind: str, audience: Audience) -> ExportRun | None:
    from paperprep.ops import exports as jobs

    meeting_id = window.workspace.meeting_id
    if meeting_id is None:
        dialogs.show_error(window, "Choose the meeting to export on the left first.")
        return None
    heading = window.workspace.heading.text().split(":")[0]
    date = window.store.read(lambda s: get_meeting(s, meeting_id).date)
    suggested = f"{_safe_name(heading)}-{kind}-{date.isoformat()}" + (
        "-CONFIDENTIAL" if audience is Audience.CONFIDENTIAL else ""
    )
    out = dialogs.choose_save_file(
        window, f"Export {kind}", str(Path(last_folder()) / f"{suggested}.docx"), "Word documents (*.docx)"
    )
    if out is None:
        return None
    if out.suffix.lower() != ".docx":
        out = out.with_suffix(".docx")
    db = window.db
    template = council_template()
    if kind == "agenda":
        return run_export(
            window,
            "Export agenda",
            out,
            lambda run: jobs.export_agenda(db, meeting_id, out, audience, template, progress=run.progress),
        )
    return run_export(
        window,
        "Export minutes",
        out,
        lambda run: jobs.export_minutes(db, meeting_id, out, audience, template, progress=run.progress),
    )


def install_export_actions(window: Any) -> list[QAction]:
    menu = window.export_menu
    actions = []
    specs = [
        (
            "&Agenda (public)...",
            "exportAgendaPublic",
            "Ctrl+Shift+G",
            lambda: export_paper(window, "agenda", Audience.PUBLIC),
        ),
        (
            "Agenda (&confidential)...",
            "exportAgendaConfidential",
            None,
            lambda: export_paper(window, "agenda", Audience.CONFIDENTIAL),
        ),
        (
            "&Minutes (public)...",
            "exportMinutesPublic",
            "Ctrl+Shift+M",
            lambda: export_paper(window, "minutes", Audience.PUBLIC),
        ),
        (
            "Minutes (c&onfidential)...",
            "exportMinutesConfidential",
            None,
            lambda: export_paper(window, "minutes", Audience.CONFIDENTIAL),
        ),
    ]
    for text, name, shortcut, slot in specs:
        action = QAction(text, window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _c=False, s=slot: s())
        menu.addAction(action)
        actions.append(action)
    menu.addSeparator()
    for text, name, slot in (
        ("Word &template...", "chooseTemplate", lambda: choose_template(window)),
        ("Use the &house template", "defaultTemplate", lambda: use_default_template(window)),
    ):
        action = QAction(text, window)
        action.setObjectName(name)
        action.triggered.connect(lambda _c=False, s=slot: s())
        menu.addAction(action)
        actions.append(action)
    try:
        from paperprep.ui.export_actions_xlsx import install_xlsx_actions
    except ImportError:
        return actions
    menu.addSeparator()
    actions += install_xlsx_actions(window, menu)
    return actions
