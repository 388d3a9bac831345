"""extra questions in stay interviews (asked_in, their answers) and, for leadership, answers frozen per released period

Revision ID: 0032
Revises: 0033
Create Date: 2026-12-07 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0032'
down_revision: str | None = '0033'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('extra_question') as batch_op:
        batch_op.add_column(sa.Column('asked_in', sa.String(length=20), server_default='exit', nullable=False))
    op.create_table(
        'stay_question_answer',
        sa.Column('interview_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['interview_id'], ['stay_interview.id'],
                                name=op.f('fk_stay_question_answer_interview_id_stay_interview'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['extra_question.id'],
                                name=op.f('fk_stay_question_answer_question_id_extra_question')),
        sa.PrimaryKeyConstraint('interview_id', 'question_id', name=op.f('pk_stay_question_answer')),
    )
    op.create_index(op.f('ix_stay_question_answer_question_id'), 'stay_question_answer', ['question_id'], unique=False)
    op.create_table(
        'released_answer',
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('grouping', sa.String(length=20), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('answer', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['period_id'], ['reporting_period.id'],
                                name=op.f('fk_released_answer_period_id_reporting_period'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['extra_question.id'],
                                name=op.f('fk_released_answer_question_id_extra_question')),
        sa.PrimaryKeyConstraint('period_id', 'source', 'grouping', 'group_id', 'question_id', 'answer',
                                name=op.f('pk_released_answer')),
    )


def downgrade() -> None:
    op.drop_table('released_answer')
    op.drop_index(op.f('ix_stay_question_answer_question_id'), table_name='stay_question_answer')
    op.drop_table('stay_question_answer')
    with op.batch_alter_table('extra_question') as batch_op:
        batch_op.drop_column('asked_in')
