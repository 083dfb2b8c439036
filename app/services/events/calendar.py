"""iCalendar files for the event and its programme, in the event's own time zone.

Every entry carries a UID that never changes, a SEQUENCE that grows whenever the entry changes
(taken from the time it last changed) and a STATUS: CANCELLED for a cancelled event, a removed
session or a seat given up, so a calendar that imported the file removes the entry when it gets
the next one. Sessions are titled "<event>: <session>", since "Closing dinner" alone says nothing
in a calendar full of other dinners.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache

import icalendar
from flask_babel import gettext as _

from app.models import (
    ChoiceStatus,
    Event,
    EventStatus,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    SessionChoice,
)
from app.services.urls import external_url, site_domain

_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def event_calendar(event: Event, *, stamp: datetime) -> str:
    """The event's .ics, linking to its public page: the download on the event page."""
    return event_ics(event, url=external_url("public.event", slug=event.slug), uid_domain=site_domain(), stamp=stamp)


def event_ics(event: Event, *, url: str, uid_domain: str, stamp: datetime) -> str:
    calendar = _calendar("-//World Technopolis Association//Event registration//EN")
    calendar.add_component(_event_entry(event, url=url, uid_domain=uid_domain, stamp=stamp,
                                        changed=_event_changed(event), cancelled=False))
    return _with_time_zones(calendar)


def programme_calendar(event: Event, sessions: Iterable[ProgrammeSession], *, stamp: datetime) -> bytes:
    """One calendar entry per session, on the venue's clock: the public programme feed.
    An event without a programme yet gives the event itself, never an empty calendar."""
    url = external_url("public.event", slug=event.slug)
    uid_domain = site_domain()
    calendar = _calendar("-//World Technopolis Association//Event programme//EN")
    # The name a subscribed calendar shows, in the language of the page it was subscribed from.
    calendar.add("x-wr-calname", _("%(title)s — programme", title=event.title))
    calendar.add("x-wr-timezone", event.timezone)
    sessions = list(sessions)
    for programme_session in sessions:
        calendar.add_component(_session_entry(
            event, programme_session, url=url, uid_domain=uid_domain, stamp=stamp,
            changed=max(_session_changed(programme_session), _event_changed(event)), cancelled=False))
    if not sessions:
        calendar.add_component(_event_entry(event, url=url, uid_domain=uid_domain, stamp=stamp,
                                            changed=_event_changed(event), cancelled=False))
    return _with_time_zones(calendar).encode("utf-8")


def registration_calendar(registration: Registration, seats: Iterable[SessionChoice], *, stamp: datetime,
                          given_up: Iterable[ProgrammeSession] = ()) -> str:
    """The participant's own calendar file: each session where they hold a seat or, with none, the event
    (not both: the event's days would sit on top of its own sessions).

    `given_up`: sessions the person had a seat in and no longer has (removed by the organisers, or
    dropped), written as cancelled so their calendar removes them. A cancelled registration's file
    cancels what it holds."""
    event = registration.event
    url = external_url("public.event", slug=event.slug)
    uid_domain = site_domain()
    cancelled = registration.status is RegistrationStatus.CANCELLED
    # Waiting for a place, or for a decision on the application: in the calendar, but not certain.
    tentative = registration.status in (RegistrationStatus.WAITLISTED, RegistrationStatus.APPLIED)
    # The person's own changes count too: a seat taken again after being given up must outrank
    # the cancellation sent then.
    changed = max(_event_changed(event), registration.updated_at or registration.created_at or _SEQUENCE_EPOCH)
    calendar = _calendar("-//World Technopolis Association//Event registration//EN")
    seats = [seat for seat in seats if seat.status is ChoiceStatus.CONFIRMED]
    given_up = list(given_up)
    for seat in seats:
        calendar.add_component(_session_entry(
            event, seat.session, url=url, uid_domain=uid_domain, stamp=stamp, cancelled=cancelled,
            changed=max(changed, _session_changed(seat.session), seat.confirmed_at or seat.chosen_at)))
    # Someone who gave up their seats when cancelling had the sessions in their calendar, not the event.
    if not seats and not (cancelled and given_up):
        calendar.add_component(_event_entry(event, url=url, uid_domain=uid_domain, stamp=stamp, changed=changed,
                                            cancelled=cancelled, tentative=tentative))
    for programme_session in given_up:  # given up now: later than anything sent about them before
        calendar.add_component(_session_entry(event, programme_session, url=url, uid_domain=uid_domain,
                                              stamp=stamp, changed=max(stamp, changed), cancelled=True))
    return _with_time_zones(calendar)


# --- entries --------------------------------------------------------------------------------

def _calendar(prodid: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    return calendar


def _event_entry(event: Event, *, url: str, uid_domain: str, stamp: datetime, changed: datetime,
                 cancelled: bool, tentative: bool = False) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.id}@{uid_domain}")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.local(event.starts_at))
    entry.add("dtend", event.local(event.ends_at))
    entry.add("summary", event.title)
    entry.add("location", _place(event))
    entry.add("url", url)
    entry.add("description", f"{event.shown_summary}\n\n{url}".strip())
    entry.add("organizer", f"mailto:{event.contact_email}")
    _add_state(entry, event, changed, cancelled, tentative)
    return entry


def _session_entry(event: Event, programme_session: ProgrammeSession, *, url: str, uid_domain: str,
                   stamp: datetime, changed: datetime, cancelled: bool) -> icalendar.Event:
    entry = icalendar.Event()
    # Stable per session, so a calendar updates an entry when its time or room changes.
    entry.add("uid", f"programme-session-{programme_session.id}@{uid_domain}")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.local(programme_session.starts_at))
    entry.add("dtend", event.local(programme_session.ends_at))
    entry.add("summary", f"{event.title}: {programme_session.shown_title}")
    entry.add("location", ", ".join(part for part in (programme_session.shown_room, _place(event)) if part))
    entry.add("categories", [programme_session.kind.label])
    entry.add("url", url)
    entry.add("description", "\n\n".join(
        part for part in (programme_session.shown_description, f"{event.title}\n{url}") if part))
    _add_state(entry, event, changed, cancelled)
    return entry


def _add_state(entry: icalendar.Event, event: Event, changed: datetime, cancelled: bool,
               tentative: bool = False) -> None:
    """STATUS, and SEQUENCE from the last change: an edit of the session or the event (cancelling it
    among them), or the person's own change of seats."""
    if cancelled or event.status is EventStatus.CANCELLED:
        entry.add("status", "CANCELLED")
    else:
        entry.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    entry.add("sequence", _sequence(changed))


def _session_changed(programme_session: ProgrammeSession) -> datetime:
    return programme_session.updated_at or programme_session.created_at or _SEQUENCE_EPOCH


def _event_changed(event: Event) -> datetime:
    return event.updated_at or event.created_at or _SEQUENCE_EPOCH


def _sequence(moment: datetime) -> int:
    """Seconds since 2020 at the last change: grows with every change, and fits the 32-bit
    integer some calendar clients keep it in until 2088."""
    return max(int((moment - _SEQUENCE_EPOCH).total_seconds()), 0)


def _place(event: Event) -> str:
    return ", ".join(part for part in (event.shown_venue, event.shown_city) if part)


# --- time zones -----------------------------------------------------------------------------

def _with_time_zones(calendar: icalendar.Calendar) -> str:
    """The calendar's text with a VTIMEZONE for the event's zone, so clients show venue time. Placed
    before the entries, where Calendar.add_missing_timezones() would put it, but from a per-zone cache."""
    zones = "".join(vtimezone(tzid) for tzid in sorted(calendar.get_missing_tzids()))
    text = calendar.to_ical().decode("utf-8")
    if zones:
        text = text.replace("BEGIN:VEVENT\r\n", f"{zones}BEGIN:VEVENT\r\n", 1)
    return text


@lru_cache(maxsize=128)
def vtimezone(tzid: str) -> str:
    """The zone's VTIMEZONE text. Building it walks every transition of the zone (about 10 ms,
    on every confirmation email), yet it is the same for every event in that zone."""
    try:
        return icalendar.Timezone.from_tzid(tzid).to_ical().decode("utf-8")
    except ValueError:  # unknown to the tz database: left out, as add_missing_timezones does
        return ""
