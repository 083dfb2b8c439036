"""Demo attendance: check-ins for the demo events that have taken place or are on today."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from app.database import Session
from app.models import Event, Registration, RegistrationStatus, User
from app.services.attendance.attendance import event_days, record_attendance

SHOW_UP_RATE = (0.93, 0.84, 0.80, 0.78, 0.82)  # fewer people each day, a few more on the last
ARRIVALS_FROM, ARRIVAL_MINUTES = time(8, 15), 75  # the doors open at 08:15; most come before 09:30


def add_check_ins(session: Session, events: list[Event], registrations: list[Registration], *,
                  now: datetime, by: User | None = None) -> int:
    """Attendance for each event day that has begun at the venue; returns the number of check-ins."""
    rng = random.Random(6)  # its own seed: the rest of the demo data stays as it was
    confirmed: dict[int, list[Registration]] = {}
    for registration in registrations:
        if registration.status is RegistrationStatus.CONFIRMED:
            confirmed.setdefault(registration.event.id, []).append(registration)
    added = 0
    for event in events:
        people = confirmed.get(event.id, [])
        for n, day in enumerate(event_days(event)):
            doors_open = datetime.combine(day, ARRIVALS_FROM, event.tz).astimezone(UTC)
            if doors_open > now or not people:
                break
            rate = SHOW_UP_RATE[min(n, len(SHOW_UP_RATE) - 1)]
            slots: dict[int, list[int]] = {}  # arrivals in 5-minute slots: one bulk insert each
            for registration in people:
                if rng.random() < rate:
                    slots.setdefault(min(int(rng.expovariate(1 / 25)) // 5, ARRIVAL_MINUTES // 5), []).append(
                        registration.id)
            for slot, ids in sorted(slots.items()):
                at = min(doors_open + timedelta(minutes=slot * 5 + rng.randrange(5)), now)
                added += record_attendance(session, ids, day, at=at, by=by)
    return added
