"""pools of small units, and released figures over several periods

Revision ID: 0009_pools
Revises: 0007_import_warnings
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_pools'
down_revision = '0007_import_warnings'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pool',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('organisation_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('service_type', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pool_id', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key('fk_unit_pool', 'pool', ['pool_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('release_cell', schema=None) as batch_op:
        batch_op.add_column(sa.Column('periods', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_release_questionnaire_id_position', ['questionnaire_id', 'position'])
    # Releases made before have none: the next release starts its questionnaire's first block


def downgrade() -> None:
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_constraint('uq_release_questionnaire_id_position', type_='unique')
        batch_op.drop_column('position')
    with op.batch_alter_table('release_cell', schema=None) as batch_op:
        batch_op.drop_column('periods')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_constraint('fk_unit_pool', type_='foreignkey')
        batch_op.drop_column('pool_id')
    op.drop_table('pool')
