"""A deliberately small load generator for bench/registration_rush.py.

The client shares the machine's two cores with gunicorn and PostgreSQL, so it must cost
little: one asyncio loop speaking plain HTTP/1.1 over raw streams (gunicorn's sync workers
close the connection after every response anyway, so a pooled client would buy nothing).
httpx's AsyncClient spends several times more CPU per request doing the same (see
--client-check), which would be taken straight from the servers being measured.
The CPU it does use is measured and printed next to the figures.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_INPUT = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key == name), None)

    def cookies(self) -> dict[str, str]:
        jar = {}
        for key, value in self.headers:
            if key == "set-cookie":
                pair = value.split(";", 1)[0]
                cookie_name, _, cookie_value = pair.partition("=")
                jar[cookie_name.strip()] = cookie_value.strip()
        return jar


async def http(port: int, method: str, path: str, *, headers: dict | None = None, form: dict | None = None,
               timeout: float = 30.0) -> Response:
    body = urlencode(form).encode() if form is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close", "User-Agent: bench"]
    if form is not None:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        raw = await asyncio.wait_for(reader.read(-1), timeout)  # the server closes: read to EOF
    finally:
        writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = []
    for line in header_lines:
        key, _, value = line.partition(":")
        parsed.append((key.strip().lower(), value.strip()))
    return Response(int(status_line.split()[1]), parsed, payload)


@dataclass
class Phase:
    """What one timed burst of requests did: latencies of the successes, the failures, the CPU used."""

    name: str
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    client_cpu: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies) + len(self.errors)

    @property
    def rate(self) -> float:
        return self.count / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run_phase(name: str, jobs: Sequence, work: Callable[[object], Awaitable[str | None]], concurrency: int) -> Phase:
    """Run work(job) for every job from `concurrency` clients; work returns an error text or None."""
    phase = Phase(name)
    pending = iter(jobs)

    async def client() -> None:
        for job in pending:
            started = time.perf_counter()
            try:
                error = await work(job)
            except (TimeoutError, OSError, ValueError, IndexError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            if error:
                phase.errors.append(error)
            else:
                phase.latencies.append(time.perf_counter() - started)

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    phase.wall = time.perf_counter() - started
    phase.client_cpu = time.process_time() - cpu
    return phase


# --- CPU used by other processes, from /proc: what the servers and the database spent -------

def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found += [int(child) for child in listing.read().split()]
        except FileNotFoundError:
            pass
    return found


class CpuMeter:
    """CPU seconds spent by a changing set of processes between start() and stop()."""

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self._pids = pids
        self._before: dict[int, float] = {}

    def start(self) -> None:
        self._before = {pid: cpu_seconds(pid) for pid in self._pids()}

    def stop(self) -> float:
        return sum(cpu_seconds(pid) - self._before.get(pid, 0.0) for pid in self._pids())
