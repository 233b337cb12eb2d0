"""Engine set-up: the SQLite pragmas that make the clerk's file safe, the PostgreSQL engine of team mode, and the
translation of storage errors into the clerk's sentences.

Everything engine-specific about connections lives here, so that nothing outside the db package needs to know
which engine it runs on.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
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
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"timeout": lock_timeout(), "check_same_thread": False}
    )
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


POSTGRESQL_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_server_url(location: object) -> bool:
    """Whether `location` names a PostgreSQL database (team mode) rather than an SQLite file."""
    return isinstance(location, str) and location.lower().startswith(POSTGRESQL_SCHEMES)


def server_url(location: str) -> URL:
    """The SQLAlchemy URL for a `postgresql://user@host:port/db?sslmode=...` given by the clerk or IT, on
    psycopg 3. A password is not taken from here but from libpq's usual sources (PGPASSWORD, ~/.pgpass), and
    query parameters (sslmode, sslrootcert, target_session_attrs...) go to libpq as they are."""
    url = make_url(
        location.replace("postgres://", "postgresql://", 1)
        if location.startswith("postgres://")
        else location
    )
    if url.get_backend_name() != "postgresql":
        raise DatabaseProblem(
            f"{location} is not a PostgreSQL address. Give one like postgresql://user@host/db."
        )
    if not url.database:
        raise DatabaseProblem(
            "The PostgreSQL address names no database. Give one like postgresql://user@host:5432/paperprep."
        )
    return url.set(drivername="postgresql+psycopg")


def describe_server(url: URL) -> str:
    """The database as the clerk knows it, without any password: "paperprep on db.council.local:5432", or
    "paperprep on /run/postgresql:5432" for a local socket named by the address's host parameter."""

    def given(name: str) -> str | None:
        value = url.query.get(name)
        return value if isinstance(value, str) or value is None else value[0]

    return f"{url.database} on {url.host or given('host') or 'localhost'}:{url.port or given('port') or 5432}"


def postgresql_engine(url: URL) -> Engine:
    """A pooled engine on PostgreSQL 15+. Each connection names itself (so IT sees paperprep in pg_stat_activity)
    and gives up a lock wait after the lock timeout, as SQLite does, rather than hanging the clerk's window."""
    connect_args: dict[str, Any] = {}
    if "application_name" not in url.query:
        connect_args["application_name"] = "paperprep"
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = 10
    engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    timeout_ms = int(lock_timeout() * 1000)

    def _session_settings(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {timeout_ms}")
        dbapi_connection.commit()

    event.listen(engine, "connect", _session_settings)
    return engine


def server_problem(exc: BaseException, where: str) -> DatabaseProblem | None:
    """A clerk-facing sentence for a PostgreSQL error that comes from the server or the network rather than from
    paperprep (unreachable, refused login, no such database, no right to write, lock timeout), or None for a bug."""
    inner = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(getattr(inner, "diag", None), "sqlstate", None) or getattr(inner, "sqlstate", None) or ""
    message = str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__
    lowered = message.lower()
    if code in ("55P03", "40P01", "40001"):  # lock not available, deadlock, serialization failure
        return DatabaseBusyError(
            "Another clerk was changing the same records, so this could not be saved just now. Try again."
        )
    if code == "53100":
        return DiskFullError()
    if code == "42501" or "read-only" in lowered or code == "25006":
        return DatabaseProblem(
            f"Your database account may only read {where}, so changes cannot be saved. Ask IT for the clerk role."
        )
    if code == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return DatabaseProblem(
            f"There is no database {where}. Ask IT to create it (docs/team-mode.md), or check the address."
        )
    tls = _tls_problem(lowered, message, where)
    if tls is not None:
        return tls
    if code in ("28P01", "28000") or "password" in lowered or "authentication" in lowered:
        return DatabaseProblem(
            f"The server refused your login to {where} ({message}). Check the user name, and set the password "
            "in ~/.pgpass or PGPASSWORD."
        )
    if (
        isinstance(inner, OperationalError)
        or type(inner).__name__ == "OperationalError"
        or code.startswith("08")
    ):
        return DatabaseProblem(
            f"paperprep cannot reach {where} ({message}). Check the network connection and the address, "
            "then try again."
        )
    return None


def _tls_problem(lowered: str, message: str, where: str) -> DatabaseProblem | None:
    """The sentence for a connection that TLS stopped (sslmode, sslrootcert in the address), or None. The server
    was reached, so "cannot reach" and the network would be the wrong advice."""
    if "certificate verify failed" in lowered:
        return DatabaseProblem(
            f"paperprep did not connect to {where}: its certificate is not signed by the certificate authority "
            "that the address trusts (sslrootcert), so it may not be the council's server; ask IT for the "
            "right CA certificate."
        )
    if "does not match host name" in lowered:
        return DatabaseProblem(
            f"paperprep did not connect to {where}: its certificate was issued for another server name, so it "
            "may not be the council's server; check the server name in the address with IT."
        )
    missing = re.search(r'root certificate file "([^"]*)" does not exist', message)
    if missing:
        return DatabaseProblem(
            f"paperprep did not connect to {where}: the CA certificate {missing.group(1)} named in the address "
            "(sslrootcert) does not exist; check the path, or ask IT for the file."
        )
    if "server does not support ssl" in lowered:
        return DatabaseProblem(
            f"paperprep did not connect to {where}: the address asks for an encrypted connection (sslmode) and "
            "the server offers none; ask IT to turn on TLS on the server, or for the right address."
        )
    return None


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
