"""Serialising the writers of one event: the basis of 'capacity is never exceeded'."""

from __future__ import annotations

import sqlalchemy as sa

from app.database import Session, assert_writer
from app.models import Event, Registration, RegistrationStatus


def lock_event(session: Session, event_id: int) -> Event:
    """Load the event with its row locked until the transaction ends.

    PostgreSQL: SELECT ... FOR UPDATE, so registrations for the same event queue here,
    from any number of processes, while other events are untouched. SQLite: the
    transaction already holds the database write lock (begin_write), FOR UPDATE is a no-op.
    Everything read after this call (seat counts, the waiting list) is therefore current.
    """
    assert_writer(session)
    event = session.scalar(
        sa.select(Event)
        .where(Event.id == event_id)
        .with_for_update(of=Event)  # the event row only, not the series joined in with it
        .execution_options(populate_existing=True)
    )
    if event is None:
        raise LookupError(f"event {event_id} does not exist")
    return event


def confirmed_count_query(event_id: int) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)
    )


def count_confirmed(session: Session, event_id: int) -> int:
    return session.scalar(confirmed_count_query(event_id)) or 0
