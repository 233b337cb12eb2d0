"""Starting the app: the QApplication, the database (with a first-run choice), and a last line of defence.

No traceback reaches the clerk: an unexpected error shows a short apology and the details go to a log file.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from paperprep import __version__
from paperprep.db import default_database_path, open_database
from paperprep.errors import PaperprepError
from paperprep.ui import dialogs


def log_file() -> Path:
    from platformdirs import user_log_path

    return user_log_path("paperprep", appauthor=False) / "paperprep.log"


def _log(text: str) -> Path | None:
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
        return path
    except OSError:
        return None


def excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if isinstance(value, PaperprepError):
        dialogs.show_error(None, value.message)
        return
    where = _log("".join(traceback.format_exception(kind, value, tb)))
    text = "Sorry, paperprep hit an unexpected problem. Everything saved so far is safe."
    if where is not None:
        text += f" The details are in {where}."
    dialogs.show_error(None, text)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("paperprep")
    app.setOrganizationName("paperprep")
    app.setApplicationVersion(__version__)
    return app


def is_empty(db: object) -> bool:
    from paperprep.services.committees import list_committees

    with db.transaction() as session:  # type: ignore[attr-defined]
        return not list_committees(session, include_archived=True)


def load_demo_into(db: object) -> None:
    from paperprep.services.demo import load_demo

    with db.transaction() as session:  # type: ignore[attr-defined]
        load_demo(session)


def open_main_window(db_path: Path | None = None) -> object:
    """Open the database (offering the demo on a first run) and return the shown main window, or None."""
    from paperprep.ui.main_window import MainWindow

    path = db_path or default_database_path()
    first_run = not path.exists()
    try:
        db = open_database(path)
    except PaperprepError as exc:
        dialogs.show_error(None, exc.message)
        return None
    offer_demo = (first_run or db_path is None) and is_empty(db)
    window = MainWindow(db)
    window.show()
    if offer_demo and dialogs.ask_first_run(window):
        window.load_demo()
    return window


def run(db_path: Path | None = None) -> int:
    app = make_application()
    sys.excepthook = excepthook
    window = open_main_window(db_path)
    if window is None:
        return 1
    code = app.exec()
    # An export or a search may still be finishing on a worker: let it end before the database closes.
    QThreadPool.globalInstance().waitForDone(30_000)
    return code
