"""Row-level change capture: what one transaction did to the clerk's tables, and putting rows back exactly.

While capture is on, TEMP triggers on every table of the data model copy the old and the new image of each row
that changes into a TEMP log table, as JSON. Being triggers, they see every change whatever its road: ORM writes,
bulk statements, and the database's own ON DELETE CASCADE and SET NULL. TEMP objects belong to one connection and
vanish with it, so nothing is added to the clerk's file and other programs that open it pay nothing.

`restore` writes a set of row images back, with foreign keys switched off for that one transaction (so the rows
can go back in any order and no cascade fires), then checks the foreign keys before committing. Versions are never
turned back: a row that is restored gets a higher version, so a view that read it before is still seen as stale.

On PostgreSQL (team mode) the same functions work over one plpgsql trigger function, `paperprep_capture`, fired
after every row change of every tracked table (the migrations install it, `install_server_capture`). It writes
to_jsonb(OLD) and to_jsonb(NEW) into a TEMP table of the connection, and only while that connection has set
`paperprep.capture` for its transaction, so other clerks' connections and other programs pay one setting lookup.
Row images are the JSON the database makes on both engines, and `current` reads rows in the same form, so images
and rows compare alike. Restoring there runs with every foreign key deferred (the migrations make them deferrable)
and checked before the commit; rows go out children first, as ON DELETE RESTRICT is never deferred, and a cascade
that would reach a row the step does not hold refuses the replay, as SQLite's key check does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from paperprep.errors import ConflictError

Row = Mapping[str, Any]
UNTRACKED = frozenset({"alembic_version", "sqlite_sequence"})
VERSION = "version"
# Recomputed from the committee's scheme after every change, so never a reason to refuse an undo.
DERIVED = frozenset({VERSION, "minute_number"})
# When the row last changed: moved by every edit, so a later edit of another column is no clash on its account.
STAMP = "updated_at"
_INSTALLED = "paperprep_changelog"


@dataclass(frozen=True)
class RowChange:
    """The net change of one row in one operation: None before means inserted, None after means deleted."""

    table: str
    key: tuple[Any, ...]
    before: Row | None
    after: Row | None

    def value(self, column: str) -> Any:
        image = self.after if self.after is not None else self.before
        return image.get(column) if image is not None else None

    def changed_columns(self) -> frozenset[str]:
        if self.before is None or self.after is None:
            return frozenset((self.after or self.before or {}).keys())
        return frozenset(c for c in self.after if self.before.get(c) != self.after.get(c))


CAPTURE_FUNCTION = "paperprep_capture"
CAPTURE_SETTING = "paperprep.capture"
CAPTURE_TRIGGER = "pp_capture"


def _server(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _server_tables(conn: Connection) -> dict[str, list[str]]:
    """Tracked table -> primary key columns, on PostgreSQL."""
    rows = conn.exec_driver_sql(
        "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc "
        "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name "
        "AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name "
        "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() "
        "ORDER BY tc.table_name, kcu.ordinal_position"
    ).fetchall()
    keys: dict[str, list[str]] = {}
    for table, column in rows:
        if table not in UNTRACKED:
            keys.setdefault(table, []).append(column)
    return keys


def install_server_capture(conn: Connection) -> None:
    """Make (or remake) the capture function and its trigger on every tracked table, on PostgreSQL. Idempotent:
    the migrations run it after every upgrade, so a table added by any later migration is captured too."""
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {CAPTURE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF coalesce(current_setting('{CAPTURE_SETTING}', true), '') = 'on' THEN "
        "INSERT INTO pg_temp.pp_log (tbl, old, new) VALUES (TG_TABLE_NAME, "
        "CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END, CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END); "
        "END IF; RETURN NULL; END $$"
    )
    for table in _server_tables(conn):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {CAPTURE_TRIGGER} ON {_q(table)}")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {CAPTURE_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {_q(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {CAPTURE_FUNCTION}()"
        )


def _tables(conn: Connection) -> list[tuple[str, list[str], list[str]]]:
    """(table, columns, primary key columns) of every tracked table, as the database has them."""
    out = []
    names = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%' ORDER BY name"
    ).fetchall()
    for (name,) in names:
        if name in UNTRACKED:
            continue
        info = conn.exec_driver_sql(f'PRAGMA main.table_info("{name}")').fetchall()
        columns = [r[1] for r in info]
        keys = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        out.append((name, columns, keys))
    return out


def _image(prefix: str, columns: Sequence[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {prefix}.\"{c}\"" for c in columns) + ")"


def _install(conn: Connection) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS pp_capture (active INTEGER NOT NULL)")
    conn.exec_driver_sql("DELETE FROM temp.pp_capture")
    conn.exec_driver_sql("INSERT INTO temp.pp_capture VALUES (0)")
    conn.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS pp_log (seq INTEGER PRIMARY KEY, tbl TEXT, old TEXT, new TEXT)"
    )
    when = "WHEN (SELECT active FROM temp.pp_capture)"
    for table, columns, pk in _tables(conn):
        keys[table] = pk
        old, new = _image("OLD", columns), _image("NEW", columns)
        for event, values in (
            ("INSERT", f"NULL, {new}"),
            ("UPDATE", f"{old}, {new}"),
            ("DELETE", f"{old}, NULL"),
        ):
            conn.exec_driver_sql(
                f'CREATE TEMP TRIGGER IF NOT EXISTS "pp_{table}_{event.lower()}" AFTER {event} '
                f'ON main."{table}" {when} BEGIN '
                f"INSERT INTO pp_log (tbl, old, new) VALUES ('{table}', {values}); END"
            )
    return keys


def _schema(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA main.schema_version").scalar() or 0)


def _reinstall(conn: Connection) -> None:
    """Drop this connection's capture triggers and make them again from the tables as they are now."""
    names = conn.exec_driver_sql(
        "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE 'pp^_%' ESCAPE '^'"
    ).fetchall()
    for (name,) in names:
        conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS temp."{name}"')
    conn.connection.info[_INSTALLED] = (_schema(conn), _install(conn))


def _keys(conn: Connection) -> dict[str, list[str]]:
    info = conn.connection.info
    if _server(conn):
        if _INSTALLED not in info:
            info[_INSTALLED] = (0, _server_tables(conn))
        server_keys: dict[str, list[str]] = info[_INSTALLED][1]
        return server_keys
    if _INSTALLED not in info:
        _reinstall(conn)
    keys: dict[str, list[str]] = info[_INSTALLED][1]
    return keys


def begin(conn: Connection) -> None:
    """Start recording this transaction's row changes (call inside the transaction)."""
    _keys(conn)
    if _server(conn):
        # TEMP tables are transactional: one made in a transaction that was rolled back is gone, so ask each time.
        conn.exec_driver_sql(
            "CREATE TEMP TABLE IF NOT EXISTS pp_log (seq bigserial PRIMARY KEY, tbl text, old jsonb, new jsonb)"
        )
        conn.exec_driver_sql("DELETE FROM pg_temp.pp_log")
        conn.exec_driver_sql(f"SELECT set_config('{CAPTURE_SETTING}', 'on', true)")
        return
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_temp_master WHERE name = 'pp_log'").first() is None:
        # Made in a transaction that was rolled back (the first operation on this connection failed), and
        # TEMP objects are transactional: they went with it. Make them again.
        _reinstall(conn)
    elif conn.connection.info[_INSTALLED][0] != _schema(conn):
        # A migration (or another program) changed the tables since: a rebuilt table lost its triggers, and an
        # added column would be missing from the images. Make them again from the tables as they are.
        _reinstall(conn)
    conn.exec_driver_sql("DELETE FROM temp.pp_log")
    conn.exec_driver_sql("UPDATE temp.pp_capture SET active = 1")


def end(conn: Connection) -> tuple[RowChange, ...]:
    """Stop recording and return the net change of each row, in the order the rows first changed."""
    keys = _keys(conn)
    if _server(conn):
        conn.exec_driver_sql(f"SELECT set_config('{CAPTURE_SETTING}', 'off', true)")
        entries = conn.exec_driver_sql("SELECT tbl, old, new FROM pg_temp.pp_log ORDER BY seq").fetchall()
        conn.exec_driver_sql("DELETE FROM pg_temp.pp_log")
    else:
        conn.exec_driver_sql("UPDATE temp.pp_capture SET active = 0")
        entries = conn.exec_driver_sql("SELECT tbl, old, new FROM temp.pp_log ORDER BY seq").fetchall()
        conn.exec_driver_sql("DELETE FROM temp.pp_log")
    net: dict[tuple[str, tuple[Any, ...]], list[Row | None]] = {}
    for table, old_text, new_text in entries:
        old = _decoded(old_text)
        new = _decoded(new_text)
        image = new if new is not None else old
        assert image is not None
        key = (table, tuple(image[k] for k in keys[table]))
        if key in net:
            net[key][1] = new
        else:
            net[key] = [old, new]
    return tuple(
        RowChange(table, key, before, after)
        for (table, key), (before, after) in net.items()
        if before != after
    )


def _decoded(image: Any) -> Row | None:
    """A row image as logged: JSON text on SQLite, already decoded from jsonb on PostgreSQL."""
    if image is None:
        return None
    decoded: Row = json.loads(image) if isinstance(image, (str, bytes)) else image
    return decoded


def merge(older: Sequence[RowChange], newer: Sequence[RowChange]) -> tuple[RowChange, ...]:
    """Two steps as one: each row goes from its first image before to its last image after."""
    net: dict[tuple[str, tuple[Any, ...]], list[Row | None]] = {}
    for change in (*older, *newer):
        slot = net.setdefault((change.table, change.key), [change.before, change.after])
        slot[1] = change.after
    return tuple(RowChange(t, k, b, a) for (t, k), (b, a) in net.items() if b != a)


def current(conn: Connection, table: str, key: tuple[Any, ...]) -> Row | None:
    """The row as it is now, in the form of the logged images, or None when it is not there."""
    pk = _keys(conn)[table]
    if _server(conn):
        where = " AND ".join(f"{_q(c)} = %s" for c in pk)
        found = conn.exec_driver_sql(
            f"SELECT to_jsonb(t) FROM {_q(table)} AS t WHERE {where}", tuple(key)
        ).first()
        return _decoded(found[0]) if found is not None else None
    where = " AND ".join(f'"{c}" = ?' for c in pk)
    cursor = conn.exec_driver_sql(f'SELECT * FROM main."{table}" WHERE {where}', tuple(key))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.cursor.description], row, strict=True))


def _differs(expected: Row, actual: Row, columns: Iterable[str]) -> list[str]:
    return [c for c in columns if c not in DERIVED and c != STAMP and expected.get(c) != actual.get(c)]


def check(conn: Connection, changes: Sequence[RowChange], backwards: bool) -> None:
    """Refuse, with a ConflictError naming what moved, when a row is no longer as this step left it.

    Going back (undo), each row must still be as the step left it; going forward (redo), as it was before. Only
    the columns the step changed are compared, so an unrelated edit of the same row made since is no obstacle.
    """
    for change in changes:
        expected, target = (change.after, change.before) if backwards else (change.before, change.after)
        actual = current(conn, change.table, change.key)
        if expected is None:
            clash = actual is not None
        elif actual is None:
            clash = True
        else:
            columns = change.changed_columns() if target is not None else expected.keys()
            clash = bool(_differs(expected, actual, columns))
        if clash:
            raise ConflictError(
                f"This step cannot be {'undone' if backwards else 'redone'}: {describe(change)} has been "
                "changed since, in another window or by another clerk. Nothing was changed."
            )


def describe(change: RowChange) -> str:
    names = {
        "agenda_items": "an agenda item",
        "actions": "an action",
        "resolutions": "a resolution",
        "meetings": "the meeting",
        "attendance": "the attendance",
        "declarations": "a declaration",
        "inspection_summaries": "an inspection summary",
    }
    return names.get(change.table, f"a record in {change.table.replace('_', ' ')}")


def restore(conn: Connection, changes: Sequence[RowChange], backwards: bool) -> None:
    """Write each row's image back (`before` when going backwards, else `after`) exactly, ids included.

    The caller has switched foreign keys off (SQLite) or deferred them (PostgreSQL) for this transaction, and
    checks them afterwards.
    """
    keys = _keys(conn)
    server = _server(conn)
    mark = "%s" if server else "?"
    prefix = "" if server else "main."
    if server:
        changes = _children_first(conn, changes, backwards)
    # On PostgreSQL a referential action (ON DELETE SET NULL) fires at once even with the keys deferred, so a row
    # deleted early in the replay may change a later one: whether a row was changed since is judged on the rows
    # as they were before the replay wrote anything.
    found = {(c.table, c.key): current(conn, c.table, c.key) for c in changes} if server else {}
    for change in changes:
        target = change.before if backwards else change.after
        pk = keys[change.table]
        table = f"{prefix}{_q(change.table)}"
        where = " AND ".join(f"{_q(c)} = {mark}" for c in pk)
        actual = current(conn, change.table, change.key)
        if target is None:
            if actual is not None:
                conn.exec_driver_sql(f"DELETE FROM {table} WHERE {where}", tuple(change.key))
            continue
        values = dict(target)
        if VERSION in values:
            seen = max(int(values[VERSION] or 0), int((actual or {}).get(VERSION) or 0))
            values[VERSION] = seen + 1
        if actual is None:
            columns = list(values)
            conn.exec_driver_sql(
                f"INSERT INTO {table} ({', '.join(_q(c) for c in columns)}) "
                f"VALUES ({', '.join(mark for _ in columns)})",
                tuple(values[c] for c in columns),
            )
        else:
            # Only what the step changed (check has seen it is still as the step left it): a change made since
            # to another column, in another window or by another clerk, stays, and so does its time.
            source = change.after if backwards else change.before
            changed = (change.changed_columns() | {VERSION}) if source is not None else frozenset(values)
            seen_row = found.get((change.table, change.key)) or actual
            if source is not None and any(seen_row.get(c) != v for c, v in source.items() if c not in DERIVED):
                changed -= {STAMP}
            columns = [c for c in values if c in changed and c not in pk and values[c] != actual.get(c)]
            if columns:
                assignments = ", ".join(f"{_q(c)} = {mark}" for c in columns)
                conn.exec_driver_sql(
                    f"UPDATE {table} SET {assignments} WHERE {where}",
                    (*(values[c] for c in columns), *change.key),
                )
    if server:
        _refuse_cascades_beyond(conn, changes, backwards)


def _references(conn: Connection) -> dict[str, set[str]]:
    """Table -> the tables it refers to by a foreign key (itself left out), on PostgreSQL."""
    rows = conn.exec_driver_sql(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
    ).fetchall()
    graph: dict[str, set[str]] = {}
    for child, parent in rows:
        child, parent = str(child).strip('"'), str(parent).strip('"')
        if child != parent:
            graph.setdefault(child, set()).add(parent)
    return graph


def _children_first(conn: Connection, changes: Sequence[RowChange], backwards: bool) -> list[RowChange]:
    """The rows in their order, but the deletions with every referring table before the tables it refers to:
    PostgreSQL checks ON DELETE RESTRICT at once, whatever is deferred."""
    graph = _references(conn)
    depth: dict[str, int] = {}

    def level(table: str, seen: frozenset[str] = frozenset()) -> int:
        """How far `table` sits from the tables that refer to nothing (children are deeper)."""
        if table not in depth:
            parents = graph.get(table, set()) - seen - {table}
            depth[table] = 1 + max((level(p, seen | {table}) for p in parents), default=0)
        return depth[table]

    deletions = [c for c in changes if (c.before if backwards else c.after) is None]
    others = [c for c in changes if (c.before if backwards else c.after) is not None]
    deletions.sort(key=lambda c: -level(c.table))
    return deletions + others


def _refuse_cascades_beyond(conn: Connection, changes: Sequence[RowChange], backwards: bool) -> None:
    """A deletion's ON DELETE CASCADE or SET NULL fires on PostgreSQL even with the keys deferred. Where it reached
    a row the step does not hold (added since, in another window or by another clerk), refuse the replay, as the
    key check refuses it on SQLite. The audit trail's SET NULL is what the replay does on SQLite too."""
    held = {(c.table, tuple(c.key)) for c in changes}
    keys = _keys(conn)
    logged = conn.exec_driver_sql("SELECT tbl, old, new FROM pg_temp.pp_log ORDER BY seq").fetchall()
    for table, old, new in logged:
        image = _decoded(new) or _decoded(old)
        if table == "audit_entries" or image is None:
            continue
        key = tuple(image[k] for k in keys[table])
        if (table, key) not in held:
            raise ConflictError(
                f"This step cannot be {'undone' if backwards else 'redone'}: "
                f"{describe(RowChange(table, key, None, image))} has been added or changed since, in another "
                "window or by another clerk. Nothing was changed."
            )


def foreign_key_problems(conn: Connection) -> list[tuple[Any, ...]]:
    """The rows that refer to a record that is not there, checked now (before the replay commits)."""
    if not _server(conn):
        return [tuple(r) for r in conn.exec_driver_sql("PRAGMA main.foreign_key_check").fetchall()]
    from sqlalchemy.exc import IntegrityError

    nested = conn.begin_nested()
    try:
        conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
    except IntegrityError as exc:
        nested.rollback()
        diag = getattr(exc.orig, "diag", None)
        return [(getattr(diag, "table_name", None), getattr(diag, "constraint_name", None))]
    nested.commit()
    return []
