"""action descriptions and success measures in nl, fr and en

As revision 0018 did for titles and public summaries: the existing texts become the English ones (the
UI's source language, and what the demo and most HR teams wrote so far); HR adds Dutch and French on
the form. Downgrading keeps the best text in the order nl, fr, en.

Revision ID: 0021
Revises: 0026
Create Date: 2026-12-07 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGES = ("nl", "fr", "en")
TEXTS = ("description", "success_measure")


def _drop_columns(columns: list[str]) -> None:
    """Drop columns of action_item. On SQLite that rebuilds the table: it stays AUTOINCREMENT (revision
    0020) and its counter stays where it was, so the id of an action deleted earlier is never handed out."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    seq = op.get_bind().execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'action_item'")).scalar() \
        if sqlite else None
    with op.batch_alter_table('action_item', schema=None,
                              table_kwargs={"sqlite_autoincrement": True} if sqlite else {}) as batch_op:
        for column in columns:
            batch_op.drop_column(column)
    if seq is not None:
        op.execute(sa.text("UPDATE sqlite_sequence SET seq = MAX(seq, :seq) WHERE name = 'action_item'")
                   .bindparams(seq=seq))


def upgrade() -> None:
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        for text in TEXTS:
            for language in LANGUAGES:
                batch_op.add_column(sa.Column(f'{text}_{language}', sa.Text(), server_default='', nullable=False))
    op.execute("UPDATE action_item SET description_en = description, success_measure_en = success_measure")
    _drop_columns(list(TEXTS))


def downgrade() -> None:
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        for text in TEXTS:
            batch_op.add_column(sa.Column(text, sa.Text(), server_default='', nullable=False))
    op.execute(
        "UPDATE action_item SET"
        " description = COALESCE(NULLIF(description_nl, ''), NULLIF(description_fr, ''), description_en),"
        " success_measure = COALESCE(NULLIF(success_measure_nl, ''), NULLIF(success_measure_fr, ''),"
        " success_measure_en)"
    )
    _drop_columns([f'{text}_{language}' for text in reversed(TEXTS) for language in reversed(LANGUAGES)])
