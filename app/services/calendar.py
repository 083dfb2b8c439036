"""iCalendar files for the event, in the event's own time zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

import icalendar

from app.models import Event, ProgrammeSession
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


def programme_calendar(event: Event, sessions: Iterable[ProgrammeSession], *, stamp: datetime) -> bytes:
    """One calendar entry per session, on the venue's clock: the public programme feed, and the
    sessions a participant chose in their confirmation email."""
    url = external_url("public.event", slug=event.slug)
    uid_domain = site_domain()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//World Technopolis Association//Event programme//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{event.title} — programme")  # the name a subscribed calendar shows
    calendar.add("x-wr-timezone", event.timezone)
    place = ", ".join(part for part in (event.venue, event.city) if part)
    for programme_session in sessions:
        entry = icalendar.Event()
        # Stable per session, so a calendar updates an entry when its time or room changes.
        entry.add("uid", f"programme-session-{programme_session.id}@{uid_domain}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.local(programme_session.starts_at))
        entry.add("dtend", event.local(programme_session.ends_at))
        entry.add("summary", programme_session.title)
        entry.add("location", ", ".join(part for part in (programme_session.room, place) if part))
        entry.add("categories", [programme_session.kind.label])
        entry.add("url", url)
        entry.add("description", "\n\n".join(
            part for part in (programme_session.description, f"{event.title}\n{url}") if part))
        calendar.add_component(entry)
    # The zone's VTIMEZONE before the entries, as in event_ics, from the same per-zone cache.
    zones = "".join(vtimezone(tzid) for tzid in sorted(calendar.get_missing_tzids()))
    text = calendar.to_ical().decode("utf-8")
    if zones:
        text = text.replace("BEGIN:VEVENT\r\n", f"{zones}BEGIN:VEVENT\r\n", 1)
    return text.encode("utf-8")


def registration_calendar(event: Event, sessions: list[ProgrammeSession], *, stamp: datetime) -> str:
    """The participant's own calendar file: the event, then each session where they hold a seat."""
    whole = event_calendar(event, stamp=stamp)
    if not sessions:
        return whole
    entries = programme_calendar(event, sessions, stamp=stamp).decode("utf-8")
    # Both are built by us with the same zone: splice the sessions' VEVENTs in after the event's.
    session_events = entries[entries.index("BEGIN:VEVENT"):entries.rindex("END:VCALENDAR")]
    return whole.replace("END:VCALENDAR", session_events + "END:VCALENDAR")
