"""A participant's request to delete their data, and the organisers' list of them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import Registration
from app.services.errors import DomainError


def request_deletion(session: Session, registration: Registration, *, now: datetime) -> None:
    """Record the request (once); the organisers carry it out, or the next purge does."""
    if registration.is_anonymised:
        raise DomainError(_("Your data has already been deleted."))
    if registration.deletion_requested_at is None:
        registration.deletion_requested_at = now
        session.flush()


def open_requests(session: Session, event_ids: list[int]) -> list[Registration]:
    """Deletion requests not carried out yet, oldest first, for these events."""
    return list(session.scalars(
        sa.select(Registration)
        .where(Registration.event_id.in_(event_ids), Registration.deletion_requested_at.is_not(None),
               Registration.anonymised_at.is_(None))
        .order_by(Registration.deletion_requested_at, Registration.id)
    ))


def open_request_counts(session: Session, event_ids: list[int]) -> dict[int, int]:
    """{event id: deletion requests not carried out yet}, only events that have some; one grouped query."""
    if not event_ids:
        return {}
    rows = session.execute(
        sa.select(Registration.event_id, sa.func.count())
        .where(Registration.event_id.in_(event_ids), Registration.deletion_requested_at.is_not(None),
               Registration.anonymised_at.is_(None))
        .group_by(Registration.event_id)
    )
    return {event_id: count for event_id, count in rows}
