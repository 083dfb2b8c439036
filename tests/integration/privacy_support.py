"""Helpers for the privacy tests: events moved into the past, and the figures statistics are made of."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Event, Registration, utcnow
from app.services.attendance.attendance_reports import daily_totals
from app.services.registration.availability import event_figures
from tests.conftest import start_writing


def move_to_the_past(event: Event, *, ended_days_ago: int) -> Event:
    """The event as if it had ended `ended_days_ago` days ago (it lasted five days)."""
    start_writing()
    stored = db.session.get(Event, event.id)
    ends = utcnow() - timedelta(days=ended_days_ago)
    stored.starts_at, stored.ends_at = ends - timedelta(days=4), ends
    stored.registration_opens_at = stored.registration_closes_at = ends - timedelta(days=30)
    db.session.commit()
    return stored


def figures(event: Event) -> dict:
    """What the statistics and the dashboard count for an event: countries, types of organisation,
    statuses, and attendance per day."""
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    rows = db.session.execute(sa.select(Registration.country, Registration.organisation_type, Registration.status)
                              .where(Registration.event_id == event.id)).all()
    return {
        "countries": Counter(country for country, _, _ in rows),
        "organisation_types": Counter(kind for _, kind, _ in rows),
        "dashboard": event_figures(db.session, [event])[event.id],
        "attendance": daily_totals(db.session, event),
    }


def registration_by_reference(reference: str) -> Registration:
    db.session.expire_all()
    return db.session.scalar(sa.select(Registration).where(Registration.reference == reference))


def purge(runner, *options: str) -> str:
    """Run `flask privacy purge` as cron does: another process, so the test's own reads are finished first."""
    db.session.commit()
    result = runner.invoke(args=["privacy", "purge", *options])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output
