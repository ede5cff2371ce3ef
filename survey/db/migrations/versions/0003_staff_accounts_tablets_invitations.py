"""staff accounts, tablet sessions, invitations

Revision ID: 0003_staff
Revises: 0002_recordings
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_staff'
down_revision = '0002_recordings'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('account_unit',
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'unit_id')
    )
    op.create_table('invitation',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('used_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_hash'),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_unit_id'), ['unit_id'], unique=False)

    op.create_table('tablet_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.String(length=32), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('pin_hash', sa.String(length=256), nullable=False),
    sa.Column('valid_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('tablet_session')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_unit_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_round_id'))

    op.drop_table('invitation')
    op.drop_table('account_unit')
    op.drop_table('account')
