"""The actiontrack command line, run as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from actiontrack.auth.passwords import verify_password
from actiontrack.cli import build_parser, server_options
from actiontrack.models import AuditEvent, User
from actiontrack.settings import PROJECT_ROOT

from conftest import SECRET, DatabaseFactory, free_port, rows, run, run_command


def actiontrack(*args: str, url: str, stdin: str = "", process: bool = False) -> subprocess.CompletedProcess[str]:
    """The command with only DATABASE_URL set; in a process of its own with `process`, else in this one."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ACTIONTRACK_")}
    if not process:
        return run_command(args, env={**env, "DATABASE_URL": url}, stdin=stdin)
    return subprocess.run(
        [sys.executable, "-m", "actiontrack.cli", *args],
        input=stdin, env={**env, "DATABASE_URL": url}, cwd=PROJECT_ROOT,
        capture_output=True, text=True, timeout=120,
    )


def users(url: str) -> list[User]:
    async def load(session):
        return list((await session.execute(select(User).order_by(User.id))).scalars())

    return run(load, url)


def test_user_add_reads_the_password_from_standard_input(database_url: str) -> None:
    # The installed entry point, as an operator runs it (the other tests run the command in-process).
    result = actiontrack("user", "add", "Olga@Example.com", "--role", "leadership", "--name", "Olga",
                         "--language", "fr", url=database_url, stdin="a-long-password\n", process=True)
    assert result.returncode == 0, result.stderr
    assert "created leadership user olga@example.com" in result.stdout
    [user] = users(database_url)
    assert (user.email, user.role, user.language, user.display_name) == ("olga@example.com", "leadership", "fr", "Olga")
    assert user.password_hash.startswith("$argon2")
    assert verify_password(user.password_hash, "a-long-password")

    async def audited(session):
        return (await session.execute(select(AuditEvent.entity, AuditEvent.verb))).all()

    assert run(audited, database_url) == [("user", "create")]


def test_user_add_refuses_a_second_user_with_the_same_email(database_url: str) -> None:
    actiontrack("user", "add", "pat@example.com", "--role", "hr", url=database_url, stdin="a-long-password\n")
    again = actiontrack("user", "add", "PAT@example.com", "--role", "owner", url=database_url,
                        stdin="another-password\n")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert [user.role for user in users(database_url)] == ["hr"]


@pytest.mark.parametrize("args, stdin, message", [
    (["user", "add", "q@example.com", "--role", "hr"], "short\n", "at least 12 characters"),
    (["user", "add", "q@example.com", "--role", "hr"], " " * 14 + "\n", "not only spaces"),
    (["user", "add", "q@example.com", "--role", "hr"], "qwerty123456\n", "most common"),
    (["user", "add", "q@example.com", "--role", "hr"], "aaaaaaaaaaaa\n", "Repeated characters or words"),
    (["user", "add", "quinten.verhaegen@example.com", "--role", "hr", "--name", "Quinten Verhaegen"],
     "quintenverhaegen\n", "your name or email address"),
    (["user", "add", "not-an-email", "--role", "hr"], "a-long-password\n", "not an email address"),
    (["user", "add", "q@example.com", "--role", "boss"], "a-long-password\n", "invalid choice: 'boss'"),
    (["user", "add", "q@example.com"], "a-long-password\n", "--role"),
    (["frobnicate"], "", "invalid choice: 'frobnicate'"),
    (["serve", "--loop", "tokio"], "", "invalid choice: 'tokio'"),
    (["serve", "--http", "http2"], "", "invalid choice: 'http2'"),
])
def test_bad_arguments_get_a_clear_message_and_a_non_zero_exit(
    database_url: str, args: list[str], stdin: str, message: str
) -> None:
    result = actiontrack(*args, url=database_url, stdin=stdin)
    assert result.returncode != 0
    assert message in result.stderr
    assert users(database_url) == []


def test_password_is_never_a_command_line_argument(database_url: str) -> None:
    result = actiontrack("user", "add", "r@example.com", "--role", "hr", "--password", "x", url=database_url)
    assert result.returncode == 2
    assert "unrecognized arguments: --password" in result.stderr


def test_db_upgrade_migrates_an_empty_database(databases: DatabaseFactory) -> None:
    url = databases.empty()
    try:
        result = actiontrack("db", "upgrade", url=url, process=True)  # alembic's logging set-up stays out of pytest
        assert result.returncode == 0, result.stderr
        assert "database upgraded to head" in result.stdout
        assert actiontrack("user", "add", "s@example.com", "--role", "hr", url=url,
                           stdin="a-long-password\n").returncode == 0
    finally:
        databases.drop(url)


def test_commands_on_an_unmigrated_database_say_what_to_run(databases: DatabaseFactory) -> None:
    url = databases.empty()
    try:
        result = actiontrack("user", "add", "t@example.com", "--role", "hr", url=url, stdin="a-long-password\n")
        assert result.returncode == 1
        assert "run `actiontrack db upgrade`" in result.stderr
    finally:
        databases.drop(url)


def test_user_list_set_role_and_deactivate_for_scripts(database_url: str) -> None:
    actiontrack("user", "add", "hr.one@example.com", "--role", "hr", "--name", "Hanne", url=database_url,
                stdin="a-long-password\n")
    actiontrack("user", "add", "leaver@example.com", "--role", "owner", "--name", "Lou", url=database_url,
                stdin="a-long-password\n")
    listing = actiontrack("user", "list", url=database_url)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["email", "role", "state"]
    assert lines[1].split("\t")[:3] == ["hr.one@example.com", "hr", "active"]
    assert lines[2].split("\t")[:3] == ["leaver@example.com", "owner", "active"]

    promoted = actiontrack("user", "set-role", "LEAVER@example.com", "leadership", url=database_url)
    assert promoted.returncode == 0 and "leaver@example.com is now leadership" in promoted.stdout
    gone = actiontrack("user", "deactivate", "leaver@example.com", url=database_url)
    assert gone.returncode == 0 and "deactivated leaver@example.com" in gone.stdout
    only_deactivated = actiontrack("user", "list", "--state", "deactivated", url=database_url).stdout.splitlines()
    assert [line.split("\t")[0] for line in only_deactivated[1:]] == ["leaver@example.com"]
    [_hr, leaver] = users(database_url)
    assert (leaver.role, leaver.active, leaver.session_generation) == ("leadership", False, 2)

    last = actiontrack("user", "set-role", "hr.one@example.com", "owner", url=database_url)
    assert last.returncode == 1 and "last active HR account" in last.stderr
    assert actiontrack("user", "deactivate", "hr.one@example.com", url=database_url).returncode == 1
    assert users(database_url)[0].role == "hr" and users(database_url)[0].active
    assert actiontrack("user", "deactivate", "nobody@example.com", url=database_url).returncode == 1

    async def audited(session):
        return (await session.execute(select(AuditEvent.verb).where(AuditEvent.entity_id == leaver.id)
                                      .order_by(AuditEvent.id))).scalars().all()

    assert run(audited, database_url) == ["create", "change_role", "deactivate"]


def test_user_add_refuses_control_characters_in_the_email_and_drops_them_from_the_name(database_url: str) -> None:
    refused = actiontrack("user", "add", "eve\x1b[2J@example.com", "--role", "hr", url=database_url,
                          stdin="a-long-password\n")
    assert refused.returncode == 1 and "not an email address" in refused.stderr
    created = actiontrack("user", "add", "eve@example.com", "--role", "hr", "--name", "Eve\x1b[31m\tRed",
                          url=database_url, stdin="a-long-password\n")
    assert created.returncode == 0, created.stderr
    [user] = rows(database_url, User)
    assert user.display_name == "Eve[31m Red"


# --- serve ------------------------------------------------------------------------------------------


def test_serve_picks_uvloop_and_httptools_when_installed_and_the_pure_python_ones_when_asked() -> None:
    assert find_spec("uvloop") and find_spec("httptools"), "uvicorn[standard] is a dependency"
    chosen = server_options(build_parser().parse_args(["serve"]))
    assert (chosen["loop"], chosen["http"]) == ("uvloop", "httptools")
    asked = server_options(build_parser().parse_args(["serve", "--loop", "asyncio", "--http", "h11"]))
    assert (asked["loop"], asked["http"]) == ("asyncio", "h11")
    assert server_options(build_parser().parse_args(["serve", "--loop", "asyncio"]))["http"] == "httptools"


def test_served_app_runs_on_the_loop_and_http_parser_chosen(database_url: str) -> None:
    """The real servers: which of uvloop's and httptools' compiled modules each process has loaded."""
    env = {**os.environ, "DATABASE_URL": database_url, "ACTIONTRACK_SECRET_KEY": SECRET,
           "ACTIONTRACK_ENV": "production", "ACTIONTRACK_COOKIE_SECURE": "false"}
    servers = {}
    for options in ((), ("--loop", "asyncio", "--http", "h11")):
        port = free_port()
        servers[options] = port, subprocess.Popen(
            [sys.executable, "-m", "actiontrack.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *options],
            env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loaded = {}
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine starts a server slowly
        for options, (port, process) in servers.items():
            while True:
                try:
                    assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200
                    break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline and process.poll() is None
                    time.sleep(0.1)
            maps = Path(f"/proc/{process.pid}/maps").read_text()
            loaded[options] = {name for name in ("uvloop", "httptools") if f"/{name}/" in maps}
    finally:
        for _, process in servers.values():
            process.terminate()
            process.wait(timeout=10)
    assert loaded == {(): {"uvloop", "httptools"}, ("--loop", "asyncio", "--http", "h11"): set()}
