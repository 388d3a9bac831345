"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 04:50:57.782594
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import actiontrack.models

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('email', name=op.f('uq_app_user_email'))
    )
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name=op.f('uq_department_name'))
    )
    op.create_table('job_family',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_family')),
    sa.UniqueConstraint('name', name=op.f('uq_job_family_name'))
    )
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_ip'), ['ip'], unique=False)

    op.create_table('theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_nl', sa.String(length=120), nullable=False),
    sa.Column('name_fr', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('description_nl', sa.Text(), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('keywords_nl', sa.Text(), nullable=False),
    sa.Column('keywords_fr', sa.Text(), nullable=False),
    sa.Column('keywords_en', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme')),
    sa.UniqueConstraint('code', name=op.f('uq_theme_code'))
    )
    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('public_summary', sa.Text(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('job_family_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('success_measure', sa.Text(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('published_at', actiontrack.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_action_item_progress')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_action_item_version')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_action_item_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_action_item_department_id_department')),
    sa.ForeignKeyConstraint(['job_family_id'], ['job_family.id'], name=op.f('fk_action_item_job_family_id_job_family')),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_action_item_owner_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item'))
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_job_family_id'), ['job_family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_status'), ['status'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('verb', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], name=op.f('fk_audit_event_actor_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)

    op.create_table('exit_interview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('job_family_id', sa.Integer(), nullable=False),
    sa.Column('tenure_band', sa.String(length=20), nullable=False),
    sa.Column('exit_date', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('interviewer_id', sa.Integer(), nullable=True),
    sa.Column('reason_for_leaving', sa.Text(), nullable=False),
    sa.Column('pay_factor', sa.String(length=20), nullable=False),
    sa.Column('tasks_match_score', sa.Integer(), nullable=False),
    sa.Column('manager_support_score', sa.Integer(), nullable=False),
    sa.Column('training_score', sa.Integer(), nullable=False),
    sa.Column('recognition_score', sa.Integer(), nullable=False),
    sa.Column('improvement_suggestion', sa.Text(), nullable=False),
    sa.Column('would_return', sa.String(length=20), nullable=False),
    sa.Column('recommend_score', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('manager_support_score BETWEEN 1 AND 5', name=op.f('ck_exit_interview_manager_support_score')),
    sa.CheckConstraint('recognition_score BETWEEN 1 AND 5', name=op.f('ck_exit_interview_recognition_score')),
    sa.CheckConstraint('recommend_score BETWEEN 0 AND 10', name=op.f('ck_exit_interview_recommend_score')),
    sa.CheckConstraint('tasks_match_score BETWEEN 1 AND 5', name=op.f('ck_exit_interview_tasks_match_score')),
    sa.CheckConstraint('training_score BETWEEN 1 AND 5', name=op.f('ck_exit_interview_training_score')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                            name=op.f('fk_exit_interview_department_id_department')),
    sa.ForeignKeyConstraint(['interviewer_id'], ['app_user.id'],
                            name=op.f('fk_exit_interview_interviewer_id_app_user')),
    sa.ForeignKeyConstraint(['job_family_id'], ['job_family.id'],
                            name=op.f('fk_exit_interview_job_family_id_job_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exit_interview'))
    )
    with op.batch_alter_table('exit_interview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exit_interview_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exit_interview_exit_date'), ['exit_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_exit_interview_job_family_id'), ['job_family_id'], unique=False)

    op.create_table('action_theme',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action_item.id'],
                            name=op.f('fk_action_theme_action_id_action_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_action_theme_theme_id_theme')),
    sa.PrimaryKeyConstraint('action_id', 'theme_id', name=op.f('pk_action_theme'))
    )
    with op.batch_alter_table('action_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_theme_theme_id'), ['theme_id'], unique=False)

    op.create_table('action_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('status_before', sa.String(length=20), nullable=True),
    sa.Column('status_after', sa.String(length=20), nullable=False),
    sa.Column('progress_before', sa.Integer(), nullable=True),
    sa.Column('progress_after', sa.Integer(), nullable=False),
    sa.Column('deadline_before', sa.Date(), nullable=True),
    sa.Column('deadline_after', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action_item.id'],
                            name=op.f('fk_action_update_action_id_action_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_action_update_author_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_update'))
    )
    with op.batch_alter_table('action_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_update_action_id'), ['action_id'], unique=False)

    op.create_table('interview_theme',
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['exit_interview.id'],
                            name=op.f('fk_interview_theme_interview_id_exit_interview'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_interview_theme_theme_id_theme')),
    sa.PrimaryKeyConstraint('interview_id', 'theme_id', name=op.f('pk_interview_theme'))
    )
    with op.batch_alter_table('interview_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_theme_theme_id'), ['theme_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('interview_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_theme_theme_id'))

    op.drop_table('interview_theme')
    with op.batch_alter_table('action_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_update_action_id'))

    op.drop_table('action_update')
    with op.batch_alter_table('action_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_theme_theme_id'))

    op.drop_table('action_theme')
    with op.batch_alter_table('exit_interview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exit_interview_job_family_id'))
        batch_op.drop_index(batch_op.f('ix_exit_interview_exit_date'))
        batch_op.drop_index(batch_op.f('ix_exit_interview_department_id'))

    op.drop_table('exit_interview')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))

    op.drop_table('audit_event')
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_status'))
        batch_op.drop_index(batch_op.f('ix_action_item_owner_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_job_family_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_department_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_deadline'))

    op.drop_table('action_item')
    op.drop_table('theme')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_ip'))
        batch_op.drop_index(batch_op.f('ix_login_failure_email'))
        batch_op.drop_index(batch_op.f('ix_login_failure_created_at'))

    op.drop_table('login_failure')
    op.drop_table('job_family')
    op.drop_table('department')
    op.drop_table('app_user')

