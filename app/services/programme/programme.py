"""Programme sessions: choosing them, their seats and their waiting lists. Callers commit.

Every change to session seats happens under the event's lock (locking.lock_event), the same
lock that guards the event's own capacity: one lock per event keeps the rules simple and no
order of locks can deadlock. Only confirmed registrations hold session seats; a registration
waiting for the event waits for its sessions too and takes their seats, if still free, when
it gets its place.

A new registration's choices are saved with the rest of its form before the event is locked
(registration.register): they are checked and each seat guessed then, for the confirmation's draft, and
written under the lock once decide_seats has decided them (defer_seats). Written only then: on PostgreSQL
a choice written earlier would hold a lock on its session's row (its foreign key's) while waiting for the
event's, and deleting that session (under the event's lock) would wait for it in turn: a deadlock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.base import NO_VALUE
from sqlalchemy.orm.util import identity_key

from app.database import Session, transaction_facts
from app.models import ChoiceStatus, Event, ProgrammeSession, Registration, RegistrationStatus, SessionChoice
from app.services.errors import DomainError
from app.services.mail import notifications
from app.services.registration import fresh
from app.services.registration.locking import lock_event

# transaction_facts key: {registration id: its choices, checked and guessed, not written yet} (defer_seats).
_DEFERRED = "programme.deferred"


@dataclass(frozen=True)
class SessionSeats:
    session: ProgrammeSession
    confirmed: int
    waiting: int

    @property
    def seats_left(self) -> int | None:
        if self.session.seat_limit is None:
            return None
        return max(self.session.seat_limit - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


def seats(session: Session, event_id: int) -> list[SessionSeats]:
    """Every session of the event in programme order, with its seat and waiting-list counts."""
    # The event page's form has read the programme a moment ago: only the counts are asked for then.
    event = session.identity_map.get(identity_key(Event, event_id))
    loaded = sa.inspect(event).attrs.programme.loaded_value if event is not None else NO_VALUE
    sessions: list[ProgrammeSession]
    if loaded is NO_VALUE:
        sessions = list(session.scalars(
            sa.select(ProgrammeSession)
            .where(ProgrammeSession.event_id == event_id)
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        ))
    else:
        sessions = sorted(cast(list[ProgrammeSession], loaded), key=lambda s: (s.starts_at, s.id))
    return seats_of_sessions(session, sessions)


def seats_of_sessions(session: Session, sessions: Iterable[ProgrammeSession]) -> list[SessionSeats]:
    """seats() of the sessions given, in that order."""
    sessions = list(sessions)
    counts = _choice_counts(session, [s.id for s in sessions])
    return [
        SessionSeats(s, counts.get((s.id, ChoiceStatus.CONFIRMED), 0), counts.get((s.id, ChoiceStatus.WAITLISTED), 0))
        for s in sessions
    ]


def choices_of(session: Session, registration_id: int) -> list[SessionChoice]:
    """A registration's choices in programme order."""
    return list(
        session.scalars(
            sa.select(SessionChoice)
            .join(SessionChoice.session)
            .where(SessionChoice.registration_id == registration_id)
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        )
    )


def check_no_overlap(sessions: Iterable[ProgrammeSession]) -> None:
    """Two chosen sessions at the same time cannot both be attended."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.id))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.overlaps(later):
            raise DomainError(
                _("“%(earlier)s” and “%(later)s” take place at the same time. Please choose only one of them.",
                  earlier=earlier.title, later=later.title),
                field="sessions",
            )


def choose_sessions(
    session: Session, registration: Registration, session_ids: Collection[int], *, now: datetime
) -> list[SessionChoice]:
    """Make `session_ids` the registration's chosen sessions, keeping seats already held.

    The event must already be locked (register() holds the lock; change_sessions() takes it), unless
    register() deferred the registration's seats (defer_seats): then nothing is written yet.
    A newly chosen session gives a seat while seats are free and the registration is
    confirmed; otherwise a place in that session's waiting list.
    """
    deferred = transaction_facts(session).get(_DEFERRED, {}).get(registration.id)
    if deferred is not None:
        deferred[:] = _guessed_choices(session, registration, session_ids, now=now)
        return list(deferred)
    event_id = registration.event_id
    wanted = {
        s.id: s
        for s in session.scalars(
            sa.select(ProgrammeSession).where(
                ProgrammeSession.event_id == event_id, ProgrammeSession.id.in_(set(session_ids))
            )
        )
    }
    if len(wanted) != len(set(session_ids)):
        raise _gone()
    check_no_overlap(wanted.values())

    new = fresh.is_fresh(session, registration.id)  # registering now: no choice made before
    current = {} if new else {c.session_id: c for c in choices_of(session, registration.id)}
    freed = [current[sid].session for sid in current.keys() - wanted.keys()
             if current[sid].status is ChoiceStatus.CONFIRMED]
    for sid in current.keys() - wanted.keys():
        session.delete(current[sid])
    session.flush()

    confirmed = _confirmed_counts(session, wanted.keys() - current.keys())
    holds_place = registration.status is RegistrationStatus.CONFIRMED
    for sid in sorted(wanted.keys() - current.keys(), key=lambda i: (wanted[i].starts_at, i)):
        limit = wanted[sid].seat_limit
        seat_free = holds_place and (limit is None or confirmed.get(sid, 0) < limit)
        session.add(SessionChoice(
            registration_id=registration.id,
            session_id=sid,
            status=ChoiceStatus.CONFIRMED if seat_free else ChoiceStatus.WAITLISTED,
            chosen_at=now,
            confirmed_at=now if seat_free else None,
        ))
    session.flush()
    for programme_session in freed:
        promote_session_waiting_list(session, programme_session, now=now)
    return choices_of(session, registration.id)


def _gone() -> DomainError:
    return DomainError(_("One of the chosen sessions is no longer in the programme. Please choose again."),
                       field="sessions")


def defer_seats(session: Session, registration_id: int) -> None:
    """register() decides the seats of this registration, just inserted, under the event lock once its form is
    saved: choose_sessions then checks the choice and guesses each seat, and writes nothing (deferred_choices)."""
    transaction_facts(session).setdefault(_DEFERRED, {})[registration_id] = []


def deferred_choices(session: Session, registration_id: int) -> list[SessionChoice]:
    """The registration's choices, checked and guessed (programme order), unsaved; choosing is no longer deferred."""
    return transaction_facts(session).get(_DEFERRED, {}).pop(registration_id, [])


def _guessed_choices(session: Session, registration: Registration, session_ids: Collection[int], *,
                     now: datetime) -> list[SessionChoice]:
    """The choices of a registration being registered, checked as choose_sessions checks them, each with the seat
    the counts read now (before the lock) suggest; unsaved, for decide_seats to decide under the lock."""
    by_id = {s.id: s for s in registration.event.programme}  # the registration form read it already
    ids = set(session_ids)
    if not ids <= by_id.keys():
        raise _gone()
    wanted = sorted((by_id[i] for i in ids), key=lambda s: (s.starts_at, s.id))
    check_no_overlap(wanted)
    holds_place = registration.status is RegistrationStatus.CONFIRMED
    limited = [s.id for s in wanted if s.seat_limit is not None]
    confirmed = _confirmed_counts(session, limited) if holds_place else {}
    choices = []
    for programme_session in wanted:
        limit = programme_session.seat_limit
        seat = holds_place and (limit is None or confirmed.get(programme_session.id, 0) < limit)
        choice = SessionChoice(registration_id=registration.id, session_id=programme_session.id,
                               status=ChoiceStatus.CONFIRMED if seat else ChoiceStatus.WAITLISTED,
                               chosen_at=now, confirmed_at=now if seat else None)
        set_committed_value(choice, "session", programme_session)  # for the email: no query
        choices.append(choice)
    return choices


def write_choices(session: Session, choices: Sequence[SessionChoice]) -> None:
    """Write decided choices (decide_seats) in one statement; the objects stay unsaved (nothing reads them back)."""
    if choices:
        session.execute(_INSERT_CHOICES, [
            {"registration_id": c.registration_id, "session_id": c.session_id, "status": c.status,
             "chosen_at": c.chosen_at, "confirmed_at": c.confirmed_at} for c in choices])


_INSERT_CHOICES = sa.insert(cast(sa.Table, SessionChoice.__table__))


def decide_seats(choices: Iterable[SessionChoice], taken: dict[int, tuple[int | None, int]], *,
                 holds_place: bool, now: datetime) -> bool:
    """Under the event lock: each deferred choice gets its seat while the session has one free and the
    registration has a place, else a place in the session's waiting list. `taken`: each session's seat limit
    and seats taken by others, as locking.seats_taken read them under the lock. True when a guess was wrong.
    Raises DomainError when a chosen session has been removed meanwhile."""
    changed = False
    for choice in choices:
        if choice.session_id not in taken:
            raise _gone()
        limit, seated = taken[choice.session_id]
        seat = holds_place and (limit is None or seated < limit)
        status = ChoiceStatus.CONFIRMED if seat else ChoiceStatus.WAITLISTED
        if status is not choice.status:
            choice.status = status
            choice.confirmed_at = now if seat else None
            changed = True
    return changed


def change_sessions(session: Session, registration_id: int, session_ids: Collection[int], *, now: datetime
                    ) -> list[SessionChoice]:
    """A participant changes their choices from their personal link, while registration is open."""
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(f"registration {registration_id} does not exist")
    event = lock_event(session, registration.event_id)
    session.refresh(registration)
    if registration.status is RegistrationStatus.CANCELLED:
        raise DomainError(_("This registration is cancelled, so its sessions cannot be changed."))
    if not registration.can_change_sessions(now):
        raise DomainError(_("Registration has closed, so the sessions can no longer be changed. "
                            "Please write to %(email)s if something has changed for you.", email=event.contact_email))
    had = choices_of(session, registration.id)
    before = {(c.session_id, c.status) for c in had}
    seats_before = [c.session for c in had if c.status is ChoiceStatus.CONFIRMED]
    choices = choose_sessions(session, registration, session_ids, now=now)
    if {(c.session_id, c.status) for c in choices} != before:
        # A record in their inbox, with a calendar file that matches the new choice and
        # cancels the seats given up.
        seats = {c.session_id for c in choices if c.status is ChoiceStatus.CONFIRMED}
        notifications.queue(session, registration, "sessions_changed",
                            given_up=[s for s in seats_before if s.id not in seats])
    return choices


def release_choices(session: Session, registration: Registration, *, now: datetime) -> list[ProgrammeSession]:
    """A registration is cancelled: its seats go to the next in each session's waiting list.
    Returns the sessions where it held a seat."""
    choices = choices_of(session, registration.id)
    freed = [c.session for c in choices if c.status is ChoiceStatus.CONFIRMED]
    for choice in choices:
        session.delete(choice)
    session.flush()
    for programme_session in freed:
        promote_session_waiting_list(session, programme_session, now=now)
    return freed


def seat_waiting_choices(session: Session, registrations: Iterable[Registration], *, now: datetime) -> None:
    """Newly confirmed registrations take the seats they chose, where seats are free.

    No email here: the caller's email about the place lists the sessions with their state.
    """
    ids = [r.id for r in registrations]
    if not ids:
        return
    waiting = list(session.scalars(
        sa.select(SessionChoice)
        .where(SessionChoice.registration_id.in_(ids), SessionChoice.status == ChoiceStatus.WAITLISTED)
        .order_by(SessionChoice.chosen_at, SessionChoice.id)
    ))
    confirmed = _confirmed_counts(session, {c.session_id for c in waiting})
    for choice in waiting:
        limit = choice.session.seat_limit
        if limit is None or confirmed.get(choice.session_id, 0) < limit:
            choice.status = ChoiceStatus.CONFIRMED
            choice.confirmed_at = now
            confirmed[choice.session_id] = confirmed.get(choice.session_id, 0) + 1
    session.flush()


def promote_session_waiting_list(session: Session, programme_session: ProgrammeSession, *, now: datetime
                                 ) -> list[SessionChoice]:
    """Fill the session's free seats from the front of its waiting list; each person is emailed.

    Only people whose registration is confirmed can take a seat. The event must be locked.
    """
    if programme_session.seat_limit is None:
        free = None
    else:
        free = programme_session.seat_limit - _confirmed_counts(session, [programme_session.id]).get(
            programme_session.id, 0)
        if free <= 0:
            return []
    promoted = list(session.scalars(
        sa.select(SessionChoice)
        .join(SessionChoice.registration)
        .where(
            SessionChoice.session_id == programme_session.id,
            SessionChoice.status == ChoiceStatus.WAITLISTED,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(SessionChoice.chosen_at, SessionChoice.id)
        .limit(free)
    ))
    for choice in promoted:
        choice.status = ChoiceStatus.CONFIRMED
        choice.confirmed_at = now
    session.flush()
    for choice in promoted:
        notifications.queue(session, choice.registration, "session_seat_confirmed", programme_session=programme_session)
    return promoted


def _confirmed_counts(session: Session, session_ids: Iterable[int]) -> dict[int, int]:
    ids = list(session_ids)
    if not ids:
        return {}
    return dict(session.execute(
        sa.select(SessionChoice.session_id, sa.func.count())
        .where(SessionChoice.session_id.in_(ids), SessionChoice.status == ChoiceStatus.CONFIRMED)
        .group_by(SessionChoice.session_id)
    ).tuples().all())


def _choice_counts(session: Session, session_ids: list[int]) -> dict[tuple[int, ChoiceStatus], int]:
    if not session_ids:
        return {}
    rows = session.execute(_CHOICE_COUNTS, {"session_ids": session_ids}).tuples()
    return {(sid, status): count for sid, status, count in rows}


# Built once: the event page counts its sessions' seats on every showing.
_CHOICE_COUNTS = (sa.select(SessionChoice.session_id, SessionChoice.status, sa.func.count())
                  .where(SessionChoice.session_id.in_(sa.bindparam("session_ids", expanding=True)))
                  .group_by(SessionChoice.session_id, SessionChoice.status))
