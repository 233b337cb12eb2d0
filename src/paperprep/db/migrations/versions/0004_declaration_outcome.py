"""What a member did after declaring an interest: remained, left the room and took no part, or did not vote.

Revision ID: 0004
Revises: 0003

Plain ADD COLUMN (not a batch copy), so the triggers on the table stay in place. Existing declarations read as
"remained in the meeting", which is what the minutes said of them before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "declarations",
        sa.Column("outcome", sa.String(length=32), nullable=False, server_default="remained"),
    )


def downgrade() -> None:
    with op.batch_alter_table("declarations") as batch:
        batch.drop_column("outcome")
