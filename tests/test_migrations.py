"""Migrations: a database goes up, down and up again, and the models match the schema."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from alembic import command
from sqlalchemy import inspect, text

from actiontrack.app import DatabaseNotReady, create_app
from actiontrack.db import alembic_config, make_engine
from actiontrack.settings import PROJECT_ROOT, Settings

from conftest import SECRET, DatabaseFactory, make_client, migrate, off_loop


def table_names(url: str) -> set[str]:
    async def main() -> set[str]:
        engine = make_engine(url)
        try:
            async with engine.connect() as connection:
                return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        finally:
            await engine.dispose()

    return off_loop(lambda: asyncio.run(main()))


def theme_count(url: str) -> int:
    async def main() -> int:
        engine = make_engine(url)
        try:
            async with engine.connect() as connection:
                return (await connection.execute(text("SELECT count(*) FROM theme"))).scalar_one()
        finally:
            await engine.dispose()

    return off_loop(lambda: asyncio.run(main()))


@pytest.fixture
def empty_url(databases: DatabaseFactory):
    url = databases.empty()
    yield url
    databases.drop(url)


def test_upgrade_downgrade_upgrade_without_drift(empty_url: str) -> None:
    config = alembic_config(empty_url)
    config.attributes["configure_logger"] = False
    off_loop(lambda: command.upgrade(config, "head"))
    off_loop(lambda: command.check(config))  # raises when the models and the migrations disagree
    assert {"app_user", "exit_interview", "action_item", "audit_event"} <= table_names(empty_url)
    assert theme_count(empty_url) == 10
    off_loop(lambda: command.downgrade(config, "base"))
    assert table_names(empty_url) <= {"alembic_version"}
    off_loop(lambda: command.upgrade(config, "head"))
    off_loop(lambda: command.check(config))
    assert theme_count(empty_url) == 10


def test_app_refuses_an_unmigrated_database(empty_url: str) -> None:
    app = create_app(Settings(database_url=empty_url, secret_key=SECRET))
    with pytest.raises(BaseExceptionGroup) as raised, make_client(app):
        pass
    assert raised.group_contains(DatabaseNotReady, match="actiontrack db upgrade")


def test_app_refuses_an_out_of_date_database(empty_url: str) -> None:
    migrate(empty_url, "0001")
    app = create_app(Settings(database_url=empty_url, secret_key=SECRET))
    with pytest.raises(BaseExceptionGroup) as raised, make_client(app):
        pass
    assert raised.group_contains(DatabaseNotReady, match="revision 0001")


def test_serve_explains_in_one_line_which_command_to_run(empty_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "actiontrack.cli", "serve", "--port", "1"],
        env={**os.environ, "DATABASE_URL": empty_url, "ACTIONTRACK_SECRET_KEY": SECRET},
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "actiontrack: The database has no tables yet: run `actiontrack db upgrade`."
    ]
