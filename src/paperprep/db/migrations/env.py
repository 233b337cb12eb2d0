"""Alembic environment: runs on the connection that paperprep.db hands over, never on a URL of its own."""

from alembic import context

from paperprep.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
)
with context.begin_transaction():
    context.run_migrations()
