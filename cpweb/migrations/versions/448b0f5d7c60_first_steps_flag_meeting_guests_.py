"""first steps flag, meeting guests, decisions and action items on their agenda item

Revision ID: 448b0f5d7c60
Revises: 09db4ee1cffb
Create Date: 2026-11-30 07:18:41.267592

Members who were there before this change already know the way: only new members see the
first steps.
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '448b0f5d7c60'
down_revision = '09db4ee1cffb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_item_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_action_items_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_action_items_agenda_item_id_agenda_items'), 'agenda_items', ['agenda_item_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_item_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_decisions_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_decisions_agenda_item_id_agenda_items'), 'agenda_items', ['agenda_item_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guests', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_steps_hidden_at', sa.DateTime(), nullable=True))
    users = sa.table('users', sa.column('first_steps_hidden_at', sa.DateTime()))
    op.execute(users.update().values(first_steps_hidden_at=datetime.now(UTC).replace(tzinfo=None)))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('first_steps_hidden_at')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('guests')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decisions_agenda_item_id_agenda_items'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_decisions_agenda_item_id'))
        batch_op.drop_column('agenda_item_id')

    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_items_agenda_item_id_agenda_items'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_action_items_agenda_item_id'))
        batch_op.drop_column('agenda_item_id')
