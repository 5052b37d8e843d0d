"""outbox for mails and opt-outs: a mail is a row saved with the change that causes it

Revision ID: 38324d9cbd5f
Revises: a8d2c8067138
Create Date: 2026-11-30 04:12:27.326583

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '38324d9cbd5f'
down_revision = 'a8d2c8067138'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_opt_outs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_opt_outs')),
    sa.UniqueConstraint('address_hash', 'kind', name=op.f('uq_mail_opt_outs_address_hash'))
    )
    op.create_table('outbox_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('first_failed_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_mails'))
    )
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_mails_finished_at'), ['finished_at'], unique=False)
        batch_op.create_index('ix_outbox_mails_status_next', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_mails_status_next')
        batch_op.drop_index(batch_op.f('ix_outbox_mails_finished_at'))
    op.drop_table('outbox_mails')
    op.drop_table('mail_opt_outs')
