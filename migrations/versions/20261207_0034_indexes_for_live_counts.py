"""indexes for HR's live counts: monthly tables by month, and the interviews' figures by exit date;
and for the status page's counts of actions per theme and of stale actions

HR's radar reads the whole months of a period (and the one before) from leaver_month and
leaver_month_theme, by grouping and month: the primary keys lead with the group, so the months were
found by reading every month of the grouping. The days that do not fill a month are counted from
the interviews; the covering index gives their group, id and answers without reading the rows.
The status page counts actions per theme and looks for each open action's latest update: both
indexes answer without reading the rows.

Revision ID: 0034
Revises: 0030
Create Date: 2026-12-07 22:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0034'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURES = ['exit_date', 'department_id', 'job_family_id', 'id', 'tasks_match_score', 'manager_support_score',
           'training_score', 'recognition_score', 'would_return', 'recommend_score']


def upgrade() -> None:
    op.create_index('ix_leaver_month_grouping_month', 'leaver_month', ['grouping', 'month'])
    op.create_index('ix_leaver_month_theme_grouping_month', 'leaver_month_theme', ['grouping', 'month'])
    op.create_index('ix_exit_interview_exit_date_figures', 'exit_interview', FIGURES)
    op.create_index('ix_action_theme_theme_id_action_id', 'action_theme', ['theme_id', 'action_id'])
    op.create_index('ix_action_update_action_id_created_at', 'action_update', ['action_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_action_update_action_id_created_at', table_name='action_update')
    op.drop_index('ix_action_theme_theme_id_action_id', table_name='action_theme')
    op.drop_index('ix_exit_interview_exit_date_figures', table_name='exit_interview')
    op.drop_index('ix_leaver_month_theme_grouping_month', table_name='leaver_month_theme')
    op.drop_index('ix_leaver_month_grouping_month', table_name='leaver_month')
