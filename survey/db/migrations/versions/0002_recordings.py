"""speech recordings: a person's recording of a question or option, heard instead of synthesis

Revision ID: 0002_recordings
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_recordings'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('speech_recording',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('item', sa.String(length=130), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('seconds', sa.Double(), nullable=False),
    sa.Column('audio', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('questionnaire_id', 'item', 'language')
    )
    with op.batch_alter_table('speech_recording', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speech_recording_sha256'), ['sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('speech_recording', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speech_recording_sha256'))
    op.drop_table('speech_recording')
