"""Helpers shared by the tests that drive the real main window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paperprep.db import open_database
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
