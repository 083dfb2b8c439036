"""Mail throughput: queue 1,000 personalised emails in a request, deliver 2,000 to a local SMTP server.

Run: `.venv/bin/python bench/mail_throughput.py` (or `make bench-mail`). PostgreSQL on 127.0.0.1:5432
(user postgres, trust auth) and SQLite, in turn; `--backend sqlite` skips PostgreSQL. Everything it
makes (a private database, a temporary SQLite file, the SMTP server process) it removes.

(a) Queueing, as a "message to a group" request does it: load the event's 1,000 confirmed
    registrations, fill each person's subject and body, make the HTML, one mailer.enqueue_many(),
    commit. Baseline in the same run: 1,000 mailer.enqueue() calls (one template render and one
    INSERT each), as the automatic emails are queued.
(b) Delivering: the real worker, mailer.send_pending() (what `flask mail send` runs), sends 2,000
    queued emails to an aiosmtpd server in its own process that counts messages and connections.
    Baseline in the same run: the same worker with MAIL_MAX_EMAILS = 1, a new connection per email.
Exits non-zero unless every email was delivered, each run over the connections expected.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from harness import ROOT, SERVER, create_events, free_port, private_database
from load import cpu_seconds

TARGET_EMAILS_PER_SECOND = 200

SUBJECT = "Practical information for {event_title}, {given_name}"
BODY = """Dear {full_name},

Thank you for registering for {event_title} ({event_dates}, {event_place}). Your reference is {reference}.

The bus to the venue leaves the hotel at 8:00 each morning. Please bring your passport and the \
invitation letter from {organisation}; lunch is served on site.

We look forward to welcoming you in Daejeon.

The WTA Secretariat"""

COUNTRIES = ["KE", "SN", "VN", "ID", "EG", "ET", "GH", "TZ", "UZ", "MN", "PE", "CO", "BD", "NP", "RW", "KH", "ZA"]


# --- the SMTP server: its own process, as a real one would be ----------------------------------

def run_sink(port: int) -> None:
    """An SMTP server that accepts and counts; each line on stdin asks for "<messages> <connections>"."""
    from aiosmtpd.controller import Controller

    class Counter:
        messages = 0
        connections = 0

        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            Counter.connections += 1
            return responses

        async def handle_DATA(self, server, session, envelope):
            Counter.messages += 1
            return "250 Message accepted for delivery"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    for _ in sys.stdin:
        print(Counter.messages, Counter.connections, flush=True)
    controller.stop()


class Sink:
    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, __file__, "--sink", str(self.port)], text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "ready"

    def counts(self) -> tuple[int, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        messages, connections = self.process.stdout.readline().split()
        return int(messages), int(connections)

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


# --- the database: an event, its registrations -------------------------------------------------

def make_app(database_url: str, smtp_port: int):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port,
                       "SERVER_NAME": "events.wtanet.org", "PREFERRED_URL_SCHEME": "https"})


def prepare(app, people: int) -> int:
    from flask_migrate import upgrade

    from app.database import begin_write
    from app.extensions import db
    from app.models import OrganisationType, Registration, RegistrationStatus, utcnow

    with app.app_context():
        upgrade()
    event_id = create_events(app.config["SQLALCHEMY_DATABASE_URI"], seats=people, slugs=["mail-bench"])["mail-bench"]
    with app.app_context():
        begin_write(db.session)
        now = utcnow()
        db.session.add_all(
            Registration(event_id=event_id, reference=f"DGIF26-{n:05d}", status=RegistrationStatus.CONFIRMED,
                         given_name=f"Participant{n}", family_name="Bench", email=f"participant{n:04d}@bench.example.org",
                         organisation="Technology Park", position="Manager",
                         organisation_type=OrganisationType.SCIENCE_PARK, country=COUNTRIES[n % len(COUNTRIES)],
                         consent_at=now, confirmed_at=now)
            for n in range(people))
        db.session.commit()
    return event_id


# --- (a) queueing ------------------------------------------------------------------------------

def queue_group_message(app, event_id: int) -> tuple[int, float, float]:
    """The request's work; returns (emails, seconds in all, seconds of enqueue_many + commit)."""
    import sqlalchemy as sa
    from markupsafe import Markup, escape

    from app.database import begin_write
    from app.extensions import db
    from app.models import Event, Registration, RegistrationStatus
    from app.services.documents.document_wording import fill, paragraphs, values_for
    from app.services.mail import mailer

    def html(text: str) -> str:
        return "".join(Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in part.split("\n")))
                       for part in paragraphs(text))

    with app.test_request_context("/admin/events/mail-bench/messages", method="POST"):
        started = time.perf_counter()
        begin_write(db.session)
        event = db.session.get_one(Event, event_id)
        registrations = db.session.scalars(
            sa.select(Registration).where(Registration.event_id == event_id,
                                          Registration.status == RegistrationStatus.CONFIRMED)
            .order_by(Registration.id))
        rows = []
        for registration in registrations:
            values = values_for(registration)
            body = fill(BODY, values)
            rows.append(mailer.RenderedEmail(
                kind="group_message", to=registration.email, subject=fill(SUBJECT, values), body_text=body,
                body_html=html(body), registration_id=registration.id, reply_to=event.contact_email))
        inserting = time.perf_counter()
        ids = mailer.enqueue_many(db.session, rows)
        db.session.commit()
        finished = time.perf_counter()
        db.session.remove()
    return len(ids), finished - started, finished - inserting


def queue_one_by_one(app, event_id: int) -> tuple[int, float]:
    """Baseline: mailer.enqueue() per person, the way each automatic email is queued."""
    import sqlalchemy as sa

    from app.database import begin_write
    from app.extensions import db
    from app.models import Registration
    from app.services.mail import mailer

    with app.test_request_context("/"):
        started = time.perf_counter()
        begin_write(db.session)
        registrations = db.session.scalars(
            sa.select(Registration).where(Registration.event_id == event_id).order_by(Registration.id)).all()
        for registration in registrations:
            mailer.enqueue(db.session, kind="registration_link", to=registration.email,
                           subject=f"Your personal link: {registration.event.title}",
                           context={"registration": registration, "event": registration.event,
                                    "link": "https://events.wtanet.org/r/x", "event_url": "https://events.wtanet.org/"},
                           registration_id=registration.id, reply_to=registration.event.contact_email)
        db.session.commit()
        finished = time.perf_counter()
        db.session.remove()
    return len(registrations), finished - started


# --- (b) delivering ----------------------------------------------------------------------------

@dataclass
class Delivery:
    per_second: float
    connections: int
    worker_cpu_ms: float  # per email: this process, the worker
    server_cpu_ms: float  # per email: the SMTP server process
    database_cpu_ms: float  # per email: the PostgreSQL backend serving the worker (SQLite: in the worker)


def deliver_all(app, sink: Sink, count: int, *, connection_per_email: bool) -> Delivery:
    """The worker over every queued email (made pending again first), timed and its CPU counted."""
    import sqlalchemy as sa

    from app.database import begin_write
    from app.extensions import db
    from app.models import OutboxEmail, OutboxStatus, utcnow
    from app.services.mail import mailer

    with app.app_context():
        begin_write(db.session)
        db.session.execute(sa.update(OutboxEmail).values(
            status=OutboxStatus.PENDING, attempts=0, sent_at=None, last_error=None,
            next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        db.session.remove()
        app.extensions["mail"].max_emails = 1 if connection_per_email else None
        backend = db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar() \
            if db.engine.dialect.name == "postgresql" else None
        db.session.remove()  # its connection goes back to the pool, where the worker takes it again
        messages_before, connections_before = sink.counts()
        cpu_before = (cpu_seconds(os.getpid()), cpu_seconds(sink.process.pid), cpu_seconds(backend) if backend else 0)
        started = time.perf_counter()
        report = mailer.send_pending(db.session, now=utcnow(), limit=count)
        seconds = time.perf_counter() - started
        cpu = (cpu_seconds(os.getpid()), cpu_seconds(sink.process.pid), cpu_seconds(backend) if backend else 0)
        db.session.remove()
        app.extensions["mail"].max_emails = None
    messages, connections = sink.counts()
    if (report.sent, report.retried, report.failed) != (count, 0, 0) or messages - messages_before != count:
        sys.exit(f"delivery: {report} and {messages - messages_before} received, expected {count} sent")
    worker, server, database = (1000 * (after - before) / count for before, after in zip(cpu_before, cpu, strict=True))
    return Delivery(count / seconds, connections - connections_before, worker, server, database)


# --- the run -----------------------------------------------------------------------------------

def run_backend(name: str, database_url: str, args) -> tuple[list[str], float]:
    sink = Sink()
    try:
        app = make_app(database_url, sink.port)
        event_id = prepare(app, args.people)
        queued, request_seconds, insert_seconds = queue_group_message(app, event_id)
        single, single_seconds = queue_one_by_one(app, event_id)
        # 1,000 group emails + 1,000 single ones: top up to --deliver with more group messages.
        while queued + single < args.deliver:
            queued += queue_group_message(app, event_id)[0]
        reused = deliver_all(app, sink, args.deliver, connection_per_email=False)
        fresh = deliver_all(app, sink, args.deliver, connection_per_email=True)
        with app.app_context():
            from app.extensions import db
            db.engine.dispose()
    finally:
        sink.stop()
    if reused.connections != 1 or fresh.connections != args.deliver:
        sys.exit(f"{name}: expected 1 and {args.deliver} connections, got {reused.connections} and {fresh.connections}")

    def cpu(delivery: Delivery) -> str:
        database = f", database {delivery.database_cpu_ms:.2f}" if delivery.database_cpu_ms else ""
        return (f"CPU per email: worker {delivery.worker_cpu_ms:.2f} ms, SMTP server {delivery.server_cpu_ms:.2f} ms"
                f"{database}")
    return [
        f"{name}: queue {args.people:,} personalised emails in one request: {request_seconds * 1000:.0f} ms "
        f"(enqueue_many + commit: {insert_seconds * 1000:.0f} ms)",
        f"{name}:   baseline, {single:,} enqueue() calls in one transaction: {single_seconds * 1000:.0f} ms",
        f"{name}: deliver {args.deliver:,} emails, one SMTP connection: {reused.per_second:.0f} emails/s; "
        f"{cpu(reused)}",
        f"{name}:   baseline, a new connection per email: {fresh.per_second:.0f} emails/s; {cpu(fresh)}",
    ], reused.per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["both", "postgresql", "sqlite"], default="both")
    parser.add_argument("--people", type=int, default=1000, help="registrations written to in one request")
    parser.add_argument("--deliver", type=int, default=2000, help="emails the worker delivers")
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)  # internal: be the SMTP server
    args = parser.parse_args()
    if args.sink:
        run_sink(args.sink)
        return
    os.chdir(ROOT)
    results: list[tuple[list[str], float]] = []
    if args.backend in ("both", "postgresql"):
        with private_database() as database:
            results.append(run_backend("PostgreSQL", f"postgresql+psycopg://{SERVER.split('://')[1]}/{database}", args))
    if args.backend in ("both", "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            results.append(run_backend("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", args))
    for lines, _ in results:
        print("\n".join(lines))
    # Other work on the machine slows the figures per second, not the CPU per email.
    print("load average at the end (1, 5, 15 min): " + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
    met = all(rate >= TARGET_EMAILS_PER_SECOND for _, rate in results)
    print(f"target: >= {TARGET_EMAILS_PER_SECOND} emails/s delivered over one connection: {'met' if met else 'missed'}")


if __name__ == "__main__":
    main()
