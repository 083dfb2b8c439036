"""The access check every per-event organiser page goes through."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.extensions import db
from app.models import Event, Registration
from app.services.people.permissions import can_manage


def managed_event_or_404(event_id: int) -> Event:
    """The event, if the signed-in organiser may manage it. Others learn nothing, not even that it exists."""
    event = db.session.get(Event, event_id)
    if event is None or not can_manage(current_user, event):
        abort(404)
    return event


def managed_registration_or_404(event_id: int, registration_id: int) -> tuple[Event, Registration]:
    event = managed_event_or_404(event_id)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return event, registration
