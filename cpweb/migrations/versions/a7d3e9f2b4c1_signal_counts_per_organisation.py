"""Signal counts per organisation: an index the report reads alone

Revision ID: a7d3e9f2b4c1
Revises: f1c2d3e4a5b6
Create Date: 2026-12-07 19:56:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7d3e9f2b4c1'
down_revision = 'f1c2d3e4a5b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_signals_organisations', 'signals',
                    ['created_at', 'organisation_kind', 'sentiment', 'suspected_spam', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_signals_organisations', table_name='signals')
