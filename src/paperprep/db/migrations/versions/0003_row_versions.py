"""A version counter on every row the clerk edits: meetings, items, attendance, resolutions, actions, inspections.

Revision ID: 0003
Revises: 0002

Plain ADD COLUMN (not a batch copy), so the full-text triggers on these tables stay in place.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("meetings", "attendance", "agenda_items", "resolutions", "actions", "inspection_summaries")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
