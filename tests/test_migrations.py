"""Migrations: a database goes up, down and up again, and the models match the schema."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

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


# --- ids are never reused (revision 0020) -----------------------------------------------------------


def before_ids_kept() -> str:
    """The revision before 0020, whatever it is called once revisions are re-chained."""
    return ScriptDirectory.from_config(alembic_config()).get_revision("0020").down_revision


def sql(url: str, *statements: str) -> list[Any]:
    """Run statements in one transaction; the rows of the last."""
    async def main() -> list[Any]:
        engine = make_engine(url)
        try:
            async with engine.begin() as connection:
                result = None
                for statement in statements:
                    result = await connection.execute(text(statement))
                return list(result.all()) if result is not None and result.returns_rows else []
        finally:
            await engine.dispose()

    return off_loop(lambda: asyncio.run(main()))


def add_interview(url: str, exit_date: str) -> int:
    """An exit interview as the schema before 0020 holds it, with one theme; its id."""
    [(interview_id,)] = sql(
        url,
        "INSERT INTO exit_interview (department_id, job_family_id, tenure_band, exit_date, channel, language,"
        " reason_for_leaving, pay_factor, tasks_match_score, manager_support_score, training_score,"
        " recognition_score, improvement_suggestion, would_return, recommend_score, notes, created_at, updated_at)"
        f" VALUES (1, 1, '2to5', '{exit_date}', 'survey', 'nl', 'Te veel overuren.', 'no', 3, 3, 3, 3, '', 'maybe',"
        " 6, '', '2026-01-05 10:00:00', '2026-01-05 10:00:00') RETURNING id")
    sql(url, f"INSERT INTO interview_theme (interview_id, theme_id) VALUES ({interview_id}, 1)",
        "INSERT INTO audit_event (verb, entity, entity_id, changes, created_at)"
        f" VALUES ('create', 'exit_interview', {interview_id}, '{{}}', '2026-01-05 10:00:00')")
    return interview_id


def test_upgrading_keeps_every_row_and_never_hands_out_a_deleted_id_again(empty_url: str) -> None:
    migrate(empty_url, before_ids_kept())
    sql(empty_url, "INSERT INTO department (name, headcount, active) VALUES ('Logistics', 40, true)",
        "INSERT INTO job_family (name, active) VALUES ('Warehouse', true)")
    kept = add_interview(empty_url, "2026-01-02")
    deleted = add_interview(empty_url, "2026-01-03")
    # The newest interview is deleted; only the audit trail still names it.
    sql(empty_url, f"DELETE FROM exit_interview WHERE id = {deleted}",
        "INSERT INTO audit_event (verb, entity, entity_id, changes, created_at)"
        f" VALUES ('delete', 'exit_interview', {deleted}, '{{}}', '2026-01-06 10:00:00')")
    tables = ("theme", "theme_suggestion", "exit_interview", "interview_theme", "audit_event", "leaver_month")
    before = {table: sql(empty_url, f"SELECT count(*) FROM {table}")[0][0] for table in tables}
    assert before["theme_suggestion"] > 0 and before["interview_theme"] == 1

    migrate(empty_url)
    # Rebuilding a table on SQLite drops the old copy: nothing that referred to it may go with it.
    assert {table: sql(empty_url, f"SELECT count(*) FROM {table}")[0][0] for table in tables} == before
    new = add_interview(empty_url, "2026-01-04")
    assert new not in (kept, deleted)
    # The leaver counts' triggers still follow every interview and tag.
    assert sql(empty_url, "SELECT sum(leavers) FROM leaver_month WHERE grouping = 'department'") == [(2,)]
    assert sql(empty_url, "SELECT sum(raised) FROM leaver_month_theme WHERE grouping = 'department'") == [(2,)]


def test_every_table_with_an_id_is_autoincrement_on_sqlite(empty_url: str) -> None:
    with_id = {name for name, table in SQLModel.metadata.tables.items()
               if [column.name for column in table.primary_key.columns] == ["id"]}
    assert {"exit_interview", "stay_interview", "action_item", "app_user", "delivery", "audit_event"} <= with_id
    assert {name for name in with_id if not SQLModel.metadata.tables[name].dialect_options["sqlite"]["autoincrement"]} \
        == set()
    if not empty_url.startswith("sqlite"):
        return  # PostgreSQL's sequences never go back
    migrate(empty_url)
    schema = dict(sql(empty_url, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    assert {name for name in with_id if "AUTOINCREMENT" not in schema[name]} == set()
