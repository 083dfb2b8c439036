"""Statistics at scale: an event's statistics page at 20,000 registrations, as a ratio to its attendee list
page, and the two new exports (participation report XLSX, finance XLSX): rows per second and the peak memory
growth of the process that writes them.

Run: `.venv/bin/python bench/event_statistics.py` (`make bench-statistics`) (SQLite, a temporary file) or with
`--database-url postgresql+psycopg://postgres@127.0.0.1:5432/DB` (an empty database it migrates and fills).
Options: --registrations (20,000), --runs (5 page loads each, the median counts).

The event is a selection workshop with every figure in play: 80 % accepted, the rest on the reserve list,
declined or withdrawn, from 40 countries, 6 organisation types, the gender question asked; a travel support
decision for every accepted participant; check-ins over 3 days; 6 sessions with seat choices.
Each export runs in a fresh process, so its peak memory growth (ru_maxrss after - before) is its own.
Not named bench/statistics.py: run as a script, its folder comes first on sys.path and that name would hide
the standard library's `statistics` (which the country taxonomy's package imports).
Prints the figures; exits non-zero when the page misses 300 ms or an export grows by more than 50 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

PAGE_TARGET_MS = 300
MEMORY_TARGET_MB = 50
COUNTRIES = ["KR", "VN", "KE", "BR", "ID", "TH", "MN", "UZ", "ET", "RW", "TZ", "UG", "NG", "GH", "SN", "CI", "CO",
             "PE", "MX", "LK", "NP", "BD", "EG", "MA", "TN", "KZ", "MY", "OM", "IN", "FR", "DE", "US", "CN", "JP",
             "ZA", "AR", "CL", "PH", "PK", "XK"]
EMAIL, PASSWORD = "bench@wtanet.org", "bench organiser password"


def app_for(database_url: str):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def fill(database_url: str, registrations: int) -> int:
    """The event and its people, written in bulk (INSERT ... executemany); returns the event's id."""
    import sqlalchemy as sa

    from app.database import begin_write
    from app.extensions import db
    from app.models import (
        Application,
        ApplicationStatus,
        CheckIn,
        ChoiceStatus,
        Event,
        EventKind,
        EventStatus,
        Gender,
        OrganisationType,
        ProgrammeSession,
        Registration,
        RegistrationMode,
        RegistrationStatus,
        SessionChoice,
        TravelDecision,
        TravelSupportRequest,
        utcnow,
    )
    from app.services.people.users import create_user

    app = app_for(database_url)
    with app.app_context():
        begin_write(db.session)
        create_user(db.session, EMAIL, PASSWORD, name="Bench", is_admin=True)
        now = utcnow()
        starts = now - timedelta(days=10)
        event = Event(kind=EventKind.INTERNATIONAL_WORKSHOP, title="Bench workshop", slug="bench-workshop",
                      code="BENCH", country="KR", timezone="Asia/Seoul", starts_at=starts,
                      ends_at=starts + timedelta(days=2), registration_opens_at=starts - timedelta(days=90),
                      registration_closes_at=starts - timedelta(days=20), capacity=registrations,
                      registration_mode=RegistrationMode.APPLICATION, status=EventStatus.PUBLISHED,
                      contact_email="bench@wtanet.org", asks_gender=True)
        db.session.add(event)
        db.session.flush()
        sessions = [ProgrammeSession(event_id=event.id, title=f"Session {n}", starts_at=starts + timedelta(hours=3 * n),
                                     ends_at=starts + timedelta(hours=3 * n + 2), seat_limit=registrations // 4)
                    for n in range(6)]
        db.session.add_all(sessions)
        db.session.flush()
        types, genders = list(OrganisationType), [*Gender, None]
        decisions = [ApplicationStatus.ACCEPTED] * 8 + [ApplicationStatus.WAITLISTED, ApplicationStatus.DECLINED]
        rows = []
        for i in range(registrations):
            decision = decisions[i % 10] if i % 50 else ApplicationStatus.WITHDRAWN
            rows.append(dict(
                event_id=event.id, reference=f"BENCH-{i:06d}",
                status=RegistrationStatus.CONFIRMED if decision is ApplicationStatus.ACCEPTED else (
                    RegistrationStatus.APPLIED if decision is ApplicationStatus.WAITLISTED else RegistrationStatus.CANCELLED),
                given_name=f"Given{i}", family_name=f"Family{i}", email=f"person{i}@example.org",
                organisation=f"Organisation {i % 3000}", organisation_type=types[i % len(types)],
                country=COUNTRIES[i % len(COUNTRIES)], gender=genders[i % len(genders)], consent_at=now,
                created_at=starts - timedelta(days=90) + timedelta(minutes=(i * 7) % (70 * 24 * 60)),
            ))
        db.session.execute(sa.insert(Registration), rows)
        ids = list(db.session.execute(
            sa.select(Registration.id, Registration.status).where(Registration.event_id == event.id)
            .order_by(Registration.id)).tuples())
        db.session.execute(sa.insert(Application), [
            dict(registration_id=rid, submitted_at=now, status=decisions[i % 10] if i % 50 else ApplicationStatus.WITHDRAWN)
            for i, (rid, _) in enumerate(ids)])
        accepted = [rid for rid, status in ids if status is RegistrationStatus.CONFIRMED]
        db.session.execute(sa.insert(TravelSupportRequest), [
            dict(registration_id=rid, wants_flight=True, wants_per_diem=bool(i % 2),
                 decision=TravelDecision.GRANTED if i % 3 else TravelDecision.PARTLY,
                 granted_amount=1000 + i % 700, granted_currency="USD" if i % 4 else "EUR")
            for i, rid in enumerate(accepted)])
        days = [(starts + timedelta(days=d)).astimezone(event.tz).date() for d in range(3)]
        db.session.execute(sa.insert(CheckIn), [
            dict(registration_id=rid, day=day, checked_in_at=now)
            for i, rid in enumerate(accepted) for d, day in enumerate(days) if i % (d + 2)])
        db.session.execute(sa.insert(SessionChoice), [
            dict(registration_id=rid, session_id=sessions[i % 6].id, status=ChoiceStatus.CONFIRMED, chosen_at=now)
            for i, rid in enumerate(accepted)])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load: without it the planner guesses 5 rows for 20,000.
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        event_id = event.id
        db.engine.dispose()
    return event_id


def signed_in_client(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    return client


def page_times(database_url: str, event_id: int, runs: int) -> dict[str, float]:
    app = app_for(database_url)
    client = signed_in_client(app)
    medians = {}
    for name, url in (("attendee list", f"/admin/events/{event_id}/attendees"),
                      ("statistics", f"/admin/events/{event_id}/statistics")):
        assert client.get(url).status_code == 200  # warm: imports, the country taxonomy, template compilation
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        medians[name] = statistics.median(times) * 1000
    return medians


def measure_export(database_url: str, event_id: int, which: str) -> dict:
    """In this (fresh) process: one download, its time, rows and peak memory growth."""
    import io

    from openpyxl import load_workbook

    app = app_for(database_url)
    client = signed_in_client(app)
    url = {"participation": f"/admin/events/{event_id}/statistics/participation-report.xlsx",
           "finance": f"/admin/events/{event_id}/statistics/finance.xlsx"}[which]
    client.get(f"/admin/events/{event_id}/statistics")  # imports and the taxonomy, outside the measure
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    response = client.get(url)
    data = response.get_data()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sheet = {"participation": "Participants", "finance": "Travel support"}[which]
    # Counted by reading the file back (a write-only workbook records no dimensions).
    rows = sum(1 for _ in load_workbook(io.BytesIO(data), read_only=True)[sheet].iter_rows()) - 1
    return {"rows": rows, "seconds": seconds, "growth_mb": (after - before) / 1024, "bytes": len(data)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrations", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--measure", choices=["participation", "finance"], help=argparse.SUPPRESS)
    parser.add_argument("--event-id", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_export(args.database_url, args.event_id, args.measure)))
        return 0

    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url or f"sqlite:///{folder}/bench.db"
        env = os.environ | {"DATABASE_URL": database_url}
        subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        start = time.perf_counter()
        event_id = fill(database_url, args.registrations)
        print(f"{args.registrations:,} registrations on {database_url.split(':')[0]} in "
              f"{time.perf_counter() - start:.1f} s")
        times = page_times(database_url, event_id, args.runs)
        ratio = times["statistics"] / times["attendee list"]
        print(f"attendee list page   {times['attendee list']:7.0f} ms (median of {args.runs})")
        print(f"statistics page      {times['statistics']:7.0f} ms (median of {args.runs}); "
              f"ratio to the attendee list {ratio:.2f}; target < {PAGE_TARGET_MS} ms")
        failed = times["statistics"] > PAGE_TARGET_MS
        for which in ("participation", "finance"):
            done = subprocess.run([sys.executable, __file__, "--measure", which, "--event-id", str(event_id),
                                   "--database-url", database_url], cwd=ROOT, env=env,
                                  capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{which} export failed:\n{done.stderr[-3000:]}")
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{which + ' XLSX':<20} {figures['rows']:,} rows in {figures['seconds']:.1f} s = "
                  f"{figures['rows'] / figures['seconds']:,.0f} rows/s; peak memory growth "
                  f"{figures['growth_mb']:.1f} MB (target <= {MEMORY_TARGET_MB} MB); {figures['bytes'] / 1e6:.1f} MB file")
            failed |= figures["growth_mb"] > MEMORY_TARGET_MB
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
