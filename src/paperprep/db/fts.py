"""Full-text search over titles, minutes, resolutions and actions.

On SQLite the index is three FTS5 tables kept in step by triggers, so that every write, by any code path, updates
it in the same transaction. Each FTS row's rowid is the id of its source row. On other databases (team mode on
PostgreSQL) there is no index and `search` falls back to a plain ILIKE scan, so callers never see the difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

# (fts table, source table, indexed columns). Frozen as of migration 0002: a change needs a new migration.
_SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("fts_items", "agenda_items", ("title", "public_title", "purpose", "minutes_text")),
    ("fts_resolutions", "resolutions", ("keyword", "text", "parts")),
    ("fts_actions", "actions", ("text", "owner", "notes")),
)


def _ddl() -> list[str]:
    statements = []
    for fts_table, source, cols in _SOURCES:
        col_list = ", ".join(cols)
        new_vals = ", ".join(f"new.{c}" for c in cols)
        statements += [
            f"CREATE VIRTUAL TABLE {fts_table} USING fts5({col_list}, tokenize='unicode61 remove_diacritics 2')",
            f"INSERT INTO {fts_table}(rowid, {col_list}) SELECT id, {col_list} FROM {source}",
            f"CREATE TRIGGER {fts_table}_ai AFTER INSERT ON {source} BEGIN "
            f"INSERT INTO {fts_table}(rowid, {col_list}) VALUES (new.id, {new_vals}); END",
            f"CREATE TRIGGER {fts_table}_ad AFTER DELETE ON {source} BEGIN "
            f"DELETE FROM {fts_table} WHERE rowid = old.id; END",
            f"CREATE TRIGGER {fts_table}_au AFTER UPDATE ON {source} BEGIN "
            f"DELETE FROM {fts_table} WHERE rowid = old.id; "
            f"INSERT INTO {fts_table}(rowid, {col_list}) VALUES (new.id, {new_vals}); END",
        ]
    return statements


def create(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    for statement in _ddl():
        conn.exec_driver_sql(statement)


def drop(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    for fts_table, _source, _cols in _SOURCES:
        for suffix in ("ai", "ad", "au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {fts_table}_{suffix}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {fts_table}")


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # "item", "resolution" or "action"
    id: int  # the source row's id
    snippet: str
    rank: float


_WORD = re.compile(r"\w+", re.UNICODE)


def _match_expression(query: str) -> str:
    """The clerk's words as an FTS5 query: every word must appear, the last one as a prefix.

    Quoting each word means that FTS5 syntax (AND, NEAR, quotes, colons) typed by the clerk is searched for, not
    interpreted, so no input can make the query fail.
    """
    words = _WORD.findall(query)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(session: Session, query: str, limit: int = 100) -> list[Hit]:
    """Hits for the words of `query`, best first."""
    if session.get_bind().dialect.name != "sqlite":
        return _search_portable(session, query, limit)
    expr = _match_expression(query)
    if not expr:
        return []
    parts = []
    for kind, (fts_table, _source, _cols) in zip(("item", "resolution", "action"), _SOURCES, strict=True):
        parts.append(
            f"SELECT '{kind}' AS kind, rowid AS id, "
            f"snippet({fts_table}, -1, '[', ']', ' … ', 12) AS snip, bm25({fts_table}) AS rank "
            f"FROM {fts_table} WHERE {fts_table} MATCH :q"
        )
    sql = " UNION ALL ".join(parts) + " ORDER BY rank LIMIT :limit"
    rows = session.execute(text(sql), {"q": expr, "limit": limit}).all()
    return [Hit(r.kind, int(r.id), r.snip or "", float(r.rank)) for r in rows]


def _search_portable(session: Session, query: str, limit: int) -> list[Hit]:
    words = _WORD.findall(query)
    if not words:
        return []
    hits: list[Hit] = []
    for kind, (_fts, source, cols) in zip(("item", "resolution", "action"), _SOURCES, strict=True):
        haystack = " || ' ' || ".join(f"coalesce({c}, '')" for c in cols)
        conds = " AND ".join(f"lower({haystack}) LIKE :w{i}" for i in range(len(words)))
        params = {f"w{i}": f"%{w.lower()}%" for i, w in enumerate(words)}
        sql = f"SELECT id, {cols[0]} AS snip FROM {source} WHERE {conds} LIMIT :limit"
        for row in session.execute(text(sql), {**params, "limit": limit}):
            hits.append(Hit(kind, int(row.id), str(row.snip or "")[:120], 0.0))
    return hits[:limit]
