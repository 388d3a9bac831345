"""ids are never reused (SQLite tables with an integer id get AUTOINCREMENT); failed deliveries are retried

Ids. Without AUTOINCREMENT, SQLite gives a new row the largest id + 1, so deleting the newest interview
and recording another hands the new one the deleted one's id, and the deleted one's audit entries
(and any link or log line naming it) then point at a stranger's interview. AUTOINCREMENT can only be
declared when a table is created, so each table is rebuilt in batch mode. Its sequence starts past the
largest id the table or the audit trail ever named, so rows deleted before this revision are not
reused either. PostgreSQL's sequences never go back: nothing to do there.

Retries. A delivery gets `next_try_at`, when a later `actiontrack remind` tries it again; failures of
the last three days are tried at the next run.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 19:30:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import actiontrack.models

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The audit trail names most records by their table's name; these two by a shorter word.
AUDIT_ENTITIES = {"action_item": ("action_item", "action"), "app_user": ("app_user", "user")}


def _tables_with_an_id(bind: sa.Connection) -> list[str]:
    inspector = sa.inspect(bind)
    return [table for table in inspector.get_table_names()
            if inspector.get_pk_constraint(table)["constrained_columns"] == ["id"]]


def _largest_id_ever(bind: sa.Connection, table: str) -> int:
    entities = AUDIT_ENTITIES.get(table, (table,))
    in_table = bind.execute(sa.text(f'SELECT max(id) FROM "{table}"')).scalar() or 0
    in_audit = bind.execute(
        sa.text("SELECT max(entity_id) FROM audit_event WHERE entity IN :entities")
        .bindparams(sa.bindparam("entities", expanding=True)), {"entities": list(entities)}).scalar() or 0
    return max(in_table, in_audit)


def upgrade() -> None:
    _add_next_try()
    _never_reuse_ids()


def _add_next_try() -> None:
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_try_at', actiontrack.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_delivery_next_try_at'), ['next_try_at'], unique=False)
    # What failed before this revision, in the window later runs now retry (the default 72 hours).
    now = datetime.now(UTC)
    op.execute(sa.text("UPDATE delivery SET next_try_at = :now WHERE status = 'failed' AND reminder_id IS NOT NULL"
                       " AND created_at > :since")
               .bindparams(sa.bindparam("now", now, type_=actiontrack.models.UTCDateTime(timezone=True)),
                           sa.bindparam("since", now - timedelta(hours=72),
                                        type_=actiontrack.models.UTCDateTime(timezone=True))))


def _never_reuse_ids() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # A table's triggers go with it, and renaming a table fails while a trigger names a table that is
    # gone for the moment: keep every trigger's SQL, drop them, rebuild, create them again.
    triggers = bind.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _sql in triggers:
        bind.exec_driver_sql(f'DROP TRIGGER "{name}"')
    for table in _tables_with_an_id(bind):
        largest = _largest_id_ever(bind, table)
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
        op.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :table").bindparams(table=table))
        op.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)")
                   .bindparams(table=table, seq=largest))
    for _name, sql in triggers:
        bind.exec_driver_sql(sql)  # as written: a trigger's body is no template for bound parameters


def downgrade() -> None:
    # AUTOINCREMENT is kept: going back to reusing ids would bring the mix-up back, and it changes
    # nothing else in what the older code reads or writes.
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_next_try_at'))
        batch_op.drop_column('next_try_at')
