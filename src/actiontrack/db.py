"""Database engine, the per-request transaction and the migration status."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from litestar.di import NamedDependency
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from actiontrack.settings import RESOURCES

MIGRATE_HINT = "run `actiontrack db upgrade`"
logger = logging.getLogger(__name__)


def async_url(url: str) -> str:
    """Pick the async driver for the usual URL forms (sqlite:///x.db, postgresql://...)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    else:
        raise ValueError(f"unsupported database: {backend}")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers work while one worker writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted rows are overwritten with zeros, not left in free pages: erasing an interview erases its words.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


async def checkpoint(engine: AsyncEngine) -> bool:
    """Copy SQLite's write-ahead log into the database file and empty it; call after the commit.

    Old versions of a deleted row stay in the -wal file until a checkpoint; TRUNCATE leaves it empty.
    It waits (busy_timeout) for readers of older snapshots and gives up rather than fail: the next
    checkpoint, or SQLite's own, finishes the job. True when the log was emptied. PostgreSQL: nothing
    to do here (see "Retention and erasure" in the README on VACUUM).
    """
    if engine.dialect.name != "sqlite":
        return True
    try:
        async with engine.connect() as connection:
            busy, _log, _done = (await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    except OperationalError as exc:
        logger.warning("WAL checkpoint postponed: %s", exc)
        return False
    if busy:
        logger.warning("WAL checkpoint postponed: other connections are still reading")
    return busy == 0


def make_engine(url: str) -> AsyncEngine:
    """An async engine for the DATABASE_URL; SQLite files get their folder created."""
    parsed = make_url(async_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def provide_session(
    sessionmaker: NamedDependency[async_sessionmaker[AsyncSession]],
) -> AsyncGenerator[AsyncSession, None]:
    """One session and one transaction per request, committed when the handler succeeds.

    The transaction starts with the first statement, so a page served from a cache costs nothing
    here; when the handler raises, the session closes and rolls the transaction back.
    """
    async with sessionmaker() as session:
        yield session
        if session.in_transaction():
            await session.commit()


def alembic_config(url: str | None = None) -> Config:
    """The alembic configuration of this project, pointed at a database URL."""
    config = Config(str(RESOURCES / "alembic.ini"))
    config.set_main_option("script_location", str(RESOURCES / "migrations"))
    if url is not None:
        # ConfigParser interpolates '%', which URL-encoded passwords contain.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cache  # the migrations shipped with the code do not change while it runs; reading them takes ~25 ms
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def migration_problem(engine: AsyncEngine) -> str | None:
    """None when the database is at the latest revision, else a one-line explanation."""
    async with engine.connect() as connection:
        current = await connection.run_sync(_current_revision)
    head = head_revision()
    if current is None:
        return f"The database has no tables yet: {MIGRATE_HINT}."
    if current != head:
        return f"The database is at revision {current}, the code expects {head}: {MIGRATE_HINT}."
    return None
