"""Throwaway benchmark databases, filled with the demo organisation or a generated large one."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from actiontrack import clock
from actiontrack.db import alembic_config, async_url, make_engine, make_sessionmaker
from actiontrack.demo.load import load_demo
from bench.generate import generate

SIZES = ("demo", "large")


async def _load_demo(url: str) -> None:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await load_demo(session, today=clock.today())
    finally:
        await engine.dispose()


def fill(url: str, size: str) -> None:
    """Migrate the empty database at `url` and load the demo data or the large organisation."""
    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    if size == "demo":
        asyncio.run(_load_demo(url))
    else:
        asyncio.run(generate(url, actions=10_000, interviews=100_000, departments=50, seed=1))


async def _admin(server_url: str, statement: str) -> None:
    engine = create_async_engine(async_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextmanager
def bench_database(server_url: str | None, size: str, *, filled: str | None = None) -> Iterator[str]:
    """A filled database of that size, dropped afterwards: a SQLite file, or a new database on the
    PostgreSQL server of `server_url` (whose user may create databases). With `filled`, that database
    as it is (made once by bench.generate, then measured again and again): only migrated to head."""
    if filled is not None:
        config = alembic_config(filled)
        config.attributes["configure_logger"] = False
        command.upgrade(config, "head")
        yield filled
        return
    if server_url is None:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / f'bench-{size}.db'}"
            fill(url, size)
            yield url
        return
    name = f"bench_{size}_{os.getpid()}"
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        fill(url, size)
        yield url
    finally:
        asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
