"""action titles, public summaries, department and job-family names in nl, fr and en

Existing titles and public summaries become the English texts (the UI's source language, and what
the demo and most HR teams wrote so far); HR sees the missing Dutch and French on the form and on
the status page. Departments and job families keep `name` (the key HR and the imports match on) and
gain optional names per language; downgrading keeps the best title in the order nl, fr, en.

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-28 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGES = ("nl", "fr", "en")


def upgrade() -> None:
    for table in ("department", "job_family"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for language in LANGUAGES:
                batch_op.add_column(sa.Column(f'name_{language}', sa.String(length=120), server_default='',
                                              nullable=False))
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        for language in LANGUAGES:
            batch_op.add_column(sa.Column(f'title_{language}', sa.String(length=200), server_default='',
                                          nullable=False))
        for language in LANGUAGES:
            batch_op.add_column(sa.Column(f'public_summary_{language}', sa.Text(), server_default='', nullable=False))
    op.execute("UPDATE action_item SET title_en = title, public_summary_en = public_summary")
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_column('title')
        batch_op.drop_column('public_summary')


def downgrade() -> None:
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('public_summary', sa.Text(), server_default='', nullable=False))
    op.execute(
        "UPDATE action_item SET"
        " title = COALESCE(NULLIF(title_nl, ''), NULLIF(title_fr, ''), title_en),"
        " public_summary = COALESCE(NULLIF(public_summary_nl, ''), NULLIF(public_summary_fr, ''), public_summary_en)"
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        for language in LANGUAGES:
            batch_op.drop_column(f'public_summary_{language}')
        for language in LANGUAGES:
            batch_op.drop_column(f'title_{language}')
    for table in ("job_family", "department"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for language in reversed(LANGUAGES):
                batch_op.drop_column(f'name_{language}')
