"""Signals on agenda items: which signal was put on which meeting's agenda

Revision ID: a5fb3716b05d
Revises: b7dc88e8e7ff
Create Date: 2026-11-30 07:16:40.639431

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a5fb3716b05d'
down_revision = 'b7dc88e8e7ff'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signal_agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signal_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_signal_agenda_items_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signal_id'], ['signals.id'], name=op.f('fk_signal_agenda_items_signal_id_signals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_agenda_items')),
    sa.UniqueConstraint('signal_id', 'agenda_item_id', name=op.f('uq_signal_agenda_items_signal_id'))
    )
    with op.batch_alter_table('signal_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_agenda_items_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_agenda_items_signal_id'), ['signal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('signal_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_agenda_items_signal_id'))
        batch_op.drop_index(batch_op.f('ix_signal_agenda_items_agenda_item_id'))

    op.drop_table('signal_agenda_items')
