"""Registration rush: 1,000 people register for a 100-seat event from 50 concurrent clients.

Run: `.venv/bin/python bench/registration_rush.py` (or `make bench`). Needs PostgreSQL on
127.0.0.1:5432 (user postgres, trust auth); everything it makes, it removes.

The same load goes, in turn (never at once: they would share the two cores), to
  * the baseline, bench/baseline_app.py: a bare Flask view, advisory lock + conditional INSERT;
  * the real app under gunicorn in production config: CSRF, validation, event row lock,
    outbox email rendered and stored, redirect.
Each participant first GETs the event page (session cookie, CSRF token); those page views are
a warm-up phase of their own, so the timed rush is the registration POSTs alone, as for the baseline.
Exits non-zero unless exactly `seats` registrations are confirmed and no request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from baseline_app import create_schema
from harness import BENCH, ROOT, SERVER, VENV_BIN, create_events, extracted, gunicorn, private_database, server_env
from load import CSRF_INPUT as CSRF
from load import CpuMeter, Phase, children, http, run_phase

COUNTRIES = ["KE", "SN", "VN", "ID", "EG", "ET", "GH", "TZ", "UZ", "MN", "PE", "CO", "BD", "NP", "RW", "KH", "ZA"]


def form_for(i: int, round_no: int) -> dict:
    return {
        "title": "Dr", "given_name": f"Participant{i}", "family_name": "Rush",
        "email": f"participant{i:04d}.r{round_no}@bench.example.org",
        "organisation": "Technology Park", "position": "Manager", "organisation_type": "science_park",
        "country": COUNTRIES[i % len(COUNTRIES)], "phone": "+82 42 123 4567",
        "dietary_needs": "", "accessibility_needs": "", "consent": "y",
    }


# --- the load ----------------------------------------------------------------------------------

async def visit_event_page(port: int, slug: str, forms: list[dict], concurrency: int) -> tuple[Phase, list[dict]]:
    """Every participant opens the event page: their session cookie and CSRF token."""
    visits: list[dict] = [{} for _ in forms]

    async def visit(i: int) -> str | None:
        page = await http(port, "GET", f"/events/{slug}")
        token = CSRF.search(page.body)
        if page.status != 200 or not token or "session" not in page.cookies():
            return f"GET /events/{slug}: {page.status}, token={bool(token)}"
        visits[i] = {"Cookie": f"session={page.cookies()['session']}", "token": token.group(1).decode()}
        return None

    return await run_phase("event page", range(len(forms)), visit, concurrency), visits


async def real_rush(port: int, slug: str, forms: list[dict], visits: list[dict], concurrency: int) -> Phase:
    async def register(i: int) -> str | None:
        if not visits[i]:
            return "no event page for this participant"
        data = forms[i] | {"csrf_token": visits[i]["token"]}
        response = await http(port, "POST", f"/events/{slug}", headers={"Cookie": visits[i]["Cookie"]}, form=data)
        location = response.header("location") or ""
        if response.status not in (302, 303) or not location.endswith(f"/events/{slug}/registered"):
            return f"POST /events/{slug}: {response.status} {location} {response.body[:200]!r}"
        return None

    return await run_phase("registration", range(len(forms)), register, concurrency)


async def full_flow(port: int, slug: str, forms: list[dict], concurrency: int, name: str) -> Phase:
    """What a person does: open the event page, send the form, read the result page (one timed unit)."""
    async def person(i: int) -> str | None:
        page = await http(port, "GET", f"/events/{slug}")
        token = CSRF.search(page.body)
        cookie = page.cookies().get("session")
        if page.status != 200 or not token or not cookie:
            return f"GET /events/{slug}: {page.status}"
        data = forms[i] | {"csrf_token": token.group(1).decode()}
        response = await http(port, "POST", f"/events/{slug}", headers={"Cookie": f"session={cookie}"}, form=data)
        location = response.header("location") or ""
        if response.status not in (302, 303) or not location.endswith(f"/events/{slug}/registered"):
            return f"POST /events/{slug}: {response.status} {location} {response.body[:200]!r}"
        cookie = response.cookies().get("session", cookie)
        result = await http(port, "GET", f"/events/{slug}/registered", headers={"Cookie": f"session={cookie}"})
        if result.status != 200:
            return f"GET /events/{slug}/registered: {result.status}"
        return None

    return await run_phase(name, range(len(forms)), person, concurrency)


async def baseline_rush(port: int, event_id: int, forms: list[dict], concurrency: int) -> Phase:
    async def register(i: int) -> str | None:
        response = await http(port, "POST", f"/events/{event_id}/register", form=forms[i])
        location = response.header("location") or ""
        if response.status not in (302, 303) or not location.endswith(f"/events/{event_id}/registered"):
            return f"POST baseline: {response.status} {location}"
        return None

    return await run_phase("baseline", range(len(forms)), register, concurrency)


def measured(run, *meters: CpuMeter):
    for meter in meters:
        meter.start()
    phase = asyncio.run(run)
    return phase, [meter.stop() for meter in meters]


def backend_pids(monitor: psycopg.Connection) -> list[int]:
    return [pid for (pid,) in monitor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]


# --- the run and its report --------------------------------------------------------------------

class Result:
    """One server's timed rushes, with the CPU its workers, the database and this client spent."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.phases: list[Phase] = []
        self.app_cpu = self.db_cpu = 0.0

    def add(self, phase: Phase, app_cpu: float, db_cpu: float) -> None:
        self.phases.append(phase)
        self.app_cpu += app_cpu
        self.db_cpu += db_cpu

    @property
    def merged(self) -> Phase:
        merged = Phase(self.label)
        for phase in self.phases:
            merged.wall += phase.wall
            merged.latencies += phase.latencies
            merged.errors += phase.errors
            merged.client_cpu += phase.client_cpu
        return merged

    def row(self) -> str:
        m = self.merged
        per = 1000 / max(m.count, 1)
        return (f"{self.label:<24}{m.rate:>8.0f}{m.percentile(50) * 1000:>9.1f}{m.percentile(95) * 1000:>9.1f}"
                f"{m.percentile(99) * 1000:>9.1f}{len(m.errors):>8}{self.app_cpu * per:>10.2f}"
                f"{self.db_cpu * per:>9.2f}{m.client_cpu * per:>10.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1, help="alternate baseline and real this many times")
    parser.add_argument("--compare-with", default="252e976",
                        help="git revision whose full flow is measured too, in the same run ('' for none)")
    args = parser.parse_args()
    before_tree = extracted(args.compare_with) if args.compare_with else None

    log = Path(tempfile.gettempdir()) / f"registration_rush_{os.getpid()}.log"
    load_before = os.getloadavg()[0]
    baseline, real = Result("baseline (bare view)"), Result("real registration POST")
    flow, flow_before = Result("real full flow (people)"), Result(f"full flow, {args.compare_with or '-'}")
    pages: list[Phase] = []
    confirmed: list[tuple[int, int, int]] = []
    with private_database() as database:
        env = server_env(database)
        migrated = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                                  capture_output=True, text=True)
        if migrated.returncode:
            sys.exit(f"flask db upgrade failed:\n{migrated.stdout}{migrated.stderr}")
        dsn = f"{SERVER}/{database}"
        create_schema(dsn)
        slugs = ["warm-up"] + [f"{kind}-{r}" for r in range(args.rounds) for kind in ("rush", "flow", "before")]
        event_ids = create_events(env["DATABASE_URL"], args.seats, slugs)
        env["BASELINE_CAPACITY"] = str(args.seats)
        with psycopg.connect(dsn, autocommit=True) as monitor:
            db_meter = CpuMeter(lambda: backend_pids(monitor))
            for r in range(args.rounds):
                forms = [form_for(i, r) for i in range(args.requests)]
                warm = [form_for(i, 1000 + r) for i in range(4 * args.workers)]
                with gunicorn("baseline_app:app", env, args.workers, log, pythonpath=BENCH) as (server, port):
                    asyncio.run(baseline_rush(port, 0, warm, args.workers))  # every worker connected, warm
                    app_meter = CpuMeter(lambda s=server: children(s.pid))
                    phase, (app_cpu, db_cpu) = measured(baseline_rush(port, r + 1, forms, args.concurrency),
                                                        app_meter, db_meter)
                    baseline.add(phase, app_cpu, db_cpu)
                with gunicorn("wsgi:app", env, args.workers, log) as (server, port):
                    page_phase, warm_visits = asyncio.run(visit_event_page(port, "warm-up", warm, args.workers))
                    asyncio.run(real_rush(port, "warm-up", warm, warm_visits, args.workers))
                    page_phase, visits = asyncio.run(visit_event_page(port, f"rush-{r}", forms, args.concurrency))
                    pages.append(page_phase)
                    app_meter = CpuMeter(lambda s=server: children(s.pid))
                    phase, (app_cpu, db_cpu) = measured(
                        real_rush(port, f"rush-{r}", forms, visits, args.concurrency), app_meter, db_meter)
                    real.add(phase, app_cpu, db_cpu)
                    app_meter = CpuMeter(lambda s=server: children(s.pid))
                    flow_forms = [form_for(i, 2000 + r) for i in range(args.requests)]
                    phase, (app_cpu, db_cpu) = measured(
                        full_flow(port, f"flow-{r}", flow_forms, args.concurrency, "full flow"), app_meter, db_meter)
                    flow.add(phase, app_cpu, db_cpu)
                if before_tree is not None:
                    with gunicorn("wsgi:app", env, args.workers, log, cwd=before_tree) as (server, port):
                        asyncio.run(full_flow(port, "warm-up", [form_for(i, 3000 + r) for i in range(4 * args.workers)],
                                              args.workers, "warm-up"))
                        app_meter = CpuMeter(lambda s=server: children(s.pid))
                        before_forms = [form_for(i, 4000 + r) for i in range(args.requests)]
                        phase, (app_cpu, db_cpu) = measured(
                            full_flow(port, f"before-{r}", before_forms, args.concurrency, "full flow before"),
                            app_meter, db_meter)
                        flow_before.add(phase, app_cpu, db_cpu)
                for slug in [f"rush-{r}", f"flow-{r}"] + ([f"before-{r}"] if before_tree else []):
                    confirmed.append(monitor.execute(
                        "SELECT count(*) FILTER (WHERE status = 'confirmed'), count(*),"
                        " (SELECT count(*) FROM outbox_emails o JOIN registrations r2 ON r2.id = o.registration_id"
                        "  WHERE r2.event_id = %(e)s) FROM registrations WHERE event_id = %(e)s",
                        {"e": event_ids[slug]}).fetchone())
    if before_tree is not None:
        subprocess.run(["rm", "-rf", str(before_tree)], check=False)
    ok = report(args, baseline, real, pages, confirmed, log, load_before, flow, flow_before)
    if ok:
        log.unlink(missing_ok=True)
    return 0 if ok else 1


def report(args, baseline: Result, real: Result, pages: list[Phase], confirmed, log: Path, load_before: float,
           flow: Result, flow_before: Result) -> bool:
    b, r = baseline.merged, real.merged
    print(f"\nRegistration rush: {args.requests} registrations x {args.rounds} round(s), {args.concurrency} concurrent "
          f"clients, {args.seats} seats, gunicorn -w {args.workers}, {os.cpu_count()} CPUs (servers run in turn)")
    print(f"{'':<24}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
          f"{'app CPU':>10}{'db CPU':>9}{'client':>10}   (CPU: ms per request)")
    print(baseline.row())
    print(real.row())
    print(flow.row())
    if flow_before.phases:
        print(flow_before.row())
    page_rate = sum(p.count for p in pages) / max(sum(p.wall for p in pages), 1e-9)
    print(f"(event page GETs before the rush, not timed above: {page_rate:.0f} req/s, "
          f"{sum(len(p.errors) for p in pages)} errors; a full flow is the event page, the POST and the result page)")
    throughput, p95 = r.rate / b.rate, r.percentile(95) / b.percentile(95)
    print(f"\nreal POST / baseline: throughput {throughput:.2f} (target >= 0.35), p95 {p95:.2f}x (target <= 3.00)")
    if flow_before.phases:
        print(f"full flow now / {args.compare_with}: throughput {flow.merged.rate / flow_before.merged.rate:.2f} "
              f"(target >= 2.00), p95 {flow.merged.percentile(95) / flow_before.merged.percentile(95):.2f}x")
    client_share = r.client_cpu / r.wall / (os.cpu_count() or 1)
    print(f"load generator: {r.client_cpu / max(r.count, 1) * 1000:.2f} ms CPU per request, "
          f"{client_share:.0%} of the machine during the real rush")
    # Other processes on the machine take CPU from the servers: compare runs only at a similar load.
    print(f"machine load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    errors = b.errors + r.errors + flow.merged.errors + flow_before.merged.errors + [e for p in pages for e in p.errors]
    ok = not errors
    for n, (count, total, emails) in enumerate(confirmed):
        print(f"event {n + 1}: confirmed {count} (must be {args.seats}), registrations {total}, outbox emails {emails}")
        ok = ok and count == args.seats and total == args.requests and emails == args.requests
    print(f"errors: {len(errors)} (must be 0)")
    for error in errors[:5]:
        print("  ", error)
    print("OK" if ok else f"FAILED (server log: {log})")
    return ok


if __name__ == "__main__":
    sys.exit(main())
