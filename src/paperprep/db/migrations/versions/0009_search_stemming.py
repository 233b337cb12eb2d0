"""Search finds a word with its endings on a file too: the FTS5 tables are remade with the porter stemmer.

Revision ID: 0009
Revises: 0008

PostgreSQL's english configuration has always stemmed ("meetings" is searched as "meet", so it finds "meeting"),
while the FTS5 tables cut words with unicode61 alone, so the same search found fewer hits on a clerk's file than
on the shared database. The tables, their triggers and their contents are rebuilt from the source rows; nothing
else changes, and PostgreSQL's GIN indexes are left as they are.
"""

from alembic import op

from paperprep.db import fts

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    fts.drop(conn)
    fts.create(conn, tokenize=fts.STEMMED)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    fts.drop(conn)
    fts.create(conn, tokenize=fts.UNICODE61)
