"""Many registrations at the same moment from several server processes, as a rush of real requests would be."""

from __future__ import annotations

import multiprocessing
import threading
import traceback

from app import create_app
from app.database import begin_write
from app.extensions import db
from app.models import Event, OrganisationType, utcnow
from app.public.form_parts import public_event_for_form
from app.services.programme.programme import choose_sessions
from app.services.registration.registration import ParticipantDetails, register

PROCESSES = 4
THREADS_PER_PROCESS = 50


def details(email: str) -> ParticipantDetails:
    return ParticipantDetails(
        given_name="Test", family_name=email.split("@")[0], email=email, organisation="Science Park",
        organisation_type=OrganisationType.SCIENCE_PARK, country="KE",
    )


def _server_process(database_url: str, event_id: int, emails: list[str], start, results, session_ids=()) -> None:
    """One 'server process': its own app, engine and connection pool, many request threads."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        # 4 x 12 connections: real contention for the lock (50 threads per process), and well within
        # PostgreSQL's default of 100 even with the rest of the test run's connections still open.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 12, "max_overflow": 0, "pool_timeout": 120},
    })

    with app.app_context():
        slug = db.session.get(Event, event_id).slug
        db.session.remove()

    def one_request(email: str) -> None:
        with app.app_context():
            try:
                start.wait()
                begin_write(db.session)
                # As the event page does: the event read with its seat count and what its form has, so that on
                # PostgreSQL a plain event's registration is written before the lock (register()).
                page = public_event_for_form(db.session, slug)
                assert page is not None
                outcome = register(
                    db.session, event_id, details(email), now=utcnow(),
                    attach=(lambda r, now: choose_sessions(db.session, r, session_ids, now=now)) if session_ids else None,
                    confirmed_seen=page.confirmed,
                )
                db.session.commit()
                results.put(("ok", outcome.registration.status.value))
            except Exception:  # reported to the parent, which fails the test
                db.session.rollback()
                results.put(("error", traceback.format_exc()))

    threads = [threading.Thread(target=one_request, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def fire(app, event_id: int, emails: list[str], session_ids=()) -> list[tuple[str, str]]:
    """Send the registrations from PROCESSES processes at once; the test's session starts afresh after."""
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    db.engine.dispose()  # no pooled connection crosses the fork
    context = multiprocessing.get_context("fork")
    start = context.Event()
    results = context.Queue()
    chunks = [emails[i::PROCESSES] for i in range(PROCESSES)]
    processes = [
        context.Process(target=_server_process, args=(database_url, event_id, chunk, start, results, session_ids))
        for chunk in chunks
    ]
    for process in processes:
        process.start()
    start.set()
    outcomes = [results.get(timeout=180) for _ in emails]
    for process in processes:
        process.join(timeout=60)
    return outcomes
