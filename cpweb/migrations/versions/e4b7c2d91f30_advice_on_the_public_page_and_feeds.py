"""advice on the public page, and what the public feeds showed

Revision ID: e4b7c2d91f30
Revises: c3e1f0a9d2b4
Create Date: 2026-12-07 19:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b7c2d91f30'
down_revision = 'c3e1f0a9d2b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('advices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('public_summary', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_advices_published_at'), ['published_at'], unique=False)
    with op.batch_alter_table('advices', schema=None) as batch_op:
        batch_op.alter_column('public_summary', server_default=None)

    op.create_table('published_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feed', sa.String(length=30), nullable=False),
    sa.Column('ref', sa.String(length=60), nullable=False),
    sa.Column('first_shown_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_entries')),
    sa.UniqueConstraint('feed', 'ref', name='uq_published_entries_feed_ref')
    )
    with op.batch_alter_table('published_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_entries_withdrawn_at'), ['withdrawn_at'], unique=False)


def downgrade():
    with op.batch_alter_table('published_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_entries_withdrawn_at'))
    op.drop_table('published_entries')
    with op.batch_alter_table('advices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advices_published_at'))
        batch_op.drop_column('public_summary')
        batch_op.drop_column('published_at')
