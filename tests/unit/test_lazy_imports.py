"""What the start imports: the window opens on a database, and `paperprep export minutes` runs, without the
libraries and modules they do not need, which load when first used (issue 14: the start-up figures).

Each case runs in a fresh interpreter, as the app does, and reads its sys.modules."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from paperprep.db import open_database
from paperprep.ops.base import Workbench
from paperprep.ops.meetings import LoadDemo

# Never needed to show the window: Word, Excel and PDF, the keyring and the server's driver, migrations, the
# spelling engine (its own worker loads it, and it is switched off here), and every writer and reader of files.
# Nor the bank holidays package: after the first run its dates come from the user's cache folder.
NOT_AT_START = (
    "holidays",
    "docx",
    "openpyxl",
    "xlsxwriter",
    "pypdf",
    "lxml",
    "keyring",
    "psycopg",
    "alembic",
    "spylls",
)
NOT_AT_START_PACKAGES = ("paperprep.export.", "paperprep.imports.")

# `paperprep export minutes` writes Word: it needs python-docx (and lxml under it), nothing of the desktop app,
# of Excel, of migrations or of the server.
NOT_FOR_THE_CLI = (
    "holidays",
    "PySide6",
    "shiboken6",
    "openpyxl",
    "xlsxwriter",
    "pypdf",
    "alembic",
    "keyring",
    "psycopg",
    "spylls",
)

_START = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from paperprep.ui.application import make_application, open_main_window
app = make_application()
QSettings("paperprep", "paperprep").setValue("spelling", False)
window = open_main_window(Path(sys.argv[1]))
seen = {}

def look():
    from paperprep.db.models import Meeting
    seen["shown"] = window is not None and window.isVisible()
    seen["committees"] = window.navigator_pane.model.rowCount() if window is not None else 0
    seen["orm_configured"] = Meeting.__mapper__.configured
    seen["modules"] = sorted(sys.modules)
    app.quit()

QTimer.singleShot(0, look)
app.exec()
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lazy") / "demo.sqlite"
    db = open_database(path, daily_backup=False)
    try:
        Workbench(db).run(LoadDemo())
    finally:
        db.close()
    return path


def _env(home: Path) -> dict[str, str]:
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
    )


def _after_a_first_run(env: dict[str, str]) -> dict[str, str]:
    """The clerk's folders as a first run leaves them: England's bank holidays kept in the cache folder."""
    code = (
        "import sys\n"
        "from paperprep.services.deadlines import bank_holidays\n"
        "bank_holidays(2025)\n"
        "assert 'holidays' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    return env


def _loaded(modules: list[str], names: tuple[str, ...], packages: tuple[str, ...] = ()) -> list[str]:
    return sorted(
        m for m in modules if m.split(".")[0] in names or (m.startswith(packages) if packages else False)
    )


def test_the_window_opens_on_a_database_without_what_it_does_not_show(demo: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _START, str(demo)],
        capture_output=True,
        text=True,
        env=_after_a_first_run(_env(tmp_path / "home")),
        check=True,
        timeout=120,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["shown"]
    assert seen["committees"] > 0  # the navigator is filled: the start measured is the whole of it
    assert _loaded(seen["modules"], NOT_AT_START, NOT_AT_START_PACKAGES) == []
    # The navigator is read with Core selects: the ORM's mappers are set up when a view first loads a model.
    assert seen["orm_configured"] is False


def test_the_minutes_export_command_imports_no_qt_nor_excel_nor_migrations(
    demo: Path, tmp_path: Path
) -> None:
    with closing(sqlite3.connect(demo)) as conn:
        (meeting_id,) = conn.execute("SELECT id FROM meetings ORDER BY date DESC LIMIT 1").fetchone()
    out = tmp_path / "minutes.docx"
    code = (
        "import json, sys\n"
        "from paperprep.app import main\n"
        "code = main(sys.argv[1:])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "export",
            "minutes",
            "--db",
            str(demo),
            "--meeting",
            str(meeting_id),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=_after_a_first_run(_env(tmp_path / "home")),
        check=True,
        timeout=120,
    )
    exit_code, modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert exit_code == 0 and out.stat().st_size > 0
    assert "docx" in modules  # the writer it needs is there: the list below is not empty by accident
    assert _loaded(modules, NOT_FOR_THE_CLI) == []
