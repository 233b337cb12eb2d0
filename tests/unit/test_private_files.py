"""The record is private: databases, backups and the log are readable by the clerk's account only (POSIX)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from paperprep.db import open_database
from paperprep.db.backup import backup_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_its_backups_and_folders_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual default, under which files are readable by every local user
    try:
        path = tmp_path / "council" / "clerk.sqlite"
        db = open_database(path)
        db.close()
        copy = db.backup_to(tmp_path / "elsewhere" / "copy.sqlite")
    finally:
        os.umask(old)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    backups = list(backup_dir(path).glob("*.sqlite"))
    assert backups and all(_mode(b) == 0o600 for b in backups)
    assert _mode(backup_dir(path)) == 0o700
    assert _mode(copy) == 0o600


def test_the_log_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paperprep import logs

    monkeypatch.setenv("PAPERPREP_LOG", str(tmp_path / "logs" / "paperprep.log"))
    monkeypatch.setattr(logs, "_configured", [])
    old = os.umask(0o022)
    try:
        where = logs.setup_logging()
    finally:
        os.umask(old)
    assert where is not None and _mode(where) == 0o600
    assert _mode(where.parent) == 0o700
