"""results back to the users: the questions each unit shows, and user councils' feedback on the results page

Revision ID: 0015_results_choice
Revises: 0014_round_series
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_results_choice'
down_revision = '0014_round_series'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('results_choice',
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('chosen_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id')
    )
    op.create_table('council_results_feedback',
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('part', sa.String(length=140), nullable=False),
    sa.Column('understood', sa.String(length=8), nullable=False),
    sa.Column('wording', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'part'),
    sqlite_with_rowid=False
    )


def downgrade() -> None:
    op.drop_table('council_results_feedback')
    op.drop_table('results_choice')
