"""Requests per second under concurrent load against real servers (uvicorn subprocesses).

The load generator is a few lines of asyncio speaking HTTP/1.1 with keep-alive (on uvloop when
installed): a general client such as httpx spends more CPU per request than the server under test,
which would cap both figures on a small machine.

Each server runs in one of uvicorn's two configurations (`SERVERS`): "pure", the pure-Python event
loop and HTTP parser (asyncio, h11), and "standard", the compiled ones of `uvicorn[standard]`
(uvloop, httptools), which `actiontrack serve` picks when they are installed.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from actiontrack.settings import PROJECT_ROOT

HOST = "127.0.0.1"
# uvicorn's --loop and --http for each server configuration.
SERVERS = {"pure": ("asyncio", "h11"), "standard": ("uvloop", "httptools")}


@dataclass(frozen=True)
class Load:
    name: str
    server: str
    requests: int
    failures: int
    seconds: float
    latencies_ms: list[float]
    server_cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms_per_request(self) -> float:
        """The server's CPU time per answer: what other work on the machine changes least."""
        return 1000 * self.server_cpu_seconds / max(1, self.requests + self.failures)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def serve_command(kind: str, port: int, workers: int, server: str = "standard") -> list[str]:
    """The app as `actiontrack serve` starts it, or the minimal app with the same uvicorn options."""
    loop, http = SERVERS[server]
    if kind == "app":
        return [sys.executable, "-m", "actiontrack.cli", "serve", "--host", HOST, "--port", str(port),
                "--workers", str(workers), "--loop", loop, "--http", http]
    return [sys.executable, "-m", "uvicorn", "bench.minimal:app", "--host", HOST, "--port", str(port),
            "--workers", str(workers), "--loop", loop, "--http", http, "--no-proxy-headers",
            "--forwarded-allow-ips", "127.0.0.1"]


@contextmanager
def started(kind: str, *, database_url: str, workers: int, server: str = "standard",
            environment: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """A server in a subprocess with extra environment; yields its base URL and PID, stops it afterwards."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "ACTIONTRACK_SECRET_KEY": "benchmark-secret-key-123",
           "ACTIONTRACK_ENV": "production", "ACTIONTRACK_COOKIE_SECURE": "false", **(environment or {})}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(serve_command(kind, port, workers, server), env=env, cwd=PROJECT_ROOT,
                                   stdout=log, stderr=subprocess.STDOUT)
        url = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(url + ("/health" if kind == "app" else "/"), timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"{kind} server did not start:\n{log.read().decode()}")
                time.sleep(0.2)
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Reads one response (Content-Length or chunked body); returns its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return int(lines[0].split(" ", 2)[1])


async def hammer(url: str, path: str, *, connections: int, seconds: float) -> tuple[int, int, list[float]]:
    """`connections` keep-alive connections asking for `path` in a loop for `seconds`."""
    port = int(url.rsplit(":", 1)[1])
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/html\r\n\r\n".encode()
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    failures = 0

    async def client() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while (started := time.perf_counter()) < deadline:
                writer.write(request)
                status = await _read_response(reader)
                latencies.append((time.perf_counter() - started) * 1000)
                failures += status != 200
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return len(latencies) - failures, failures, latencies


def client_loop() -> asyncio.AbstractEventLoop:
    """The load generator's loop: uvloop when installed (less of the shared CPUs for the client)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (uvicorn's workers), from /proc."""
    task = Path(f"/proc/{pid}/task/{pid}")
    fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
    used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return used + sum(cpu_seconds(int(child)) for child in (task / "children").read_text().split())


def measure_load(name: str, url: str, pid: int, path: str, *, server: str, connections: int, seconds: float,
                 warm_up: bool = True) -> Load:
    with asyncio.Runner(loop_factory=client_loop) as runner:
        if warm_up:
            runner.run(hammer(url, path, connections=min(connections, 5), seconds=1))
        cpu_before, started = cpu_seconds(pid), time.perf_counter()
        ok, failures, latencies = runner.run(hammer(url, path, connections=connections, seconds=seconds))
        elapsed, cpu_used = time.perf_counter() - started, cpu_seconds(pid) - cpu_before
    return Load(name, server, ok, failures, elapsed, latencies, cpu_used)


@dataclass(frozen=True)
class Target:
    name: str
    server: str
    path: str
    url: str
    pid: int


def compare_load(targets: list[Target], *, connections: int, seconds: float) -> list[Load]:
    """Every target in turn, in slices of about a second, `seconds` each: the machine's other work then
    weighs on every endpoint and server alike."""
    slices = max(1, round(seconds))
    parts: dict[Target, list[Load]] = {target: [] for target in targets}
    for number in range(slices):
        for target in targets:
            parts[target].append(measure_load(target.name, target.url, target.pid, target.path, server=target.server,
                                              connections=connections, seconds=seconds / slices,
                                              warm_up=number == 0))
    return [Load(target.name, target.server, sum(part.requests for part in loads),
                 sum(part.failures for part in loads), sum(part.seconds for part in loads),
                 [ms for part in loads for ms in part.latencies_ms], sum(part.server_cpu_seconds for part in loads))
            for target, loads in parts.items()]


def report(loads: list[Load]) -> None:
    print(f"{'endpoint':<30}{'server':<10}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}{'errors':>8}"
          f"{'server CPU ms/req':>19}")
    for load in loads:
        ordered = sorted(load.latencies_ms) or [0.0]
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        print(f"{load.name:<30}{load.server:<10}{load.per_second:>8.0f}{statistics.median(ordered):>11.1f}"
              f"{p95:>9.1f}{load.failures:>8}{load.cpu_ms_per_request:>19.3f}")
