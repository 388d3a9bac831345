"""sign-in attempts are pending until their password is checked

Revision ID: 0023
Revises: 0025
Create Date: 2026-12-07 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0023'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuilt():
    """A batch on login_failure. On SQLite it rebuilds the table: it stays AUTOINCREMENT (revision 0020)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    return op.batch_alter_table('login_failure', schema=None,
                                table_kwargs={"sqlite_autoincrement": True} if sqlite else {})


def _keep_counter(step) -> None:
    # The rebuilt table's counter starts again from its largest id: put back the one it had.
    sqlite = op.get_bind().dialect.name == "sqlite"
    seq = op.get_bind().execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'login_failure'")).scalar() \
        if sqlite else None
    step()
    if seq is not None:
        op.execute(sa.text("UPDATE sqlite_sequence SET seq = MAX(seq, :seq) WHERE name = 'login_failure'")
                   .bindparams(seq=seq))


def upgrade() -> None:
    def add() -> None:
        with _rebuilt() as batch_op:
            batch_op.add_column(sa.Column('pending', sa.Boolean(), server_default=sa.false(), nullable=False))

    _keep_counter(add)


def downgrade() -> None:
    def drop() -> None:
        with _rebuilt() as batch_op:
            batch_op.drop_column('pending')

    _keep_counter(drop)
