"""Inspection summaries, and the full-text search index.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from paperprep.db import fts

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspection_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column(
            "inspectorate",
            sa.Enum(
                "ofsted",
                "cqc",
                "hmicfrs",
                "hmi_probation",
                "joint",
                "other",
                name="inspectorate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "framework",
            sa.Enum(
                "ilacs_2018", "sif_2013", "other", name="inspectionframework", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "activity",
            sa.Enum(
                "annual_engagement",
                "focused_visit",
                "monitoring_visit",
                "standard_inspection",
                "short_inspection",
                "re_inspection",
                "jtai",
                "pilot",
                "other",
                name="inspectionactivity",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("service", sa.String(length=200), nullable=False),
        sa.Column("fieldwork_start", sa.Date(), nullable=True),
        sa.Column("fieldwork_end", sa.Date(), nullable=True),
        sa.Column("inspectors", sa.Integer(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column(
            "overall",
            sa.Enum(
                "outstanding",
                "good",
                "requires_improvement",
                "inadequate",
                "not_graded",
                name="judgement",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("judgements", sa.Text(), nullable=False),
        sa.Column("previous_date", sa.Date(), nullable=True),
        sa.Column(
            "previous_judgement",
            sa.Enum(
                "outstanding",
                "good",
                "requires_improvement",
                "inadequate",
                "not_graded",
                name="judgement",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("areas_for_improvement", sa.Text(), nullable=False),
        sa.Column("priority_actions", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("action_plan_due", sa.Date(), nullable=True),
        sa.Column("letter_attachment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["letter_attachment_id"], ["attachments.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
    )
    with op.batch_alter_table("inspection_summaries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_summaries_service"), ["service"], unique=False)
    fts.create(op.get_bind(), tokenize=fts.UNICODE61)  # frozen: 0009 changed it


def downgrade() -> None:
    fts.drop(op.get_bind())
    with op.batch_alter_table("inspection_summaries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_summaries_service"))

    op.drop_table("inspection_summaries")
