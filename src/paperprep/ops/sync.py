"""Sending the changes made in an offline copy back to the shared database, version-checked.

Each row of the copy is compared with the fingerprint recorded when the copy was made (paperprep.db.offline):
- changed offline only: applied to the server, its version raised;
- changed offline and on the server since (or removed there): a conflict, listed with both values and not
  applied; the offline text stays in the copy, so nothing is lost;
- added offline: inserted with a new server id, and the rows added with it (its resolutions, actions...) point
  at that new id;
- removed offline: removed on the server only if the server's row is as it was when the copy was made.

What reached the server becomes the copy's new starting point (`rebase_copy`, or `RecordSent` in the app): each
row's fingerprint on both sides and its server id, so a row added offline and sent is compared, next time, with
the server's row as it was sent (another id, and ids of other added rows in its links), not with the copy's.

Everything runs as one operation of the workbench, so the approved-minutes guard, the audit and the change
notices to other clerks apply as to any change. It cannot be undone from the app.

A conflict is then settled by the clerk's choice (File > Send my changes in the app): keep mine, take theirs, or
a merged text (`chosen_values`). `send_choice` saves it on the server only if the server's record is still as the
conflict showed it (else the conflict comes back with the new values), and `SettleInCopy` writes it into the copy
and records the server's record as the copy's new starting point, so the next send neither sends nor lists it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Enum, String, Table, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db import offline
from paperprep.db.engine import read_only
from paperprep.errors import ConflictError, PaperprepError, ValidationError
from paperprep.ops.base import Operation, Workbench

Rows = dict[str, dict[str, dict[str, Any]]]  # table -> key -> row
# Why a row was held back with another: it refers to a record of the copy that was not sent.
BLOCKED = "refers to a record that was not sent (see the conflict above)"


@dataclass(frozen=True)
class Conflict:
    """A row the sync did not apply, with both sides' values of the columns where they differ."""

    table: str
    key: str
    reference: str  # the record as the clerk knows it: 'item "Budget" of the Cabinet meeting of 24/04/2025'
    reason: str
    offline: dict[str, Any]
    server: dict[str, Any]
    # What resolving it needs: the server's key of the record, its version and fingerprint as the sync saw them,
    # and both rows whole (None for the side where the record was removed).
    server_key: str = ""
    seen_version: int | None = field(default=None, compare=False)
    seen_print: str | None = field(default=None, compare=False)
    mine: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    theirs: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    # The copy's row as it would be on the server (its key and links turned into the server's ids), which is what
    # `offline` and `server` compare; None when it is the copy's row itself.
    sent: dict[str, Any] | None = field(default=None, compare=False, repr=False)

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
        if not isinstance(day, dt.date):
            return ""
        committee = rows.get("committees", {}).get(str(found.get("committee_id") if found else None))
        name = f"{committee.get('name')} " if committee and committee.get("name") else ""
        return f" of the {name}meeting of {day.strftime('%d/%m/%Y')}"

    def item(item_id: Any) -> str:
        found = rows.get("agenda_items", {}).get(str(item_id))
        if found is None:
            return f"item {item_id}"
        return f'item "{found.get("title")}"{meeting(found.get("meeting_id"))}'

    if table == "agenda_items":
        return item(row.get("id"))
    if table == "meetings":
        return meeting(row.get("id")).removeprefix(" of ") or f"meeting {row.get('id')}"
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
        changed = [
            k for k in mine if k not in base or offline.fingerprint(table, mine[k]) != offline.copy_print(base[k])
        ]
        removed = [k for k in base if k not in mine]
        if not changed and not removed:
            return
        own = mapping.setdefault(name, {})

        def server_key(key: str) -> str:
            return own.get(key, key)

        wanted = [server_key(k) for k in changed + removed if k in base]
        theirs = _locked(conn, table, wanted)
        rebase = result.rebase.setdefault(name, {})
        sent: dict[str, str] = {}  # copy key -> server key, of the rows written: their new starting points
        for key in sorted(changed, key=_order):
            row = mine[key]
            values, blocked = self._remapped(table, row, mapping, held_back)
            if blocked is not None:
                held_back.add((name, key))
                result.conflicts.append(self._conflict(table, key, server_key(key), row, None, blocked))
                continue
            if key in base:
                current = theirs.get(server_key(key))
                if current is None or offline.fingerprint(table, current) != offline.server_print(base[key]):
                    held_back.add((name, key))
                    reason = (
                        "removed on the server since the copy was made"
                        if current is None
                        else "changed both offline and on the server"
                    )
                    as_sent = {**values, pk.name: _typed(pk.type.python_type, server_key(key))}
                    result.conflicts.append(
                        self._conflict(table, key, server_key(key), row, current, reason, as_sent)
                    )
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
                sent[key] = server_key(key)
                self._touch(name, current, touched_meetings)
                continue
            fresh = {c: v for c, v in values.items() if c != pk.name or name == "settings"}
            try:
                with conn.begin_nested():
                    new_key = conn.execute(insert(table).values(**fresh).returning(pk)).scalar_one()
            except IntegrityError as exc:
                held_back.add((name, key))
                reason = f"could not be added on the server ({str(exc.orig).splitlines()[0]})"
                result.conflicts.append(self._conflict(table, key, "", row, None, reason))
                continue
            own[key] = str(new_key)
            result.inserted += 1
            sent[key] = str(new_key)
            self._touch(name, values, touched_meetings)
        # The rows sent, as the server now holds them: compared with the server's rows at the next send.
        now = offline.rows_by_key(conn, table, sent.values())
        for key, on_server in sent.items():
            after = now[on_server]
            rebase[key] = offline.entry(
                after.get("version"),
                offline.fingerprint(table, mine[key]),
                key,
                on_server,
                offline.fingerprint(table, after),
            )
        for key in removed:
            current = theirs.get(server_key(key))
            if current is None:
                rebase[key] = None  # removed on both sides
                continue
            if offline.fingerprint(table, current) != offline.server_print(base[key]):
                reason = "removed offline but changed on the server since"
                result.conflicts.append(self._conflict(table, key, server_key(key), None, current, reason))
                continue
            try:
                with conn.begin_nested():
                    conn.execute(delete(table).where(pk == current[pk.name]))
            except IntegrityError as exc:
                reason = f"could not be removed on the server ({str(exc.orig).splitlines()[0]})"
                result.conflicts.append(self._conflict(table, key, server_key(key), None, current, reason))
                continue
            result.deleted += 1
            rebase[key] = None
            self._touch(name, current, touched_meetings)

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
                return values, BLOCKED
            mapped = mapping.get(target, {}).get(str(value))
            if mapped is not None:
                values[column] = int(mapped)
        return values, None

    def _conflict(
        self,
        table: Table,
        key: str,
        server_key: str,
        mine: dict[str, Any] | None,
        theirs: dict[str, Any] | None,
        reason: str,
        sent: dict[str, Any] | None = None,
    ) -> Conflict:
        return _conflict(
            table,
            key,
            server_key,
            mine,
            theirs,
            reason,
            _reference(table.name, mine or theirs or {}, self.rows),
            sent,
        )

    @staticmethod
    def _touch(table: str, row: dict[str, Any], meetings: set[int]) -> None:
        if table == "agenda_items" and row.get("meeting_id") is not None:
            meetings.add(int(row["meeting_id"]))
        elif table == "meetings" and row.get("id") is not None:
            meetings.add(int(row["id"]))


def _locked(conn: Connection, table: Table, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The server's rows with these keys, locked until the change commits, so no clerk changes them between
    the check and the write."""
    if not keys:
        return {}
    (pk,) = table.primary_key.columns
    values: list[Any] = [int(k) for k in keys] if pk.type.python_type is int else keys
    query = select(table).where(pk.in_(values)).with_for_update()
    return {offline.key_of(table, row): row for row in (dict(r) for r in conn.execute(query).mappings())}


def _typed(kind: type, key: str) -> Any:
    """A key as text turned back into the column's own type."""
    return int(key) if kind is int else key


def _order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)


def rebased(
    origin: offline.Origin, rebase: dict[str, dict[str, list[Any] | None]], server_time: str
) -> offline.Origin:
    """The copy's origin once the rows of `rebase` are on the server: their new starting points recorded; the rows
    held back keep their old one, so they are listed again next time."""
    base = {t: dict(entries) for t, entries in origin.base.items()}
    for table, entries in rebase.items():
        for key, entry in entries.items():
            if entry is None:
                base.get(table, {}).pop(key, None)
            else:
                base.setdefault(table, {})[key] = entry
    return offline.Origin(origin.source, server_time, origin.position, base)


def rebase_copy(path: Path, origin: offline.Origin, result: SyncResult, server_time: str) -> None:
    """Record in the copy that the rows sent are now on the server, so a second sync does not send them again;
    the rows held back keep their old starting point and are listed again next time."""
    import sqlite3

    from sqlalchemy import create_engine

    fresh = rebased(origin, result.rebase, server_time)
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path))
    try:
        with engine.begin() as conn:
            offline.write_origin(conn, fresh)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class RecordSent(Operation[None]):
    """In the offline copy open in the window: what a send put on the server, as the copy's new starting point (what
    rebase_copy does for the command line, here as a change of the open copy)."""

    rebase: dict[str, dict[str, list[Any] | None]] = field(hash=False)
    server_time: str = ""
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Record the changes sent to the shared database"

    def apply(self, session: Session) -> None:
        conn = session.connection()
        origin = offline.origin_in(conn)
        offline.write_origin(conn, rebased(origin, self.rebase, self.server_time or origin.server_time))


def server_time(session: Session) -> str:
    """The server's clock, ISO 8601: the copy's new "as of" after a send."""
    from sqlalchemy import text

    return str(session.execute(text("SELECT now()")).scalar_one().isoformat())


# -- resolving a conflict: the clerk's choice, applied on both sides ------------------------------------------------


class Choice(enum.Enum):
    KEEP_MINE = "keep-mine"  # the offline value goes to the server
    TAKE_THEIRS = "take-theirs"  # the server's value comes into the copy
    MERGE = "merge"  # a text merged from both goes to the server and into the copy


MINUTES_COLUMNS = ("minutes_body", "minutes_text")
Text = str | tuple[B.Block, ...]


@dataclass(frozen=True)
class ConflictField:
    """One thing the clerk sees differ in a conflict: the minutes (body and its plain text as one), or a column."""

    name: str  # the clerk's word for it: "minutes", "title", "purpose"
    columns: tuple[str, ...]
    mine: Any  # the offline value: blocks for the minutes, text, or a plain value
    theirs: Any  # the server's value
    text: bool  # free text, which the clerk may merge


def _table_named(name: str) -> Table:
    for table in offline.tables():
        if table.name == name:
            return table
    raise ValidationError(
        f"There is no {name} table in this version of paperprep. Update paperprep, then send again."
    )


def _is_text(table: Table, column: str) -> bool:
    found = table.columns.get(column)
    if found is None or found.foreign_keys or found.primary_key:
        return False
    return isinstance(found.type, String) and not isinstance(found.type, Enum)


def conflict_fields(conflict: Conflict) -> list[ConflictField]:
    """What differs in a conflict, as the clerk knows it, in the table's column order."""
    table = _table_named(conflict.table)
    mine, theirs = conflict.mine or {}, conflict.theirs or {}
    differing = [c.name for c in table.columns if c.name in conflict.offline or c.name in conflict.server]
    found: list[ConflictField] = []
    for column in differing:
        if column in MINUTES_COLUMNS:
            if any(f.name == "minutes" for f in found):
                continue
            found.append(
                ConflictField(
                    "minutes",
                    MINUTES_COLUMNS,
                    B.loads(mine.get("minutes_body")) if mine else (),
                    B.loads(theirs.get("minutes_body")) if theirs else (),
                    text=bool(mine and theirs),
                )
            )
            continue
        text = _is_text(table, column) and bool(mine and theirs)
        found.append(
            ConflictField(
                column.replace("_", " "),
                (column,),
                conflict.offline.get(column, "") if text else conflict.offline.get(column),
                conflict.server.get(column, "") if text else conflict.server.get(column),
                text,
            )
        )
    return found


def unresolvable(conflict: Conflict) -> str:
    """Why the app cannot settle this conflict by the clerk's choice ("" when it can): the record is gone from one
    side, was never on the server, or differs in what links it to other records."""
    if conflict.mine is None:
        return "It was removed in this copy: edit it on the shared database if it should go there too."
    if conflict.reason == BLOCKED:
        return "It belongs to a record that was not sent: settle that one first, then send again."
    if conflict.theirs is None or not conflict.server_key or conflict.seen_print is None:
        return "It is not on the shared database: add it there again if it is still wanted."
    table = _table_named(conflict.table)
    for column in (*conflict.offline, *conflict.server):
        found = table.columns.get(column)
        if found is not None and (found.primary_key or found.foreign_keys):
            return "It differs in what it belongs to: compare the two and edit the shared database's record."
    return ""


def chosen_values(
    conflict: Conflict, choice: Choice, merged: Mapping[str, Text] | None = None
) -> dict[str, Any]:
    """The values of the differing columns that both sides hold once the clerk has chosen. `merged`: the merged
    text of the text fields (by ConflictField.name); the other differing columns keep the offline value."""
    reason = unresolvable(conflict)
    if reason:
        raise ValidationError(
            f"{conflict.reference[:1].upper()}{conflict.reference[1:]} cannot be settled here. {reason}"
        )
    assert conflict.mine is not None and conflict.theirs is not None
    source = conflict.theirs if choice is Choice.TAKE_THEIRS else conflict.mine
    columns = [c for c in {*conflict.offline, *conflict.server} if c not in offline.UNCOMPARED]
    values = {c: source.get(c) for c in columns}
    if choice is Choice.MERGE:
        fields = {f.name: f for f in conflict_fields(conflict) if f.text}
        for name, text in (merged or {}).items():
            if name not in fields:
                raise ValidationError(
                    f"The {name} of {conflict.reference} is not text to merge: keep yours or take theirs."
                )
            if fields[name].columns == MINUTES_COLUMNS:
                blocks = B.normalise(B.from_plain_text(text) if isinstance(text, str) else text)
                values["minutes_body"] = B.dumps(blocks)
                values["minutes_text"] = B.to_plain_text(blocks)
            else:
                values[fields[name].columns[0]] = (
                    B.storable(text) if isinstance(text, str) else B.to_plain_text(text)
                )
    return values


@dataclass(frozen=True)
class Settled:
    """The record as the server now holds it, after the clerk's choice: the copy's new starting point for it."""

    version: int | None
    print: str


@dataclass(frozen=True)
class SendResolution(Operation[Settled | Conflict]):
    """The clerk's choice for a conflict, saved on the shared database if its record is still as the conflict
    showed it. If it has moved again meanwhile, nothing is written and the conflict comes back with the server's
    new values, for the clerk to look at again."""

    conflict: Conflict = field(hash=False)
    values: dict[str, Any] = field(hash=False)
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Send a change made offline, as chosen"

    def apply(self, session: Session) -> Settled | Conflict:
        conflict = self.conflict
        table = _table_named(conflict.table)
        (pk,) = table.primary_key.columns
        conn = session.connection()
        current = _locked(conn, table, [conflict.server_key]).get(conflict.server_key)
        if current is None or offline.fingerprint(table, current) != conflict.seen_print:
            reason = (
                "removed on the server while you were choosing"
                if current is None
                else "changed again on the server while you were choosing: look at it again"
            )
            return _conflict(
                table,
                conflict.key,
                conflict.server_key,
                conflict.mine,
                current,
                reason,
                conflict.reference,
                conflict.sent,
            )
        columns = {c: v for c, v in self.values.items() if c in table.columns and current.get(c) != v}
        if columns:
            statement = update(table).where(pk == current[pk.name])
            if "version" in table.columns:
                columns["version"] = int(current["version"] or 0) + 1
                statement = statement.where(table.c.version == current["version"])
            conn.execute(statement.values(**columns))
            if table.name == "agenda_items" and "position" in columns:
                from paperprep.services.meetings import get_meeting
                from paperprep.services.numbering import renumber_meeting

                session.expire_all()
                renumber_meeting(session, get_meeting(session, int(current["meeting_id"])))
        after = offline.rows_by_key(conn, table, [conflict.server_key])[conflict.server_key]
        return Settled(after.get("version"), offline.fingerprint(table, after))


@dataclass(frozen=True)
class SettleInCopy(Operation[None]):
    """In the offline copy: the record given the values the clerk chose, and the server's record as its new
    starting point, so the next send neither sends it again nor lists it. Refused if the record changed in the copy
    since the send (the clerk's later typing is never overwritten)."""

    conflict: Conflict = field(hash=False)
    values: dict[str, Any] = field(hash=False)
    settled: Settled = field(hash=False)
    undoable: ClassVar[bool] = False

    @property
    def label(self) -> str:
        return "Settle a change made offline"

    def apply(self, session: Session) -> None:
        conflict = self.conflict
        table = _table_named(conflict.table)
        (pk,) = table.primary_key.columns
        conn = session.connection()
        current = offline.rows_by_key(conn, table, [conflict.key]).get(conflict.key)
        if (
            current is None
            or conflict.mine is None
            or offline.fingerprint(table, current) != offline.fingerprint(table, conflict.mine)
        ):
            raise ConflictError(
                f"{conflict.reference[:1].upper()}{conflict.reference[1:]} was changed in this copy after it was "
                "sent, so your choice was not applied to it. Send your changes again to compare the two."
            )
        columns = {c: v for c, v in self.values.items() if c in table.columns and current.get(c) != v}
        if columns:
            statement = update(table).where(pk == current[pk.name])
            if "version" in table.columns:
                columns["version"] = int(current["version"] or 0) + 1
                statement = statement.where(table.c.version == current["version"])
            conn.execute(statement.values(**columns))
        after = offline.rows_by_key(conn, table, [conflict.key])[conflict.key]
        origin = offline.origin_in(conn)
        fresh = offline.entry(
            self.settled.version,
            offline.fingerprint(table, after),
            conflict.key,
            conflict.server_key,
            self.settled.print,
        )
        offline.write_origin(
            conn, rebased(origin, {conflict.table: {conflict.key: fresh}}, origin.server_time)
        )


def send_choice(server: Workbench, conflict: Conflict, values: dict[str, Any]) -> Settled | Conflict:
    """The server's half of settling a conflict: the chosen values sent, version-checked (nothing is written when
    they are the server's own). Settled, or the conflict again when the server's record moved meanwhile."""
    theirs = conflict.theirs or {}
    if conflict.seen_print is not None and all(theirs.get(c) == v for c, v in values.items()):
        return Settled(conflict.seen_version, conflict.seen_print)
    return server.run(SendResolution(conflict, values), source="Send my changes").result


def settle(
    server: Workbench,
    copy: Workbench,
    conflict: Conflict,
    choice: Choice,
    merged: Mapping[str, Text] | None = None,
) -> Conflict | None:
    """Apply the clerk's choice for one conflict on both sides: None once settled, or the conflict again (with the
    server's new values) when the server's record moved meanwhile; then nothing was written anywhere."""
    values = chosen_values(conflict, choice, merged)
    settled = send_choice(server, conflict, values)
    if isinstance(settled, Conflict):
        return settled
    copy.run(SettleInCopy(conflict, values, settled), source="Send my changes")
    return None


@dataclass
class Settling:
    """What settling every conflict of a send by one choice did (paperprep sync --resolve)."""

    settled: list[Conflict] = field(default_factory=list)
    left: list[tuple[Conflict, str]] = field(default_factory=list)  # with why each was left
    # What the sends after settling put on the server: the records held back behind a settled one.
    sent: SyncResult = field(default_factory=SyncResult)


def settle_all(
    server: Workbench, copy: Workbench, path: Path, conflicts: list[Conflict], choice: Choice, source: str = ""
) -> Settling:
    """Settle each conflict that `choice` can settle, on both sides as in the app, and list the rest with why.
    What was held back only because it belongs to a settled record is then sent (the copy at `path`, open in
    `copy`, records it), and so on until nothing more can go."""
    done = Settling()
    pending = list(conflicts)
    while True:
        left: list[tuple[Conflict, str]] = []
        settled = 0
        for conflict in pending:
            why = unresolvable(conflict)
            if why:
                left.append((conflict, why))
                continue
            try:
                again = settle(server, copy, conflict, choice)
            except PaperprepError as exc:  # one record's problem stops no other; it stays in the copy
                left.append((conflict, exc.message))
                continue
            if again is not None:
                left.append((again, "It changed again on the server during this sync: sync again to compare."))
                continue
            done.settled.append(conflict)
            settled += 1
        if not settled or not any(c.reason == BLOCKED for c, _why in left):
            done.left = left
            return done
        origin, rows = read_copy(path)
        result = server.run(SendOfflineChanges(origin, rows), source=source).result
        copy.run(RecordSent(result.rebase, server.read(server_time)), source=source)
        done.sent.inserted += result.inserted
        done.sent.updated += result.updated
        done.sent.deleted += result.deleted
        pending = result.conflicts


def _conflict(
    table: Table,
    key: str,
    server_key: str,
    mine: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    reason: str,
    reference: str,
    sent: dict[str, Any] | None = None,
) -> Conflict:
    offline_values, server_values = _difference(table, mine if sent is None else sent, theirs)
    return Conflict(
        table.name,
        key,
        reference,
        reason,
        offline_values,
        server_values,
        server_key,
        theirs.get("version") if theirs is not None else None,
        offline.fingerprint(table, theirs) if theirs is not None else None,
        mine,
        theirs,
        sent,
    )


__all__ = [
    "BLOCKED",
    "Choice",
    "Conflict",
    "ConflictField",
    "RecordSent",
    "SendOfflineChanges",
    "SendResolution",
    "SettleInCopy",
    "Settled",
    "Settling",
    "SyncResult",
    "chosen_values",
    "conflict_fields",
    "read_copy",
    "rebase_copy",
    "rebased",
    "send_choice",
    "server_time",
    "settle",
    "settle_all",
    "unresolvable",
]
