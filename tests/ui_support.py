"""Helpers shared by the tests that drive the real main window."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from paperprep.db import Database, open_database
from paperprep.services.demo import load_demo
from paperprep.services.meetings import list_meetings


def demo_window(open_window: Any, path: Path, width: int, height: int) -> Any:
    """The demo database in a window of this size, showing the minute of a draft meeting's sixth item."""
    from PySide6.QtWidgets import QApplication

    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
        meetings = list_meetings(s)
    db.close()
    window = open_window(path)
    window.showNormal()
    window.resize(width, height)
    held = next(m for m in meetings if m.committee_code == "CLSC" and m.status.value == "draft_minutes")
    window.select_meeting(held.id)
    window.workspace.open_minutes(window.workspace.agenda.model.rows[5].id)
    QApplication.processEvents()
    return window


def close_window(qtbot: Any, window: Any) -> None:
    """Close a window and let everything it started finish (the spelling loader on a worker thread, queued
    reloads) before its database goes, so that nothing of it runs against a database already dropped."""
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    window.store.leave_team()
    window.close()
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(20)
    db = window.db
    window.deleteLater()  # its timers go with it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(20)
    db.close()


@contextlib.contextmanager
def window_opener(qtbot: Any, database: Callable[..., Database]) -> Iterator[Callable[..., Any]]:
    """opener(*args) -> a real, shown MainWindow on `database(*args)`; every window opened is closed at the end
    (close_window)."""
    from paperprep.ui.application import make_application
    from paperprep.ui.main_window import MainWindow

    make_application()
    windows: list[Any] = []

    def opener(*args: Any) -> Any:
        window = MainWindow(database(*args))
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    try:
        yield opener
    finally:
        for window in windows:
            close_window(qtbot, window)
