"""a date poll knows the meeting it became

Revision ID: e4a7c2b19d30
Revises: e4b7a2c91d05
Create Date: 2026-12-07 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a7c2b19d30'
down_revision = 'e4b7a2c91d05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_meeting_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_proposals_planned_meeting_id'), ['planned_meeting_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_proposals_planned_meeting_id_meetings'), 'meetings',
                                    ['planned_meeting_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposals_planned_meeting_id_meetings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_proposals_planned_meeting_id'))
        batch_op.drop_column('planned_meeting_id')
