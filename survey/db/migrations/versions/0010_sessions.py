"""sessions: a per-account generation that logout and a new password count up, ending every session

Revision ID: 0010_sessions
Revises: 0009_pools
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_sessions'
down_revision = '0009_pools'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
