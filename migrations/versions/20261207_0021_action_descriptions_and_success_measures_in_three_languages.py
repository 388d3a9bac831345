"""action descriptions and success measures in nl, fr and en

As revision 0018 did for titles and public summaries: the existing texts become the English ones (the
UI's source language, and what the demo and most HR teams wrote so far); HR adds Dutch and French on
the form. Downgrading keeps the best text in the order nl, fr, en.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-07 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGES = ("nl", "fr", "en")
TEXTS = ("description", "success_measure")


def upgrade() -> None:
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        for text in TEXTS:
            for language in LANGUAGES:
                batch_op.add_column(sa.Column(f'{text}_{language}', sa.Text(), server_default='', nullable=False))
    op.execute("UPDATE action_item SET description_en = description, success_measure_en = success_measure")
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        for text in TEXTS:
            batch_op.drop_column(text)


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
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        for text in reversed(TEXTS):
            for language in reversed(LANGUAGES):
                batch_op.drop_column(f'{text}_{language}')
