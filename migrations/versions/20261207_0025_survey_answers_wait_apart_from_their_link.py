"""survey answers wait apart from their link (written as interviews in a later transaction); HR's choice of
the reporting period length

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-07 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import actiontrack.models

revision: str = '0025'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('survey_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('job_family_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                            name=op.f('fk_survey_answer_department_id_department')),
    sa.ForeignKeyConstraint(['job_family_id'], ['job_family.id'],
                            name=op.f('fk_survey_answer_job_family_id_job_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer')),
    # ids are never reused on SQLite (see revision 0020)
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answer_answered_on'), ['answered_on'], unique=False)
    op.create_table('reporting_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('length', sa.String(length=20), nullable=False),
    sa.Column('chosen_by_id', sa.Integer(), nullable=True),
    sa.Column('chosen_at', actiontrack.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_reporting_choice_one_row')),
    sa.ForeignKeyConstraint(['chosen_by_id'], ['app_user.id'],
                            name=op.f('fk_reporting_choice_chosen_by_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_choice')),
    # ids are never reused on SQLite (see revision 0020)
    sqlite_autoincrement=True
    )


def downgrade() -> None:
    op.drop_table('reporting_choice')
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answer_answered_on'))
    op.drop_table('survey_answer')
