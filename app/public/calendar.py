from __future__ import annotations

from flask import Response

from app.models import Event, utcnow
from app.services.calendar import event_calendar


def ics_response(event: Event) -> Response:
    return Response(
        event_calendar(event, stamp=utcnow()),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.ics"'},
    )
