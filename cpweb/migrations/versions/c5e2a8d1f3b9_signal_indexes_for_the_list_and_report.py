"""signal indexes the list's filters and the report read alone

The report counts a period per subject, municipality and organisation in one pass (one index
holds all three); the previous period's count per subject, the list filtered on a subject and the
count of open spam each read an index of their own without visiting the table.

Revision ID: c5e2a8d1f3b9
Revises: b3c9e1f4a7d2
Create Date: 2026-12-08 00:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c5e2a8d1f3b9'
down_revision = 'b3c9e1f4a7d2'
branch_labels = None
depends_on = None

NEW = {
    "ix_signals_report": ["created_at", "category", "sentiment", "municipality_id", "organisation_kind",
                          "suspected_spam", "status"],
    "ix_signals_counts": ["category", "sentiment", "municipality_id", "organisation_kind", "created_at",
                          "suspected_spam", "status"],
    "ix_signals_category": ["category", "created_at", "suspected_spam", "status"],
    "ix_signals_spam_created": ["suspected_spam", "created_at", "status"],
}
OLD = {
    "ix_signals_report": ["created_at", "category", "sentiment", "municipality_id", "suspected_spam", "status"],
    "ix_signals_counts": ["category", "sentiment", "municipality_id", "created_at", "suspected_spam", "status"],
    "ix_signals_category": ["category"],
    "ix_signals_spam_created": ["suspected_spam", "created_at"],
    "ix_signals_organisations": ["created_at", "organisation_kind", "sentiment", "suspected_spam", "status"],
}


def _replace(drop: dict, create: dict) -> None:
    for name in drop:
        op.drop_index(name, table_name="signals")
    for name, columns in create.items():
        op.create_index(name, "signals", columns, unique=False)


def upgrade():
    _replace(OLD, NEW)


def downgrade():
    _replace(NEW, OLD)
