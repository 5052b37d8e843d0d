"""following other councils: their feeds and what they hold

Revision ID: f1a6d3c8b254
Revises: e4a7c2b19d30
Create Date: 2026-12-07 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a6d3c8b254'
down_revision = 'e4a7c2b19d30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('followed_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('etag', sa.String(length=300), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('refresh_seconds', sa.Integer(), nullable=False),
    sa.Column('next_check_at', sa.DateTime(), nullable=False),
    sa.Column('last_checked_at', sa.DateTime(), nullable=True),
    sa.Column('last_success_at', sa.DateTime(), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=40), nullable=False),
    sa.Column('last_error_detail', sa.Text(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followed_sources')),
    sa.UniqueConstraint('url', name=op.f('uq_followed_sources_url'))
    )
    with op.batch_alter_table('followed_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followed_sources_next_check_at'), ['next_check_at'], unique=False)

    op.create_table('remote_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('updated', sa.DateTime(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['followed_sources.id'], name=op.f('fk_remote_entries_source_id_followed_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remote_entries')),
    sa.UniqueConstraint('source_id', 'entry_id', name='uq_remote_entries_key')
    )
    with op.batch_alter_table('remote_entries', schema=None) as batch_op:
        batch_op.create_index('ix_remote_entries_updated', ['updated'], unique=False)

    op.create_table('remote_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('recurrence', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['followed_sources.id'], name=op.f('fk_remote_events_source_id_followed_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remote_events')),
    sa.UniqueConstraint('source_id', 'uid', 'recurrence', name='uq_remote_events_key')
    )
    with op.batch_alter_table('remote_events', schema=None) as batch_op:
        batch_op.create_index('ix_remote_events_starts_at', ['starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('remote_events', schema=None) as batch_op:
        batch_op.drop_index('ix_remote_events_starts_at')
    op.drop_table('remote_events')
    with op.batch_alter_table('remote_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_remote_entries_updated')
    op.drop_table('remote_entries')
    with op.batch_alter_table('followed_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followed_sources_next_check_at'))
    op.drop_table('followed_sources')
