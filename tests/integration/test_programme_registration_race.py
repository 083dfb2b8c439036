"""An event with a programme, 200 people registering at once from several processes: the event's places and
each session's seats are given exactly, and everyone's confirmation draft says what they got.

The registration, its answers and its draft are written before the event's lock, on what the counts read then
suggest; under the lock one count decides the place and the seats (register()). So the drafts are checked
against what was decided, not only the numbers.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import ChoiceStatus, OutboxEmail, ProgrammeSession, Registration, RegistrationStatus, SessionChoice
from tests.conftest import start_writing
from tests.integration.concurrency_support import PROCESSES, THREADS_PER_PROCESS, fire


def test_200_people_registering_with_sessions_at_once_get_exactly_the_places_and_seats(app, make_event):
    event = make_event(capacity=30)
    start_writing()
    start = event.starts_at
    workshop = ProgrammeSession(event_id=event.id, title="Workshop: incubation", room="Room 201", starts_at=start,
                                ends_at=start + timedelta(hours=2), seat_limit=10)
    visit = ProgrammeSession(event_id=event.id, title="Site visit: Daedeok Innopolis", starts_at=start + timedelta(hours=3),
                             ends_at=start + timedelta(hours=5), seat_limit=15)
    plenary = ProgrammeSession(event_id=event.id, title="Plenary", starts_at=start + timedelta(hours=6),
                               ends_at=start + timedelta(hours=7))
    db.session.add_all([workshop, visit, plenary])
    db.session.commit()
    ids = (workshop.id, visit.id, plenary.id)
    event_id = event.id
    people = PROCESSES * THREADS_PER_PROCESS

    outcomes = fire(app, event_id, [f"r{n}@example.org" for n in range(people)], ids)

    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert errors == [], errors[0]
    assert Counter(detail for _, detail in outcomes) == {"confirmed": 30, "waitlisted": people - 30}
    statuses = dict(db.session.execute(sa.select(Registration.id, Registration.status)).tuples().all())
    assert Counter(statuses.values()) == {RegistrationStatus.CONFIRMED: 30, RegistrationStatus.WAITLISTED: people - 30}

    choices: dict[int, dict[int, ChoiceStatus]] = {}
    for choice in db.session.scalars(sa.select(SessionChoice)):
        choices.setdefault(choice.registration_id, {})[choice.session_id] = choice.status
    seats = Counter((sid, status) for chosen in choices.values() for sid, status in chosen.items())
    workshop_id, visit_id, plenary_id = ids
    assert seats == {
        (workshop_id, ChoiceStatus.CONFIRMED): 10, (workshop_id, ChoiceStatus.WAITLISTED): people - 10,
        (visit_id, ChoiceStatus.CONFIRMED): 15, (visit_id, ChoiceStatus.WAITLISTED): people - 15,
        (plenary_id, ChoiceStatus.CONFIRMED): 30, (plenary_id, ChoiceStatus.WAITLISTED): people - 30,  # no limit
    }
    for registration_id, chosen in choices.items():  # only people with a place hold seats
        if statuses[registration_id] is RegistrationStatus.WAITLISTED:
            assert set(chosen.values()) == {ChoiceStatus.WAITLISTED}

    # One email each, a draft saying exactly what was decided: status, and each session's seat or waiting list.
    drafts = list(db.session.execute(sa.select(OutboxEmail.registration_id, OutboxEmail.kind, OutboxEmail.draft)))
    assert len(drafts) == people and {r for r, _, _ in drafts} == set(statuses)
    kinds = {RegistrationStatus.CONFIRMED: "registration_confirmed", RegistrationStatus.WAITLISTED: "registration_waitlisted"}
    for registration_id, kind, draft in drafts:
        status = statuses[registration_id]
        assert kind == kinds[status]
        assert draft == {"status": status.value, "language": "en",
                         "sessions": [[sid, choices[registration_id][sid].value] for sid in ids]}
