"""Consistent copies of the clerk's database with SQLite's online backup API, and restoring from them.

The backup API copies a consistent snapshot even while another connection is writing, so "Backup now" works with
the app open. Rolling backups sit beside the database in "<name>-backups/": one per day on open, the last 14 kept,
and one before every migration (those are never pruned).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from paperprep.errors import CorruptDatabaseError, DatabaseProblem

KEEP_DAILY = 14
DAILY_PREFIX = "daily-"


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-backups"


def copy_database(source: Path, target: Path) -> Path:
    """Write a consistent copy of `source` to `target` (replacing it) with the backup API."""
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "posix":
            os.chmod(target.parent, 0o700)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                # A backup is one self-contained file: no -wal beside it.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        if os.name == "posix":
            os.chmod(partial, 0o600)  # a copy of the record is as private as the record
        partial.replace(target)
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise CorruptDatabaseError(
            f"{source.name} could not be copied ({exc}). Run paperprep check on it, or restore an older backup."
        ) from None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseProblem(
            f"The backup could not be written to {target.parent}: {exc.strerror}. Choose a folder you can write to."
        ) from None
    return target


def daily_backup(db_path: Path, today: dt.date | None = None) -> Path | None:
    """Take today's backup unless there is one; keep the newest 14 daily backups. Returns the new file, if any."""
    today = today or dt.date.today()
    folder = backup_dir(db_path)
    if folder.exists() and any(folder.glob(f"{DAILY_PREFIX}{today.isoformat()}*.sqlite")):
        return None
    stamp = dt.datetime.now().strftime("%H%M%S")
    made = copy_database(db_path, folder / f"{DAILY_PREFIX}{today.isoformat()}-{stamp}.sqlite")
    prune(folder)
    return made


def prune(folder: Path, keep: int = KEEP_DAILY) -> None:
    daily = sorted(folder.glob(f"{DAILY_PREFIX}*.sqlite"))
    for old in daily[:-keep]:
        old.unlink(missing_ok=True)


def pre_migration_backup(db_path: Path, revision: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    return copy_database(db_path, backup_dir(db_path) / f"before-upgrade-from-{revision}-{stamp}.sqlite")


def list_backups(db_path: Path) -> list[Path]:
    folder = backup_dir(db_path)
    if not folder.exists():
        return []
    return sorted(folder.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)


def restore_into(source: Path, db_path: Path) -> None:
    """Overwrite the database at `db_path` with the content of `source`, page by page, through the backup API.

    The backup API writes through SQLite's locking, so a reader never sees half a restore.
    """
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
        try:
            result = src.execute("PRAGMA quick_check").fetchone()
            if not result or result[0] != "ok":
                raise CorruptDatabaseError(
                    f"{source.name} is damaged, so it was not restored. Choose another backup."
                )
            dst = sqlite3.connect(db_path, timeout=10)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(
            f"{source.name} could not be restored ({exc}). Choose another backup file."
        ) from None
