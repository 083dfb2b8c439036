"""A session's seats are never over-given either: 200 people choose the same 20-seat workshop at once."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import ChoiceStatus, ProgrammeSession, Registration, RegistrationStatus, SessionChoice
from tests.conftest import start_writing
from tests.integration.concurrency_support import PROCESSES, THREADS_PER_PROCESS, fire


def test_200_people_choosing_a_20_seat_session_at_once_get_20_seats_and_180_waiting_places(app, make_event):
    event = make_event(capacity=None)
    start_writing()
    parallel = ProgrammeSession(event_id=event.id, title="Parallel session A: incubation", room="Room 201",
                                starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=2),
                                seat_limit=20)
    plenary = ProgrammeSession(event_id=event.id, title="Plenary", starts_at=event.starts_at + timedelta(hours=3),
                               ends_at=event.starts_at + timedelta(hours=4))
    db.session.add_all([parallel, plenary])
    db.session.commit()
    ids = (parallel.id, plenary.id)
    event_id = event.id

    outcomes = fire(app, event_id, [f"s{n}@example.org" for n in range(PROCESSES * THREADS_PER_PROCESS)], ids)

    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert errors == [], errors[0]
    assert [detail for _, detail in outcomes].count("confirmed") == 200  # the event itself has no limit
    per_session = {
        (sid, status): n for sid, status, n in db.session.execute(
            sa.select(SessionChoice.session_id, SessionChoice.status, sa.func.count())
            .group_by(SessionChoice.session_id, SessionChoice.status)
        ).tuples()
    }
    assert per_session == {
        (ids[0], ChoiceStatus.CONFIRMED): 20,
        (ids[0], ChoiceStatus.WAITLISTED): 180,
        (ids[1], ChoiceStatus.CONFIRMED): 200,  # no seat limit
    }
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.status == RegistrationStatus.CONFIRMED)) == 200
