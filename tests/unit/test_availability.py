"""What the public is told about an event, from its settings, its seat count and the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Event, EventKind, EventStatus
from app.services.registration.availability import Availability, availability

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def event(**overrides) -> Event:
    values = dict(
        kind=EventKind.INTERNATIONAL_WORKSHOP, title="W", slug="w", code="W26", country="KR", timezone="Asia/Seoul",
        starts_at=NOW + timedelta(days=10), ends_at=NOW + timedelta(days=14),
        registration_opens_at=NOW - timedelta(days=1), registration_closes_at=NOW + timedelta(days=5),
        capacity=20, waiting_list_enabled=True, status=EventStatus.PUBLISHED, contact_email="a@b.org",
    )
    values.update(overrides)
    return Event(**values)


@pytest.mark.parametrize(
    ("overrides", "confirmed", "expected", "places_left"),
    [
        ({}, 0, Availability.OPEN, 20),
        ({}, 19, Availability.OPEN, 1),
        ({}, 20, Availability.WAITING_LIST, 0),
        ({"waiting_list_enabled": False}, 20, Availability.FULL, 0),
        ({"capacity": None}, 5000, Availability.OPEN, None),
        ({"capacity": 10}, 12, Availability.WAITING_LIST, 0),  # capacity lowered below the count: still full
        ({"registration_opens_at": NOW + timedelta(hours=1)}, 0, Availability.NOT_YET_OPEN, 20),
        ({"registration_closes_at": NOW}, 0, Availability.CLOSED, 20),  # closing time is exclusive
        ({"status": EventStatus.DRAFT}, 0, Availability.NOT_PUBLISHED, 20),
        ({"status": EventStatus.CANCELLED}, 0, Availability.CANCELLED, 20),
        ({"status": EventStatus.ARCHIVED}, 0, Availability.NOT_PUBLISHED, 20),
    ],
)
def test_availability(overrides, confirmed, expected, places_left):
    state = availability(event(**overrides), confirmed, NOW)
    assert state.state is expected
    assert state.places_left == places_left
    assert state.accepts_registrations is (expected in (Availability.OPEN, Availability.WAITING_LIST))
