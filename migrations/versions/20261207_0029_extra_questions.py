"""extra questions per group (HR's own, beside the standard set) and their answers

Revision ID: 0029
Revises: 0023
Create Date: 2026-12-07 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0029'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'extra_question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('text_nl', sa.String(length=300), nullable=False),
        sa.Column('text_fr', sa.String(length=300), nullable=False),
        sa.Column('text_en', sa.String(length=300), nullable=False),
        sa.Column('options_nl', sa.Text(), nullable=False),
        sa.Column('options_fr', sa.Text(), nullable=False),
        sa.Column('options_en', sa.Text(), nullable=False),
        sa.Column('department_ids', sa.JSON(), nullable=False),
        sa.Column('job_family_ids', sa.JSON(), nullable=False),
        sa.Column('current', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_extra_question')),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_extra_question_series_id'), 'extra_question', ['series_id'], unique=False)
    op.create_table(
        'question_answer',
        sa.Column('interview_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['interview_id'], ['exit_interview.id'],
                                name=op.f('fk_question_answer_interview_id_exit_interview'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['extra_question.id'],
                                name=op.f('fk_question_answer_question_id_extra_question')),
        sa.PrimaryKeyConstraint('interview_id', 'question_id', name=op.f('pk_question_answer')),
    )
    op.create_index(op.f('ix_question_answer_question_id'), 'question_answer', ['question_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_question_answer_question_id'), table_name='question_answer')
    op.drop_table('question_answer')
    op.drop_index(op.f('ix_extra_question_series_id'), table_name='extra_question')
    op.drop_table('extra_question')
