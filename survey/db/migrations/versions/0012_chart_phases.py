"""chart phases: a new phase on a flag's run charts from an action's start, confirmed by a person

Revision ID: 0012_chart_phases
Revises: 0011_quality_cycle
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_chart_phases'
down_revision = '0011_quality_cycle'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chart_phase',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=True),
    sa.Column('pool_id', sa.String(length=32), nullable=True),
    sa.Column('flag_id', sa.String(length=64), nullable=False),
    sa.Column('action_id', sa.String(length=32), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('baseline', sa.Integer(), nullable=False),
    sa.Column('confirmed_by', sa.String(length=200), nullable=False),
    sa.Column('confirmed_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pool_id'], ['pool.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_chart_phase_unit_flag', 'chart_phase', ['unit_id', 'flag_id'])
    op.create_index('ix_chart_phase_pool_flag', 'chart_phase', ['pool_id', 'flag_id'])


def downgrade() -> None:
    op.drop_index('ix_chart_phase_pool_flag', table_name='chart_phase')
    op.drop_index('ix_chart_phase_unit_flag', table_name='chart_phase')
    op.drop_table('chart_phase')
