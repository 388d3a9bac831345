"""The `actiontrack` command line: serve, db upgrade, user add/list/set-role/deactivate, demo, remind, retention,
backup, restore."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import select

from actiontrack import clock
from actiontrack.auth.passwords import hash_password, password_problem
from actiontrack.db import alembic_config, make_engine, make_sessionmaker, migration_problem
from actiontrack.models import Language, Role, User, column_limit
from actiontrack.params import has_control_characters, normalise_email, one_line
from actiontrack.settings import DatabaseSettings, Settings

if TYPE_CHECKING:
    from actiontrack.backup import Erasures

AnySettings = TypeVar("AnySettings", bound=DatabaseSettings)


class CommandError(Exception):
    """A problem to report in one line, exiting with status 1."""


def load_settings(kind: type[AnySettings] = Settings) -> AnySettings:  # type: ignore[assignment]
    try:
        return kind()
    except ValidationError as exc:
        problems = "; ".join(error["msg"].removeprefix("Value error, ") for error in exc.errors())
        raise CommandError(f"configuration error: {problems}") from exc


async def _ensure_migrated(settings: DatabaseSettings) -> None:
    engine = make_engine(settings.database_url)
    try:
        problem = await migration_problem(engine)
    finally:
        await engine.dispose()
    if problem:
        raise CommandError(problem)


# The event loops and HTTP parsers `serve` offers, fastest first: uvloop and httptools are compiled
# (uvicorn[standard]); asyncio's own loop and h11 are pure Python and always there.
LOOPS = ("uvloop", "asyncio")
HTTP_PARSERS = ("httptools", "h11")


def fastest_installed(choices: tuple[str, str]) -> str:
    compiled, pure = choices
    return compiled if find_spec(compiled) is not None else pure


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    """uvicorn's settings for `serve`: the loop and HTTP parser asked for, else the fastest installed."""
    return {
        "host": args.host,
        "port": args.port,
        "workers": args.workers,
        "loop": args.loop or fastest_installed(LOOPS),
        "http": args.http or fastest_installed(HTTP_PARSERS),
        "proxy_headers": args.proxy_headers,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        # The app writes one line per request itself, with its request id and tokens masked.
        "access_log": False,
    }


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    options = server_options(args)
    for name in (options["loop"], options["http"]):
        if find_spec(name) is None:
            raise CommandError(f"{name} is not installed: pip install 'uvicorn[standard]', or choose "
                               f"--loop asyncio --http h11")
    settings = load_settings()
    asyncio.run(_ensure_migrated(settings))
    uvicorn.run("actiontrack.app:create_worker_app", factory=True, **options)


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    from alembic import command

    url = load_settings(DatabaseSettings).database_url
    command.upgrade(alembic_config(url), args.revision)
    print(f"database upgraded to {args.revision}")


def read_password(prompt: bool, *, user_inputs: Sequence[str] = ()) -> str:
    """From a prompt (typed twice) or standard input, never from the command line."""
    if prompt:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise CommandError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if problem := password_problem(password, user_inputs=user_inputs):
        raise CommandError(f"password refused: {problem}")
    return password


async def add_user(
    settings: DatabaseSettings, *, email: str, role: str, name: str, language: str, password: str,
) -> User:
    from actiontrack import audit

    await _ensure_migrated(settings)
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            if (await session.execute(select(User.id).where(User.email == email))).first():
                raise CommandError(f"a user with email {email} already exists")
            user = User(email=email, display_name=name, role=role, language=language,
                        password_hash=hash_password(password))
            session.add(user)
            await session.flush()
            audit.record(session, actor=None, verb="create", entity="user", entity_id=user.id,
                         changes={"email": email, "role": role, "source": "command line"})
        return user
    finally:
        await engine.dispose()


def cmd_user_add(args: argparse.Namespace) -> None:
    settings = load_settings(DatabaseSettings)
    email = normalise_email(args.email)
    if ("@" not in email or len(email) > column_limit(User, "email") or email.startswith("@") or email.endswith("@")
            or has_control_characters(email)):
        raise CommandError(f"not an email address: {args.email!r}")
    name = " ".join(one_line(args.name or email.split("@")[0]).split())
    password = read_password(prompt=sys.stdin.isatty(), user_inputs=[name, email])
    user = asyncio.run(
        add_user(settings, email=email, role=args.role, name=name, language=args.language, password=password)
    )
    print(f"created {user.role} user {user.email}")


async def _user_command(settings: DatabaseSettings, email: str, change) -> str:
    """Run `change(session, user)` on the user with this email in one transaction; its answer is printed."""
    from actiontrack.people.rules import LastActiveHR

    await _ensure_migrated(settings)
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            user = (await session.execute(select(User).where(User.email == normalise_email(email)))
                    ).scalar_one_or_none()
            if user is None:
                raise CommandError(f"no user with email {email}")
            return await change(session, user)
    except LastActiveHR:
        raise CommandError("refused: this is the last active HR account; make someone else HR first") from None
    finally:
        await engine.dispose()


def cmd_user_list(args: argparse.Namespace) -> None:
    from actiontrack.people.queries import list_people, read_filters

    async def listing() -> list[str]:
        settings = load_settings(DatabaseSettings)
        await _ensure_migrated(settings)
        engine = make_engine(settings.database_url)
        try:
            async with make_sessionmaker(engine)() as session:
                filters = read_filters(role=args.role, state=args.state, q=None)
                lines, page = [], 1
                while True:
                    result = await list_people(session, filters=filters, page=page)
                    lines += ["\t".join([row.user.email, row.user.role, row.state.value, row.user.language,
                                         row.user.last_sign_in_at.isoformat(timespec="minutes")
                                         if row.user.last_sign_in_at else "-",
                                         str(row.open_actions), row.user.display_name]) for row in result.rows]
                    if page >= result.pages:
                        return lines
                    page += 1
        finally:
            await engine.dispose()

    print("email\trole\tstate\tlanguage\tlast_sign_in\topen_actions\tname")
    for line in asyncio.run(listing()):
        print(line)


def cmd_user_set_role(args: argparse.Namespace) -> None:
    from actiontrack.people.rules import change_role

    async def change(session, user) -> str:
        changed = await change_role(session, actor=None, user=user, role=args.role)
        return f"{user.email} is now {args.role}" if changed else f"{user.email} already is {args.role}"

    print(asyncio.run(_user_command(load_settings(DatabaseSettings), args.email, change)))


def cmd_user_deactivate(args: argparse.Namespace) -> None:
    from actiontrack.people.rules import deactivate

    async def change(session, user) -> str:
        if await deactivate(session, actor=None, user=user):
            return f"deactivated {user.email}; their sessions have ended"
        return f"{user.email} was already deactivated"

    print(asyncio.run(_user_command(load_settings(DatabaseSettings), args.email, change)))


def cmd_user_reactivate(args: argparse.Namespace) -> None:
    from actiontrack.people.rules import reactivate

    async def change(session, user) -> str:
        if await reactivate(session, actor=None, user=user):
            return f"reactivated {user.email}"
        return f"{user.email} was already active"

    print(asyncio.run(_user_command(load_settings(DatabaseSettings), args.email, change)))


async def _load_demo(settings: DatabaseSettings):
    from actiontrack.demo.load import DemoRefused, load_demo

    await _ensure_migrated(settings)
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            return await load_demo(session, today=clock.today())
    except DemoRefused as exc:
        raise CommandError(str(exc)) from exc
    finally:
        await engine.dispose()


def cmd_demo(args: argparse.Namespace) -> None:
    from actiontrack.demo.organisation import DEMO_PASSWORD

    summary = asyncio.run(_load_demo(load_settings(DatabaseSettings)))
    print(
        f"demo organisation loaded: {summary.departments} departments, {summary.job_families} job families, "
        f"{summary.interviews} exit interviews, {summary.stay_interviews} stay interviews, {summary.actions} actions"
    )
    print(f"demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for email, role, name in summary.users:
        print(f"  {role:<11} {email:<32} {name}")


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def cmd_remind(args: argparse.Namespace) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from actiontrack.app import create_app
    from actiontrack.disclosure import Disclosure
    from actiontrack.reminders.job import run_reminders

    settings = load_settings()
    try:
        asyncio.run(_ensure_migrated(settings))
        if settings.env != "development" and "base_url" not in settings.model_fields_set:
            raise CommandError("ACTIONTRACK_BASE_URL must be set to the app's public address: "
                               "every reminder links to it")
        # Messages link to the app's pages: their paths come from its route table (the app is not started).
        paths = create_app(settings).route_reverse
        # One Disclosure for the run: every digest it builds or sends again reads a released period once.
        report = asyncio.run(run_reminders(settings=settings, disclosure=Disclosure(settings), paths=paths,
                                           today=args.date or clock.today(), dry_run=args.dry_run))
    except (SQLAlchemyError, OSError) as exc:
        raise CommandError(f"database error: {exc}") from exc
    for line in report.lines:
        print(line)
    # Failed deliveries are recorded (see /deliveries) and do not make the run fail.
    print(report.summary())


def cmd_retention(args: argparse.Namespace) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from actiontrack.retention import run_retention

    settings = load_settings()
    try:
        asyncio.run(_ensure_migrated(settings))
        report = asyncio.run(run_retention(settings=settings, today=args.date or clock.today(), dry_run=args.dry_run))
    except (SQLAlchemyError, OSError) as exc:
        raise CommandError(f"database error: {exc}") from exc
    for line in report.lines():
        print(line)


def cmd_backup(args: argparse.Namespace) -> None:
    from actiontrack.backup import CopyRefused, backup_postgresql, backup_sqlite, copy_name, sqlite_path
    from actiontrack.db import head_revision

    url = load_settings(DatabaseSettings).database_url
    database = sqlite_path(url)
    try:
        target = copy_name(Path(args.target), suffix=".db" if database else ".dump")
        path = backup_sqlite(database, target) if database else backup_postgresql(url, target)
    except (CopyRefused, OSError, sqlite3.Error) as exc:
        raise CommandError(f"backup failed: {exc}") from exc
    # Any revision is backed up (a copy before `db upgrade` is the usual one); restore wants its own.
    revisions = _revisions(path, postgresql=database is None)
    print(f"backup written to {path} ({path.stat().st_size:,} bytes, schema revision {', '.join(revisions)})")
    if revisions != [head_revision()]:
        print(f"note: this version of actiontrack is at revision {head_revision()}: "
              "restore this copy with the version that made it")
    print("it holds every answer and name: keep it as safe as the database, and delete it within the retention period")


def _revisions(path: Path, *, postgresql: bool) -> list[str]:
    """The checked copy's schema revisions; a copy that fails the check is deleted and the command fails."""
    from actiontrack.backup import CopyRefused, read_dump, read_sqlite_copy

    try:
        return read_dump(path) if postgresql else read_sqlite_copy(path)
    except CopyRefused as exc:
        path.unlink(missing_ok=True)
        raise CommandError(f"backup failed, the copy is deleted: {exc}") from exc


def _checked(path: Path, *, postgresql: bool, head: str | None) -> str:
    from actiontrack.backup import check_dump, check_sqlite_copy

    return check_dump(path, head=head) if postgresql else check_sqlite_copy(path, head=head)


def cmd_restore(args: argparse.Namespace) -> None:
    from actiontrack.backup import CopyRefused, Erasures, pg_restore_lines, restore_sqlite, sqlite_path
    from actiontrack.db import head_revision

    settings = load_settings()
    database, copy = sqlite_path(settings.database_url), Path(args.copy)
    try:
        revision = _checked(copy, postgresql=database is None, head=head_revision())
        if database is None:
            print(f"{copy} is whole and at schema revision {revision}. "
                  "A PostgreSQL dump is restored into a new database:")
            for line in pg_restore_lines(settings.database_url, copy):
                print(f"  {line}")
            return
        if not args.yes:
            raise CommandError(f"{copy} is whole and at schema revision {revision}; restoring replaces every record in "
                               f"{database}: run again with --yes")
        kept, erasures = restore_sqlite(copy, database, head=head_revision())
    except (CopyRefused, OSError, sqlite3.Error) as exc:
        raise CommandError(f"restore refused: {exc}") from exc
    print(f"restored {database} from {copy} (schema revision {revision})")
    if kept is not None:
        print(f"the database it replaced is kept as {kept}: delete it once the restore is checked")
    if erasures is None:
        print("warning: the replaced database cannot be read: "
              "delete again by hand the interviews deleted since the copy")
    _after_restore(settings, erasures or Erasures(exit_ids=[], stay_ids=[]))


def _after_restore(settings: Settings, erasures: Erasures) -> None:
    """What the retention promises need after a restore: erasures made since the copy, then retention."""
    from actiontrack.backup import erase_again
    from actiontrack.retention import run_retention

    exit_count, stay_count = asyncio.run(erase_again(settings, erasures))
    print(f"deleted again since the copy: {exit_count} exit interviews, {stay_count} stay interviews")
    for line in asyncio.run(run_retention(settings=settings, today=clock.today(), dry_run=False)).lines():
        print(line)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="actiontrack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the web app (on uvloop and httptools when installed)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-For from the proxy")
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1", help="proxies allowed to set X-Forwarded-*")
    serve.add_argument("--loop", choices=LOOPS,
                       help="event loop (default: uvloop when installed, as with uvicorn[standard]; asyncio is "
                            "the standard library's)")
    serve.add_argument("--http", choices=HTTP_PARSERS,
                       help="HTTP parser (default: httptools when installed; h11 is pure Python)")
    serve.set_defaults(handler=cmd_serve)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    upgrade = db_commands.add_parser("upgrade", help="migrate the database to the latest schema")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)

    user = commands.add_parser("user", help="manage users")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="COMMAND")
    add = user_commands.add_parser("add", help="create a user; the password is read from a prompt or stdin")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--name", help="display name (default: the part of the email before @)")
    add.add_argument("--language", default="en", choices=[language.value for language in Language])
    add.set_defaults(handler=cmd_user_add)
    listing = user_commands.add_parser("list", help="every account, tab-separated, by name")
    listing.add_argument("--role", choices=[role.value for role in Role])
    listing.add_argument("--state", choices=["invited", "active", "deactivated"])
    listing.set_defaults(handler=cmd_user_list)
    set_role = user_commands.add_parser("set-role", help="change a user's role (their sessions end)")
    set_role.add_argument("email")
    set_role.add_argument("role", choices=[role.value for role in Role])
    set_role.set_defaults(handler=cmd_user_set_role)
    deactivate = user_commands.add_parser("deactivate", help="stop a user signing in (their sessions end)")
    deactivate.add_argument("email")
    deactivate.set_defaults(handler=cmd_user_deactivate)
    reactivate = user_commands.add_parser("reactivate", help="let a deactivated user sign in again")
    reactivate.add_argument("email")
    reactivate.set_defaults(handler=cmd_user_reactivate)

    demo = commands.add_parser("demo", help="load a demo organisation (refuses a database with real data)")
    demo.set_defaults(handler=cmd_demo)

    remind = commands.add_parser("remind", help="send the reminders and digest that are due, once, and exit")
    remind.add_argument("--dry-run", action="store_true", help="print what would be sent; claim and send nothing")
    remind.add_argument("--date", type=parse_day, help="run as if today were this date (YYYY-MM-DD)")
    remind.set_defaults(handler=cmd_remind)

    retention = commands.add_parser("retention", help="erase free text and interviews past their retention, and exit")
    retention.add_argument("--dry-run", action="store_true", help="print what would be erased; change nothing")
    retention.add_argument("--date", type=parse_day, help="run as if today were this date (YYYY-MM-DD)")
    retention.set_defaults(handler=cmd_retention)

    backup = commands.add_parser("backup", help="write a consistent copy of the database while the app serves")
    backup.add_argument("target", help="a new file, or a folder (the copy is then named after the time)")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser("restore", help="check a copy, then put it in place of the database")
    restore.add_argument("copy", help="a file written by `actiontrack backup`")
    restore.add_argument("--yes", action="store_true", help="replace the database (SQLite) once the copy is checked")
    restore.set_defaults(handler=cmd_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except CommandError as exc:
        print(f"actiontrack: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
