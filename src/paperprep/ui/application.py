"""Starting the app: the log, the QApplication, the database (with a first-run choice), and the last line of defence.

No traceback reaches the clerk: an unexpected error shows a short apology and the details go to the log file
(paperprep.logs, through ui.failures).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from paperprep import __version__
from paperprep.db import default_database_path
from paperprep.logs import setup_logging
from paperprep.queries import lists
from paperprep.ui import dialogs, failures, style
from paperprep.ui.databases import open_offering_restore

if TYPE_CHECKING:
    from paperprep.ui.main_window import MainWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("paperprep")
    app.setOrganizationName("paperprep")
    app.setApplicationVersion(__version__)
    style.apply_style(app)
    return app


def open_main_window(db_path: Path | None = None) -> MainWindow | None:
    """Open the database (offering the demo on a first run) and return the shown main window, or None."""
    from paperprep.ui.main_window import MainWindow

    path = db_path or default_database_path()
    first_run = not path.exists()
    db = open_offering_restore(None, path)  # a damaged file: the last good backup is offered
    if db is None:
        return None
    window = MainWindow(db)
    offer_demo = (first_run or db_path is None) and window.store.read(lists.database_empty)
    window.show()
    if offer_demo and dialogs.ask_first_run(window):
        window.load_demo()
    return window


def run(db_path: Path | None = None) -> int:
    setup_logging()
    app = make_application()
    sys.excepthook = failures.excepthook
    window = open_main_window(db_path)
    if window is None:
        return 1
    code = app.exec()
    # An export or a search may still be finishing on a worker: let it end before the database closes.
    QThreadPool.globalInstance().waitForDone(30_000)
    return code
