"""Sending the changes made in an offline copy back to the shared database, version-checked.

Each row of the copy is compared with the fingerprint recorded when the copy was made (paperprep.db.offline):
- changed offline only: applied to the server, its version raised;
- changed offline and on the server since (or removed there): a conflict, listed with both values and not
  applied; the offline text stays in the copy, so nothing is lost;
- added offline: inserted with a new server id, and the rows added with it (its resolutions, actions...) point
  at that new id;
- removed offline: removed on the server only if the server's row is as it was when the copy was made.

Everything runs as one operation of the workbench, so the approved-minutes guard, the audit and the change
notices to other clerks apply as to any change. It cannot be undone from the app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from paperprep.db import offline
from paperprep.db.engine import read_only
from paperprep.ops.base import Operation

Rows = dict[str, dict[str, dict[str, Any]]]  # table -> key -> row


@dataclass(frozen=True)
class Conflict:
    """A row the sync did not apply, with both sides' values of the columns where they differ."""

    table: str
    key: str
    reference: str  # the record as the clerk knows it: "item "Budget" of 24/04/2025"
    reason: str
    offline: dict[str, Any]
    server: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "id": self.key,
            "reference": self.reference,
            "reason": self.reason,
            "offline": self.offline,
            "server": self.server,
        }


@dataclass
class SyncResult:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    # The copy's new starting point for the rows that reached the server: table -> copy key -> entry or None.
    rebase: dict[str, dict[str, list[Any] | None]] = field(default_factory=dict)

    @property
    def applied(self) -> int:
        return self.inserted + self.updated + self.deleted


def read_copy(path: Path) -> tuple[offline.Origin, Rows]:
    """The copy's origin and every row of it, read without changing the file."""
    from sqlalchemy import create_engine

    origin = offline.read_origin(path)
    engine = create_engine("sqlite://", creator=lambda: read_only(path))
    try:
        with engine.connect() as conn:
            rows: Rows = {t.name: offline.rows_by_key(conn, t) for t in offline.tables()}
    finally:
        engine.dispose()
    rows["settings"].pop(offline.OFFLINE_KEY, None)
    return origin, rows


def _shown(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    return value


def _difference(
    table: Table, mine: dict[str, Any] | None, theirs: dict[str, Any] | None
) -> tuple[dict, dict]:
    columns = [c.name for c in table.columns if c.name not in offline.UNCOMPARED]
    if mine is None or theirs is None:
        return (
            {c: _shown(mine[c]) for c in columns} if mine else {},
            {c: _shown(theirs[c]) for c in columns} if theirs else {},
        )
    differ = [c for c in columns if mine.get(c) != theirs.get(c)]
    return {c: _shown(mine[c]) for c in differ}, {c: _shown(theirs[c]) for c in differ}


def _reference(table: str, row: dict[str, Any], rows: Rows) -> str:
    """The record as the clerk knows it, from the copy's rows."""

    def meeting(meeting_id: Any) -> str:
        found = rows.get("meetings", {}).get(str(meeting_id))
        day = found.get("date") if found else None
        return f" of the meeting of {day.strftime('%d/%m/%Y')}" if isinstance(day, dt.date) else ""

    def item(item_id: Any) -> str:
        found = rows.get("agenda_items", {}).get(str(item_id))
        if found is None:
            return f"item {item_id}"
        return f'item "{found.get("title")}"{meeting(found.get("meeting_id"))}'

    if table == "agenda_items":
        return item(row.get("id"))
    if table == "meetings":
        return f"the meeting{meeting(row.get('id'))}".replace(" of the meeting of", " of")
    if table in ("resolutions", "actions", "attachments", "inspection_summaries"):
        what = {"resolutions": "the resolution", "actions": "an action", "attachments": "a document"}.get(
            table, "the inspection summary"
        )
        return f"{what} of {item(row.get('item_id'))}"
    if table == "action_updates":
        return f"an update of action {row.get('action_id')}"
    if table in ("attendance", "declarations"):
        return f"{'attendance' if table == 'attendance' else 'a declaration'}{meeting(row.get('meeting_id'))}"
    if table == "settings":
        return f'the setting "{row.get("key")}"'
    return f"{table} {row.get('id')}"


@dataclass(frozen=True)
class SendOfflineChanges(Operation[SyncResult]):
    """Apply what changed in an offline copy to the shared database (paperprep sync)."""

    origin: offline.Origin = field(hash=False)
    rows: Rows = field(hash=False)
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Send the changes made offline"

    def apply(self, session: Session) -> SyncResult:
        conn = session.connection()
        result = SyncResult()
        # table -> copy key -> server key, for rows the copy added (now, or in an earlier sync).
        mapping: dict[str, dict[str, str]] = {}
        for table_name, entries in self.origin.base.items():
            for key, entry in entries.items():
                if len(entry) > 2:
                    mapping.setdefault(table_name, {})[key] = str(entry[2])
        held_back: set[tuple[str, str]] = set()
        touched_meetings: set[int] = set()
        for table in offline.tables():
            self._table(conn, table, result, mapping, held_back, touched_meetings)
        if touched_meetings:
            from paperprep.services.meetings import get_meeting
            from paperprep.services.numbering import renumber_meeting

            session.expire_all()
            for meeting_id in sorted(touched_meetings):
                try:
                    meeting = get_meeting(session, meeting_id)
                except Exception:  # noqa: BLE001 - removed by this very sync
                    continue
                renumber_meeting(session, meeting)
        return result

    def _table(
        self,
        conn: Connection,
        table: Table,
        result: SyncResult,
        mapping: dict[str, dict[str, str]],
        held_back: set[tuple[str, str]],
        touched_meetings: set[int],
    ) -> None:
        name = table.name
        (pk,) = table.primary_key.columns
        mine = self.rows.get(name, {})
        base = self.origin.base.get(name, {})
        if name == "settings":
            base = {k: v for k, v in base.items() if k != offline.OFFLINE_KEY}
        changed = [k for k in mine if k not in base or offline.fingerprint(table, mine[k]) != base[k][1]]
        removed = [k for k in base if k not in mine]
        if not changed and not removed:
            return
        own = mapping.setdefault(name, {})

        def server_key(key: str) -> str:
            return own.get(key, key)

        wanted = [server_key(k) for k in changed + removed if k in base]
        theirs = self._locked(conn, table, wanted)
        rebase = result.rebase.setdefault(name, {})
        for key in sorted(changed, key=_order):
            row = mine[key]
            values, blocked = self._remapped(table, row, mapping, held_back)
            if blocked is not None:
                held_back.add((name, key))
                result.conflicts.append(self._conflict(table, key, row, None, blocked))
                continue
            if key in base:
                current = theirs.get(server_key(key))
                if current is None or offline.fingerprint(table, current) != base[key][1]:
                    held_back.add((name, key))
                    reason = (
                        "removed on the server since the copy was made"
                        if current is None
                        else "changed both offline and on the server"
                    )
                    result.conflicts.append(self._conflict(table, key, row, current, reason))
                    continue
                columns = {
                    c: v for c, v in values.items() if c != pk.name and c not in ("version", "minute_number")
                }
                statement = update(table).where(pk == current[pk.name])
                if "version" in table.columns:
                    columns["version"] = int(current["version"] or 0) + 1
                    statement = statement.where(table.c.version == current["version"])
                conn.execute(statement.values(**columns))
                result.updated += 1
                rebase[key] = [columns.get("version"), offline.fingerprint(table, row), *base[key][2:]]
                self._touch(name, current, touched_meetings)
                continue
            fresh = {c: v for c, v in values.items() if c != pk.name or name == "settings"}
            try:
                with conn.begin_nested():
                    new_key = conn.execute(insert(table).values(**fresh).returning(pk)).scalar_one()
            except IntegrityError as exc:
                held_back.add((name, key))
                reason = f"could not be added on the server ({str(exc.orig).splitlines()[0]})"
                result.conflicts.append(self._conflict(table, key, row, None, reason))
                continue
            own[key] = str(new_key)
            result.inserted += 1
            rebase[key] = [row.get("version"), offline.fingerprint(table, row), str(new_key)]
            self._touch(name, values, touched_meetings)
        for key in removed:
            current = theirs.get(server_key(key))
            if current is None:
                rebase[key] = None  # removed on both sides
                continue
            if offline.fingerprint(table, current) != base[key][1]:
                result.conflicts.append(
                    self._conflict(
                        table, key, None, current, "removed offline but changed on the server since"
                    )
                )
                continue
            try:
                with conn.begin_nested():
                    conn.execute(delete(table).where(pk == current[pk.name]))
            except IntegrityError as exc:
                reason = f"could not be removed on the server ({str(exc.orig).splitlines()[0]})"
                result.conflicts.append(self._conflict(table, key, None, current, reason))
                continue
            result.deleted += 1
            rebase[key] = None
            self._touch(name, current, touched_meetings)

    def _locked(self, conn: Connection, table: Table, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The server's rows with these keys, locked until the sync commits, so no clerk changes them between
        the check and the write."""
        if not keys:
            return {}
        (pk,) = table.primary_key.columns
        values: list[Any] = [int(k) for k in keys] if pk.type.python_type is int else keys
        query = select(table).where(pk.in_(values)).with_for_update()
        return {offline.key_of(table, row): row for row in (dict(r) for r in conn.execute(query).mappings())}

    def _remapped(
        self,
        table: Table,
        row: dict[str, Any],
        mapping: dict[str, dict[str, str]],
        held_back: set[tuple[str, str]],
    ) -> tuple[dict[str, Any], str | None]:
        """The row with its references to rows added offline turned into their server ids; or the reason it
        cannot go (it refers to a row that was held back)."""
        values = dict(row)
        for fk in table.foreign_keys:
            column, target = fk.parent.name, fk.column.table.name
            value = values.get(column)
            if value is None:
                continue
            if (target, str(value)) in held_back:
                return values, "refers to a record that was not sent (see the conflict above)"
            mapped = mapping.get(target, {}).get(str(value))
            if mapped is not None:
                values[column] = int(mapped)
        return values, None

    def _conflict(
        self, table: Table, key: str, mine: dict[str, Any] | None, theirs: dict[str, Any] | None, reason: str
    ) -> Conflict:
        offline_values, server_values = _difference(table, mine, theirs)
        reference = _reference(table.name, mine or theirs or {}, self.rows)
        return Conflict(table.name, key, reference, reason, offline_values, server_values)

    @staticmethod
    def _touch(table: str, row: dict[str, Any], meetings: set[int]) -> None:
        if table == "agenda_items" and row.get("meeting_id") is not None:
            meetings.add(int(row["meeting_id"]))
        elif table == "meetings" and row.get("id") is not None:
            meetings.add(int(row["id"]))


def _order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)


def rebase_copy(path: Path, origin: offline.Origin, result: SyncResult, server_time: str) -> None:
    """Record in the copy that the rows sent are now on the server, so a second sync does not send them again;
    the rows held back keep their old starting point and are listed again next time."""
    import sqlite3

    base = {t: dict(entries) for t, entries in origin.base.items()}
    for table, entries in result.rebase.items():
        for key, entry in entries.items():
            if entry is None:
                base.get(table, {}).pop(key, None)
            else:
                base.setdefault(table, {})[key] = entry
    fresh = offline.Origin(origin.source, server_time, origin.position, base)
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path))
    try:
        with engine.begin() as conn:
            offline.write_origin(conn, fresh)
    finally:
        engine.dispose()


__all__ = ["Conflict", "SendOfflineChanges", "SyncResult", "read_copy", "rebase_copy"]
