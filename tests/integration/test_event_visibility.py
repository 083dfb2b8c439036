"""Who sees an event, by its status: the rule is stated once on the model (Event.is_public,
Event.is_listed) and the pages follow it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Event, EventStatus, utcnow


@pytest.mark.parametrize(
    ("status", "reachable", "listed"),
    [
        (EventStatus.DRAFT, False, False),
        (EventStatus.PUBLISHED, True, True),
        (EventStatus.CANCELLED, True, True),  # people who planned to come learn of it
        (EventStatus.ARCHIVED, True, False),  # off the lists, but an old link still works
    ],
)
def test_the_public_sees_an_event_by_its_status(make_event, client, status, reachable, listed):
    upcoming = make_event(status=status)
    past = make_event(status=status, starts_at=utcnow() - timedelta(days=40), ends_at=utcnow() - timedelta(days=35),
                      registration_opens_at=utcnow() - timedelta(days=60),
                      registration_closes_at=utcnow() - timedelta(days=45))

    assert (upcoming.is_public, upcoming.is_listed) == (reachable, listed)
    for event in (upcoming, past):
        assert client.get(f"/events/{event.slug}").status_code == (200 if reachable else 404)
    assert (upcoming.title in client.get("/").get_data(as_text=True)) is listed
    assert (past.title in client.get("/past").get_data(as_text=True)) is listed
    # The SQL side of each rule gives the same answer as the Python side.
    for rule, expected in ((Event.is_public, reachable), (Event.is_listed, listed)):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(rule)) == (2 if expected else 0)
