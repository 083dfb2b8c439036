"""The registration POST stays light: guards on the SQL statements it runs and on what runs under the event
lock (counted, never timed; bench/registration_path.py has the timings)."""

from __future__ import annotations

import os
import queue
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import Event, OrganisationType, OutboxEmail, Registration, RegistrationStatus, utcnow
from app.services.errors import DomainError
from app.services.registration import registration as registration_service
from app.services.registration.locking import lock_event_to_decide_and_count
from app.services.registration.registration import ParticipantDetails
from tests.conftest import csrf_token, registration_form, statements_sent, text_of
from tests.integration.concurrency_support import details


def statements_of_post(client, event, *, with_begin: bool = False, **fields) -> list[str]:
    url = f"/events/{event.slug}"
    page = client.get(url)
    with statements_sent() as statements:
        response = client.post(url, data={**registration_form(**fields), "csrf_token": csrf_token(page)})
    assert response.status_code == 302, response.data[:2000]
    if os.environ.get("SHOW_QUERIES"):
        print(*statements, sep="\n---\n")
    # SQLite's BEGIN IMMEDIATE is a statement of its own; PostgreSQL's BEGIN goes with the first query.
    return statements if with_begin else [s for s in statements if not s.startswith("BEGIN")]


def test_registering_for_a_plain_event_takes_at_most_five_statements(make_event, client):
    """The event (with its seat count and what its form has), the registration, its email, the lock and the
    seat count under it: no programme, question, email-text, visa or reference look-ups for what it lacks."""
    event = make_event(capacity=20)

    statements = statements_of_post(client, event)

    assert len(statements) <= 5, statements
    assert "EXISTS" in statements[0]  # the event's query says what its form and emails have
    assert not any(word in s for s in statements[1:] for word in ("programme_sessions", "questions", "email_texts",
                                                             "visa_requests", "DELETE"))
    assert db.session.scalar(sa.select(Registration.status)) is RegistrationStatus.CONFIRMED


def test_the_seat_is_decided_under_the_lock_and_only_the_count_waits_for_it(make_event, client):
    """PostgreSQL: the registration and its email are written first; under the event's row lock, only the
    count, taken in the statement that locks (then the commit). SQLite has no row locks: its writer lock is taken before the first statement
    (BEGIN IMMEDIATE), so the count and the writes that follow it can't be overtaken."""
    event = make_event(capacity=20)

    statements = statements_of_post(client, event, with_begin=True)

    if db.engine.dialect.name == "postgresql":
        # One statement takes the lock and counts (migration 0029's function); then only the commit.
        [locked_at] = [i for i, s in enumerate(statements) if "registration_seat_decision" in s]
        assert statements[locked_at + 1:] == [], statements[locked_at + 1:]
        assert any("INSERT INTO registrations" in s for s in statements[:locked_at])
        assert any("INSERT INTO outbox_emails" in s for s in statements[:locked_at])
    else:
        assert statements[0] == "BEGIN IMMEDIATE", statements[0]
        [inserted_at] = [i for i, s in enumerate(statements) if "INSERT INTO registrations" in s]
        assert any("count(*)" in s for s in statements[1:inserted_at])


def test_when_the_last_seat_went_meanwhile_the_person_is_waitlisted_and_told_so(
    make_event, register, deliver_emails, mailbox
):
    """The page saw a free seat; by the time the lock is taken someone else has it. The registration and
    the email queued before the lock are redone under it: the email says what the registration is."""
    event = make_event(capacity=1)
    register(event, email="first@example.org")

    begin_write(db.session)
    outcome = registration_service.register(
        db.session, event.id,
        ParticipantDetails(given_name="Kofi", family_name="Mensah", email="kofi@example.org",
                           organisation="Accra Tech Hub", organisation_type=OrganisationType.SCIENCE_PARK,
                           country="GH"),
        now=utcnow(), confirmed_seen=0,  # what a page read a moment before the first registration
    )
    db.session.commit()

    assert outcome.registration.status is RegistrationStatus.WAITLISTED
    kinds = db.session.scalars(sa.select(OutboxEmail.kind).where(OutboxEmail.to_address == "kofi@example.org"))
    assert list(kinds) == ["registration_waitlisted"]
    deliver_emails()
    [email] = mailbox.to("kofi@example.org")
    assert "waiting list" in (email["Subject"] + text_of(email)).lower()


def test_registering_twice_at_once_keeps_one_registration(make_event, register, client):
    """The INSERT before the lock skips an email already registered; the usual path then answers."""
    event = make_event(capacity=5)
    register(event)

    second = register(event)  # same email

    assert b"already" in second.data.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


def test_a_closed_event_refuses_even_when_the_page_saw_it_open(make_event):
    event = make_event(registration_closes_at=utcnow() - timedelta(minutes=1))
    begin_write(db.session)
    with pytest.raises(DomainError):
        registration_service.register(
            db.session, event.id,
            ParticipantDetails(given_name="Kofi", family_name="Mensah", email="kofi@example.org",
                               organisation="Accra Tech Hub",
                               organisation_type=OrganisationType.SCIENCE_PARK, country="GH"),
            now=utcnow(), confirmed_seen=0,
        )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_the_count_under_the_lock_sees_the_seat_taken_while_it_waited(app, make_event):
    """The lock's holder takes the last seat and commits while a registration written before the lock waits for
    it: the count made once the lock is had sees that seat. On PostgreSQL the lock and the count are one
    statement (registration_seat_decision), whose count has a snapshot of its own, taken after the lock."""
    event_id = make_event(capacity=1).id
    db.session.remove()
    engine = db.engine
    holding, counted = threading.Event(), queue.Queue()

    def waiting_for_the_lock() -> bool:
        if engine.dialect.name != "postgresql":
            time.sleep(0.3)  # SQLite's writer waits inside BEGIN IMMEDIATE, where nothing shows it
            return True
        with engine.connect() as watcher:
            return bool(watcher.scalar(sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")))

    def hold_the_lock_and_take_the_seat() -> None:
        with app.app_context():
            begin_write(db.session)
            registration_service.register(db.session, event_id, details("first@example.org"), now=utcnow())
            holding.set()
            deadline = time.monotonic() + 30
            while not waiting_for_the_lock() and time.monotonic() < deadline:
                time.sleep(0.01)
            db.session.commit()

    def decide() -> None:
        with app.app_context():
            holding.wait(30)
            begin_write(db.session)
            event = db.session.get(Event, event_id)
            counted.put(lock_event_to_decide_and_count(db.session, event, registration_id=0))
            db.session.rollback()

    threads = [threading.Thread(target=hold_the_lock_and_take_the_seat), threading.Thread(target=decide)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert counted.get(timeout=1) == 1
