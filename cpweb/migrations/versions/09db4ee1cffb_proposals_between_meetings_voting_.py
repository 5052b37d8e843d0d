"""proposals between meetings, voting rights and members proposing

Existing members keep a vote and bodies keep proposals to their secretaries (the server defaults).

Revision ID: 09db4ee1cffb
Revises: 3292be4b57cd
Create Date: 2026-11-30 06:48:45.605458

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '09db4ee1cffb'
down_revision = '3292be4b57cd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('voters', sa.String(length=20), nullable=False),
    sa.Column('results', sa.String(length=20), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=False),
    sa.Column('advice_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('reminder_sent_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('outcome_text', sa.Text(), nullable=False),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.Column('placed_meeting_id', sa.Integer(), nullable=True),
    sa.Column('names_removed_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['advice_id'], ['advices.id'], name=op.f('fk_proposals_advice_id_advices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_proposals_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposals_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_proposals_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['users.id'], name=op.f('fk_proposals_outcome_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placed_meeting_id'], ['meetings.id'], name=op.f('fk_proposals_placed_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_advice_id'), ['advice_id'], unique=False)
        batch_op.create_index('ix_proposals_body_status', ['body_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_placed_meeting_id'), ['placed_meeting_id'], unique=False)
        batch_op.create_index('ix_proposals_status_closes', ['status', 'closes_at'], unique=False)

    op.create_table('proposal_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('choice', sa.String(length=20), nullable=True),
    sa.Column('remark', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_answers_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_answers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_answers')),
    sa.UniqueConstraint('proposal_id', 'user_id', name=op.f('uq_proposal_answers_proposal_id'))
    )
    with op.batch_alter_table('proposal_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_answers_user_id'), ['user_id'], unique=False)

    op.create_table('proposal_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_options_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_options'))
    )
    with op.batch_alter_table('proposal_options', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_options_proposal', ['proposal_id', 'position'], unique=False)

    op.create_table('proposal_picks',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['proposal_answers.id'], name=op.f('fk_proposal_picks_answer_id_proposal_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['proposal_options.id'], name=op.f('fk_proposal_picks_option_id_proposal_options'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', 'option_id', name=op.f('pk_proposal_picks'))
    )
    with op.batch_alter_table('proposal_picks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_picks_option_id'), ['option_id'], unique=False)

    # A plain ALTER TABLE, not batch mode: on SQLite a batch would copy and drop `bodies`, and dropping it
    # deletes every row that cascades from it (memberships, meetings, ...).
    op.add_column('bodies', sa.Column('members_propose', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('memberships', sa.Column('votes', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('proposal_picks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_picks_option_id'))

    op.drop_table('proposal_picks')
    with op.batch_alter_table('proposal_options', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_options_proposal')

    op.drop_table('proposal_options')
    with op.batch_alter_table('proposal_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_answers_user_id'))

    op.drop_table('proposal_answers')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_status_closes')
        batch_op.drop_index(batch_op.f('ix_proposals_placed_meeting_id'))
        batch_op.drop_index('ix_proposals_body_status')
        batch_op.drop_index(batch_op.f('ix_proposals_advice_id'))

    op.drop_table('proposals')
    op.drop_column('memberships', 'votes')
    op.drop_column('bodies', 'members_propose')
