"""Two organisers accepting at the same moment never take more places than there are."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import ApplicationStatus, Registration, RegistrationMode, RegistrationStatus, User, utcnow
from app.services.applications.applications import Decision, decide
from app.services.errors import DomainError
from tests.integration.applications_support import add_applications


def test_concurrent_acceptances_stop_at_the_capacity(app, make_event, make_user):
    event = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=3)
    organiser_id = make_user().id
    event_id, ids = event.id, [r.id for r in add_applications(event, 10)]
    db.session.commit()  # the threads are other requests: nothing of this session is read in them
    start = threading.Barrier(len(ids))
    outcomes: list[str] = []

    def accept(registration_id: int) -> None:
        with app.app_context():
            start.wait()
            try:
                begin_write(db.session)
                decide(db.session, event_id, [registration_id], Decision.ACCEPT,
                       actor=db.session.get(User, organiser_id), now=utcnow())
                db.session.commit()
                outcomes.append("accepted")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(error.message)
            except Exception as error:  # noqa: BLE001 - reported by the assertions below
                db.session.rollback()
                outcomes.append(repr(error))

    threads = [threading.Thread(target=accept, args=(registration_id,)) for registration_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("accepted") == 3, outcomes
    assert all("The event is full: 3 of 3 places are taken" in o for o in outcomes if o != "accepted")
    db.session.commit()  # a fresh snapshot: SQLite readers see the database as their transaction began
    confirmed = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED))
    assert confirmed == 3
    accepted = [r.application.status for r in db.session.scalars(sa.select(Registration))]
    assert accepted.count(ApplicationStatus.ACCEPTED) == 3
