"""signals and their history

Revision ID: 04a0a3dfd85b
Revises: 2a9fb28b4daa
Create Date: 2026-11-23 00:46:21.725744

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '04a0a3dfd85b'
down_revision = '2a9fb28b4daa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signal_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_categories')),
    sa.UniqueConstraint('key', name=op.f('uq_signal_categories_key'))
    )
    op.create_table('signals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('sentiment', sa.String(length=10), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('organisation_kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('consent_at', sa.DateTime(), nullable=True),
    sa.Column('consent_version', sa.String(length=20), nullable=True),
    sa.Column('contact_erased_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('suspected_spam', sa.Boolean(), nullable=False),
    sa.Column('spam_reason', sa.String(length=40), nullable=True),
    sa.Column('submission_key', sa.String(length=40), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_signals_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category'], ['signal_categories.key'], name=op.f('fk_signals_category_signal_categories')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['signals.id'], name=op.f('fk_signals_duplicate_of_id_signals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['organisations.id'], name=op.f('fk_signals_municipality_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_signals_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signals')),
    sa.UniqueConstraint('reference', name=op.f('uq_signals_reference')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_signals_submission_key'))
    )
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signals_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_signals_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index('ix_signals_report', ['created_at', 'category', 'sentiment', 'municipality_id', 'suspected_spam', 'status'], unique=False)
        batch_op.create_index('ix_signals_status_created', ['status', 'created_at'], unique=False)

    op.create_table('signal_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_signal_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['signal_id'], ['signals.id'], name=op.f('fk_signal_events_signal_id_signals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_events'))
    )
    with op.batch_alter_table('signal_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_events_signal_id'), ['signal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('signal_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_events_signal_id'))

    op.drop_table('signal_events')
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.drop_index('ix_signals_status_created')
        batch_op.drop_index('ix_signals_report')
        batch_op.drop_index(batch_op.f('ix_signals_closed_at'))
        batch_op.drop_index(batch_op.f('ix_signals_category'))

    op.drop_table('signals')
    op.drop_table('signal_categories')
