"""Engine set-up: the SQLite pragmas that make the clerk's file safe, and the translation of storage errors.

Everything SQLite-specific about connections lives here, so that a PostgreSQL engine for team mode needs no change
outside the db package.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from paperprep.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DatabaseProblem,
    DiskFullError,
)

SQLITE_HEADER = b"SQLite format 3\x00"
# How long paperprep waits for another program to let go of the database before it says so, in seconds.
# PAPERPREP_LOCK_TIMEOUT overrides it (tests make it short; IT may make it longer on a slow network drive).
LOCK_TIMEOUT_ENV = "PAPERPREP_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 5.0
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NO_PERMISSION = {errno.EACCES, errno.EPERM, errno.EROFS}


def lock_timeout() -> float:
    """Seconds to wait for a lock held by another connection (PAPERPREP_LOCK_TIMEOUT, else 5)."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return value if 0 < value < 3600 else DEFAULT_LOCK_TIMEOUT


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file: for identifying, checking and copying it."""
    uri = path.expanduser().absolute().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=lock_timeout())


class _TimedOut(Exception):
    """Raised from a backup's progress callback to stop it waiting for a lock."""


def bounded_backup(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """SQLite's online backup, which the sqlite3 module would retry for ever while another program holds a lock:
    here it gives up after the lock timeout with the clerk's sentence."""
    deadline = time.monotonic() + lock_timeout()

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _TimedOut

    try:
        source.backup(target, progress=progress, sleep=0.05)
    except _TimedOut:
        raise DatabaseBusyError() from None


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so BEGIN covers every read too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(lock_timeout() * 1000)}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a change reported saved survives a crash of the program and of the machine.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": lock_timeout(), "check_same_thread": False})
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database at all, before SQLite gives a cryptic error."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError:
        raise DatabaseProblem(
            f"paperprep cannot read {path.name}: permission denied. Ask IT for access, or open another file."
        ) from None
    except OSError as exc:
        raise DatabaseProblem(
            f"paperprep cannot read {path.name}: {exc.strerror}. Check the drive."
        ) from None
    if header and header != SQLITE_HEADER:
        raise CorruptDatabaseError(
            f"{path.name} is not a paperprep database, or its start is damaged. "
            "Restore it from a backup (paperprep restore) or open another file."
        )


def side_file_problem(path: Path) -> DatabaseProblem | None:
    """The sentence for a database whose folder, or a -wal, -shm or -journal file beside it, the clerk cannot
    write, or None when all of those are writable."""
    folder = path.expanduser().absolute().parent
    reasons = []
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists() and not os.access(side, os.R_OK | os.W_OK):
            reasons.append(f"{side.name} belongs to another user or is read-only")
    if not reasons and folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        reasons.append("the folder is read-only for you")
    if not reasons:
        return None
    return DatabaseProblem(
        f"paperprep cannot write beside the database in {folder}: {'; '.join(reasons)}. Ask IT for write "
        "access to that folder, or copy the database to a folder of your own and open the copy."
    )


def os_problem(exc: OSError, path: Path, doing: str, *, beside_database: bool = True) -> DatabaseProblem:
    """A clerk-facing sentence for an operating-system error met while `doing` something with `path`
    (`beside_database`: `path` is the database, so a permission error names its folder and side files)."""
    if exc.errno in _NO_SPACE:
        return DiskFullError()
    if exc.errno in _NO_PERMISSION:
        reason = exc.strerror or "permission denied"
        side = side_file_problem(path) if beside_database else None
        return side or DatabaseProblem(
            f"paperprep cannot {doing} in {path.expanduser().absolute().parent}: {reason}. "
            "Choose a folder you can write to, or ask IT for access."
        )
    return DatabaseProblem(
        f"paperprep cannot {doing} in {path.expanduser().absolute().parent}: {exc.strerror or exc}. "
        "Check that the drive is connected and try again."
    )


def translate(exc: BaseException, path: Path) -> DatabaseProblem | None:
    """A clerk-facing sentence for an environment error (disk full, read-only, locked, corrupt), or None for a bug."""
    inner = exc.orig if isinstance(exc, DBAPIError) else exc
    message = str(inner).lower()
    name = path.name
    if isinstance(inner, OSError) and not isinstance(inner, sqlite3.Error):
        return os_problem(inner, path, "use the database")
    if "locked" in message or "busy" in message:
        return DatabaseBusyError()
    if "disk is full" in message or "database or disk is full" in message:
        return DiskFullError()
    if "readonly" in message or "read-only" in message:
        side = None if path.exists() and not os.access(path, os.W_OK) else side_file_problem(path)
        return side or DatabaseProblem(
            f"{name} is read-only, so changes cannot be saved. "
            "Copy it to a folder you can write to and open the copy."
        )
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return CorruptDatabaseError(
            f"{name} is damaged. Restore it from a backup (File > Restore, or paperprep restore)."
        )
    if "unable to open" in message or "disk i/o" in message:
        side = side_file_problem(path)
        if side is not None:
            return side
        return DatabaseProblem(
            f"paperprep cannot open {name}. Check that the folder exists and the drive is connected."
        )
    if isinstance(exc, (OperationalError, sqlite3.OperationalError, sqlite3.DatabaseError)):
        return DatabaseProblem(f"{name} could not be used: {inner}. Run paperprep check on it.")
    return None
