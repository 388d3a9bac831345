"""Page timings on the demo organisation: median and p95 server time and SQL queries per page.

    .venv/bin/python -m bench [--database-url URL] [--rounds N]

Without --database-url a throwaway SQLite file is used. The database is migrated and loaded with
the demo organisation (it must hold no real data).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from alembic import command
from litestar.testing import TestClient
from sqlalchemy import event

from actiontrack import clock
from actiontrack.app import create_app
from actiontrack.db import alembic_config, make_engine, make_sessionmaker
from actiontrack.demo import DEMO_PASSWORD, load_demo
from actiontrack.settings import Settings

PAGES = [
    ("hr@example.com", "/"),
    ("leadership@example.com", "/"),
    ("owner@example.com", "/"),
    ("hr@example.com", "/interviews"),
    ("hr@example.com", "/radar"),
    ("leadership@example.com", "/radar"),
    ("hr@example.com", "/actions"),
    ("owner@example.com", "/my/actions"),
    ("leadership@example.com", "/status"),
    ("owner@example.com", "/changes"),
]


async def prepare(url: str) -> None:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await load_demo(session, today=clock.today())
    finally:
        await engine.dispose()


def measure(url: str, rounds: int) -> list[tuple[str, str, float, float, float]]:
    app = create_app(Settings(database_url=url, secret_key="benchmark-secret-key-123", cookie_secure=True))
    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
    results = []
    for email, path in PAGES:
        with TestClient(app=app, base_url="https://bench.local") as client:
            client.get("/login")
            client.post("/login", data={"email": email, "password": DEMO_PASSWORD,
                                        "_csrf_token": client.cookies["csrftoken"]})
            client.get(path)  # warm-up
            timings = []
            for _ in range(rounds):
                queries = 0
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            per_page = queries
            timings.sort()
            p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
            results.append((email, path, statistics.median(timings), p95, per_page))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        command.upgrade(alembic_config(url), "head")
        asyncio.run(prepare(url))
        print(f"database: {url.split('@')[-1]}  rounds: {args.rounds}")
        print(f"{'user':<26}{'page':<14}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
        for email, path, median, p95, queries in measure(url, args.rounds):
            print(f"{email:<26}{path:<14}{median:>10.2f}{p95:>10.2f}{queries:>9}")


if __name__ == "__main__":
    main()
