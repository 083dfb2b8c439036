"""Serialising the writers of one event: the basis of 'capacity is never exceeded'."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.database import Session, assert_writer
from app.models import ChoiceStatus, Event, ProgrammeSession, Registration, RegistrationStatus, SessionChoice


def lock_event(session: Session, event_id: int) -> Event:
    """Load the event with its row locked until the transaction ends.

    PostgreSQL: SELECT ... FOR NO KEY UPDATE, so registrations for the same event queue here,
    from any number of processes, while other events are untouched. SQLite: the
    transaction already holds the database write lock (begin_write), FOR UPDATE is a no-op.
    Everything read after this call (seat counts, the waiting list) is therefore current.
    """
    assert_writer(session)
    event = session.scalar(_LOCK_EVENT, {"event_id": event_id})
    if event is None:
        raise LookupError(f"event {event_id} does not exist")
    return event


# Built once, with the event as a parameter: each registration takes the lock, and building the statement
# (and its cache key) anew cost more CPU than running it.
_LOCK_EVENT = (
    sa.select(Event)
    .where(Event.id == sa.bindparam("event_id"))
    # The event row only, not the series joined in with it. NO KEY UPDATE: lockers queue behind each other
    # as with FOR UPDATE, but rows that merely point at the event (a registration INSERTed before the
    # lock, see register()) do not block it: their foreign-key check's KEY SHARE lock would otherwise
    # turn two registrations into a deadlock.
    .with_for_update(of=Event, key_share=True)
    .execution_options(populate_existing=True)
)


def lock_event_to_decide(session: Session, event: Event) -> Event:
    """lock_event for a registration written before the lock (registration.register): the same row lock, but
    only the columns that decide whether and how it is accepted (availability() and refusal_message()) are
    read again, onto `event`. Its other columns stay as read earlier in the transaction: what the emails
    queued before the lock already said. Reading the whole row, ORM-loaded again, cost more CPU than the
    rest of the locked part of a registration."""
    _lock_and_read_deciding(session, event, _LOCK_TO_DECIDE, {"event_id": event.id})
    return event


def _lock_and_read_deciding(session: Session, event: Event, statement: sa.Executable,
                            values: dict[str, int]) -> sa.Row:
    """Send `statement`, which locks the event and returns its deciding columns first; put them onto `event`.
    Returns the row (a statement may return more after them)."""
    # What was added before the lock (the form's parts, the organisers' alerts) is written before it, as the
    # session's autoflush did for lock_event: the lock is held for the decision, not for those INSERTs.
    session.flush()
    # Then straight on the connection: a statement of columns needs none of the session's ORM work around it.
    row = assert_writer(session).execute(statement, values).first()
    if row is None:
        raise LookupError(f"event {event.id} does not exist")
    for key, value in zip(_DECIDING_KEYS, row, strict=False):
        set_committed_value(event, key, value)
    return row


_DECIDING = (Event.status, Event.registration_mode, Event.capacity, Event.waiting_list_enabled,
             Event.registration_opens_at, Event.registration_closes_at, Event.ends_at, Event.timezone)
_DECIDING_KEYS = tuple(column.key for column in _DECIDING)
_LOCK_TO_DECIDE = (
    sa.select(*_DECIDING)
    .where(Event.id == sa.bindparam("event_id"))
    .with_for_update(of=Event, key_share=True)  # as _LOCK_EVENT: NO KEY UPDATE, see there
)


def lock_event_to_decide_and_count(session: Session, event: Event, registration_id: int) -> int:
    """lock_event_to_decide, then count_others_confirmed, in one round trip on PostgreSQL: the database function
    registration_seat_decision (migration 0029) takes the lock, then counts in a statement of its own, which
    sees what was committed while the lock was awaited. Elsewhere, the two calls."""
    if session.get_bind().dialect.name != "postgresql":
        lock_event_to_decide(session, event)
        return count_others_confirmed(session, event.id, registration_id)
    row = _lock_and_read_deciding(session, event, _SEAT_DECISION,
                                  {"event_id": event.id, "registration_id": registration_id})
    return row.others_confirmed


# The function's columns typed as the event's own (its enums, its UTC times), then the count.
_SEAT_DECISION = sa.text("SELECT * FROM registration_seat_decision(:event_id, :registration_id)").columns(
    *(sa.column(column.key, column.type) for column in _DECIDING), sa.column("others_confirmed", sa.Integer))


def count_others_confirmed(session: Session, event_id: int, registration_id: int) -> int:
    """The event's confirmed registrations but this one."""
    # Straight on the connection: a count needs none of the session's ORM work around it.
    return session.connection().scalar(_OTHERS_CONFIRMED, {"event_id": event_id, "registration_id": registration_id}) or 0


@dataclass(frozen=True)
class SeatsTaken:
    """What a new registration's seats are decided from, under the lock (register())."""

    event: int  # the event's confirmed registrations but this one
    sessions: dict[int, tuple[int | None, int]]  # chosen session id -> (its seat limit, seats taken); gone: absent


def seats_taken(session: Session, event_id: int, registration_id: int, session_ids: list[int]) -> SeatsTaken:
    """Under the event lock, in one statement: the event's places taken by others and, for each chosen session
    still in its programme, its seat limit and seats taken (the registration's own choices are not written
    yet). The seat limit is read here too: an organiser may have changed it since the page was read."""
    if not session_ids:
        return SeatsTaken(count_others_confirmed(session, event_id, registration_id), {})
    rows = session.execute(_SEATS_TAKEN, {"event_id": event_id, "registration_id": registration_id,
                                          "session_ids": session_ids}).all()
    # No row at all: none of the sessions is left; the event's count alone then.
    others = rows[0][3] if rows else count_others_confirmed(session, event_id, registration_id)
    return SeatsTaken(others or 0, {session_id: (limit, taken or 0) for session_id, limit, taken, _ in rows})


@dataclass(frozen=True)
class SeatDecision:
    """What register() decides a seat from, read in the statement that takes the lock."""

    event: Event
    confirmed: int
    existing_id: int | None  # the event's registration with this email, if any
    reference_taken: bool  # the reference drawn for a new registration is already someone's


def lock_event_for_registration(session: Session, event_id: int, email: str, reference: str) -> SeatDecision:
    """lock_event, then in one more statement what a registration decides under the lock.

    Two statements, not one: PostgreSQL reads a statement's subqueries as of the moment it started,
    so a count in the locking SELECT would miss the registrations committed while it waited for the
    lock (an overbooking). The seat count, the look-up of the email and the check that the new
    reference is free share the statement after it."""
    event = lock_event(session, event_id)
    confirmed, existing_id, reference_taken = session.execute(
        sa.select(
            confirmed_count_query(event_id).scalar_subquery(),
            sa.select(Registration.id)
            .where(Registration.event_id == event_id, Registration.email == email)
            .scalar_subquery(),
            sa.exists().where(Registration.reference == reference),
        )
    ).one()
    return SeatDecision(event, confirmed or 0, existing_id, bool(reference_taken))


def confirmed_count_query(event_id: int | sa.SQLColumnExpression[int]) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)
    )


def count_confirmed(session: Session, event_id: int) -> int:
    return session.scalar(confirmed_count_query(event_id)) or 0


_OTHERS_CONFIRMED = confirmed_count_query(sa.bindparam("event_id")).where(Registration.id != sa.bindparam("registration_id"))


_SEATS_TAKEN = (
    sa.select(
        ProgrammeSession.id,
        ProgrammeSession.seat_limit,
        sa.select(sa.func.count()).select_from(SessionChoice)
        .where(SessionChoice.session_id == ProgrammeSession.id, SessionChoice.status == ChoiceStatus.CONFIRMED)
        .scalar_subquery(),
        _OTHERS_CONFIRMED.scalar_subquery(),
    )
    .where(ProgrammeSession.event_id == sa.bindparam("event_id"),
           ProgrammeSession.id.in_(sa.bindparam("session_ids", expanding=True)))
)
