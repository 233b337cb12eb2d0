"""Starting on a damaged database: the window offers the last good backup instead of only refusing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from paperprep.db import backup as B
from paperprep.db import open_database
from paperprep.services import committees as C


def _damaged_with_backup(path: Path) -> Path:
    db = open_database(path, daily_backup=False)
    with db.transaction() as s:
        C.create_committee(s, "Children & Learning Scrutiny", "CLSC")
        for n in range(120):
            C.get_or_create_person(s, f"Councillor number {n} " + "x" * 100)
    db.close()
    backup = B.daily_backup(path)
    assert backup is not None
    with path.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096 * 4)
    return backup


def test_a_damaged_database_is_restored_from_the_offered_backup(qtbot, tmp_path: Path, answers) -> None:
    from paperprep.ui.application import make_application, open_main_window

    make_application()
    path = tmp_path / "clerk.sqlite"
    backup = _damaged_with_backup(path)
    damaged = path.read_bytes()
    answers["confirm"] = [True]
    window = open_main_window(path)
    assert window is not None, answers["_errors"]
    qtbot.addWidget(window)
    assert answers["confirm"] == [] and answers["_errors"] == []
    kept = list(tmp_path.glob("clerk-damaged-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert backup.exists()
    window.close()
    window.db.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT name FROM committees").fetchall() == [("Children & Learning Scrutiny",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_declining_the_offer_leaves_the_file_as_it_was(qtbot, tmp_path: Path, answers) -> None:
    from paperprep.ui.application import make_application, open_main_window

    make_application()
    path = tmp_path / "clerk.sqlite"
    backup = _damaged_with_backup(path)
    damaged = path.read_bytes()
    answers["confirm"] = [False]
    assert open_main_window(path) is None
    (error,) = answers["_errors"]
    assert "damaged" in str(error) and backup.name in str(error)
    assert path.read_bytes() == damaged
    assert not list(tmp_path.glob("clerk-damaged-*"))
