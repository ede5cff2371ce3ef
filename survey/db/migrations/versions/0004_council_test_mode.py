"""council test mode: links, test sessions, test answers and feedback

Revision ID: 0004_council
Revises: 0003_staff
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_council'
down_revision = '0003_staff'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('council_link',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('token')
    )
    op.create_table('council_session',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('link_token', sa.String(length=64), nullable=True),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['link_token'], ['council_link.token'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('council_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_session_link_token'), ['link_token'], unique=False)

    op.create_table('council_answer',
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('question_key', sa.String(length=64), nullable=False),
    sa.Column('option', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'question_key', 'option'),
    sqlite_with_rowid=False
    )
    op.create_table('council_feedback',
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('question_key', sa.String(length=64), nullable=False),
    sa.Column('understood', sa.Boolean(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('wording', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'question_key'),
    sqlite_with_rowid=False
    )


def downgrade() -> None:
    op.drop_table('council_feedback')
    op.drop_table('council_answer')
    with op.batch_alter_table('council_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_session_link_token'))

    op.drop_table('council_session')
    op.drop_table('council_link')
