"""survey links, evidence, user and API tokens

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 04:59:54.647488
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import actiontrack.models

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', actiontrack.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', actiontrack.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_api_token_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_api_token_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('survey_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('job_family_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', actiontrack.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'],
                            name=op.f('fk_survey_invitation_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                            name=op.f('fk_survey_invitation_department_id_department')),
    sa.ForeignKeyConstraint(['job_family_id'], ['job_family.id'],
                            name=op.f('fk_survey_invitation_job_family_id_job_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_invitation_token_hash'))
    )
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitation_expires_at'), ['expires_at'], unique=False)

    op.create_table('user_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', actiontrack.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'],
                            name=op.f('fk_user_token_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_token_token_hash'))
    )
    with op.batch_alter_table('user_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_token_user_id'), ['user_id'], unique=False)

    op.create_table('action_evidence',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('raised_count', sa.Integer(), nullable=False),
    sa.Column('leavers_count', sa.Integer(), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action_item.id'],
                            name=op.f('fk_action_evidence_action_id_action_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_action_evidence_theme_id_theme')),
    sa.PrimaryKeyConstraint('action_id', name=op.f('pk_action_evidence'))
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_share', sa.Float(), nullable=True))




def downgrade() -> None:

    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_column('target_share')

    op.drop_table('action_evidence')
    with op.batch_alter_table('user_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_token_user_id'))

    op.drop_table('user_token')
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitation_expires_at'))

    op.drop_table('survey_invitation')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')

