"""iCalendar files for the event, in the event's own time zone."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import icalendar

from app.models import Event
from app.services.urls import external_url, site_domain


def event_calendar(event: Event, *, stamp: datetime) -> str:
    """The event's .ics, linking to its public page: for downloads and email attachments alike."""
    return event_ics(event, url=external_url("public.event", slug=event.slug), uid_domain=site_domain(), stamp=stamp)


def event_ics(event: Event, *, url: str, uid_domain: str, stamp: datetime) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//World Technopolis Association//Event registration//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.id}@{uid_domain}")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.local(event.starts_at))
    entry.add("dtend", event.local(event.ends_at))
    entry.add("summary", event.title)
    entry.add("location", ", ".join(part for part in (event.venue, event.city) if part))
    entry.add("url", url)
    entry.add("description", f"{event.summary}\n\n{url}".strip())
    entry.add("organizer", f"mailto:{event.contact_email}")
    calendar.add_component(entry)
    # A VTIMEZONE for the event's zone, so clients show venue time. Placed before the event,
    # where Calendar.add_missing_timezones() would put it, but taken from a per-zone cache.
    zones = "".join(vtimezone(tzid) for tzid in sorted(calendar.get_missing_tzids()))
    return calendar.to_ical().decode("utf-8").replace("BEGIN:VEVENT\r\n", f"{zones}BEGIN:VEVENT\r\n", 1)


@lru_cache(maxsize=128)
def vtimezone(tzid: str) -> str:
    """The zone's VTIMEZONE text. Building it walks every transition of the zone (about 10 ms,
    on every confirmation email), yet it is the same for every event in that zone."""
    try:
        return icalendar.Timezone.from_tzid(tzid).to_ical().decode("utf-8")
    except ValueError:  # unknown to the tz database: left out, as add_missing_timezones does
        return ""
