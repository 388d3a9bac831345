"""remembered import mappings (the columns HR chose for a header row; no answers)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import actiontrack.models

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('headers_hash', sa.String(length=64), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'],
                            name=op.f('fk_import_mapping_updated_by_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
    sa.UniqueConstraint('kind', 'headers_hash', name=op.f('uq_import_mapping_kind')),
    # ids are never reused on SQLite (see revision 0020)
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_import_mapping_updated_by_id'), 'import_mapping', ['updated_by_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_import_mapping_updated_by_id'), table_name='import_mapping')
    op.drop_table('import_mapping')
