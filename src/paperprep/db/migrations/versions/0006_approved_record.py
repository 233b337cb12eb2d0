"""Approved minutes are the record: actions as minuted, the derived text as approved, and an audit trail that no
deletion takes with it.

Revision ID: 0006
Revises: 0005

Actions gain the wording, owner and due date as minuted (set at approval; progress goes on in the other columns),
and meetings the text written from the data (apologies, declarations, matters arising...) as it stood when the
minutes were approved. Both are plain ADD COLUMN, so the full-text and change-capture triggers on these tables stay
in place. The actions of meetings approved before this version take their current values as minuted.

audit_entries is rebuilt (SQLite cannot alter a foreign key) so that its meeting_id no longer cascades: the check
is deferred to the commit, so deleting a meeting that has an audit trail fails however it is attempted. The table
has no full-text triggers; the change-capture triggers are TEMP, and paperprep.db.changelog makes them again when
the schema has changed. On PostgreSQL the key is altered in place instead.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_AUDIT_COLUMNS = 'id, meeting_id, item_id, "at", event, reason, detail, "user"'


def _audit_table(name: str, meeting_fk: str) -> str:
    return (
        f"CREATE TABLE {name} ("
        "id INTEGER NOT NULL, "
        "meeting_id INTEGER NOT NULL, "
        "item_id INTEGER, "
        '"at" DATETIME NOT NULL, '
        "event VARCHAR(32) NOT NULL, "
        "reason TEXT NOT NULL, "
        "detail TEXT NOT NULL, "
        '"user" VARCHAR(100) NOT NULL, '
        "PRIMARY KEY (id), "
        "FOREIGN KEY(item_id) REFERENCES agenda_items (id) ON DELETE SET NULL, "
        f"FOREIGN KEY(meeting_id) REFERENCES meetings (id) {meeting_fk})"
    )


def _rebuild_audit(meeting_fk: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        # Elsewhere a foreign key can be altered in place (PostgreSQL named it after the table and column).
        op.execute("ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_meeting_id_fkey")
        op.execute(
            "ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_meeting_id_fkey "
            f"FOREIGN KEY (meeting_id) REFERENCES meetings (id) {meeting_fk}"
        )
        return
    op.execute(_audit_table("audit_entries_new", meeting_fk))
    op.execute(f"INSERT INTO audit_entries_new ({_AUDIT_COLUMNS}) SELECT {_AUDIT_COLUMNS} FROM audit_entries")
    op.execute("DROP TABLE audit_entries")
    op.execute("ALTER TABLE audit_entries_new RENAME TO audit_entries")
    op.execute("CREATE INDEX ix_audit_entries_meeting_id ON audit_entries (meeting_id)")


def upgrade() -> None:
    op.add_column("actions", sa.Column("minuted_text", sa.Text(), nullable=True))
    op.add_column("actions", sa.Column("minuted_owner", sa.String(length=200), nullable=True))
    op.add_column("actions", sa.Column("minuted_due_date", sa.Date(), nullable=True))
    op.add_column("meetings", sa.Column("approved_record", sa.Text(), nullable=True))
    op.execute(
        "UPDATE actions SET minuted_text = text, minuted_owner = owner, minuted_due_date = due_date "
        "WHERE item_id IN (SELECT agenda_items.id FROM agenda_items JOIN meetings "
        "ON meetings.id = agenda_items.meeting_id WHERE meetings.status = 'minutes_approved')"
    )
    _rebuild_audit("DEFERRABLE INITIALLY DEFERRED")


def downgrade() -> None:
    _rebuild_audit("ON DELETE CASCADE")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("approved_record")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("minuted_due_date")
        batch.drop_column("minuted_owner")
        batch.drop_column("minuted_text")
