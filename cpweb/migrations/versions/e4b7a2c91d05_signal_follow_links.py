"""Signal follow links: the hash of the visitor's private token

Revision ID: e4b7a2c91d05
Revises: e5a7c31b9d20
Create Date: 2026-12-07 19:00:00

Signals already there get no link: their visitors never received one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b7a2c91d05'
down_revision = 'e5a7c31b9d20'
branch_labels = None
depends_on = None


def upgrade():
    # In place, both ways (no batch copy of the table): a copy would lose the counting triggers.
    op.add_column('signals', sa.Column('follow_token_hash', sa.String(length=64), nullable=True))
    op.create_index('ix_signals_follow_token_hash', 'signals', ['follow_token_hash'], unique=True)


def downgrade():
    op.drop_index('ix_signals_follow_token_hash', table_name='signals')
    op.drop_column('signals', 'follow_token_hash')
