"""Opening a database that is already at the current schema does no migration work, Alembic included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from paperprep.db import MIGRATIONS, head_revision, known_revisions, open_database


def test_the_head_read_from_the_files_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite"
    open_database(path, daily_backup=False).close()
    code = (
        "import sys\n"
        "from paperprep.db import open_database\n"
        f"open_database({str(path)!r}, daily_backup=False).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


_HEAVY = ("docx", "openpyxl", "xlsxwriter", "pypdf", "spylls", "alembic", "lxml")


def test_opening_the_main_window_imports_no_exporter_nor_importer(tmp_path: Path) -> None:
    """The window is shown without python-docx, openpyxl, XlsxWriter, pypdf or spylls: they load when first used.

    Spell checking is switched off here, because its dictionary (spylls) is loaded on purpose, on a worker
    thread, as the window opens; with it on, the other four are checked all the same."""
    path = tmp_path / "current.sqlite"
    open_database(path, daily_backup=False).close()
    code = (
        "import sys, json\n"
        "from PySide6.QtCore import QSettings\n"
        "from paperprep.ui.application import make_application, open_main_window\n"
        "app = make_application()\n"
        "QSettings('paperprep', 'paperprep').setValue('spelling', sys.argv[2] == 'on')\n"
        "window = open_main_window(__import__('pathlib').Path(sys.argv[1]))\n"
        "app.processEvents()\n"
        "shown = window is not None and window.isVisible()\n"
        f"print(json.dumps([shown, sorted(m for m in {_HEAVY!r} if m in sys.modules)]))\n"
        "window.close()\n"
    )
    home = tmp_path / "home"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
    )
    for spelling in ("off", "on"):
        result = subprocess.run(
            [sys.executable, "-c", code, str(path), spelling],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=120,
        )
        shown, imported = json.loads(result.stdout.strip().splitlines()[-1])
        assert shown
        expected = [] if spelling == "off" else [m for m in imported if m == "spylls"]
        assert imported == expected, (spelling, imported)
