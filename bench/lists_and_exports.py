"""The attendee list at 20,000 registrations and every export at 100,000 rows, against bare versions.

Run: `.venv/bin/python bench/lists_and_exports.py` (or `make bench-lists`). Needs PostgreSQL on
127.0.0.1:5432 (user postgres, trust auth); it makes a private database and removes it.

* The attendee list: each page kind (first, deep, search, filter, sort) is asked --repeat times through the
  app (signed in, the whole page rendered) and, in turn with it (one request each), from a bare Flask view that
  sends the page's own SELECT ... LIMIT 50 with psycopg and writes the 50 rows into a plain table. Medians and
  their ratio (target <= 3x).
* The exports: the attendee CSV and XLSX and the accepted-applicants CSV and XLSX of an event with
  --rows rows, streamed through the app. Time to the first byte (target <= 1 s), rows/s (targets: CSV
  >= 50,000, XLSX >= 10,000) and the process's peak memory growth while it streams (target <= 50 MB). The
  baseline: the same rows read with psycopg and written with csv.writer, no app.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import ctypes
import gc
import io
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
SERVER = "postgresql://postgres@127.0.0.1:5432"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
PAGE_SIZE = 4096


@contextmanager
def private_database():
    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE / 2**20


def release_free_memory() -> None:
    """Hand what earlier work freed back to the system, so that the next growth of the resident size shows."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class PeakMemory:
    """The largest resident size seen while it runs, sampled every 5 ms, in MB above the start."""

    def __init__(self) -> None:
        release_free_memory()
        self.start = rss_mb()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())

    @property
    def growth(self) -> float:
        return self.peak - self.start


def seed(app, dsn: str, list_rows: int, export_rows: int) -> dict[str, int]:
    import sqlalchemy as sa

    from app.database import begin_write
    from app.extensions import db
    from app.models import (
        Application,
        ApplicationStatus,
        Event,
        EventKind,
        EventStatus,
        OrganisationType,
        Registration,
        RegistrationMode,
        RegistrationStatus,
        utcnow,
    )
    from app.services.people.users import create_user
    from app.services.registration import registration_counts

    countries = ["KE", "SN", "VN", "ID", "EG", "ET", "GH", "TZ", "UZ", "MN", "PE", "CO", "BD", "NP", "RW", "KR"]
    statuses = [RegistrationStatus.CONFIRMED] * 8 + [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED]
    now = utcnow()
    ids = {}
    with app.app_context():
        begin_write(db.session)
        create_user(db.session, "bench@wtanet.org", "correct horse battery", name="Bench", is_admin=True)
        for slug, mode in (("list", RegistrationMode.OPEN), ("exports", RegistrationMode.APPLICATION)):
            event = Event(kind=EventKind.FORUM, title=f"Forum ({slug})", slug=slug, code="DGIF26", summary="Bench.",
                          venue="DCC", city="Daejeon", country="KR", timezone="Asia/Seoul",
                          starts_at=now + timedelta(days=60), ends_at=now + timedelta(days=62),
                          registration_opens_at=now - timedelta(days=1),
                          registration_closes_at=now + timedelta(days=50), capacity=None,
                          status=EventStatus.PUBLISHED, contact_email="forum@wtanet.org", registration_mode=mode)
            db.session.add(event)
            db.session.flush()
            ids[slug] = event.id
        db.session.commit()
        for slug, count in (("list", list_rows), ("exports", export_rows)):
            for start in range(0, count, 5000):
                begin_write(db.session)
                rows = [dict(
                    event_id=ids[slug], reference=f"{slug[:2].upper()}-{n:07d}",
                    status=RegistrationStatus.CONFIRMED if slug == "exports" else statuses[n % len(statuses)],
                    given_name=f"Given{n:06d}", family_name=f"Family{(n * 7919) % count:06d}",
                    email=f"p{n}@{slug}.example.org", organisation=f"Technology Park {n % 300}",
                    position="Manager", organisation_type=OrganisationType.SCIENCE_PARK,
                    country=countries[n % len(countries)], phone="+82 42 123 4567", consent_at=now,
                    created_at=now - timedelta(seconds=n), confirmed_at=now,
                ) for n in range(start, min(start + 5000, count))]
                # On the connection: the audit log's ORM hook is for what people do, not a bulk load.
                db.session.connection().execute(sa.insert(Registration.__table__), rows)
                db.session.commit()
        begin_write(db.session)
        db.session.connection().execute(sa.insert(Application.__table__).from_select(
            ["registration_id", "status", "submitted_at", "decided_at", "updated_at"],
            sa.select(Registration.id, sa.literal(ApplicationStatus.ACCEPTED.value), sa.literal(now), sa.literal(now),
                      sa.literal(now)).where(Registration.event_id == ids["exports"])))
        db.session.commit()
        # The bulk load wrote one count change per registration: folded, as the list's first page would.
        for event_id in ids.values():
            registration_counts.fold(db.engine, event_id)
    # The tables as they are after a bulk load once autovacuum has been by, which is how the lists and exports
    # meet them in use: statistics (without them the planner guesses 200 rows for 100,000: a nested loop over
    # the accepted applicants, 30 s), the visibility map (the facets' index-only scan otherwise visits every
    # row of the table), the rows' hint bits (otherwise set, and written, by whichever export reads first) and
    # the count changes the fold deleted (otherwise 20,000 dead entries in their index, which every page's
    # facets read; in use the fold deletes about 400 at a time and autovacuum removes them within a minute).
    # VACUUM runs outside a transaction: on a connection of its own, in autocommit.
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
    return ids


# --- the attendee list --------------------------------------------------------------------

# The page's own SELECT for each kind (app/services/registration/attendees.py), as the bare view sends it.
NAME = "sort_name, id"  # since migration 0026 (app/models/names.py)
KINDS = {
    "first": ("", f"ORDER BY {NAME} LIMIT 50"),
    "deep (page 200)": ("page=200", f"ORDER BY {NAME} LIMIT 50 OFFSET 9950"),
    "search": ("q=family0012", "AND (search_name LIKE '%%family0012%%' OR "
               "lower(email) LIKE '%%family0012%%' OR lower(organisation) LIKE '%%family0012%%' OR "
               f"lower(reference) LIKE '%%family0012%%') ORDER BY {NAME} LIMIT 50"),
    "filter (waitlisted)": ("status=waitlisted", f"AND status = 'waitlisted' ORDER BY {NAME} LIMIT 50"),
    "sort (registered, desc)": ("sort=registered&dir=desc", "ORDER BY created_at DESC, id DESC LIMIT 50"),
}


def bare_app(dsn: str):
    from flask import Flask, render_template_string

    bare = Flask("bare")
    connection = psycopg.connect(dsn, autocommit=True)
    table = ("<table>{% for r in rows %}<tr><td>{{ r[0] }}</td><td>{{ r[1] }}</td><td>{{ r[2] }}</td>"
             "<td>{{ r[3] }}</td><td>{{ r[4] }}</td></tr>{% endfor %}</table>")

    @bare.get("/<int:event_id>/<kind>")
    def page(event_id: int, kind: str):
        rows = connection.execute(
            "SELECT reference, given_name, family_name, organisation, status FROM registrations "
            f"WHERE event_id = %(e)s {KINDS[kind][1]}", {"e": event_id}).fetchall()
        return render_template_string(table, rows=rows)

    return bare


def timed_in_turn(gets: list[tuple[object, str]], repeat: int) -> list[tuple[float, float]]:
    """For each (get, url): medians of the wall-clock time and of this process's CPU time (what the other work on
    the machine changes least; PostgreSQL's own time is in the wall clock only). The gets take turns, one request
    each, so that a slower or faster moment of the machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in gets]
    cpu_times: list[list[float]] = [[] for _ in gets]
    for _ in range(repeat):
        for n, (get, url) in enumerate(gets):
            started, cpu = time.perf_counter(), time.process_time()
            response = get(url)  # type: ignore[operator]
            assert response.status_code == 200, (url, response.status_code)
            times[n].append(time.perf_counter() - started)
            cpu_times[n].append(time.process_time() - cpu)
    return [(statistics.median(t), statistics.median(c)) for t, c in zip(times, cpu_times, strict=True)]


def list_figures(app, dsn: str, event_id: int, repeat: int) -> list[tuple[str, tuple[float, float], tuple[float, float]]]:
    client = app.test_client()
    page = client.get("/login")
    token = CSRF.search(page.get_data(as_text=True))
    assert token, "no CSRF token on /login"
    signed_in = client.post("/login", data={"email": "bench@wtanet.org", "password": "correct horse battery",
                                            "csrf_token": token.group(1)})
    assert signed_in.status_code in (302, 303), signed_in.status_code
    bare = bare_app(dsn).test_client()
    figures = []
    for kind, (args, _sql) in KINDS.items():
        url = f"/admin/events/{event_id}/attendees?{args}"
        client.get(url)  # warm
        bare.get(f"/{event_id}/{kind}")
        page, bare_page = timed_in_turn([(client.get, url), (bare.get, f"/{event_id}/{kind}")], repeat)
        figures.append((kind, page, bare_page))
    return figures


# --- exports --------------------------------------------------------------------------------

def export_figures(app, dsn: str, event_id: int, rows: int) -> list[tuple[str, float, float, float, float]]:
    client = app.test_client()
    page = client.get("/login")
    client.post("/login", data={"email": "bench@wtanet.org", "password": "correct horse battery",
                                "csrf_token": CSRF.search(page.get_data(as_text=True)).group(1)})  # type: ignore[union-attr]
    figures = []
    for label, url in (("attendees CSV", f"/admin/events/{event_id}/attendees.csv"),
                       ("attendees XLSX", f"/admin/events/{event_id}/attendees.xlsx"),
                       ("accepted CSV", f"/admin/events/{event_id}/applications/accepted.csv"),
                       ("accepted XLSX", f"/admin/events/{event_id}/applications/accepted.xlsx")):
        with PeakMemory() as memory:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, buffered=False)
            first = None
            size = 0
            for chunk in response.response:
                if first is None and chunk:
                    first = time.perf_counter() - started
                size += len(chunk)
            response.close()
            total, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert response.status_code == 200 and size > rows * 20, (label, response.status_code, size)
        figures.append((label, first or total, rows / total, rows / cpu, memory.growth))
    with PeakMemory() as memory:
        started, cpu = time.perf_counter(), time.process_time()
        with psycopg.connect(dsn) as connection, connection.cursor(name="bare") as cursor:
            cursor.itersize = 1000
            cursor.execute("SELECT reference, status, title, given_name, family_name, email, organisation, position, "
                           "organisation_type, country, phone, dietary_needs, accessibility_needs, needs_visa_letter, "
                           "created_at, confirmed_at FROM registrations WHERE event_id = %s "
                           "ORDER BY sort_name, id", (event_id,))
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            first = None
            for n, row in enumerate(cursor):
                writer.writerow(row)
                if n % 500 == 0:
                    first = first or time.perf_counter() - started
                    buffer.seek(0)
                    buffer.truncate()
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures.append(("baseline: psycopg + csv", first or total, rows / total, rows / cpu, memory.growth))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list-rows", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in each export")
    parser.add_argument("--repeat", type=int, default=31)
    args = parser.parse_args()

    from app import create_app

    load_before = os.getloadavg()[0]
    with private_database() as name:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        dsn = f"{SERVER}/{name}"
        subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                       env=os.environ | {"DATABASE_URL": url}, check=True, capture_output=True)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
        started = time.perf_counter()
        ids = seed(app, dsn, args.list_rows, args.rows)
        print(f"seeded {args.list_rows:,} + {args.rows:,} registrations in {time.perf_counter() - started:.0f} s")
        lists = list_figures(app, dsn, ids["list"], args.repeat)
        exports = export_figures(app, dsn, ids["exports"], args.rows)
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()

    print(f"\nAttendee list, {args.list_rows:,} registrations, median of {args.repeat}, PostgreSQL "
          f"(load average {load_before:.2f} before)")
    print(f"{'page kind':<26}{'app page':>10}{'bare page':>11}{'ratio':>7}   (target <= 3.00)"
          f"{'app CPU':>11}{'bare CPU':>10}{'ratio':>7}")
    for kind, (page, page_cpu), (bare, bare_cpu) in lists:
        print(f"{kind:<26}{page * 1000:>8.1f}ms{bare * 1000:>9.1f}ms{page / bare:>7.2f}{'':19}"
              f"{page_cpu * 1000:>9.1f}ms{bare_cpu * 1000:>8.1f}ms{page_cpu / bare_cpu:>7.2f}")
    print(f"\nExports, {args.rows:,} rows (targets: first byte <= 1 s; CSV >= 50,000 rows/s, XLSX >= 10,000; "
          "memory <= +50 MB)")
    # Rows per second of this process's CPU: what the app's own work costs, whatever else the machine runs.
    print(f"{'export':<26}{'first byte':>11}{'rows/s':>10}{'rows/CPU s':>12}{'memory':>11}")
    for label, first, rate, cpu_rate, growth in exports:
        print(f"{label:<26}{first:>10.2f}s{rate:>10,.0f}{cpu_rate:>12,.0f}{growth:>+9.1f}MB")
    print(f"machine load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
