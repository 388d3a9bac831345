"""Benchmarks of actiontrack (figures to read, not timed tests).

    .venv/bin/python -m bench [pages] [--database-url URL] [--sizes demo,large] [--rounds N]
                                      [--key-pages | --first-visits] [--filled URL]
    .venv/bin/python -m bench load [--database-url URL] [--size demo] [--seconds 10] [--connections 50]
                                   [--workers 1] [--servers pure,standard]
    .venv/bin/python -m bench flood [--database-url URL] [--size demo] [--seconds 10] [--clients 50]
                                    [--readers 10]
    .venv/bin/python -m bench themes [--misses dev|all]

`pages`: each page's server time (median, p95) and SQL queries, in-process, on the demo
organisation and on a generated large one (10,000 actions, 100,000 interviews, 50 departments;
see bench/generate.py); the query counts must not grow with the data.
`--first-visits` times only leadership's /status and HR's /radar on the first visit after a change (target: p95
under 100 ms at the large size, on SQLite and PostgreSQL). `--filled URL` measures a database filled once by
bench.generate (building the large one takes minutes), migrated to head but neither created nor dropped.
`release`: how long releasing every due reporting period takes, from scratch, at each size.
`reporting`: the first view of HR's /settings/reporting (the preview of each period length with and
without pools), and what each choice would show (see bench/reporting.py).
`visibility`: what share of the exit figures leadership sees per period length, and leaks (bench/visibility.py).
`leadership-audit`: the combined audit of what leadership sees over released quarters (pools, stay
figures, rates, bands, verdicts and turnover) on `--seeds` random companies (bench/leadership.py).
`load`: requests per second and latency of /changes under concurrent load against `actiontrack serve`,
side by side with a minimal Litestar page (bench/minimal.py) on the same uvicorn settings, with each
server configuration: pure (asyncio's loop, h11) and standard (uvloop, httptools).
`import`: upload, preview and import of 10,000 exit interviews (XLSX, then CSV) through a real server,
with the slowest /health answer meanwhile (see bench/imports.py).
`themes`: precision, recall and F1 of the theme suggestions on the hand-tagged answers of
tests/samples/theme_answers.tsv (nl, fr, en), per language and theme, dev and held-out, then apart on the
fresh held-out answers of tests/samples/theme_answers_heldout.tsv (never tuned on), then apart on the
blind answers of tests/samples/theme_answers_blind.tsv (written without reading the rules), and the slowest
suggestion (see bench/themes.py); `--misses dev` lists the dev answers not exactly right (never the blind ones).
`xlsx`: three XLSX readers (openpyxl's iter_rows as before issue 23, actiontrack's reader, python-calamine)
on a normal export and on hostile files, each in a process with a time and memory limit (see bench/xlsx.py).
`flood`: 40 right sign-ins at once from one address; p95 of /changes and the worker's peak memory (one worker)
alone and during 50 concurrent wrong sign-ins, with the sign-in throttle as configured and lifted (see bench/flood.py).

Without --database-url, throwaway SQLite files are used. With a PostgreSQL URL (a user who may
create databases), throwaway databases are created on that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import sys
from contextlib import ExitStack

from bench.databases import SIZES, bench_database
from bench.flood import measure_flood, report_flood
from bench.imports import measure_import, report_import
from bench.leadership import run as run_leadership_audit
from bench.load import SERVERS, Target, compare_load, report, started
from bench.pages import FIRST_VISITS, KEY_PAGES, PAGES, measure, measure_release
from bench.reporting import measure_reporting, report_reporting
from bench.themes import report_themes
from bench.visibility import DEFAULT_ORGANISATIONS, LENGTHS
from bench.visibility import run as run_visibility
from bench.xlsx import measure_xlsx, report_xlsx


def where(url: str | None) -> str:
    return "PostgreSQL " + url.split("@")[-1] if url else "SQLite (temporary files)"


def cmd_pages(args: argparse.Namespace) -> None:
    pages = FIRST_VISITS if args.first_visits else KEY_PAGES if args.key_pages else PAGES
    database = f"{args.filled.split('@')[-1]} (filled)" if args.filled else where(args.database_url)
    print(f"database: {database}  rounds: {args.rounds}  load average: {load_average()}")
    print(f"{'size':<7}{'user':<26}{'page':<24}{'median ms':>10}{'p95 ms':>9}{'CPU ms':>8}{'queries':>9}")
    queries: dict[str, set[int]] = {}
    for size in ["filled"] if args.filled else args.sizes.split(","):
        with bench_database(args.database_url, size, filled=args.filled) as url:
            for timing in measure(url, pages, args.rounds):
                who = timing.page.email or "(anonymous)"
                print(f"{size:<7}{who:<26}{timing.page.label:<24}{timing.median_ms:>10.2f}{timing.p95_ms:>9.2f}"
                      f"{timing.cpu_ms:>8.2f}{timing.queries:>9}")
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


def cmd_reporting(args: argparse.Namespace) -> None:
    print(f"database: {where(args.database_url)}  rounds: {args.rounds}  load average: {load_average()}")
    for size in args.sizes.split(","):
        with bench_database(args.database_url, size) as url:
            report_reporting(size, measure_reporting(url, rounds=args.rounds))


def cmd_load(args: argparse.Namespace) -> None:
    servers = args.servers.split(",")
    paths = args.paths.split(",")
    print(f"database: {where(args.database_url)}  data: {args.size}  workers: {args.workers}  "
          f"connections: {args.connections}  seconds: {args.seconds}  load average: {load_average()}")
    print("servers: " + ", ".join(f"{server} = uvicorn --loop {SERVERS[server][0]} --http {SERVERS[server][1]}"
                                  for server in servers))
    endpoints = [("minimal", "minimal Litestar page /", "/"), *(("app", f"actiontrack {path}", path) for path in paths)]
    with bench_database(args.database_url, args.size) as url, ExitStack() as stack:
        # All servers run at once (idle but one) and are loaded in turn, second by second.
        running = {(kind, server): stack.enter_context(started(kind, database_url=url, workers=args.workers,
                                                               server=server))
                   for kind in ("minimal", "app") for server in servers}
        loads = compare_load([Target(name, server, path, *running[kind, server])
                              for kind, name, path in endpoints for server in servers],
                             connections=args.connections, seconds=args.seconds)
    report(loads)
    print(f"load average after: {load_average()}")
    rate = {(load.name, load.server): load.per_second for load in loads}
    minimal, first = "minimal Litestar page /", f"actiontrack {paths[0]}"
    cpu = {(load.name, load.server): load.cpu_ms_per_request for load in loads}
    for server in servers:
        print(f"{server}: {paths[0]} reaches {rate[first, server] / rate[minimal, server]:.0%} of the minimal page's "
              f"throughput (target: 50%); by server CPU per request, {cpu[minimal, server] / cpu[first, server]:.0%}")
    for before, after in itertools.pairwise(servers):
        print(f"{after} ÷ {before}: minimal page ×{rate[minimal, after] / rate[minimal, before]:.2f} req/s "
              f"(×{cpu[minimal, before] / cpu[minimal, after]:.2f} by CPU), {paths[0]} "
              f"×{rate[first, after] / rate[first, before]:.2f} req/s "
              f"(×{cpu[first, before] / cpu[first, after]:.2f} by CPU)")


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


def cmd_visibility(args: argparse.Namespace) -> None:
    print(f"threshold: {args.threshold}  load average: {load_average()}")
    run_visibility(args.organisations, lengths=args.lengths, threshold=args.threshold, audit_periods=args.audit_periods,
                   poolings="auto" if args.pools else args.poolings, seeds=args.seeds)


def cmd_leadership_audit(args: argparse.Namespace) -> None:
    print(f"load average: {load_average()}")
    run_leadership_audit(args.seeds)


def cmd_themes(args: argparse.Namespace) -> None:
    print(f"load average: {load_average()}")
    report_themes(show_misses=args.misses)


def cmd_xlsx(args: argparse.Namespace) -> None:
    print(f"rows of the normal export: {args.rows:,}  limit per read: {args.seconds:g} s, {args.memory_mb:,} MB of "
          f"address space  load average: {load_average()}")
    report_xlsx(measure_xlsx(rows=args.rows, seconds=args.seconds, memory=args.memory_mb * 1_000_000))


def server_list(value: str) -> str:
    unknown = [server for server in value.split(",") if server not in SERVERS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown server {', '.join(unknown)} (choose from {', '.join(SERVERS)})")
    return value


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
    chosen = pages.add_mutually_exclusive_group()
    chosen.add_argument("--key-pages", action="store_true", help="only /status, /changes, /radar and /actions")
    chosen.add_argument("--first-visits", action="store_true",
                        help="only leadership's /status and HR's /radar, first visit after a change")
    pages.add_argument("--filled", metavar="URL", help="a database filled by bench.generate, kept (instead of --sizes)")
    release = commands.add_parser("release", parents=[common], help="time to release every due period")
    release.add_argument("--sizes", default=",".join(SIZES), help="demo, large or both (default: demo,large)")
    reporting = commands.add_parser("reporting", parents=[common],
                                    help="first view of /settings/reporting and what each choice would show")
    reporting.add_argument("--sizes", default=",".join(SIZES), help="demo, large or both (default: demo,large)")
    reporting.add_argument("--rounds", type=int, default=3)
    load = commands.add_parser("load", parents=[common], help="requests per second under concurrent load")
    load.add_argument("--size", choices=SIZES, default="demo")
    load.add_argument("--seconds", type=float, default=10)
    load.add_argument("--connections", type=int, default=50)
    load.add_argument("--workers", type=int, default=1)
    load.add_argument("--paths", default="/changes,/changes.atom", help="app paths to load, comma-separated")
    load.add_argument("--servers", default="pure,standard", type=server_list,
                      help="uvicorn configurations, comma-separated: pure (asyncio, h11), standard (uvloop, httptools)")
    flood = commands.add_parser("flood", parents=[common],
                                help="p95 of /changes and peak memory during a flood of bad sign-ins")
    flood.add_argument("--size", choices=SIZES, default="demo")
    flood.add_argument("--seconds", type=float, default=10)
    flood.add_argument("--clients", type=int, default=50, help="concurrent bad sign-ins")
    flood.add_argument("--readers", type=int, default=10, help="concurrent readers of /changes")
    imports = commands.add_parser("import", parents=[common], help="time to import 10,000 exit interviews")
    imports.add_argument("--rows", type=int, default=10_000)
    themes = commands.add_parser("themes", help="quality and speed of the theme suggestions")
    themes.add_argument("--misses", choices=["dev", "all"], help="list the answers not exactly right")
    visibility = commands.add_parser("visibility", help="share of exit figures leadership sees, and leaks, per period")
    visibility.add_argument("--organisations", default=DEFAULT_ORGANISATIONS,
                            help="people:interviews:departments or small, medium, large, dense; comma-separated")
    visibility.add_argument("--lengths", default=",".join(LENGTHS))
    visibility.add_argument("--threshold", type=int, default=5)
    visibility.add_argument("--poolings", default="off,auto",
                            help="off (every group on its own), auto (small groups in pools at the recommended size)")
    visibility.add_argument("--pools", action="store_true", help="only with pools: --poolings auto")
    visibility.add_argument("--seeds", type=int, default=5, help="organisations drawn per size")
    visibility.add_argument("--audit-periods", type=int, default=40, help="newest periods the attacker audits")
    leadership = commands.add_parser("leadership-audit", help="the combined audit of what leadership sees")
    leadership.add_argument("--seeds", type=int, default=200, help="random companies audited")
    xlsx = commands.add_parser("xlsx", help="XLSX readers on a normal export and on hostile files")
    xlsx.add_argument("--rows", type=int, default=10_000)
    xlsx.add_argument("--seconds", type=float, default=120)
    xlsx.add_argument("--memory-mb", type=int, default=2_000)
    logging.disable(logging.INFO)  # the app's and httpx's request logs would drown the figures
    commands_run = {"pages": cmd_pages, "load": cmd_load, "release": cmd_release, "reporting": cmd_reporting,
                    "flood": cmd_flood, "import": cmd_import, "visibility": cmd_visibility, "themes": cmd_themes,
                    "xlsx": cmd_xlsx, "leadership-audit": cmd_leadership_audit}
    argv = sys.argv[1:]
    if not argv or argv[0] not in {*commands_run, "-h", "--help"}:
        argv = ["pages", *argv]
    args = parser.parse_args(argv)
    commands_run[args.command](args)


if __name__ == "__main__":
    main()
