"""the quality cycle: valuations of flags, actions, other evidence for flags, results shared with the users

Revision ID: 0011_quality_cycle
Revises: 0010_sessions
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_quality_cycle'
down_revision = '0010_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('valuation',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=True),
    sa.Column('pool_id', sa.String(length=32), nullable=True),
    sa.Column('area_id', sa.String(length=32), nullable=True),
    sa.Column('flag_id', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.String(length=32), nullable=True),
    sa.Column('release_id', sa.String(length=32), nullable=True),
    sa.Column('verdict', sa.String(length=24), nullable=False),
    sa.Column('suggested', sa.String(length=24), nullable=True),
    sa.Column('reasoning', sa.Text(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pool_id'], ['pool.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_valuation_unit_flag', 'valuation', ['unit_id', 'flag_id'])
    op.create_table('action',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('flag_ids', sa.JSON(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('measure', sa.Text(), nullable=False),
    sa.Column('from_value', sa.Float(), nullable=True),
    sa.Column('to_value', sa.Float(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('current_state', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('analysis', sa.Text(), nullable=False),
    sa.Column('change_tried', sa.Text(), nullable=False),
    sa.Column('plan', sa.Text(), nullable=False),
    sa.Column('follow_up', sa.Text(), nullable=False),
    sa.Column('easy_read', sa.Text(), nullable=False),
    sa.Column('easy_read_done', sa.Text(), nullable=False),
    sa.Column('responsible_role', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_action_unit_id', 'action', ['unit_id'])
    op.create_table('flag_evidence',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('flag_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('denominator', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('measured_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_flag_evidence_unit_flag', 'flag_evidence', ['unit_id', 'flag_id'])
    op.create_table('shared_with_users',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('shared_on', sa.Date(), nullable=False),
    sa.Column('form', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_shared_with_users_unit_id', 'shared_with_users', ['unit_id'])


def downgrade() -> None:
    op.drop_index('ix_shared_with_users_unit_id', table_name='shared_with_users')
    op.drop_table('shared_with_users')
    op.drop_index('ix_flag_evidence_unit_flag', table_name='flag_evidence')
    op.drop_table('flag_evidence')
    op.drop_index('ix_action_unit_id', table_name='action')
    op.drop_table('action')
    op.drop_index('ix_valuation_unit_flag', table_name='valuation')
    op.drop_table('valuation')
