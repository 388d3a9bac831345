"""A sign-in flood next to /changes: p95 of /changes and the worker's peak memory, with and without it.

50 clients post wrong passwords to /login as fast as the server answers, while other connections
read /changes; the same readers run once without the flood for comparison. The worker's resident
memory is sampled from /proc every 20 ms (the server runs one worker, in the process started).

First, 40 colleagues sign in with the right password at the same moment from the same address (one
office behind NAT): all must get in, with the same memory bound.

Then two floods: with the sign-in throttle as configured (the address is paused after
4 x ACTIONTRACK_LOGIN_MAX_FAILURES failures, so most attempts are refused cheaply), and with the throttle
lifted, so that every attempt checks a password (argon2, about 64 MiB each; at most
ACTIONTRACK_PASSWORD_CHECKS_AT_ONCE at a time, the others wait their turn or get 429).
"""

from __future__ import annotations

import asyncio
import re
import secrets
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.load import HOST, _read_response, hammer, started

PAGE = 4096


@dataclass
class Phase:
    name: str
    latencies_ms: list[float]
    requests: int
    seconds: float
    peak_rss_mib: float
    sign_ins: Counter[int] = field(default_factory=Counter)

    def percentile_ms(self, share: float) -> float:
        ordered = sorted(self.latencies_ms) or [0.0]
        return ordered[max(0, round(share * len(ordered)) - 1)]


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))  # type: ignore[union-attr]
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, AttributeError):
            continue
    return total / 1024


async def _sample_peak(pid: int, stop: asyncio.Event) -> float:
    peak = rss_mib(pid)
    while not stop.is_set():
        peak = max(peak, rss_mib(pid))
        await asyncio.sleep(0.02)
    return peak


async def _csrf_cookie(port: int) -> str:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET /login HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode())
    head = (await reader.read(-1)).split(b"\r\n\r\n", 1)[0].decode("latin-1")
    writer.close()
    match = re.search(r"^set-cookie:\s*csrftoken=([^;]+)", head, re.I | re.M)
    if match is None:
        raise RuntimeError("the login page set no CSRF cookie")
    return match.group(1)


async def flood(url: str, *, clients: int, deadline: float, answers: Counter[int]) -> None:
    """`clients` keep-alive connections posting wrong passwords for made-up and real addresses."""
    port = int(url.rsplit(":", 1)[1])
    token = await _csrf_cookie(port)

    async def client(number: int) -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < deadline:
                email = "hr@example.com" if number % 5 == 0 else f"nobody-{secrets.token_hex(4)}@example.com"
                body = urlencode({"_csrf_token": token, "email": email, "password": secrets.token_hex(8)}).encode()
                writer.write(f"POST /login HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: csrftoken={token}\r\n"
                             f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
                             f"Accept: text/html\r\n\r\n".encode() + body)
                answers[await _read_response(reader)] += 1
        finally:
            writer.close()

    await asyncio.gather(*(client(number) for number in range(clients)))


async def _phase(name: str, url: str, pid: int, *, readers: int, seconds: float, flooders: int) -> Phase:
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_peak(pid, stop))
    answers: Counter[int] = Counter()
    began = time.perf_counter()

    async def read() -> tuple[int, list[float], float]:
        ok, failures, latencies = await hammer(url, "/changes", connections=readers, seconds=seconds)
        return ok + failures, latencies, time.perf_counter() - began

    work = [read()]
    if flooders:
        work.append(flood(url, clients=flooders, deadline=began + seconds, answers=answers))
    (requests, latencies, took), *_ = await asyncio.gather(*work)
    stop.set()
    return Phase(name, latencies, requests, took, await sampler, answers)


async def _add_colleagues(database_url: str, count: int) -> list[str]:
    """`count` accounts with the demo password (its hash copied from the demo's HR), for one office's sign-ins."""
    from sqlalchemy import insert, select

    from actiontrack.db import make_engine, make_sessionmaker
    from actiontrack.models import User

    engine = make_engine(database_url)
    emails = [f"colleague-{number}@example.com" for number in range(count)]
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            password_hash = (await session.execute(
                select(User.password_hash).where(User.email == "hr@example.com"))).scalar_one()
            await session.execute(insert(User), [{"email": email, "display_name": f"Colleague {number}",
                                                  "role": "owner", "language": "en", "password_hash": password_hash}
                                                 for number, email in enumerate(emails)])
    finally:
        await engine.dispose()
    return emails


async def office_sign_ins(url: str, pid: int, *, emails: list[str]) -> Phase:
    """Everyone in `emails` signs in with the right password at the same moment, all from one address
    (an office behind NAT on Monday at 9:00), each from a browser of their own."""
    from actiontrack.demo.organisation import DEMO_PASSWORD

    port = int(url.rsplit(":", 1)[1])
    tokens = [await _csrf_cookie(port) for _ in emails]
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_peak(pid, stop))
    answers: Counter[int] = Counter()
    latencies: list[float] = []
    began = time.perf_counter()

    async def sign_in(email: str, token: str) -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            body = urlencode({"_csrf_token": token, "email": email, "password": DEMO_PASSWORD}).encode()
            sent = time.perf_counter()
            writer.write(f"POST /login HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: csrftoken={token}\r\n"
                         f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
                         f"Accept: text/html\r\nConnection: close\r\n\r\n".encode() + body)
            answers[await _read_response(reader)] += 1
            latencies.append((time.perf_counter() - sent) * 1000)
        finally:
            writer.close()

    await asyncio.gather(*(sign_in(email, token) for email, token in zip(emails, tokens, strict=True)))
    took = time.perf_counter() - began
    stop.set()
    return Phase(f"{len(emails)} right sign-ins, one address", latencies, len(emails), took, await sampler, answers)


def measure_flood(database_url: str, *, readers: int, flooders: int, seconds: float,
                  colleagues: int = 40) -> list[Phase]:
    phases = []
    emails = asyncio.run(_add_colleagues(database_url, colleagues))
    for throttle, environment in (("as configured", {}),
                                  ("lifted", {"ACTIONTRACK_LOGIN_MAX_FAILURES": "1000000000"})):
        with started("app", database_url=database_url, workers=1, environment=environment) as (url, pid):
            asyncio.run(hammer(url, "/changes", connections=min(readers, 5), seconds=1))  # warm-up
            if throttle == "as configured":  # first: the floods below leave the address paused
                phases.append(asyncio.run(office_sign_ins(url, pid, emails=emails)))
            phases.append(asyncio.run(_phase(f"/changes alone (throttle {throttle})", url, pid, readers=readers,
                                             seconds=seconds, flooders=0)))
            phases.append(asyncio.run(_phase(f"/changes + {flooders} bad sign-ins", url, pid, readers=readers,
                                             seconds=seconds, flooders=flooders)))
    return phases


def report_flood(phases: list[Phase]) -> None:
    print(f"{'phase':<42}{'req/s':>7}{'median ms':>10}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'peak RSS MiB':>13}"
          "  sign-in answers")
    for phase in phases:
        median = statistics.median(phase.latencies_ms) if phase.latencies_ms else 0.0
        answers = ", ".join(f"{status}: {count}" for status, count in sorted(phase.sign_ins.items())) or "-"
        tail = "".join(f"{phase.percentile_ms(share):>9.1f}" for share in (0.95, 0.99, 1.0))
        print(f"{phase.name:<42}{phase.requests / phase.seconds:>7.0f}{median:>10.1f}{tail}{phase.peak_rss_mib:>13.0f}"
              f"  {answers}")
