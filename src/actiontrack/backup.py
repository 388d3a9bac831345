"""`actiontrack backup` and `actiontrack restore`: a consistent copy while the app serves, checked before use.

SQLite: SQLite's online backup API copies the database page by page under a read transaction, so
the copy is one moment's state even while workers write (WAL lets them go on). A copy is written
under a temporary name and renamed when complete and checked, so a file with the final name is whole.
PostgreSQL: pg_dump, which reads one snapshot too; its custom format is what pg_restore reads.

A restore refuses a copy that is damaged or made by another revision of the schema before it touches
anything. It then keeps the database it replaces beside it, and erases again what the replaced
database recorded as erased (interviews deleted since the copy was made); `actiontrack retention`
follows, so the copy holds nothing the retention promises say is gone.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from actiontrack import audit, clock, retention
from actiontrack.db import checkpoint, make_engine, make_sessionmaker
from actiontrack.models import ExitInterview, StayInterview
from actiontrack.settings import Settings

BUSY_TIMEOUT_MS = 30_000  # a backup waits this long for a writer's lock, as the app does for 5 s


class CopyRefused(Exception):
    """A backup or restore that must not go on, with the reason in one line."""


def sqlite_path(url: str) -> Path | None:
    """The database file of a sqlite:/// URL; None for PostgreSQL."""
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" else None


def copy_name(target: Path, *, suffix: str) -> Path:
    """`target`, or a dated file name inside it when it is a folder; never an existing file."""
    if target.is_dir():
        target = target / f"actiontrack-{clock.utcnow():%Y%m%d-%H%M%S}{suffix}"
    if target.exists():
        raise CopyRefused(f"{target} exists already: a backup never overwrites a file")
    return target


# --- SQLite -------------------------------------------------------------------------------------------


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return connection


def backup_sqlite(database: Path, target: Path) -> Path:
    """Copy a live SQLite database to `target` (a new file), consistent and self-contained; its path."""
    if not database.is_file():
        raise CopyRefused(f"no database at {database}")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source, copy = _connect(database), _connect(partial)
    try:
        source.backup(copy)  # all pages in one step: one snapshot, never restarted by a writer
        # One file, no -wal beside it, whatever journal mode the live database uses.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        source.close()
        copy.close()
    os.chmod(partial, 0o600)  # every answer and name in the organisation
    partial.replace(target)
    return target


def check_sqlite_copy(path: Path, *, head: str | None) -> str:
    """The schema revision of a copy that is whole and made by this version's schema, else CopyRefused."""
    return _same_revision(path, read_sqlite_copy(path), head=head)


def read_sqlite_copy(path: Path) -> list[str]:
    """The schema revisions a whole SQLite copy records (one, normally), else CopyRefused."""
    if not path.is_file():
        raise CopyRefused(f"no such file: {path}")
    try:
        connection = _connect(path, read_only=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            revisions = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")] \
                if problems == ["ok"] else []
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise CopyRefused(f"{path} is not a readable actiontrack database ({exc}); nothing was changed") from exc
    if problems != ["ok"]:
        raise CopyRefused(f"{path} is damaged (integrity check: {'; '.join(problems[:3])}); nothing was changed")
    return revisions


def _same_revision(path: Path, revisions: list[str], *, head: str | None) -> str:
    if revisions != [head]:
        found = ", ".join(revisions) or "none"
        raise CopyRefused(
            f"{path} is at schema revision {found}, this version of actiontrack at {head}: restore it with the "
            "version that made it (then `actiontrack db upgrade`); nothing was changed")
    return revisions[0]


@dataclass(frozen=True)
class Erasures:
    """Interviews the replaced database recorded as deleted: deleted again after the restore."""

    exit_ids: list[int]
    stay_ids: list[int]


def recorded_erasures(database: Path) -> Erasures:
    """Every interview deletion in a database's audit trail (ids are never reused, so they name the same ones)."""
    connection = _connect(database, read_only=True)
    try:
        rows = connection.execute(
            "SELECT entity, entity_id FROM audit_event WHERE verb = 'delete' AND entity_id IS NOT NULL"
            f" AND entity IN ('{retention.ENTITY}', '{retention.STAY_ENTITY}')").fetchall()
    finally:
        connection.close()
    return Erasures(exit_ids=sorted({id_ for entity, id_ in rows if entity == retention.ENTITY}),
                    stay_ids=sorted({id_ for entity, id_ in rows if entity == retention.STAY_ENTITY}))


def replace_sqlite(copy: Path, database: Path) -> None:
    """Write the copy over the live database through SQLite's locks, so running workers see it whole."""
    source, live = _connect(copy, read_only=True), _connect(database)
    try:
        source.backup(live)
        live.execute("PRAGMA journal_mode=WAL")  # as the app runs it
    finally:
        source.close()
        live.close()


def restore_sqlite(copy: Path, database: Path, *, head: str | None) -> tuple[Path | None, Erasures | None]:
    """Check the copy, keep the live database beside it, then write the copy over it."""
    check_sqlite_copy(copy, head=head)
    kept, erasures = None, None
    if database.is_file():
        try:
            erasures = recorded_erasures(database)
        except sqlite3.DatabaseError:
            erasures = None  # a damaged database is the reason for many restores: say so, go on
        kept = _keep(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        replace_sqlite(copy, database)
    except sqlite3.DatabaseError as exc:
        raise CopyRefused(f"{database} cannot be written over ({exc}): move it and its -wal and -shm files away "
                          "(the app stopped), then restore again") from exc
    return kept, erasures


def _keep(database: Path) -> Path:
    """The database about to be replaced, kept beside it: a consistent copy, or its bytes if it is too damaged."""
    kept = database.with_name(f"{database.name}.replaced-{clock.utcnow():%Y%m%d-%H%M%S}")
    try:
        return backup_sqlite(database, kept)
    except sqlite3.DatabaseError:
        shutil.copyfile(database, kept)
        os.chmod(kept, 0o600)
        return kept


async def erase_again(settings: Settings, erasures: Erasures) -> tuple[int, int]:
    """Delete again the interviews the replaced database had deleted; audited, then cleared from SQLite's files."""
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            found = {
                retention.ENTITY: list((await session.execute(
                    select(ExitInterview.id).where(ExitInterview.id.in_(erasures.exit_ids)))).scalars()),
                retention.STAY_ENTITY: list((await session.execute(
                    select(StayInterview.id).where(StayInterview.id.in_(erasures.stay_ids)))).scalars()),
            }
            await retention.erase_interviews(session, condition=ExitInterview.id.in_(found[retention.ENTITY]))
            await retention.erase_stay_interviews(session, condition=StayInterview.id.in_(found[retention.STAY_ENTITY]))
            for entity, ids in found.items():
                for interview_id in ids:
                    audit.record(session, actor=None, verb="delete", entity=entity, entity_id=interview_id,
                                 changes={"source": "restore"})
            audit.record(session, actor=None, verb="restore", entity="database", entity_id=None,
                         changes={"erased_again": sum(len(ids) for ids in found.values())})
        await checkpoint(engine)
        return len(found[retention.ENTITY]), len(found[retention.STAY_ENTITY])
    finally:
        await engine.dispose()


# --- PostgreSQL -----------------------------------------------------------------------------------------


def pg_connection_env(url: str) -> dict[str, str]:
    """libpq's environment for a URL: the password stays out of the command line (and `ps`)."""
    parsed = make_url(url)
    values = {"PGHOST": parsed.host, "PGPORT": parsed.port, "PGUSER": parsed.username,
              "PGPASSWORD": parsed.password, "PGDATABASE": parsed.database}
    return {name: str(value) for name, value in values.items() if value not in (None, "")}


def pg_dump_line(url: str, target: Path) -> str:
    """The documented command, for people and for machines without pg_dump."""
    parsed = make_url(url)
    where = f"-h {parsed.host or 'localhost'} -p {parsed.port or 5432} -U {parsed.username or 'postgres'}"
    return f"PGPASSWORD=... pg_dump {where} --format=custom --no-owner --file={target} {parsed.database}"


def backup_postgresql(url: str, target: Path) -> Path:
    """pg_dump of the database into `target` (custom format), renamed when complete."""
    if shutil.which("pg_dump") is None:
        raise CopyRefused("pg_dump is not installed here (Debian: postgresql-client); "
                          f"run: {pg_dump_line(url, target)}")
    partial = target.with_name(f".{target.name}.partial")
    result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"],
                            env={**os.environ, **pg_connection_env(url)}, capture_output=True, text=True)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise CopyRefused(f"pg_dump failed: {result.stderr.strip()}")
    os.chmod(partial, 0o600)
    partial.replace(target)
    return target


def dump_revision(path: Path) -> list[str]:
    """The alembic revision stored in a pg_dump file, read by pg_restore without restoring anything."""
    result = subprocess.run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise CopyRefused(f"{path} is not a readable pg_dump file ({result.stderr.strip()}); nothing was changed")
    # The COPY block's data lines: one revision per line, ended by "\.".
    block = re.search(r"^COPY public\.alembic_version .*?;\n(.*?)^\\\.$", result.stdout, re.M | re.S)
    return block.group(1).split() if block else []


def check_dump(path: Path, *, head: str | None) -> str:
    """The schema revision of a pg_dump file that pg_restore reads and this version's schema made, else CopyRefused."""
    return _same_revision(path, read_dump(path), head=head)


def read_dump(path: Path) -> list[str]:
    """The schema revisions of a pg_dump file whose every block reads, else CopyRefused."""
    if not path.is_file():
        raise CopyRefused(f"no such file: {path}")
    if shutil.which("pg_restore") is None:
        raise CopyRefused("pg_restore is not installed here (Debian: postgresql-client)")
    # Reading every block (to /dev/null) finds a damaged one; listing the contents would not.
    read = subprocess.run(["pg_restore", "--file=/dev/null", str(path)], capture_output=True, text=True)
    if read.returncode != 0:
        raise CopyRefused(f"{path} is not a readable pg_dump file ({read.stderr.strip()}); nothing was changed")
    return dump_revision(path)


def pg_restore_lines(url: str, dump: Path) -> list[str]:
    """How to put a checked dump in place: into a new, empty database, then point DATABASE_URL at it."""
    parsed = make_url(url)
    where = f"-h {parsed.host or 'localhost'} -p {parsed.port or 5432} -U {parsed.username or 'postgres'}"
    fresh = f"{parsed.database}_restored_{date.today():%Y%m%d}"
    return [f"createdb {where} {fresh}",
            f"pg_restore {where} --no-owner --exit-on-error --dbname={fresh} {dump}",
            f"then set DATABASE_URL to the database {fresh}, restart the app, and run `actiontrack retention`"]
