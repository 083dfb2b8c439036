"""Whether an event takes registrations right now, and what the public is told about it."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.database import Session
from app.models import Application, ApplicationStatus, Event, EventStatus, Registration, RegistrationStatus
from app.services.formatting import format_local


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
    if state is Availability.NOT_YET_OPEN:
        opens = format_local(event.registration_opens_at, event.timezone, "%d %B %Y, %H:%M")
        return _("Registration opens on %(date)s.", date=opens)
    return {
        Availability.NOT_PUBLISHED: _("Registration for this event is not open."),
        Availability.CANCELLED: _("This event has been cancelled, so registration is closed."),
        Availability.CLOSED: _("The application deadline has passed.") if event.takes_applications
        else _("Registration for this event is closed."),
        Availability.FULL: _("This event is full and has no waiting list."),
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


@dataclass(frozen=True)
class EventFigures:
    """The numbers that mean something for an event: what a first-come event or a selection has."""

    confirmed: int  # places taken: confirmed, or accepted after applying
    figures: list[tuple[str, int]]  # (what, how many), in the order people read them


# An application's state, as the organisers speak of it; open registrations by their own states.
_APPLICATION_FIGURES = (
    (_l("Applied / under review"), (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)),
    (_l("Accepted"), (ApplicationStatus.ACCEPTED,)),
    (_l("Reserve list"), (ApplicationStatus.WAITLISTED,)),
    (_l("Declined"), (ApplicationStatus.DECLINED,)),
    (_l("Withdrawn"), (ApplicationStatus.WITHDRAWN,)),
)
_REGISTRATION_FIGURES = (
    (_l("Confirmed"), RegistrationStatus.CONFIRMED),
    (_l("Waiting"), RegistrationStatus.WAITLISTED),
    (_l("Cancelled"), RegistrationStatus.CANCELLED),
)


def event_figures(session: Session, events: Iterable[Event]) -> dict[int, EventFigures]:
    """Per event, the counts for its kind of registration, in one grouped query for all of them."""
    events = list(events)
    by_registration = {e.id: dict.fromkeys(RegistrationStatus, 0) for e in events}
    by_application = {e.id: dict.fromkeys(ApplicationStatus, 0) for e in events}
    if events:
        rows = session.execute(
            sa.select(Registration.event_id, Registration.status, Application.status, sa.func.count())
            .outerjoin(Application, Application.registration_id == Registration.id)
            .where(Registration.event_id.in_(list(by_registration)))
            .group_by(Registration.event_id, Registration.status, Application.status)
        )
        for event_id, registration_status, application_status, count in rows:
            by_registration[event_id][registration_status] += count
            if application_status is not None:
                by_application[event_id][application_status] += count
    result = {}
    for event in events:
        if event.takes_applications:
            counts = by_application[event.id]
            figures = [(label, sum(counts[s] for s in statuses)) for label, statuses in _APPLICATION_FIGURES]
        else:
            figures = [(label, by_registration[event.id][status]) for label, status in _REGISTRATION_FIGURES]
        result[event.id] = EventFigures(by_registration[event.id][RegistrationStatus.CONFIRMED], figures)
    return result


def public_events(session: Session, now: datetime, *, past: bool = False) -> list[Event]:
    """Published (and cancelled after publication, so people learn of it) events, upcoming or past."""
    query = sa.select(Event).where(Event.is_listed)
    if past:
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc())
    else:
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at)
    return list(session.scalars(query))
