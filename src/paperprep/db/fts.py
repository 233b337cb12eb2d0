"""Full-text search over titles, minutes, resolutions and actions.

On SQLite the index is three FTS5 tables kept in step by triggers, so that every write, by any code path, updates
it in the same transaction. Each FTS row's rowid is the id of its source row. On PostgreSQL (team mode) each
source table has a GIN index over the tsvector of its indexed columns (english dictionary), which the database
keeps in step itself; `search` ranks by ts_rank and cuts snippets with ts_headline, marked like FTS5's. Either way
the hits come back best first, in the same form, so callers never see which engine answered.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.orm import Session

# (fts table, source table, indexed columns). Frozen as of migration 0002: a change needs a new migration.
_SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("fts_items", "agenda_items", ("title", "public_title", "purpose", "minutes_text")),
    ("fts_resolutions", "resolutions", ("keyword", "text", "parts")),
    ("fts_actions", "actions", ("text", "owner", "notes")),
)


# How FTS5 cuts text into words. Migration 0002 made the tables with UNICODE61; 0009 remade them with STEMMED, so
# that "meetings" finds "meeting" as PostgreSQL's english configuration does: the same hits on both engines.
UNICODE61 = "unicode61 remove_diacritics 2"
STEMMED = f"porter {UNICODE61}"


def _ddl(tokenize: str) -> list[str]:
    statements = []
    for fts_table, source, cols in _SOURCES:
        col_list = ", ".join(cols)
        new_vals = ", ".join(f"new.{c}" for c in cols)
        statements += [
            f"CREATE VIRTUAL TABLE {fts_table} USING fts5({col_list}, tokenize='{tokenize}')",
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


CONFIG = "english"


def _document(cols: tuple[str, ...]) -> str:
    """The indexed columns as one text (the same expression in the index and in the query, so the index serves)."""
    return " || ' ' || ".join(f"coalesce({c}, '')" for c in cols)


def _vector(cols: tuple[str, ...]) -> str:
    return f"to_tsvector('{CONFIG}'::regconfig, {_document(cols)})"


def create(conn: Connection, tokenize: str = STEMMED) -> None:
    """The search index, as of the newest migration (an older migration names the tokenizer it used)."""
    if conn.dialect.name == "postgresql":
        for fts_table, source, cols in _SOURCES:
            conn.exec_driver_sql(f"CREATE INDEX ix_{fts_table} ON {source} USING gin ({_vector(cols)})")
        return
    if conn.dialect.name != "sqlite":
        return
    for statement in _ddl(tokenize):
        conn.exec_driver_sql(statement)


def drop(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for fts_table, _source, _cols in _SOURCES:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{fts_table}")
        return
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


def _ts_query(query: str) -> str:
    """The clerk's words as a tsquery: every word must appear, the last one as a prefix. Only word characters
    reach it, quoted, so no input can make the query fail."""
    words = _WORD.findall(query)
    if not words:
        return ""
    quoted = [f"'{w}'" for w in words]
    quoted[-1] += ":*"
    return " & ".join(quoted)


# FTS5's snippet(..., '[', ']', ' … ', 12), as near as ts_headline comes.
_HEADLINE = 'StartSel=[, StopSel=], MaxWords=12, MinWords=4, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'


def _search_server(session: Session, query: str, limit: int) -> list[Hit]:
    expr = _ts_query(query)
    if not expr:
        return []
    parts = []
    documents = []
    for kind, (_fts, source, cols) in zip(("item", "resolution", "action"), _SOURCES, strict=True):
        parts.append(
            f"SELECT '{kind}' AS kind, id, ts_rank({_vector(cols)}, q.query) AS score "
            f"FROM {source}, q WHERE {_vector(cols)} @@ q.query"
        )
        documents.append(f"WHEN '{kind}' THEN (SELECT {_document(cols)} FROM {source} s WHERE s.id = hits.id)")
    sql = (
        f"WITH q AS (SELECT to_tsquery('{CONFIG}', :q) AS query), "
        f"hits AS ({' UNION ALL '.join(parts)} ORDER BY score DESC, kind, id LIMIT :limit) "
        f"SELECT hits.kind, hits.id, ts_headline('{CONFIG}', CASE hits.kind {' '.join(documents)} END, q.query, "
        f"'{_HEADLINE}') AS snip, -hits.score AS rank FROM hits, q ORDER BY hits.score DESC, hits.kind, hits.id"
    )
    rows = session.execute(text(sql), {"q": expr, "limit": limit}).all()
    return [Hit(r.kind, int(r.id), r.snip or "", float(r.rank)) for r in rows]


# One FTS5 table's matches, best first, each with its snippet. `ORDER BY rank` lets FTS5 sort the matches itself,
# and SQLite cuts the snippet as each row is stepped to, so a reader that stops after the best few pays for their
# snippets only, not for the thousands of matches a common word has. Built once, so SQLAlchemy compiles each once.
_RANKED = {
    kind: text(
        f"SELECT rowid AS id, rank, snippet({table}, -1, '[', ']', ' … ', 12) AS snip FROM {table} "
        f"WHERE {table} MATCH :q ORDER BY rank LIMIT :limit"
    )
    for kind, (table, _source, _cols) in zip(("item", "resolution", "action"), _SOURCES, strict=True)
}


def _stream(order: int, kind: str, result: CursorResult[Any]) -> Iterator[tuple[float, int, str, int, str]]:
    """A table's ranked rows as merge keys: rank, then the table's place (item, resolution, action) on a tie."""
    for row in result:
        yield float(row.rank), order, kind, int(row.id), row.snip or ""


def search(session: Session, query: str, limit: int = 100) -> list[Hit]:
    """Hits for the words of `query`, best first (the lowest rank first, on both engines)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return _search_server(session, query, limit)
    if dialect != "sqlite":
        return _search_portable(session, query, limit)
    expr = _match_expression(query)
    if not expr or limit <= 0:
        return []
    # The three tables' ranked streams merged, best first: their ranks (bm25) compare across tables, and a snippet
    # is cut only for the rows the merge takes, and at most one more a table.
    conn = session.connection()
    results = [conn.execute(statement, {"q": expr, "limit": limit}) for statement in _RANKED.values()]
    try:
        merged = heapq.merge(
            *(_stream(i, kind, r) for i, (kind, r) in enumerate(zip(_RANKED, results, strict=True)))
        )
        return [
            Hit(kind, row_id, snip, rank) for rank, _i, kind, row_id, snip in itertools.islice(merged, limit)
        ]
    finally:
        for result in results:
            result.close()


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
