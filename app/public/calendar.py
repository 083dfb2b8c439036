from __future__ import annotations

from collections.abc import Iterable

from flask import Response

from app.models import Event, ProgrammeSession, utcnow
from app.services.calendar import registration_calendar


def ics_response(event: Event, sessions: Iterable[ProgrammeSession] = (), *, cancelled: bool = False) -> Response:
    """The event's .ics download; with `sessions`, the participant's own (their seats instead of the event).
    `cancelled`: the participant's registration is cancelled, and the file says so."""
    return Response(
        registration_calendar(event, list(sessions), stamp=utcnow(), cancelled=cancelled),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.ics"'},
    )
