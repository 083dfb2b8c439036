"""The public programme: shown on the event page, and as an iCal feed a calendar app can subscribe to."""

from __future__ import annotations

from app.file_responses import ics_response
from app.models import utcnow
from app.public import bp
from app.public.routes import _public_event_or_404
from app.services.events.calendar import programme_calendar

# Calendar apps poll a subscribed feed; a few minutes' staleness saves the database from them.
FEED_MAX_AGE = 300


@bp.get("/events/<slug>/programme.ics")
def programme_feed(slug: str):
    event = _public_event_or_404(slug)
    # inline: a subscribing app reads it, a browser offers to open it in the calendar.
    response = ics_response(programme_calendar(event, event.programme, stamp=utcnow()),
                            f"{event.slug}-programme.ics", inline=True)
    response.headers["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response
