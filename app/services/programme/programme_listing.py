"""Reading an event's programme: seats per session, the sessions by day, who holds a seat and who waits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from app.database import Session
from app.models import ChoiceStatus, Event, ProgrammeSession, Registration, SessionChoice
from app.services.countries import country_name
from app.services.paging import Page, paginate
from app.services.programme.programme import SessionSeats, seats, seats_of_sessions
from app.services.registration.attendees import EXPORT_BATCH_SIZE
from app.services.spreadsheets import Table, Value, zoned


@dataclass(frozen=True)
class ProgrammeDay:
    day: date  # at the venue
    sessions: list[SessionSeats]


# The same rule as the seat counts of app.services.programme.programme: a confirmed choice holds a seat
# (a cancelled registration's choices are removed, and a registration waiting for the event
# waits for its sessions too).
_HOLDS_SEAT = SessionChoice.status == ChoiceStatus.CONFIRMED
_WAITS = SessionChoice.status == ChoiceStatus.WAITLISTED


def seats_of(session: Session, programme_session: ProgrammeSession) -> SessionSeats:
    """One session's seats taken and people waiting, counted as everywhere else."""
    [counted] = seats_of_sessions(session, [programme_session])
    return counted


def programme_by_day(session: Session, event: Event, counted: list[SessionSeats] | None = None) -> list[ProgrammeDay]:
    """The event's sessions with their seats, grouped by day at the venue, in time order.

    `counted`: seats() of the event already read in this request (by the event page, for the form too)."""
    days: dict[date, list[SessionSeats]] = {}
    for entry in seats(session, event.id) if counted is None else counted:
        days.setdefault(event.local(entry.session.starts_at).date(), []).append(entry)
    return [ProgrammeDay(day, items) for day, items in days.items()]


# --- who holds a seat, who waits ---------------------------------------------------------

def people_page(session: Session, session_id: int, status: ChoiceStatus, *, page: int,
                per_page: int) -> Page[tuple[SessionChoice, Registration]]:
    """Seat holders by name, or the waiting list in the order its seats are offered: (choice, registration) pairs."""
    condition = _HOLDS_SEAT if status is ChoiceStatus.CONFIRMED else _WAITS
    total = session.scalar(
        sa.select(sa.func.count()).select_from(SessionChoice)
        .join(Registration, Registration.id == SessionChoice.registration_id)
        .where(SessionChoice.session_id == session_id, condition)
    ) or 0
    return paginate(total, page, per_page, lambda limit, offset: session.execute(
        _people_select(session_id, condition, status).limit(limit).offset(offset)
    ).tuples())


def _people_select(session_id: int, condition, status: ChoiceStatus) -> sa.Select:
    if status is ChoiceStatus.CONFIRMED:
        order: tuple[sa.SQLColumnExpression[Any], ...] = (
            Registration.sort_name, Registration.id)
    else:
        order = (SessionChoice.chosen_at, SessionChoice.id)
    return (
        sa.select(SessionChoice, Registration)
        .join(Registration, Registration.id == SessionChoice.registration_id)
        .where(SessionChoice.session_id == session_id, condition)
        .order_by(*order)
    )


def session_people_table(session: Session, event: Event, programme_session: ProgrammeSession, *,
                         batch_size: int = EXPORT_BATCH_SIZE) -> Table:
    """Seat holders by name, then the waiting list in order: the session's CSV and XLSX."""
    header = (
        "Seat", "Waiting list position", "Reference", "Title", "Given name", "Family name", "Email", "Organisation",
        "Position", "Country code", "Country", "Registration", zoned("Chose the session", event.tz),
        zoned("Seat confirmed", event.tz),
    )

    def rows() -> Iterator[list[Value]]:
        for status, condition in ((ChoiceStatus.CONFIRMED, _HOLDS_SEAT), (ChoiceStatus.WAITLISTED, _WAITS)):
            statement = _people_select(programme_session.id, condition, status).execution_options(yield_per=batch_size)
            for position, (choice, registration) in enumerate(session.execute(statement).tuples(), start=1):
                yield _cells(choice, registration, position if status is ChoiceStatus.WAITLISTED else None)

    return Table("Seats and waiting list", header, rows(), event.tz)


def _cells(choice: SessionChoice, registration: Registration, waiting_position: int | None) -> list[Value]:
    return [
        "Confirmed" if choice.status is ChoiceStatus.CONFIRMED else "Waiting", waiting_position,
        registration.reference, registration.title.value if registration.title else "", registration.given_name,
        registration.family_name, registration.email, registration.organisation, registration.position,
        registration.country, country_name(registration.country), registration.status.label,
        choice.chosen_at, choice.confirmed_at,
    ]
