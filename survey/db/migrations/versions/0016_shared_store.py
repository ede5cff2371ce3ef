"""shared store: questionnaire versions and drafts, their revision counter, draft recordings, speech clips

The shipped questionnaire files are imported into questionnaire_version by `survey init` (or by the first
instance that finds the table empty): survey/questionnaires/store.py.

Revision ID: 0016_shared_store
Revises: 0015_results_choice
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_shared_store'
down_revision = '0015_results_choice'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('questionnaire_version',
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('questionnaire_id', 'version')
    )
    op.create_table('questionnaire_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('draft_recording',
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=64), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('audio', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('questionnaire_id', 'version', 'item', 'lang')
    )
    op.create_table('speech_clip',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('audio', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('speech_clip')
    op.drop_table('draft_recording')
    op.drop_table('questionnaire_revision')
    op.drop_table('questionnaire_version')
