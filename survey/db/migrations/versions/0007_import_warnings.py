"""import warnings: what an XLSForm import left out or changed, per draft

Revision ID: 0007_import_warnings
Revises: 0005_releases
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_import_warnings'
down_revision = '0005_releases'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_warnings',
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('listed', sa.JSON(), nullable=False),
    sa.Column('unlisted', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('questionnaire_id', 'version')
    )


def downgrade() -> None:
    op.drop_table('import_warnings')
