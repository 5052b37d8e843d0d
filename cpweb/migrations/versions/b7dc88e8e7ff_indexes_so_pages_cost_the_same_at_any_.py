"""Indexes so pages cost the same at any size

The annual report counts signals, activities and sign-ups from indexes alone; spam is listed by date.
Plain CREATE/DROP INDEX: no table is copied, on SQLite or PostgreSQL.

Revision ID: b7dc88e8e7ff
Revises: 448b0f5d7c60
Create Date: 2026-11-30 07:10:41.927660

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7dc88e8e7ff'
down_revision = '448b0f5d7c60'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_activities_status_start', table_name='activities')
    op.create_index('ix_activities_status_start_kind', 'activities', ['status', 'starts_at', 'kind'])
    op.drop_index('ix_activity_signups_activity_status', table_name='activity_signups')
    op.create_index('ix_activity_signups_activity_status_user', 'activity_signups',
                    ['activity_id', 'status', 'user_id'])
    op.create_index('ix_signals_counts', 'signals',
                    ['category', 'sentiment', 'municipality_id', 'created_at', 'suspected_spam', 'status'])
    op.create_index('ix_signals_spam_created', 'signals', ['suspected_spam', 'created_at'])


def downgrade():
    op.drop_index('ix_signals_spam_created', table_name='signals')
    op.drop_index('ix_signals_counts', table_name='signals')
    op.drop_index('ix_activity_signups_activity_status_user', table_name='activity_signups')
    op.create_index('ix_activity_signups_activity_status', 'activity_signups', ['activity_id', 'status'])
    op.drop_index('ix_activities_status_start_kind', table_name='activities')
    op.create_index('ix_activities_status_start', 'activities', ['status', 'starts_at'])
