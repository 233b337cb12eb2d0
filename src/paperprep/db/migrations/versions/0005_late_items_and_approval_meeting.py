"""Late items with their reason for urgency, and the meeting at which minutes were approved.

Revision ID: 0005
Revises: 0004

Plain ADD COLUMN (not a batch copy), so the FTS and change-capture triggers on these tables stay in place.
Existing items are not late; existing approvals name no meeting (the record falls back to the approval date).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite keeps booleans as 0 and 1; PostgreSQL has a boolean type, whose false is not 0.
    false = sa.text("0") if op.get_bind().dialect.name == "sqlite" else sa.false()
    op.add_column(
        "agenda_items",
        sa.Column("is_late", sa.Boolean(), nullable=False, server_default=false),
    )
    op.add_column(
        "agenda_items",
        sa.Column("urgency_reason", sa.Text(), nullable=False, server_default=""),
    )
    # Alembic's add_column would try an ALTER of constraints for the foreign key, which SQLite lacks; SQLite's own
    # ADD COLUMN takes a REFERENCES clause when the column's default is NULL.
    op.execute(
        "ALTER TABLE meetings ADD COLUMN approved_at_meeting_id INTEGER "
        "REFERENCES meetings (id) ON DELETE SET NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("approved_at_meeting_id")
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_column("urgency_reason")
        batch.drop_column("is_late")
