"""indicator values: the quality model's other indicators, counted per unit and period

Valuations of pools, areas and the organisation use the valuation table's existing pool_id and area_id (the
organisation: none of unit, pool and area), so only the indicator values need a table.

Revision ID: 0013_indicators
Revises: 0012_chart_phases
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_indicators'
down_revision = '0012_chart_phases'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indicator_value',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('indicator_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('denominator', sa.Integer(), nullable=False),
    sa.Column('measured_by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('imported_from', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_indicator_value_unit_indicator', 'indicator_value', ['unit_id', 'indicator_id'])


def downgrade() -> None:
    op.drop_index('ix_indicator_value_unit_indicator', table_name='indicator_value')
    op.drop_table('indicator_value')
