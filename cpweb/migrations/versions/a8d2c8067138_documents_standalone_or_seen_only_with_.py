"""documents: standalone, or seen only with their places

Documents that exist already get NULL: they stay visible as before (nothing changes by itself),
and an admin checks the public ones attached to a meeting, activity or dossier
(/beheer/documenten-nakijken).

Revision ID: a8d2c8067138
Revises: a9742b399069
Create Date: 2026-11-30 04:21:14.353231

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8d2c8067138'
down_revision = 'a9742b399069'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standalone', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('standalone')
