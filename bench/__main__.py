"""Benchmarks of actiontrack (figures to read, not timed tests).

    .venv/bin/python -m bench [pages] [--database-url URL] [--sizes demo,large] [--rounds N] [--key-pages]
    .venv/bin/python -m bench load [--database-url URL] [--size demo] [--seconds 10] [--connections 50]
                                   [--workers 1]
    .venv/bin/python -m bench flood [--database-url URL] [--size demo] [--seconds 10] [--clients 50]
                                    [--readers 10]

`pages`: each page's server time (median, p95) and SQL queries, in-process, on the demo
organisation and on a generated large one (10,000 actions, 100,000 interviews, 50 departments;
see bench/generate.py); the query counts must not grow with the data.
`release`: how long releasing every due reporting period takes, from scratch, at each size.
`load`: requests per second of /changes under concurrent load against `actiontrack serve`, side by
side with a minimal Litestar page (bench/minimal.py) on the same uvicorn settings.
`import`: upload, preview and import of 10,000 exit interviews (XLSX, then CSV) through a real server,
with the slowest /health answer meanwhile (see bench/imports.py).
`flood`: 40 right sign-ins at once from one address; p95 of /changes and the worker's peak memory (one worker) alone and during 50 concurrent
wrong sign-ins, with the sign-in throttle as configured and lifted (see bench/flood.py).

Without --database-url, throwaway SQLite files are used. With a PostgreSQL URL (a user who may
create databases), throwaway databases are created on that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bench.databases import SIZES, bench_database
from bench.flood import measure_flood, report_flood
from bench.imports import measure_import, report_import
from bench.load import measure_load, report, running
from bench.pages import KEY_PAGES, PAGES, measure, measure_release


def where(url: str | None) -> str:
    return "PostgreSQL " + url.split("@")[-1] if url else "SQLite (temporary files)"


def cmd_pages(args: argparse.Namespace) -> None:
    pages = KEY_PAGES if args.key_pages else PAGES
    print(f"database: {where(args.database_url)}  rounds: {args.rounds}  load average: {load_average()}")
    print(f"{'size':<7}{'user':<26}{'page':<24}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    queries: dict[str, set[int]] = {}
    for size in args.sizes.split(","):
        with bench_database(args.database_url, size) as url:
            for timing in measure(url, pages, args.rounds):
                who = timing.page.email or "(anonymous)"
                print(f"{size:<7}{who:<26}{timing.page.label:<24}{timing.median_ms:>10.2f}{timing.p95_ms:>9.2f}"
                      f"{timing.queries:>9}")
                queries.setdefault(f"{who} {timing.page.label}", set()).add(timing.queries)
    growing = [page for page, counts in queries.items() if len(counts) > 1]
    print("queries per page identical at every size:", "yes" if not growing else f"NO: {', '.join(growing)}")


def cmd_release(args: argparse.Namespace) -> None:
    print(f"database: {where(args.database_url)}  load average: {load_average()}")
    for size in args.sizes.split(","):
        with bench_database(args.database_url, size) as url:
            timing = measure_release(url)
            print(f"{size:<7} {timing.interviews:>8,} interviews  {timing.periods:>3} periods released in "
                  f"{timing.release_seconds:.2f} s; read and suppressed in {timing.read_seconds:.2f} s "
                  f"({timing.hidden} of {timing.figures} figures of the latest period hidden)")


def cmd_load(args: argparse.Namespace) -> None:
    print(f"database: {where(args.database_url)}  data: {args.size}  workers: {args.workers}  "
          f"connections: {args.connections}  seconds: {args.seconds}  load average: {load_average()}")
    loads = []
    with bench_database(args.database_url, args.size) as url:
        with running("minimal", database_url=url, workers=args.workers) as server:
            loads.append(measure_load("minimal Litestar page /", server, "/", connections=args.connections,
                                      seconds=args.seconds))
        with running("app", database_url=url, workers=args.workers) as server:
            for path in args.paths.split(","):
                loads.append(measure_load(f"actiontrack {path}", server, path, connections=args.connections,
                                          seconds=args.seconds))
    report(loads)
    ratio = loads[1].per_second / loads[0].per_second
    print(f"{args.paths.split(',')[0]} reaches {ratio:.0%} of the minimal page's throughput (target: 50%)")


def cmd_flood(args: argparse.Namespace) -> None:
    print(f"database: {where(args.database_url)}  data: {args.size}  workers: 1  readers: {args.readers}  "
          f"bad sign-ins at once: {args.clients}  seconds per phase: {args.seconds}  load average: {load_average()}")
    with bench_database(args.database_url, args.size) as url:
        report_flood(measure_flood(url, readers=args.readers, flooders=args.clients, seconds=args.seconds))


def cmd_import(args: argparse.Namespace) -> None:
    print(f"database: {where(args.database_url)}  data: demo  workers: 1  rows: {args.rows:,}  "
          f"load average: {load_average()}")
    with bench_database(args.database_url, "demo") as url:
        report_import(measure_import(url, rows=args.rows))


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    commands = parser.add_subparsers(dest="command", required=True)
    pages = commands.add_parser("pages", parents=[common], help="server time and queries per page (the default)")
    pages.add_argument("--sizes", default=",".join(SIZES), help="demo, large or both (default: demo,large)")
    pages.add_argument("--rounds", type=int, default=100)
    pages.add_argument("--key-pages", action="store_true", help="only /status, /changes, /radar and /actions")
    release = commands.add_parser("release", parents=[common], help="time to release every due period")
    release.add_argument("--sizes", default=",".join(SIZES), help="demo, large or both (default: demo,large)")
    load = commands.add_parser("load", parents=[common], help="requests per second under concurrent load")
    load.add_argument("--size", choices=SIZES, default="demo")
    load.add_argument("--seconds", type=float, default=10)
    load.add_argument("--connections", type=int, default=50)
    load.add_argument("--workers", type=int, default=1)
    load.add_argument("--paths", default="/changes,/changes.atom", help="app paths to load, comma-separated")
    flood = commands.add_parser("flood", parents=[common],
                                help="p95 of /changes and peak memory during a flood of bad sign-ins")
    flood.add_argument("--size", choices=SIZES, default="demo")
    flood.add_argument("--seconds", type=float, default=10)
    flood.add_argument("--clients", type=int, default=50, help="concurrent bad sign-ins")
    flood.add_argument("--readers", type=int, default=10, help="concurrent readers of /changes")
    imports = commands.add_parser("import", parents=[common], help="time to import 10,000 exit interviews")
    imports.add_argument("--rows", type=int, default=10_000)
    logging.disable(logging.INFO)  # the app's and httpx's request logs would drown the figures
    argv = sys.argv[1:]
    if not argv or argv[0] not in {"pages", "load", "release", "flood", "import", "-h", "--help"}:
        argv = ["pages", *argv]
    args = parser.parse_args(argv)
    {"load": cmd_load, "release": cmd_release, "flood": cmd_flood, "import": cmd_import}.get(args.command, cmd_pages)(args)


if __name__ == "__main__":
    main()
