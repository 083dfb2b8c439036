"""Fixtures: the app on SQLite (always) and PostgreSQL (when TEST_DATABASE_URL is set),
a real SMTP server, a test client that behaves like separate browser requests, factories."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient

from app import create_app
from app.database import begin_write
from app.extensions import db
from app.models import Base, Event, EventKind, EventStatus, RegistrationCountChange, User, utcnow

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


# --- databases: one per test run, created here and dropped at the end -------------------

def _postgres_database(base_url: str):
    """Create a database of our own on the server TEST_DATABASE_URL points at."""
    url = sa.make_url(base_url).set(drivername="postgresql+psycopg")
    name = f"test_wta_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return url.set(database=name), lambda: _drop_postgres(admin, name)


def _drop_postgres(admin, name: str) -> None:
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on a free port; every message that arrives is kept."""
    server = SMTPRecorder()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield f"sqlite:///{path}"
    else:
        url, drop = _postgres_database(os.environ["TEST_DATABASE_URL"])
        yield url.render_as_string(hide_password=False)
        drop()


def make_app(database_url: str, smtp_port: int, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_PORT": smtp_port,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _migrated_app(database_url, smtp_server):
    """One app per backend; the schema comes from the migrations, as in production."""
    from flask_migrate import upgrade

    app = make_app(database_url, smtp_server.port)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_migrated_app, smtp_server):
    app = _migrated_app
    smtp_server.messages.clear()
    smtp_server.unknown_recipients.clear()
    smtp_server.connections = 0
    smtp_server.drop_every = None
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    _empty_all_tables()
    ctx.pop()


def _empty_all_tables() -> None:
    from app.services.audit import guards

    with db.engine.begin() as conn:
        # The audit log refuses DELETE (triggers): lifted here only, to start each test from empty.
        dialect = conn.dialect.name
        for statement in guards.DROP.get(dialect, []):
            conn.exec_driver_sql(statement)
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        # Deleting the registrations wrote their counts' changes (migration 0030's triggers), whichever came first.
        conn.execute(RegistrationCountChange.__table__.delete())
        for statement in guards.CREATE.get(dialect, []):
            conn.exec_driver_sql(statement)


# --- the client: each request is its own unit of work, as from a real browser ---------

class BrowserLikeClient(FlaskClient):
    """Runs each request in a fresh app context, so it gets its own database session.

    Before each request the test's own session commits what it set up (and forgets what it
    read), so a test can look at the database again after a request and see the result.
    """

    def open(self, *args, **kwargs):
        app = self.application
        if db.session.registry.has():
            db.session.commit()
        with app.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = BrowserLikeClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class SentStatement(str):
    """A SQL statement as sent to the database, with the `parameters` it was sent with."""

    parameters: Any


@contextmanager
def statements_sent() -> Iterator[list[SentStatement]]:
    """The SQL statements sent while the block runs, in order."""
    sent: list[SentStatement] = []

    def record(conn, cursor, statement, parameters, *args):
        sent.append(SentStatement(statement))
        sent[-1].parameters = parameters

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries(client):
    """count_queries(url): how many SQL statements one GET of url runs (the page must answer 200).
    SHOW_QUERIES=1 prints them, to find the one that repeats per row."""

    def count(url: str) -> int:
        with statements_sent() as statements:
            assert client.get(url).status_code == 200
        if os.environ.get("SHOW_QUERIES"):
            print(*statements, sep="\n---\n")
        return len(statements)

    return count


def csrf_token(response) -> str:
    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', response.data) or re.search(
        rb'name="csrf_token" value="([^"]+)"', response.data
    )
    assert match, "no CSRF token on the page"
    return match.group(1).decode()


# --- factories ---------------------------------------------------------------------------

def start_writing():
    """Factories write like a request does: in a writer transaction of their own."""
    db.session.commit()
    begin_write(db.session)


@pytest.fixture
def make_event(app):
    counter = iter(range(1, 10_000))

    def make(**overrides) -> Event:
        n = next(counter)
        now = utcnow()
        values = dict(
            kind=EventKind.INTERNATIONAL_WORKSHOP,
            title=f"International Training Workshop on Science City Governance {n}",
            slug=f"workshop-{n}",
            code=f"ITW{n:02d}",
            summary="Science park and incubator managers learn from Daejeon.",
            description="Lectures, country case presentations and site visits.",
            venue="WTA Secretariat",
            city="Daejeon",
            country="KR",
            timezone="Asia/Seoul",
            starts_at=now + timedelta(days=30),
            ends_at=now + timedelta(days=35),
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=now + timedelta(days=20),
            capacity=50,
            waiting_list_enabled=True,
            status=EventStatus.PUBLISHED,
            contact_email="training@wtanet.org",
        )
        values.update(overrides)
        start_writing()
        event = Event(**values)
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def make_user(app):
    from app.services.people.users import create_user

    def make(email="organiser@wtanet.org", password="correct horse battery", *, admin=True, name="Organiser") -> User:
        start_writing()
        user = create_user(db.session, email, password, name=name, is_admin=admin)
        db.session.commit()
        return user

    return make


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email="organiser@wtanet.org", password="correct horse battery"):
        page = self.client.get("/login")
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)}
        )

    def logout(self):
        page = self.client.get("/admin/")
        return self.client.post("/logout", data={"csrf_token": csrf_token(page)})


@pytest.fixture
def auth(client):
    return Auth(client)


def registration_form(**overrides) -> dict:
    data = {
        "title": "Dr",
        "given_name": "Amina",
        "family_name": "Diallo",
        "email": "amina.diallo@example.org",
        "organisation": "Dakar Technology Park",
        "position": "Director",
        "organisation_type": "science_park",
        "country": "SN",
        "phone": "+221 33 123 4567",
        "dietary_needs": "",
        "accessibility_needs": "",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def register(client):
    """Fill in and send an event's registration form the way a person does."""

    def submit(event: Event, **fields):
        page = client.get(f"/events/{event.slug}")
        if b'name="csrf_token"' not in page.data:  # no form on the page: post as a stale tab would
            page = client.get("/login")
        return client.post(
            f"/events/{event.slug}",
            data={**registration_form(**fields), "csrf_token": csrf_token(page)},
            follow_redirects=True,
        )

    return submit


# --- email ---------------------------------------------------------------------------

class SMTPRecorder:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = _free_port()
        self.refuse = False  # simulate a mail server that is down
        self.unknown_recipients: set[str] = set()  # addresses it answers "no such user" for
        self.connections = 0  # SMTP sessions opened (each client greets once, with EHLO or HELO)
        self.drop_every: int | None = None  # close the connection after every n-th accepted message
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.connections += 1
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        session.host_name = hostname
        self.connections += 1
        return f"250 {server.hostname}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "451 4.3.0 Mail server temporarily unavailable"
        if address in self.unknown_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            drop = self.drop_every is not None and len(self.messages) % self.drop_every == 0
        if drop:  # as a server that restarts or times out: the reply is sent, then the connection closed
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in m["To"].lower()]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mailbox(smtp_server):
    return smtp_server


@pytest.fixture
def deliver_emails(app, runner):
    """Run the outbox worker the way production does: `flask mail send`."""

    def deliver() -> str:
        db.session.commit()
        with app.app_context():  # the worker is another process: its own session
            result = runner.invoke(args=["mail", "send"])
        assert result.exit_code == 0, result.output
        return result.output

    return deliver


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link_in(message: EmailMessage) -> str:
    """The personal link, as a path the test client can follow."""
    match = re.search(r"http://localhost(/r/[A-Za-z0-9._-]+)", text_of(message))
    assert match, text_of(message)
    return match.group(1)


def wait_until(predicate, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    """The app reads compiled catalogs: compile them from the .po files the tests are run against."""
    from app.i18n import compile_catalogs

    compile_catalogs()


def pytest_sessionfinish(session, exitstatus):
    """Under STRICT_SKIPS (CI), a skipped test fails the run: CI has PostgreSQL and Chromium."""
    if not os.environ.get("STRICT_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"STRICT_SKIPS: {len(skipped)} test(s) were skipped; CI must run them all.", red=True)
        session.exitstatus = 1
