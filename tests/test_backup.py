"""Backups: a whole copy while the app writes, and a restore that checks the copy before it replaces anything."""

from __future__ import annotations

import asyncio
import os
import shlex
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from actiontrack import clock
from actiontrack.backup import check_dump, check_sqlite_copy, sqlite_path
from actiontrack.db import head_revision, make_engine
from actiontrack.demo.load import load_demo
from actiontrack.models import AuditEvent, ExitInterview

from conftest import SECRET, DatabaseFactory, Persona, count, migrate, rows, run, run_command


def actiontrack(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return run_command(args, env={**{key: value for key, value in os.environ.items()
                                     if not key.startswith("ACTIONTRACK_")},
                                  "DATABASE_URL": url, "ACTIONTRACK_SECRET_KEY": SECRET})


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def checked(path: Path, url: str) -> str:
    """The copy's revision, checked as `actiontrack restore` checks it."""
    if is_sqlite(url):
        return check_sqlite_copy(path, head=head_revision())
    return check_dump(path, head=head_revision())


class Writer(threading.Thread):
    """Commits one audit entry after another (its own event loop and engine, like a worker) until stopped."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.written, self.stop = url, 0, threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self.write())
        except BaseException as exc:
            self.error = exc

    async def write(self) -> None:
        engine = make_engine(self.url)
        try:
            while not self.stop.is_set():
                async with engine.begin() as connection:
                    await connection.execute(insert(AuditEvent).values(
                        verb="write", entity="test", entity_id=self.written, changes={"n": self.written},
                        created_at=clock.utcnow()))
                self.written += 1
        finally:
            await engine.dispose()

    def wait_for(self, rows_written: int) -> None:
        while self.written < rows_written and self.is_alive():
            self.stop.wait(0.01)


@pytest.fixture
def writer(database_url: str) -> Iterator[Writer]:
    thread = Writer(database_url)
    thread.start()
    yield thread
    thread.stop.set()
    thread.join(timeout=30)
    assert thread.error is None


def copied_writes(path: Path, url: str) -> int:
    """How many of the writer's entries a copy holds."""
    if is_sqlite(url):
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT count(*) FROM audit_event WHERE verb = 'write'").fetchone()[0]
    data = subprocess.run(["pg_restore", "--data-only", "--table=audit_event", "--file=-", str(path)],
                          capture_output=True, text=True, check=True).stdout
    return data.count("\twrite\ttest\t")


def test_a_backup_taken_while_the_app_writes_is_whole(database_url: str, writer: Writer, tmp_path: Path) -> None:
    run(lambda session: load_demo(session, today=clock.today()), database_url)
    writer.wait_for(20)
    before = writer.written
    result = actiontrack("backup", str(tmp_path), url=database_url)
    during = writer.written
    writer.wait_for(during + 20)  # the writer went on after the copy
    assert result.returncode == 0, result.stderr
    [copy] = [path for path in tmp_path.iterdir() if not path.name.startswith(".")]
    assert str(copy) in result.stdout and f"schema revision {head_revision()}" in result.stdout
    assert copy.stat().st_mode & 0o077 == 0  # personal data: the owner's alone
    assert checked(copy, database_url) == head_revision()
    # One moment's state: every entry committed before the copy started, none after it ended.
    assert before <= copied_writes(copy, database_url) <= during < writer.written
    if is_sqlite(database_url):
        assert not Path(f"{copy}-wal").exists()  # one self-contained file
    # A backup never overwrites a file.
    again = actiontrack("backup", str(copy), url=database_url)
    assert again.returncode == 1 and "exists already" in again.stderr


def damaged(copy: Path, url: str) -> Path:
    """The copy with 4 KiB of its interviews overwritten, as a failing disk or a cut transfer leaves it."""
    data = bytearray(copy.read_bytes())
    where = len(data) // 2  # a dump: its data blocks, after the table of contents
    if is_sqlite(url):
        with sqlite3.connect(copy) as connection:
            root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'exit_interview'").fetchone()[0]
            size = connection.execute("PRAGMA page_size").fetchone()[0]
        where = (root - 1) * size + 100
    data[where:where + 4096] = os.urandom(4096)
    broken = copy.with_name("damaged-" + copy.name)
    broken.write_bytes(bytes(data))
    return broken


@pytest.fixture
def good_copy(database_url: str, tmp_path: Path, make_department: Callable[..., Any],
              make_job_family: Callable[..., Any], make_interview: Callable[..., Any]) -> Path:
    group = {"department": make_department("Logistics"), "job_family": make_job_family("Warehouse")}
    for _ in range(40):
        make_interview(**group, reason_for_leaving="Te veel overuren. " * 20)
    result = actiontrack("backup", str(tmp_path / "copy.backup"), url=database_url)
    assert result.returncode == 0, result.stderr
    return tmp_path / "copy.backup"


def other_revision_copy(databases: DatabaseFactory, tmp_path: Path, url: str) -> Path:
    """A copy made by an older version of actiontrack: a database at the first revision."""
    from actiontrack.backup import backup_postgresql

    old = databases.empty()
    try:
        migrate(old, "0001")
        if is_sqlite(url):
            return Path(make_url(old).database)
        return backup_postgresql(old, tmp_path / "old.dump")
    finally:
        databases.drop(old)


def test_restore_refuses_a_damaged_copy_or_one_of_another_revision_and_changes_nothing(
    database_url: str, good_copy: Path, databases: DatabaseFactory, tmp_path: Path,
) -> None:
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"this is not a backup\n" * 100)
    refusals = {
        "damaged": (damaged(good_copy, database_url), "nothing was changed"),
        "garbage": (garbage, "not a readable"),
        "missing": (tmp_path / "nothing-here.backup", "no such file"),
        "another revision": (other_revision_copy(databases, tmp_path, database_url),
                             f"schema revision 0001, this version of actiontrack at {head_revision()}"),
    }
    interviews = count(database_url, ExitInterview)
    for name, (copy, message) in refusals.items():
        result = actiontrack("restore", str(copy), "--yes", url=database_url)
        assert result.returncode == 1, name
        assert "restore refused" in result.stderr and message in result.stderr, (name, result.stderr)
    assert count(database_url, ExitInterview) == interviews
    database = sqlite_path(database_url)
    if database is not None:
        assert not list(database.parent.glob(f"{database.name}.replaced-*"))


def test_restore_puts_a_good_copy_back_and_erases_again_what_was_deleted_since(
    database_url: str, hr: Persona, good_copy: Path, make_interview: Callable[..., Any], tmp_path: Path,
) -> None:
    # (hr before good_copy: HR's account is in the copy, so HR is still signed in after the restore.)
    kept, deleted = rows(database_url, ExitInterview)[:2]
    # After the copy: one more interview, and one of the copied ones deleted at a leaver's request.
    newer = make_interview(department=kept.department_id, job_family=kept.job_family_id)
    assert hr.post(f"/interviews/{deleted.id}/delete", follow_redirects=False).status_code == 303

    if not is_sqlite(database_url):
        postgresql_restore(good_copy, database_url)
        return
    without_yes = actiontrack("restore", str(good_copy), url=database_url)
    assert without_yes.returncode == 1 and "run again with --yes" in without_yes.stderr
    assert count(database_url, ExitInterview, ExitInterview.id == newer.id) == 1

    result = actiontrack("restore", str(good_copy), "--yes", url=database_url)
    assert result.returncode == 0, result.stderr
    assert "deleted again since the copy: 1 exit interviews" in result.stdout
    ids = {interview.id for interview in rows(database_url, ExitInterview)}
    assert kept.id in ids and newer.id not in ids
    # The copy still held the deleted interview; the restore erased it again, and says so in the trail.
    assert deleted.id not in ids
    trail = rows(database_url, AuditEvent, AuditEvent.entity_id == deleted.id, AuditEvent.entity == "exit_interview")
    assert [(event.verb, event.changes) for event in trail][-1] == ("delete", {"source": "restore"})
    assert count(database_url, AuditEvent, AuditEvent.verb == "restore") == 1
    # The running app reads the restored database.
    page = hr.client.get(f"/interviews/{kept.id}")
    assert page.status_code == 200 and "Te veel overuren." in page.text
    assert hr.client.get(f"/interviews/{newer.id}").status_code == 404
    database = sqlite_path(database_url)
    assert database is not None
    [replaced] = database.parent.glob(f"{database.name}.replaced-*")
    assert check_sqlite_copy(replaced, head=head_revision()) == head_revision()


def postgresql_restore(dump: Path, url: str) -> None:
    """PostgreSQL: the command checks the dump and prints how to restore it; the printed lines work."""
    result = actiontrack("restore", str(dump), url=url)
    assert result.returncode == 0, result.stderr
    commands = [line.strip() for line in result.stdout.splitlines()
                if line.strip().startswith(("createdb", "pg_restore"))]
    assert len(commands) == 2
    restored_url = make_url(url).set(database=shlex.split(commands[0])[-1]).render_as_string(hide_password=False)
    try:
        for command in commands:
            subprocess.run(shlex.split(command), check=True, capture_output=True)
        assert count(restored_url, ExitInterview) == 40
    finally:
        subprocess.run(["dropdb", *shlex.split(commands[0])[1:]], capture_output=True)


def test_backup_explains_a_database_it_cannot_copy(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "actiontrack.db"
    result = actiontrack("backup", str(tmp_path), url=f"sqlite:///{missing}")
    assert result.returncode == 1 and f"backup failed: no database at {missing}" in result.stderr
    # A file that is no actiontrack database: its copy is checked, refused and deleted.
    missing.parent.mkdir()
    sqlite3.connect(missing).execute("CREATE TABLE other (x)").connection.commit()
    result = actiontrack("backup", str(tmp_path), url=f"sqlite:///{missing}")
    assert result.returncode == 1 and "the copy is deleted" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["none"]


def test_a_copy_taken_before_an_upgrade_is_kept_and_said_to_need_its_version(
    databases: DatabaseFactory, tmp_path: Path,
) -> None:
    old = databases.empty()
    try:
        migrate(old, "0001")
        result = actiontrack("backup", str(tmp_path / "before-upgrade.backup"), url=old)
    finally:
        databases.drop(old)
    assert result.returncode == 0, result.stderr
    assert "schema revision 0001" in result.stdout
    assert "restore this copy with the version that made it" in result.stdout
    assert (tmp_path / "before-upgrade.backup").is_file()

