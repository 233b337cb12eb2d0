"""Starting the app: the log, the QApplication, the database (with a first-run choice), and the last line of defence.

No traceback reaches the clerk: an unexpected error shows a short apology and the details go to the log file
(paperprep.logs, through ui.failures).

This module imports only what the QApplication needs; the window's code and the first-run dialogs are imported
when `open_main_window` needs them.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import shiboken6  # noqa: F401 - first: it installs the import hook made light below


def _light_pyside_import_hook() -> None:
    """Make PySide's import hook read each module's file instead of asking `inspect` for its source.

    For every module imported after it, PySide looks for the word "PySide6" in the module's source through
    inspect.getsource, which keeps every line of every module in the line cache: about 20 MB and a tenth of a
    second at start-up. Reading the file gives the same answer; anything but a plain .py file, or a PySide that
    no longer has the hook, is left as it was. It must run before PySide6.QtCore is first imported.
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "paperprep", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.paperprep = True  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 - a module PySide loads at run time


_light_pyside_import_hook()

from PySide6.QtCore import Qt, QThreadPool  # noqa: E402 - after the hook is made light
from PySide6.QtGui import QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from paperprep import __version__  # noqa: E402
from paperprep.db import default_database_path  # noqa: E402
from paperprep.db.engine import is_server_url  # noqa: E402
from paperprep.logs import setup_logging  # noqa: E402
from paperprep.ui import style  # noqa: E402

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
    icon = QIcon()
    icons = resources.files("paperprep") / "resources" / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addFile(str(icons / f"paperprep-{size}.png"))
    app.setWindowIcon(icon)
    app.setDesktopFileName("paperprep")  # ties the window to packaging/paperprep.desktop
    style.apply_style(app)
    return app


def open_main_window(db_path: Path | str | None = None) -> MainWindow | None:
    """Open the database (offering the demo on a first run) and return the shown main window, or None.

    A postgresql:// address opens the shared database (team mode): the password kept in the keyring, or asked
    for when the server wants one; a server out of reach is said in one sentence and nothing is opened."""
    if isinstance(db_path, str) and is_server_url(db_path):
        from paperprep.ui.databases import connect_server
        from paperprep.ui.main_window import MainWindow

        shared = connect_server(None, db_path)
        if shared is None:
            return None
        window = MainWindow(shared)
        window.show()
        return window
    path = Path(db_path) if db_path is not None else default_database_path()
    first_run = not path.exists()
    from paperprep.queries import lists
    from paperprep.ui import dialogs
    from paperprep.ui.databases import open_offering_restore
    from paperprep.ui.main_window import MainWindow

    db = open_offering_restore(None, path)  # a damaged file: the last good backup is offered
    if db is None:
        return None
    window = MainWindow(db)
    offer_demo = (first_run or db_path is None) and window.store.read(lists.database_empty)
    window.show()
    if offer_demo and dialogs.ask_first_run(window):
        window.load_demo()
    return window


def run(db_path: Path | str | None = None) -> int:
    from paperprep.ui import failures

    setup_logging()
    app = make_application()
    sys.excepthook = failures.excepthook
    window = open_main_window(db_path)
    if window is None:
        return 1
    code = app.exec()
    window.store.leave_team()  # on a shared database: the other clerks' windows hear that this one has gone
    # An export or a search may still be finishing on a worker: let it end before the database closes.
    QThreadPool.globalInstance().waitForDone(30_000)
    return code
