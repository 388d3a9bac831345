"""alembic environment: async engines, batch mode on SQLite, the URL from the app's settings."""

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import actiontrack.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from actiontrack.db import make_engine
from actiontrack.settings import DatabaseSettings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    return DatabaseSettings().database_url


def sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """Switch SQLite's foreign key enforcement, which only takes effect outside a transaction."""
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()
    if connection.exec_driver_sql("PRAGMA foreign_keys").scalar() != int(on):
        raise RuntimeError("SQLite's foreign keys cannot be switched inside a transaction")
    connection.commit()


def check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration left rows referring to missing rows: {broken[:5]}")


def do_run_migrations(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a SQLite table by copying it and dropping the old one; with foreign keys
        # on, that drop would delete the rows referring to it (ON DELETE CASCADE) or be refused. They are
        # checked once, at the end, instead.
        sqlite_foreign_keys(connection, on=False)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                check_foreign_keys(connection)
    finally:
        if sqlite:
            sqlite_foreign_keys(connection, on=True)


async def run_async_migrations() -> None:
    engine = make_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `actiontrack db upgrade`")
run_migrations_online()
