"""Outbox mails know their body and why they failed

A secretary sees the mails of their own bodies; the error is told in plain words.

Revision ID: e5a7c31b9d20
Revises: e4b7c2d91f30
Create Date: 2026-12-07 18:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a7c31b9d20'
down_revision = 'e4b7c2d91f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('error_kind', sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_mails_body_id_bodies'), 'bodies', ['body_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index('ix_outbox_mails_body_status_finished', ['body_id', 'status', 'finished_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_mails_body_status_finished')
        batch_op.drop_constraint(batch_op.f('fk_outbox_mails_body_id_bodies'), type_='foreignkey')
        batch_op.drop_column('error_kind')
        batch_op.drop_column('body_id')
