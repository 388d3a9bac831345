"""staged uploads and fingerprints of imported interviews

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28 11:55:56.170528
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import actiontrack.models

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'],
                            name=op.f('fk_import_upload_created_by_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_upload'))
    )
    op.create_index(op.f('ix_import_upload_created_at'), 'import_upload', ['created_at'], unique=False)
    op.create_index(op.f('ix_import_upload_created_by_id'), 'import_upload', ['created_by_id'], unique=False)

    op.create_table('interview_fingerprint',
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['interview_id'], ['exit_interview.id'],
                            name=op.f('fk_interview_fingerprint_interview_id_exit_interview'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interview_id', name=op.f('pk_interview_fingerprint')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_interview_fingerprint_fingerprint')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_interview_fingerprint_idempotency_key'))
    )


def downgrade() -> None:
    op.drop_table('interview_fingerprint')
    op.drop_index(op.f('ix_import_upload_created_by_id'), table_name='import_upload')
    op.drop_index(op.f('ix_import_upload_created_at'), table_name='import_upload')

    op.drop_table('import_upload')
