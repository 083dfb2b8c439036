"""Helpers for the programme tests: an event on fixed dates, sessions and session choices written directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import ChoiceStatus, Event, ProgrammeSession, Registration, SessionChoice, SessionKind
from tests.conftest import start_writing

# 3-7 Nov 2030 in Daejeon (UTC+9, no summer time): 09:00 local is 00:00 UTC.
FORUM_DATES = dict(
    starts_at=datetime(2030, 11, 3, 0, 0, tzinfo=UTC),
    ends_at=datetime(2030, 11, 7, 9, 0, tzinfo=UTC),
)


def session_form(**overrides) -> dict:
    """A valid session form; the day and times are read on the venue's clock."""
    data = {
        "title": "Plenary 1: Science cities and the green transition",
        "kind": "plenary",
        "day": "2030-11-04",
        "starts": "10:00",
        "ends": "11:30",
        "room": "Grand Ballroom",
        "seat_limit": "",
        "description": "Mayors and park directors compare notes.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def add_session(event: Event, *, title="Parallel session A", day=4, start=(14, 0), end=(15, 30),
                seat_limit=None, kind=SessionKind.PARALLEL, room="Room 101", description="") -> ProgrammeSession:
    """A session on `day` November 2030, times in Daejeon."""
    start_writing()
    local = datetime(2030, 11, day) - timedelta(hours=9)  # Daejeon to UTC
    programme_session = ProgrammeSession(
        event_id=event.id, title=title, kind=kind, room=room, description=description, seat_limit=seat_limit,
        starts_at=(local + timedelta(hours=start[0], minutes=start[1])).replace(tzinfo=UTC),
        ends_at=(local + timedelta(hours=end[0], minutes=end[1])).replace(tzinfo=UTC),
    )
    db.session.add(programme_session)
    db.session.commit()
    return programme_session


def choose(registrations: list[Registration], programme_session: ProgrammeSession, *,
           status=ChoiceStatus.CONFIRMED) -> None:
    """Each registration chooses the session, one second after the previous one (the waiting-list order)."""
    start_writing()
    base = datetime(2030, 6, 1, tzinfo=UTC)
    for i, registration in enumerate(registrations):
        chosen_at = base + timedelta(seconds=i)
        db.session.add(SessionChoice(
            registration_id=registration.id, session_id=programme_session.id, status=status, chosen_at=chosen_at,
            confirmed_at=chosen_at if status is ChoiceStatus.CONFIRMED else None,
        ))
    db.session.commit()


def session_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeSession))


def choice_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SessionChoice))


def forum_with_three_sessions(make_event) -> Event:
    """A forum of three places: a plenary, and two parallel sessions at the same time, one with a single seat.
    `event.sessions` maps "plenary", "parks" and "funds" to their ids."""
    event = make_event(title="Daejeon Global Innovation Forum 2026", slug="dgif-2026", code="DGIF26", capacity=3)
    start = event.starts_at
    start_writing()
    sessions = {
        "plenary": ProgrammeSession(event_id=event.id, title="Plenary: science cities and AI", room="Grand Hall",
                                    starts_at=start, ends_at=start + timedelta(hours=2)),
        "parks": ProgrammeSession(event_id=event.id, title="Parallel A: science park governance", room="Room 201",
                                  starts_at=start + timedelta(hours=3), ends_at=start + timedelta(hours=5),
                                  seat_limit=1),
        "funds": ProgrammeSession(event_id=event.id, title="Parallel B: start-up funding", room="Room 202",
                                  starts_at=start + timedelta(hours=3), ends_at=start + timedelta(hours=5),
                                  seat_limit=30),
    }
    db.session.add_all(sessions.values())
    db.session.commit()
    event.sessions = {name: s.id for name, s in sessions.items()}  # type: ignore[attr-defined]
    return event
