"""Alembic environment: runs on the connection that paperprep.db hands over, never on a URL of its own.

On PostgreSQL, after the migrations, two things hold for every table whichever migration made it: each foreign key
is deferrable (undo puts rows back in any order with the keys deferred, and checks them before it commits; a key
that was made INITIALLY DEFERRED keeps that), and the change-capture trigger is on it (paperprep.db.changelog).
"""

from alembic import context

from paperprep.db import changelog
from paperprep.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
)
with context.begin_transaction():
    context.run_migrations()
    if connection.dialect.name == "postgresql":
        fixed = connection.exec_driver_sql(
            "SELECT conrelid::regclass::text, quote_ident(conname) FROM pg_constraint "
            "WHERE contype = 'f' AND NOT condeferrable AND connamespace = current_schema()::regnamespace"
        ).fetchall()
        for table, name in fixed:
            connection.exec_driver_sql(
                f"ALTER TABLE {table} ALTER CONSTRAINT {name} DEFERRABLE INITIALLY IMMEDIATE"
            )
        changelog.install_server_capture(connection)
