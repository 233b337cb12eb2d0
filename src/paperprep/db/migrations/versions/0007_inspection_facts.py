"""Inspection facts kept as the report gave them: how much of each date is known, the inspectorates of a joint
inspection, no graded judgement, no priority actions, and how the minutes print the summary.

Revision ID: 0007
Revises: 0006

Plain ADD COLUMN with server defaults (not a batch copy), so the full-text and change-capture triggers on the table
stay in place, and the same statements run on PostgreSQL. Existing dates are known to the day; existing summaries
are printed as tables; an existing summary with no priority actions listed keeps meaning that there were none.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_PRECISIONS = (
    "fieldwork_start_precision",
    "fieldwork_end_precision",
    "previous_date_precision",
    "action_plan_due_precision",
)
_TABLE = "inspection_summaries"


def upgrade() -> None:
    for name in _PRECISIONS:
        op.add_column(_TABLE, sa.Column(name, sa.String(length=8), nullable=False, server_default="day"))
    op.add_column(_TABLE, sa.Column("action_plan_due_text", sa.Text(), nullable=False, server_default=""))
    op.add_column(_TABLE, sa.Column("inspectorates", sa.Text(), nullable=False, server_default="[]"))
    op.add_column(
        _TABLE, sa.Column("no_graded_judgement", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        _TABLE, sa.Column("no_priority_actions", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column(_TABLE, sa.Column("display", sa.String(length=16), nullable=False, server_default="table"))
    op.execute(
        sa.text(f"UPDATE {_TABLE} SET no_priority_actions = :no WHERE priority_actions <> '[]'").bindparams(
            no=False
        )
    )


def downgrade() -> None:
    with op.batch_alter_table(_TABLE) as batch:
        batch.drop_column("display")
        batch.drop_column("no_priority_actions")
        batch.drop_column("no_graded_judgement")
        batch.drop_column("inspectorates")
        batch.drop_column("action_plan_due_text")
        for name in reversed(_PRECISIONS):
            batch.drop_column(name)
