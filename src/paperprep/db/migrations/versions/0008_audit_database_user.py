"""The audit trail records the database user beside the computer's user: on a shared PostgreSQL database each
clerk connects with a login role of their own, and the server itself fills in `current_user` on every entry.

Revision ID: 0008
Revises: 0007

A plain ADD COLUMN with a server default (not a batch copy), so the triggers on the table stay in place. Existing
entries keep "" (who made them on the server is not known); on PostgreSQL the column's default then becomes
`current_user`, so every entry written from now on names the account that wrote it, whichever program wrote it.
On a file (one clerk, no database accounts) it stays "".
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TABLE = "audit_entries"


def upgrade() -> None:
    op.add_column(_TABLE, sa.Column("db_user", sa.String(length=100), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(_TABLE, "db_user", server_default=sa.text("current_user"))


def downgrade() -> None:
    with op.batch_alter_table(_TABLE) as batch:
        batch.drop_column("db_user")
