"""monthly leaver counts kept by triggers

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 06:04:15.444147
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


GROUPINGS = (("department", "department_id"), ("job_family", "job_family_id"))
SUMS = ("tasks_match_score", "manager_support_score", "training_score", "recognition_score")
SQLITE_TRIGGERS = ("leaver_month_interview_insert", "leaver_month_interview_update", "leaver_month_interview_delete",
                   "leaver_month_tag_insert", "leaver_month_tag_delete")


def _month(row: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"date({row}.exit_date, 'start of month')"
    return f"CAST(date_trunc('month', {row}.exit_date) AS date)"


def _add_group(row: str, sign: int, dialect: str) -> str:
    """Statements adding (sign 1) or taking away (-1) one interview's figures in both groupings."""
    statements = []
    for grouping, column in GROUPINGS:
        values = ", ".join([
            f"'{grouping}'", f"{row}.{column}", _month(row, dialect), f"{sign}",
            *(f"{sign} * {row}.{name}" for name in SUMS),
            f"{sign} * (CASE WHEN {row}.would_return = 'yes' THEN 1 ELSE 0 END)",
            f"{sign} * (CASE WHEN {row}.recommend_score >= 9 THEN 1 ELSE 0 END)",
            f"{sign} * (CASE WHEN {row}.recommend_score <= 6 THEN 1 ELSE 0 END)",
        ])
        columns = ["leavers", *SUMS, "would_return", "promoters", "detractors"]
        updates = ", ".join(f"{name} = leaver_month.{name} + excluded.{name}" for name in columns)
        statements.append(
            f"INSERT INTO leaver_month (grouping, group_id, month, {', '.join(columns)}) "
            f"SELECT {values} WHERE true ON CONFLICT (grouping, group_id, month) DO UPDATE SET {updates};"
        )
    return "\n".join(statements)


def _add_tags(row: str, sign: int, dialect: str) -> str:
    """Statements adding or taking away the theme tags of one interview (`row`), in both groupings."""
    return "\n".join(
        f"INSERT INTO leaver_month_theme (grouping, group_id, month, theme_id, raised) "
        f"SELECT '{grouping}', {row}.{column}, {_month(row, dialect)}, interview_theme.theme_id, {sign} "
        f"FROM interview_theme WHERE interview_theme.interview_id = {row}.id "
        f"ON CONFLICT (grouping, group_id, month, theme_id) "
        f"DO UPDATE SET raised = leaver_month_theme.raised + excluded.raised;"
        for grouping, column in GROUPINGS
    )


def _add_tag(tag: str, sign: int, dialect: str) -> str:
    """Statements adding or taking away one tag, at its interview's month and groups (none if it is gone)."""
    return "\n".join(
        f"INSERT INTO leaver_month_theme (grouping, group_id, month, theme_id, raised) "
        f"SELECT '{grouping}', e.{column}, {_month('e', dialect)}, {tag}.theme_id, {sign} "
        f"FROM exit_interview AS e WHERE e.id = {tag}.interview_id "
        f"ON CONFLICT (grouping, group_id, month, theme_id) "
        f"DO UPDATE SET raised = leaver_month_theme.raised + excluded.raised;"
        for grouping, column in GROUPINGS
    )


def _backfill() -> None:
    dialect = op.get_bind().dialect.name
    for grouping, column in GROUPINGS:
        op.execute(
            f"INSERT INTO leaver_month (grouping, group_id, month, leavers, {', '.join(SUMS)}, would_return, "
            f"promoters, detractors) SELECT '{grouping}', e.{column}, {_month('e', dialect)}, count(*), "
            + ", ".join(f"sum(e.{name})" for name in SUMS)
            + ", sum(CASE WHEN e.would_return = 'yes' THEN 1 ELSE 0 END), "
            "sum(CASE WHEN e.recommend_score >= 9 THEN 1 ELSE 0 END), "
            "sum(CASE WHEN e.recommend_score <= 6 THEN 1 ELSE 0 END) "
            f"FROM exit_interview AS e GROUP BY e.{column}, {_month('e', dialect)}"
        )
        op.execute(
            f"INSERT INTO leaver_month_theme (grouping, group_id, month, theme_id, raised) "
            f"SELECT '{grouping}', e.{column}, {_month('e', dialect)}, t.theme_id, count(*) "
            f"FROM interview_theme AS t JOIN exit_interview AS e ON e.id = t.interview_id "
            f"GROUP BY e.{column}, {_month('e', dialect)}, t.theme_id"
        )


def _create_triggers() -> None:
    """Every write to exit_interview and interview_theme, by the app or anyone else, keeps the months right.

    A deleted interview takes its figures and tags away before it goes; the tags that its deletion
    then removes (ON DELETE CASCADE) find no interview and change nothing.
    """
    dialect = op.get_bind().dialect.name
    watched = "exit_date, department_id, job_family_id, would_return, recommend_score, " + ", ".join(SUMS)
    bodies = {
        "leaver_month_interview_insert": ("AFTER INSERT ON exit_interview", _add_group("NEW", 1, dialect)),
        "leaver_month_interview_update": (
            f"AFTER UPDATE OF {watched} ON exit_interview",
            "\n".join([_add_group("OLD", -1, dialect), _add_tags("OLD", -1, dialect),
                       _add_group("NEW", 1, dialect), _add_tags("NEW", 1, dialect)])),
        "leaver_month_interview_delete": (
            "BEFORE DELETE ON exit_interview",
            "\n".join([_add_group("OLD", -1, dialect), _add_tags("OLD", -1, dialect)])),
        "leaver_month_tag_insert": ("AFTER INSERT ON interview_theme", _add_tag("NEW", 1, dialect)),
        "leaver_month_tag_delete": ("AFTER DELETE ON interview_theme", _add_tag("OLD", -1, dialect)),
    }
    for name, (when, body) in bodies.items():
        if dialect == "sqlite":
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN\n{body}\nEND")
        else:
            returned = "OLD" if when.startswith("BEFORE DELETE") else "NULL"
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\n"
                       f"RETURN {returned};\nEND\n$$")
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {name}()")


def _drop_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for name in SQLITE_TRIGGERS:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            table = "exit_interview" if "interview_" in name else "interview_theme"
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade() -> None:
    op.create_table('leaver_month',
    sa.Column('grouping', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('leavers', sa.Integer(), nullable=False),
    sa.Column('tasks_match_score', sa.Integer(), nullable=False),
    sa.Column('manager_support_score', sa.Integer(), nullable=False),
    sa.Column('training_score', sa.Integer(), nullable=False),
    sa.Column('recognition_score', sa.Integer(), nullable=False),
    sa.Column('would_return', sa.Integer(), nullable=False),
    sa.Column('promoters', sa.Integer(), nullable=False),
    sa.Column('detractors', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('grouping', 'group_id', 'month', name=op.f('pk_leaver_month'))
    )
    op.create_table('leaver_month_theme',
    sa.Column('grouping', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('raised', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('grouping', 'group_id', 'month', 'theme_id', name=op.f('pk_leaver_month_theme'))
    )
    _backfill()
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_table('leaver_month_theme')
    op.drop_table('leaver_month')
