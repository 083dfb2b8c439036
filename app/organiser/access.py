"""The access check every per-event organiser page goes through.

A page names the capability it needs (app/services/people/permissions.py). Someone with no role on the event
gets a 404 and learns nothing, not even that it exists; a team member whose role lacks the capability gets a
403 page saying so. What the user may do on the event is kept for the request (g.capabilities), so the
event's tabs and buttons show only what the role may use.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import db
from app.models import Event, Registration, Series
from app.services.people.permissions import Capability, can_manage_series, capabilities

_REFUSED = _l("Your role on this event's team does not include this page. If you need it, ask one of the "
              "event's managers.")


# Built once: every per-event organiser page reads its event by it. Session.get builds its statement on each call
# (about 0.13 ms of a list page's CPU). Unlike get, an event the request already read is asked again (one
# statement); the pages read it here first, unless the user's loader read it with the user (remember_event).
_EVENT_BY_ID = sa.select(Event).where(Event.id == sa.bindparam("event_id"))


def remember_event(event_id: int, event: Event | None) -> None:
    """The page's event (None: there is none), read with the signed-in user (app/web.py's loader): event_or_404
    takes it from here instead of asking again."""
    g.event_read = (event_id, event)


def event_or_404(event_id: int, capability: Capability, *alternatives: Capability) -> Event:
    """The event, if the signed-in user's roles on it give the capability (or one of the alternatives)."""
    read_id, event = g.get("event_read", (None, None))
    if read_id != event_id:
        event = db.session.execute(_EVENT_BY_ID, {"event_id": event_id}).scalar_one_or_none()
    if event is None:
        abort(404)
    allowed = capabilities(db.session, current_user, event)
    if not allowed:
        abort(404)
    g.capabilities = allowed
    if not allowed & {capability, *alternatives}:
        abort(403, _REFUSED)
    return event


def managed_event_or_404(event_id: int) -> Event:
    """The event, if the signed-in user may manage it: the safe default for a new page."""
    return event_or_404(event_id, Capability.MANAGE)


def registration_or_404(event_id: int, registration_id: int, capability: Capability,
                        *alternatives: Capability) -> tuple[Event, Registration]:
    event = event_or_404(event_id, capability, *alternatives)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return event, registration


def managed_registration_or_404(event_id: int, registration_id: int) -> tuple[Event, Registration]:
    return registration_or_404(event_id, registration_id, Capability.MANAGE)


def managed_series_or_404(series_id: int) -> Series:
    """A series whose team the user may run: administrators and the series' managers."""
    series = db.session.get(Series, series_id)
    if series is None or not can_manage_series(db.session, current_user, series):
        abort(404)
    return series


def may(capability: Capability) -> bool:
    """For templates: whether this request's event allows the capability (set by event_or_404)."""
    return capability in g.get("capabilities", frozenset())
