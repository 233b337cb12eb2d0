"""The Qt half of `paperprep --self-test`: the real main window on a temporary database, the demo council
loaded through it, and one meeting's minutes and the action log exported from it.

Nobody watches a self-test, so a dialog that opens during it (an error shown to the clerk, or a question no
one will answer) is closed at once and its text becomes the failure: the run never waits on a window no one
sees. The non-Qt half, which isolates the run and reads the files back, is paperprep.selftest.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QMessageLogContext,
    QThreadPool,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from paperprep.db import open_database
from paperprep.domain import Audience, MeetingStatus
from paperprep.errors import PaperprepError
from paperprep.queries import lists

Say = Callable[[str], None]

DEMO_SECONDS = 180.0  # the demo council takes a few seconds; a slow laptop or a first start of a bundle more
MINUTED = (MeetingStatus.MINUTES_APPROVED, MeetingStatus.DRAFT_MINUTES)


@dataclass(frozen=True)
class WindowRun:
    """What the window half hands back for the files to be checked."""

    minutes: Path
    committee: str  # the name of the committee whose minutes were exported
    action_log: Path
    actions: int  # how many actions the exporter says it wrote


class DialogWatch:
    """Closes any dialog that opens during the run, and keeps its text as the reason the run failed."""

    def __init__(self, app: QApplication, main: Callable[[], QWidget | None]) -> None:
        self.app = app
        self.main = main
        self.seen = ""
        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        dialog = self.app.activeModalWidget()
        if dialog is None:
            dialog = next(
                (
                    w
                    for w in self.app.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible() and w is not self.main()
                ),
                None,
            )
        if dialog is None:
            return
        text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
        self.seen = self.seen or " ".join(text.split()) or "a dialog with no text"
        dialog.close()

    def raise_if_seen(self, step: str) -> None:
        if self.seen:
            raise PaperprepError(f"While {step}, paperprep showed this message: {self.seen}")

    def stop(self) -> None:
        self.timer.stop()


def _wait(app: QApplication, watch: DialogWatch, done: Callable[[], bool], seconds: float, step: str) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        watch.raise_if_seen(step)
        if time.monotonic() > deadline:
            raise PaperprepError(f"{step[0].upper()}{step[1:]} took longer than {seconds:.0f} seconds.")
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()
    watch.raise_if_seen(step)


def _to_log(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own notes (the offscreen platform's, say) go to the run's log, not among the self-test's lines."""
    level = logging.WARNING if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) else logging.INFO
    logging.getLogger("paperprep.qt").log(level, "%s", message)


def run_window_checks(folder: Path, say: Say) -> WindowRun:
    """Open the main window on a new database in `folder`, load the demo council and export from it."""
    from paperprep.ops import helper
    from paperprep.ui.application import make_application
    from paperprep.ui.databases import close_database
    from paperprep.ui.main_window import MainWindow

    qInstallMessageHandler(_to_log)
    app = make_application()
    window: MainWindow | None = None
    watch = DialogWatch(app, lambda: window)
    try:
        db = open_database(folder / "paperprep.sqlite")
        window = MainWindow(db)
        window.show()
        shown = window
        _wait(app, watch, shown.isVisible, 30, "opening the main window")
        say(f"main window opened on a temporary database ({app.platformName()} display)")

        loaded: list[bool] = []
        shown.demoLoaded.connect(lambda: loaded.append(True))
        shown.load_demo()
        _wait(app, watch, lambda: bool(loaded), DEMO_SECONDS, "loading the demo data")
        navigator = shown.store.read(lists.navigator)
        if not navigator.meetings:
            raise PaperprepError("The demo data was loaded but no meeting is listed.")
        say(f"demo data loaded: {len(navigator.committees)} committees, {len(navigator.meetings)} meetings")

        minuted = [m for m in navigator.meetings if m.status in MINUTED]
        if not minuted:
            raise PaperprepError("The demo data holds no meeting with minutes to export.")
        meeting = max(minuted, key=lambda m: m.date)
        shown.select_meeting(meeting.id)
        _wait(app, watch, lambda: shown.current_meeting_id() == meeting.id, 30, "showing a demo meeting")

        minutes = folder / "minutes.docx"
        # Written as the Export menu writes it: by the export helper, a process of its own.
        helper.run(shown.db, "export_minutes", meeting.id, minutes, Audience.PUBLIC)
        watch.raise_if_seen("exporting the minutes")
        say(f"minutes of {meeting.committee}, {meeting.date:%d/%m/%Y} exported to Word by the export helper (a process of its own)")

        action_log = folder / "action-log.xlsx"
        count = helper.run(shown.db, "export_action_log", action_log, status="all", audience=Audience.PUBLIC)
        watch.raise_if_seen("exporting the action log")
        say(f"action log exported to Excel: {count} actions")

        shown.close()
        app.processEvents()
        watch.raise_if_seen("closing the main window")
        return WindowRun(minutes, meeting.committee, action_log, count)
    finally:
        watch.stop()
        QThreadPool.globalInstance().waitForDone(30_000)
        if window is not None:
            window.hide()
            window.store.leave_team()
            close_database(window.db)
            window.deleteLater()
            app.processEvents()
