"""Engine set-up: the SQLite pragmas that make the clerk's file safe, and the translation of storage errors.

Everything SQLite-specific about connections lives here, so that a PostgreSQL engine for team mode needs no change
outside the db package.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from paperprep.errors import CorruptDatabaseError, DatabaseProblem

SQLITE_HEADER = b"SQLite format 3\x00"


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so BEGIN covers every read too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a change reported saved survives a crash of the program and of the machine.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 5, "check_same_thread": False})
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


def translate(exc: BaseException, path: Path) -> DatabaseProblem | None:
    """A clerk-facing sentence for an environment error (disk full, read-only, locked, corrupt), or None for a bug."""
    inner = exc.orig if isinstance(exc, DBAPIError) else exc
    message = str(inner).lower()
    name = path.name
    if "locked" in message or "busy" in message:
        return DatabaseProblem(
            f"{name} is busy in another program. Wait a moment and try again, or close the other copy of paperprep."
        )
    if "readonly" in message or "read-only" in message:
        return DatabaseProblem(
            f"{name} is read-only, so changes cannot be saved. Copy it to a folder you can write to and open the copy."
        )
    if "disk is full" in message or "full" in message and "database" in message:
        return DatabaseProblem(f"The disk holding {name} is full. Free some space, then try again.")
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return CorruptDatabaseError(
            f"{name} is damaged. Restore it from a backup (File > Restore, or paperprep restore)."
        )
    if "unable to open" in message or "disk i/o" in message:
        return DatabaseProblem(
            f"paperprep cannot open {name}. Check that the folder exists and the drive is connected."
        )
    if isinstance(exc, (OperationalError, sqlite3.OperationalError, sqlite3.DatabaseError)):
        return DatabaseProblem(f"{name} could not be used: {inner}. Run paperprep check on it.")
    return None
