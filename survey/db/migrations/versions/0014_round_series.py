"""continuous rounds: a series of monthly or quarterly periods, each its own round, with optional pulse questions

Revision ID: 0014_round_series
Revises: 0013_indicators
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_round_series'
down_revision = '0013_indicators'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('round_series',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('pulse', sa.JSON(), nullable=False),
    sa.Column('pulse_size', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('round_series_unit',
    sa.Column('series_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['round_series.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('series_id', 'unit_id')
    )
    op.create_table('series_period',
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('series_id', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['round_series.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id'),
    sa.UniqueConstraint('series_id', 'number')
    )
    with op.batch_alter_table('series_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_period_series_id'), ['series_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('series_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_period_series_id'))
    op.drop_table('series_period')
    op.drop_table('round_series_unit')
    op.drop_table('round_series')
