"""Capacity is never exceeded: 200 people press "Register" at once, from several processes."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxEmail, Registration, RegistrationStatus
from tests.integration.concurrency_support import PROCESSES, THREADS_PER_PROCESS, fire


def test_200_simultaneous_registrations_fill_20_seats_exactly(app, make_event):
    event_id = make_event(capacity=20).id

    outcomes = fire(app, event_id, [f"p{n}@example.org" for n in range(PROCESSES * THREADS_PER_PROCESS)])

    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert errors == [], errors[0]
    statuses = [detail for _, detail in outcomes]
    assert statuses.count("confirmed") == 20
    assert statuses.count("waitlisted") == 180
    in_db = dict(db.session.execute(
        sa.select(Registration.status, sa.func.count()).where(Registration.event_id == event_id)
        .group_by(Registration.status)
    ).all())
    assert in_db == {RegistrationStatus.CONFIRMED: 20, RegistrationStatus.WAITLISTED: 180}
    # Everyone's one email says what their registration is, even for those whose page saw a free seat.
    emails = db.session.execute(
        sa.select(Registration.status, OutboxEmail.kind).join(OutboxEmail, OutboxEmail.registration_id == Registration.id)
        .where(Registration.event_id == event_id)
    ).all()
    assert len(emails) == 200
    assert {(status, kind) for status, kind in emails} == {
        (RegistrationStatus.CONFIRMED, "registration_confirmed"), (RegistrationStatus.WAITLISTED, "registration_waitlisted")}


def test_the_same_person_clicking_many_times_at_once_registers_once(app, make_event):
    event_id = make_event(capacity=5).id

    outcomes = fire(app, event_id, ["double.click@example.org"] * 40)

    assert [kind for kind, _ in outcomes].count("error") == 0, outcomes
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(Registration.event_id == event_id))
    assert count == 1
