"""The authenticator key being set up stays on the server

Kept with the member until its first right code, for TWO_FACTOR_SETUP_TIME; it used to travel in
the session cookie, which is signed but not encrypted.

Revision ID: f1c2d3e4a5b6
Revises: f1a6d3c8b254
Create Date: 2026-12-07 19:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1c2d3e4a5b6'
down_revision = 'f1a6d3c8b254'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_pending_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_pending_until', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_pending_until')
        batch_op.drop_column('totp_pending_secret')
