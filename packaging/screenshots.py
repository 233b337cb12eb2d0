"""Regenerate the user guide's screenshots from the real app on demo data, offscreen (no display needed).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from paperprep.db import open_database  # noqa: E402
from paperprep.services.demo import load_demo  # noqa: E402
from paperprep.services.meetings import list_meetings  # noqa: E402

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from paperprep.ui.application import make_application
    from paperprep.ui.main_window import MainWindow

    app = make_application()
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # keep the window's saved layout out of the pictures
        path = Path(tmp) / "demo.sqlite"
        db = open_database(path)
        with db.transaction() as s:
            load_demo(s)
            meetings = list_meetings(s)
        window = MainWindow(db)
        window.resize(1280, 800)
        window.show()
        clsc = [m for m in meetings if m.committee_code == "CLSC"]
        held = next(m for m in reversed(clsc) if m.status.value == "draft_minutes")
        window.select_meeting(held.id)
        ws = window.workspace

        def shot(name: str, widget: object = window) -> None:
            for _ in range(3):
                app.processEvents()
            widget.grab().save(str(IMAGES / f"{name}.png"))  # type: ignore[attr-defined]
            print(f"Written docs/images/{name}.png")

        ws.tabs.setCurrentWidget(ws.agenda)
        ws.agenda.select(ws.agenda.model.rows[5].id)
        shot("guide-agenda")
        ws.tabs.setCurrentWidget(ws.attendance)
        shot("guide-attendance")
        ws.open_minutes(ws.agenda.model.rows[5].id)
        shot("guide-minutes")
        cpb = next(m for m in meetings if m.committee_code == "CPB" and m.status.value == "held")
        window.select_meeting(cpb.id)
        item = next(r for r in ws.agenda.model.rows if r.title == "Ofsted update")
        ws.open_minutes(item.id)
        ws.minutes.tabs.setCurrentWidget(ws.inspection)
        shot("guide-inspection")
        ws.tabs.setCurrentWidget(ws.actions_panel)
        shot("guide-actions")
        window.open_action_log()
        log = window.action_log_window
        for _ in range(50):
            app.processEvents()
            if log.model.rowCount():
                break
            QApplication.instance().thread().msleep(50)  # type: ignore[union-attr]
        shot("guide-action-log", log)
        from paperprep.ui.history import InspectionHistoryDialog

        history = InspectionHistoryDialog(window.store, window)
        history.show()
        shot("guide-inspection-history", history)
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
