from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, current_app

from app.models import Event, utcnow
from app.services.calendar import event_ics
from app.services.urls import external_url


def ics_response(event: Event) -> Response:
    body = event_ics(
        event,
        url=external_url("public.event", slug=event.slug),
        uid_domain=urlsplit(current_app.config["APP_BASE_URL"]).hostname or "localhost",
        stamp=utcnow(),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.ics"'},
    )
