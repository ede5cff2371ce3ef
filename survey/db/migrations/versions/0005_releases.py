"""releases; responses keep no date and may be held; codes are sealed; units have places

Revision ID: 0005_releases
Revises: 0004_council
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_releases'
down_revision = '0004_council'
branch_labels = None
depends_on = None

NO_ROWID = {"sqlite_with_rowid": False}


def upgrade() -> None:
    op.create_table('release',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('versions', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'number')
    )
    op.create_index('ix_release_round_id', 'release', ['round_id'])
    op.create_table('release_cell',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('release_id', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('group_name', sa.String(length=200), nullable=False),
    sa.Column('dimension', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('item', sa.String(length=80), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=True),
    sa.Column('positive', sa.Integer(), nullable=True),
    sa.Column('valid', sa.Integer(), nullable=True),
    sa.Column('dont_know', sa.Integer(), nullable=True),
    sa.Column('share', sa.Float(), nullable=True),
    sa.Column('colour', sa.String(length=10), nullable=True),
    sa.Column('since', sa.Integer(), nullable=True),
    sa.Column('change', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_release_cell_group', 'release_cell', ['release_id', 'level', 'group_id'])
    op.create_index('ix_release_cell_kind', 'release_cell', ['release_id', 'kind', 'level', 'dimension'])
    op.create_table('release_option',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('release_id', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('dimension', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('item', sa.String(length=80), nullable=False),
    sa.Column('option', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_release_option_group', 'release_option', ['release_id', 'level', 'group_id'])
    op.create_table('release_text',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('release_id', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.Column('item', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_release_text_group', 'release_text', ['release_id', 'level', 'group_id'])
    op.create_table('release_file',
    sa.Column('release_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('release_id', 'name')
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('places', sa.Integer(), nullable=True))
    # SQLite rebuilds a table to drop a column: keep the anonymous tables WITHOUT ROWID while it does.
    with op.batch_alter_table('response', schema=None, table_kwargs=NO_ROWID) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_column('submitted_on')
    # A used code's date said when someone answered; codes are sealed instead (survey/respond/invitations.py).
    # Old codes get a seal nobody can verify yet: "legacy-used" or "legacy-unused", re-sealed at the next use.
    with op.batch_alter_table('invitation', schema=None, table_kwargs=NO_ROWID) as batch_op:
        batch_op.add_column(sa.Column('seal', sa.String(length=97), nullable=True))
    invitation = sa.table('invitation', sa.column('used_on', sa.Date), sa.column('seal', sa.String))
    op.execute(invitation.update().values(seal=sa.case((invitation.c.used_on.is_(None), 'legacy-unused'),
                                                       else_='legacy-used')))
    with op.batch_alter_table('invitation', schema=None, table_kwargs=NO_ROWID) as batch_op:
        batch_op.alter_column('seal', nullable=False)
        batch_op.drop_column('used_on')


def downgrade() -> None:
    with op.batch_alter_table('invitation', schema=None, table_kwargs=NO_ROWID) as batch_op:
        batch_op.add_column(sa.Column('used_on', sa.Date(), nullable=True))
        batch_op.drop_column('seal')
    with op.batch_alter_table('response', schema=None, table_kwargs=NO_ROWID) as batch_op:
        batch_op.add_column(sa.Column('submitted_on', sa.Date(), nullable=False, server_default='2000-01-01'))
        batch_op.drop_column('held')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('places')
    op.drop_table('release_file')
    op.drop_table('release_text')
    op.drop_table('release_option')
    op.drop_table('release_cell')
    op.drop_table('release')
