"""What everyone expected at an event is told when the organisers cancel it or move it.

"Expected": everyone with a place or waiting for one - confirmed, on the waiting list, or with an
application still open or accepted (submitted, under review, on the reserve list). Cancelled
registrations, declined and withdrawn applications are all CANCELLED and hear nothing more.
Each person gets their own email, with their personal link and a calendar file that updates
(or, for a cancelled event, removes) the entry their calendar holds.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import Event, Registration, RegistrationStatus
from app.services.formatting import format_time_range
from app.services.mail import notifications


def expected_query(event_id: int) -> sa.Select:
    return (sa.select(Registration)
            .where(Registration.event_id == event_id, Registration.status != RegistrationStatus.CANCELLED)
            .order_by(Registration.id))


def count_expected(session: Session, event_id: int) -> int:
    """How many emails cancelling or moving the event sends: the number the pages announce."""
    return session.scalar(sa.select(sa.func.count()).select_from(expected_query(event_id).subquery())) or 0


def announce(session: Session, event: Event, kind: str, *, leave_out: Collection[int] = (), **extra) -> int:
    """Queue `kind` to everyone expected (but those in `leave_out`, ids); returns how many emails."""
    people = expected_query(event.id).options(selectinload(Registration.application),
                                              selectinload(Registration.travel_support))
    registrations = [r for r in session.scalars(people) if r.id not in leave_out]
    return notifications.queue_many(session, event, registrations, kind, **extra)


@dataclass(frozen=True)
class WhereAndWhen:
    """What participants were told about the event's dates and place: compared after an edit."""

    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    city: str

    @classmethod
    def of(cls, event: Event) -> WhereAndWhen:
        # To the minute, as the form shows them: saving the form of an event whose times were written
        # with seconds (by a script, the demo data) moves nothing.
        return cls(_minute(event.starts_at), _minute(event.ends_at), event.timezone, event.venue, event.city)

    @property
    def dates(self) -> str:
        """With the times and the zone: a start moved by an hour is a change too."""
        return format_time_range(self.starts_at, self.ends_at, self.timezone)

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.venue, self.city) if part)


def announce_move(session: Session, event: Event, before: WhereAndWhen, *, leave_out: Collection[int] = ()) -> int:
    """After an edit of a published event: when its dates, times or place changed, everyone expected gets
    the new ones and a calendar file whose entries carry a higher SEQUENCE. Returns how many emails."""
    after = WhereAndWhen.of(event)
    dates_changed = (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at)
    place_changed = before.place != after.place
    if not (dates_changed or place_changed):
        return 0
    return announce(session, event, "event_changed", leave_out=leave_out, dates_changed=dates_changed,
                    place_changed=place_changed, previous_dates=before.dates, previous_place=before.place,
                    new_dates=after.dates, new_place=after.place)


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)
