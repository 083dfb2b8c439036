from __future__ import annotations

from flask import Response

from app.models import Event, ProgrammeSession, utcnow
from app.services.calendar import registration_calendar


def ics_response(event: Event, sessions: list[ProgrammeSession] = ()) -> Response:
    """The event's .ics download; with `sessions`, the participant's own (the event and their seats)."""
    return Response(
        registration_calendar(event, list(sessions), stamp=utcnow()),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.ics"'},
    )
