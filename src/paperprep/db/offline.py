"""The offline copy of a shared database: a complete SQLite file that a clerk takes away from the network, and
what sync needs to know about it.

`make_offline_copy` reads every table of the server in one consistent snapshot (REPEATABLE READ) and writes the
rows, ids and versions unchanged, into a new paperprep file at the migrations' head, with its FTS5 index built by
the usual triggers. One settings row (`OFFLINE_KEY`) records where the copy came from (the address, never a
password), when (the server's clock and snapshot position) and each copied row as it was: its version and a
fingerprint of its content. Sync compares the copy and the server against those fingerprints, so it knows which
rows changed offline, which changed on the server since, and which changed on both.

A row the copy added gets another id on the server, and so may a row that points at one; its fingerprint then
differs between the two sides. Its entry records both: [version, the copy's fingerprint, the server's id, the
server's fingerprint] (see `entry`), and each side is compared with its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, select, text
from sqlalchemy.engine import URL, Connection, make_url

from paperprep.db import backup as _backup
from paperprep.db.engine import os_problem, read_only, server_url
from paperprep.errors import DatabaseProblem

OFFLINE_KEY = "offline_copy"
# Columns that move without the clerk changing anything: versions, derived minute numbers and edit times.
UNCOMPARED = frozenset({"version", "minute_number", "updated_at"})
# table -> key -> [version or None, fingerprint] or, where the server's row differs in its ids,
# [version or None, the copy's fingerprint, the server's key, the server's fingerprint].
Base_ = dict[str, dict[str, list[Any]]]


def tables() -> list[Table]:
    """Every table of the data model, parents before children."""
    from paperprep.db.models import Base

    return list(Base.metadata.sorted_tables)


def key_of(table: Table, row: Mapping[str, Any]) -> str:
    """A row's primary key as text (every paperprep table has a single-column key)."""
    (column,) = table.primary_key.columns
    return str(row[column.name])


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    return value


def fingerprint(table: Table, row: Mapping[str, Any]) -> str:
    """The content of a row that the clerk edits, the same whichever engine it was read from."""
    content = {c.name: _plain(row[c.name]) for c in table.columns if c.name not in UNCOMPARED}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:24]


def entry(version: Any, copy_print: str, key: str, server_key: str, server_print: str) -> list[Any]:
    """A row's starting point: its fingerprint on each side, and its key on the server (short when they agree)."""
    if server_key == key and server_print == copy_print:
        return [version, copy_print]
    return [version, copy_print, server_key, server_print]


def copy_print(found: list[Any]) -> str:
    """The fingerprint of the row in the copy, as last sent or copied: what an offline change is told from."""
    return str(found[1])


def server_print(found: list[Any]) -> str:
    """The fingerprint of the row on the server, as last sent or copied: what a change on the server is told from.
    A copy sent before both were recorded has the copy's alone."""
    return str(found[3]) if len(found) > 3 else str(found[1])


def server_key(found: list[Any] | None, key: str) -> str:
    """The key of the row on the server: the one it was given when the copy's row was added there, else its own."""
    return str(found[2]) if found is not None and len(found) > 2 else key


def read_table(conn: Connection, table: Table) -> list[dict[str, Any]]:
    (key,) = table.primary_key.columns
    return [dict(r) for r in conn.execute(select(table).order_by(key)).mappings()]


def public_address(location: str) -> str:
    """The server's address as the clerk gave it, without any password."""
    url = server_url(location)
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


@dataclass(frozen=True)
class Origin:
    """Where an offline copy came from, read from its settings row."""

    source: str  # postgresql://user@host:port/db, without a password
    server_time: str  # ISO 8601, the server's clock when the copy was read
    position: str  # the server's snapshot position (transaction id horizon)
    base: Base_

    def entry(self, table: str, key: str) -> list[Any] | None:
        return self.base.get(table, {}).get(key)


@dataclass(frozen=True)
class CopyReport:
    path: Path
    source: str
    server_time: str
    rows: int


def _origin_value(source: str, server_time: str, position: str, base: Base_) -> str:
    return json.dumps(
        {"source": source, "server_time": server_time, "position": position, "rows": base},
        separators=(",", ":"),
    )


def make_offline_copy(location: str, target: Path) -> CopyReport:
    """Write a complete SQLite copy of the shared database at `location` to `target` (replacing it only once the
    copy is whole and checked)."""
    from paperprep.db import open_database, open_server

    target = Path(target)
    if target.exists() and target.is_dir():
        raise DatabaseProblem(f"{target} is a folder. Give the name of the .sqlite file to write.")
    source = public_address(location)
    server = open_server(location)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        _backup.remove_with_side_files(partial)
        local = open_database(partial, daily_backup=False)
        try:
            total = _copy_rows(server.engine, local, source)
        finally:
            local.close()
        with closing(sqlite3.connect(partial)) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        if _backup.integrity_problems(partial, full=True):
            raise DatabaseProblem(
                f"The copy of {server.location} failed its integrity check, so none was made."
            )
        if os.name == "posix":
            os.chmod(partial, 0o600)
        partial.replace(target)
    except OSError as exc:
        raise os_problem(exc, target, "write the offline copy", beside_database=False) from None
    finally:
        server.close()
        _backup.remove_with_side_files(partial)
    origin = read_origin(target)
    return CopyReport(target, source, origin.server_time, total)


def _copy_rows(engine: Any, local: Any, source: str) -> int:
    base: Base_ = {}
    total = 0
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as server:
        when, position = server.execute(
            text("SELECT now(), pg_snapshot_xmax(pg_current_snapshot())::text")
        ).one()
        with local.transaction(foreign_keys=False) as session:
            conn = session.connection()
            for table in reversed(tables()):
                conn.execute(delete(table))
            for table in tables():
                rows = read_table(server, table)
                if table.name == "settings":
                    rows = [r for r in rows if r["key"] != OFFLINE_KEY]
                if rows:
                    conn.execute(insert(table), rows)
                has_version = "version" in table.columns
                base[table.name] = {
                    key_of(table, r): [r["version"] if has_version else None, fingerprint(table, r)]
                    for r in rows
                }
                total += len(rows)
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatabaseProblem(
                    f"The server's data has {len(problems)} rows that point at records that do not exist, so no "
                    "copy was made. Ask IT to check the database."
                )
            stamp = when.astimezone(dt.UTC).isoformat() if when.tzinfo else when.isoformat()
            settings = next(t for t in tables() if t.name == "settings")
            conn.execute(
                insert(settings),
                [{"key": OFFLINE_KEY, "value": _origin_value(source, stamp, str(position), base)}],
            )
    return total


def read_origin(path: Path) -> Origin:
    """Where the offline copy at `path` came from; a file that is not an offline copy is refused."""
    if not path.is_file():
        raise DatabaseProblem(f"There is no offline copy at {path}. Check the path.")
    try:
        conn = read_only(path)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (OFFLINE_KEY,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        row = None
    if row is None:
        raise DatabaseProblem(
            f"{path.name} is not an offline copy of a shared database. Make one with "
            "paperprep backup --db postgresql://... --out FILE.sqlite."
        )
    return _parsed(row[0])


def offline_origin(path: Path | None) -> Origin | None:
    """Where the database file at `path` came from, if it is an offline copy of a shared database; else None (a
    clerk's own file, a server, or a file that cannot be read)."""
    if path is None or not path.is_file():
        return None
    try:
        return read_origin(path)
    except (DatabaseProblem, ValueError, KeyError):
        return None


def origin_in(conn: Connection) -> Origin:
    """The origin recorded in the copy open on `conn` (inside a change of the copy, so that it is read and written
    back in one transaction)."""
    value = conn.execute(text("SELECT value FROM settings WHERE key = :key"), {"key": OFFLINE_KEY}).scalar()
    if value is None:
        raise DatabaseProblem(
            "This database is not an offline copy of a shared database, so it has no changes to send."
        )
    return _parsed(str(value))


def _parsed(value: str) -> Origin:
    data = json.loads(value)
    return Origin(str(data["source"]), str(data["server_time"]), str(data["position"]), data["rows"])


def write_origin(conn: Connection, origin: Origin) -> None:
    """Record the copy's new starting point (after a sync) in its settings row."""
    conn.execute(
        text("UPDATE settings SET value = :value WHERE key = :key"),
        {
            "key": OFFLINE_KEY,
            "value": _origin_value(origin.source, origin.server_time, origin.position, origin.base),
        },
    )


def server_address(origin: Origin, to: str | None) -> str:
    """The server a sync goes to: `to` if given, else the one the copy came from."""
    address = to or origin.source
    make_url(address)  # a malformed address fails here, with the server's own sentence later
    return address


def rows_by_key(
    conn: Connection, table: Table, keys: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The rows of `table` by key text: all of them, or those with the given keys."""
    (column,) = table.primary_key.columns
    query = select(table)
    if keys is not None:
        wanted = list(keys)
        if not wanted:
            return {}
        values: list[Any] = [int(k) for k in wanted] if column.type.python_type is int else wanted
        query = query.where(column.in_(values))
    return {key_of(table, row): row for row in (dict(r) for r in conn.execute(query).mappings())}


__all__ = [
    "OFFLINE_KEY",
    "CopyReport",
    "Origin",
    "copy_print",
    "entry",
    "fingerprint",
    "key_of",
    "make_offline_copy",
    "offline_origin",
    "origin_in",
    "public_address",
    "read_origin",
    "rows_by_key",
    "server_address",
    "server_key",
    "server_print",
    "tables",
    "write_origin",
]
