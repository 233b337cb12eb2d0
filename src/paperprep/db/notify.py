"""Team mode's messages between clerks' copies of paperprep, over PostgreSQL's LISTEN/NOTIFY. Qt-free.

Two channels. `paperprep_changes` carries one notice per committed change (kinds of record, meetings, ids, and
who made it), sent by the workbench inside the change's own transaction, so the server delivers it only if the
change commits. `paperprep_presence` carries which minute each open window is editing, repeated every
`HEARTBEAT` seconds and forgotten `EXPIRY` seconds after the last one.

A notice's payload is limited by the server to 8,000 bytes and is lost while a connection is down. So `encode`
keeps every notice under `LIMIT` (too many ids: the kinds and meetings only, and the receiver reloads those; too
many meetings as well: "reload everything"), and after a reconnect the receiver catches up by reloading what it
shows (`paperprep.ops.changes.caught_up`). The `Listener` is the receiving end: its own autocommit connection,
used by one thread.

On an SQLite file there is no server to tell anyone, so a window asks instead: `FileWatch` reads SQLite's
`data_version` on a connection of its own, which moves whenever another connection commits to the file (another
window, another copy of paperprep, the CLI). That costs one pragma and no read of the file when nothing changed.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

CHANGES = "paperprep_changes"
PRESENCE = "paperprep_presence"
LIMIT = 7_900  # bytes: the server's limit is 8,000, less room for the encoding's own margin
HEARTBEAT = 10.0  # seconds between presence notices of a window
EXPIRY = 30.0  # seconds after its last presence notice that another clerk counts as gone
VERSION = 1


def _dump(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def encode(
    label: str,
    origin: tuple[str, str],
    kinds: Iterable[str],
    meetings: Iterable[int],
    ids: Mapping[str, Iterable[int]],
    *,
    everything: bool = False,
) -> str:
    """A change notice's payload: whole if it fits under LIMIT bytes, else without the ids (the receiver reloads
    the kinds in those meetings), else without the meetings too (the receiver reloads everything it shows)."""
    data: dict[str, Any] = {
        "v": VERSION,
        "label": label[:200],
        "origin": [origin[0], origin[1][:200]],
        "kinds": sorted(set(kinds)),
        "meetings": sorted(set(meetings)),
        "ids": {kind: sorted(set(values)) for kind, values in sorted(ids.items())},
        "everything": everything,
    }
    payload = _dump(data)
    if len(payload.encode("utf-8")) <= LIMIT:
        return payload
    data["ids"] = None  # too many: the scopes only
    payload = _dump(data)
    if len(payload.encode("utf-8")) <= LIMIT:
        return payload
    data["meetings"] = []
    data["everything"] = True
    return _dump(data)


def _versioned(payload: str) -> dict[str, Any] | None:
    """The JSON object in `payload` if it is this version's, else None (another program's, or garbled)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("v") == VERSION else None


def decode(payload: str) -> dict[str, Any] | None:
    """The notice in `payload`, or None when it is not one of this version's (another program's, or garbled)."""
    data = _versioned(payload)
    if data is None:
        return None
    origin = data.get("origin")
    if not (isinstance(origin, list) and len(origin) == 2 and all(isinstance(o, str) for o in origin)):
        return None
    if not isinstance(data.get("kinds"), list) or not isinstance(data.get("meetings"), list):
        return None
    ids = data.get("ids")
    if ids is not None and not isinstance(ids, dict):
        return None
    return data


def send(conn: Connection, payload: str) -> None:
    """Queue a change notice in the transaction of `conn`: the server delivers it when (and only if) that commits.

    The server adds the database user that made the change (`db_user`, at most 63 bytes), so other clerks see who
    did it by the account they log in with."""
    conn.execute(
        text(
            "SELECT pg_notify(:channel, left(:payload, -1) || ',\"db_user\":' || to_json(current_user::text)::text "
            "|| '}')"
        ),
        {"channel": CHANGES, "payload": payload},
    )


def writable(conn: Connection) -> bool:
    """Whether the database user of `conn` may change the record (a viewer may only read it)."""
    if conn.dialect.name != "postgresql":
        return True
    row = conn.execute(
        text(
            "SELECT has_table_privilege(current_user, 'agenda_items', 'UPDATE') "
            "AND has_table_privilege(current_user, 'agenda_items', 'INSERT') "
            "AND has_table_privilege(current_user, 'meetings', 'UPDATE')"
        )
    ).scalar()
    return bool(row)


def database_user(conn: Connection) -> str | None:
    """The database user of `conn` on PostgreSQL (a person's login role in team mode), None on SQLite."""
    if conn.dialect.name != "postgresql":
        return None
    return str(conn.execute(text("SELECT current_user")).scalar() or "") or None


@dataclass(frozen=True)
class Notice:
    channel: str
    payload: str


def conninfo(url: URL) -> str:
    """The libpq address of `url` (password and parameters kept), for a connection of psycopg's own."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class Listener:
    """One connection that listens on both channels and sends presence notices. Used by one thread at a time."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self._conn: Any = None

    @property
    def connected(self) -> bool:
        return self._conn is not None and not self._conn.closed

    def connect(self) -> None:
        """Connect and listen; raises the driver's error when the server cannot be reached."""
        import psycopg

        self.close()
        conn = psycopg.connect(
            conninfo(self.url), autocommit=True, connect_timeout=10, application_name="paperprep listener"
        )
        for channel in (CHANGES, PRESENCE):
            conn.execute(f"LISTEN {channel}")
        self._conn = conn

    def wait(self, timeout: float) -> list[Notice]:
        """The notices that arrive within `timeout` seconds (those already waiting at once)."""
        if self._conn is None:
            time.sleep(timeout)
            return []
        found = []
        for notice in self._conn.notifies(timeout=timeout, stop_after=100):
            found.append(Notice(notice.channel, notice.payload))
        return found

    def send(self, channel: str, payload: str) -> None:
        if self._conn is not None:
            self._conn.execute("SELECT pg_notify(%s, %s)", (channel, payload))

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - a broken connection is being let go of
                pass
            self._conn = None


def presence(client: str, user: str, item_id: int | None, event: str = "here") -> str:
    """A presence notice: `here` (editing `item_id`, or nothing), `ask` (a window that has just opened asks the
    others to say where they are) or `gone` (a window closing)."""
    return _dump({"v": VERSION, "client": client, "user": user[:200], "item": item_id, "event": event})


def read_presence(payload: str) -> tuple[str, str, int | None, str] | None:
    """(client, user, item id or None, event) of a presence notice, or None when it is not one."""
    data = _versioned(payload)
    if data is None:
        return None
    client, user, item, event = data.get("client"), data.get("user"), data.get("item"), data.get("event")
    if not isinstance(client, str) or not isinstance(user, str) or event not in ("here", "ask", "gone"):
        return None
    if item is not None and not isinstance(item, int):
        return None
    return client, user, item, str(event)


def display_name(user: str) -> str:
    """A login name as a person's name: "sam.patel" reads "Sam Patel"."""
    words = [w for w in user.replace(".", " ").replace("_", " ").split() if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or user


class FileWatch:
    """Whether an SQLite database file has been committed to by another connection since last asked.

    Its connection only ever reads `PRAGMA data_version`, which changes when any other connection, the caller's
    own included, commits. So the caller marks its own writes (`mark` after each), and what moves in between is
    someone else's. Used by one thread."""

    def __init__(self, path: Path) -> None:
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False
        )
        self._seen = self._version()

    def _version(self) -> int | None:
        if self._conn is None:
            return None
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None  # the file is being replaced (a restore): the window reloads when it opens it again

    def moved(self) -> bool:
        """True when another connection has committed since the last call or `mark`."""
        now = self._version()
        if now is None or now == self._seen:
            return False
        self._seen = now
        return True

    def mark(self) -> None:
        """The caller has just committed: what has moved so far is its own."""
        now = self._version()
        if now is not None:
            self._seen = now

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
