"""Whether an event takes registrations right now, and what the public is told about it."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import Event, EventStatus, Registration, RegistrationStatus


class Availability(enum.StrEnum):
    NOT_PUBLISHED = "not_published"
    CANCELLED = "cancelled"
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    WAITING_LIST = "waiting_list"  # full, new registrations join the waiting list
    FULL = "full"  # full and no waiting list
    CLOSED = "closed"


@dataclass(frozen=True)
class EventAvailability:
    state: Availability
    confirmed: int
    places_left: int | None  # None: unlimited

    @property
    def accepts_registrations(self) -> bool:
        return self.state in (Availability.OPEN, Availability.WAITING_LIST)


def availability(event: Event, confirmed: int, now: datetime) -> EventAvailability:
    places_left = None if event.capacity is None else max(event.capacity - confirmed, 0)
    if event.status is EventStatus.CANCELLED:
        state = Availability.CANCELLED
    elif event.status is not EventStatus.PUBLISHED:
        state = Availability.NOT_PUBLISHED
    elif now < event.registration_opens_at:
        state = Availability.NOT_YET_OPEN
    elif now >= event.registration_closes_at or now >= event.ends_at:
        state = Availability.CLOSED
    elif places_left == 0 and not event.takes_applications:  # applications are not limited: organisers select
        state = Availability.WAITING_LIST if event.waiting_list_enabled else Availability.FULL
    else:
        state = Availability.OPEN
    return EventAvailability(state, confirmed, places_left)


def refusal_message(event: Event, state: Availability) -> str:
    """Why the form is not there, in words a participant understands."""
    opens = event.local(event.registration_opens_at).strftime("%d %B %Y at %H:%M %Z")
    return {
        Availability.NOT_PUBLISHED: "Registration for this event is not open.",
        Availability.CANCELLED: "This event has been cancelled, so registration is closed.",
        Availability.NOT_YET_OPEN: f"Registration opens on {opens}.",
        Availability.CLOSED: "The application deadline has passed." if event.takes_applications
        else "Registration for this event is closed.",
        Availability.FULL: "This event is full and has no waiting list.",
    }.get(state, "")


def confirmed_counts(session: Session, event_ids: Iterable[int]) -> dict[int, int]:
    """Confirmed registrations per event, in one query."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Registration.event_id, sa.func.count())
        .where(Registration.event_id.in_(ids), Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.event_id)
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({event_id: count for event_id, count in rows})
    return counts


def status_counts(session: Session, event_ids: Iterable[int]) -> dict[int, dict[RegistrationStatus, int]]:
    """Registrations per event and status, in one query (for the dashboard)."""
    ids = list(event_ids)
    result = {event_id: dict.fromkeys(RegistrationStatus, 0) for event_id in ids}
    if not ids:
        return result
    rows = session.execute(
        sa.select(Registration.event_id, Registration.status, sa.func.count())
        .where(Registration.event_id.in_(ids))
        .group_by(Registration.event_id, Registration.status)
    )
    for event_id, status, count in rows:
        result[event_id][status] = count
    return result


def public_events(session: Session, now: datetime, *, past: bool = False) -> list[Event]:
    """Published (and cancelled after publication, so people learn of it) events, upcoming or past."""
    query = sa.select(Event).where(Event.is_public, Event.status != EventStatus.ARCHIVED)
    if past:
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc())
    else:
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at)
    return list(session.scalars(query))
