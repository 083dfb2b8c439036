"""The whole programme as an iCal feed, and the calendar of chosen sessions, read back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

from app.models import EventStatus, utcnow
from app.services.events.calendar import programme_calendar
from tests.integration.programme_support import FORUM_DATES, add_session

SEOUL = "Asia/Seoul"


@pytest.fixture
def forum(make_event):
    return make_event(title="Daejeon Global Innovation Forum 2030", slug="dgif-2030", code="DGIF30", kind="forum",
                      venue="Daejeon Convention Center", city="Daejeon", **FORUM_DATES)


def entries(data: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


def test_the_feed_lists_every_session_on_the_venue_clock(forum, client):
    opening = add_session(forum, title="Opening ceremony", day=4, start=(9, 0), end=(9, 45), room="Grand Ballroom",
                          kind="ceremony", description="Welcome by the Mayor of Daejeon.")
    add_session(forum, title="Parallel session A", day=4, start=(14, 0), end=(15, 30), room="Room 101")
    add_session(forum, title="Site visit: Daedeok Innopolis", day=5, start=(9, 0), end=(12, 0), room="")

    response = client.get("/events/dgif-2030/programme.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'inline; filename="dgif-2030-programme.ics"'
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "Daejeon Global Innovation Forum 2030 — programme"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == SEOUL
    found = {str(e["SUMMARY"]).removeprefix(f"{forum.title}: "): e for e in calendar.walk("VEVENT")}
    assert set(found) == {"Opening ceremony", "Parallel session A", "Site visit: Daedeok Innopolis"}

    first = found["Opening ceremony"]
    start, end = first.decoded("DTSTART"), first.decoded("DTEND")
    assert first["DTSTART"].params["TZID"] == SEOUL
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 0, SEOUL)
    assert start == datetime(2030, 11, 4, 0, 0, tzinfo=UTC) == opening.starts_at
    assert end == datetime(2030, 11, 4, 0, 45, tzinfo=UTC)
    assert str(first["LOCATION"]) == "Grand Ballroom, Daejeon Convention Center, Daejeon"
    assert "Welcome by the Mayor of Daejeon." in str(first["DESCRIPTION"])
    assert str(first["URL"]) == "http://localhost/events/dgif-2030"
    assert str(found["Site visit: Daedeok Innopolis"]["LOCATION"]) == "Daejeon Convention Center, Daejeon"


def test_each_session_keeps_its_own_uid_so_calendars_update_rather_than_duplicate(forum, client):
    a = add_session(forum, title="Parallel session A")
    b = add_session(forum, title="Parallel session B")

    first = {str(e["SUMMARY"]): str(e["UID"]) for e in entries(client.get("/events/dgif-2030/programme.ics").data)}
    again = {str(e["SUMMARY"]): str(e["UID"]) for e in entries(client.get("/events/dgif-2030/programme.ics").data)}

    assert first == again
    assert first[f"{forum.title}: Parallel session A"] == f"programme-session-{a.id}@localhost"
    assert first[f"{forum.title}: Parallel session B"] == f"programme-session-{b.id}@localhost"


def test_an_event_without_sessions_gives_the_event_itself_in_its_feed(forum, client):
    response = client.get("/events/dgif-2030/programme.ics")
    assert response.status_code == 200
    [entry] = entries(response.data)  # never an empty VCALENDAR
    assert str(entry["SUMMARY"]) == forum.title and str(entry["UID"]) == f"event-{forum.id}@localhost"
    assert entry.decoded("DTSTART") == forum.starts_at and str(entry["STATUS"]) == "CONFIRMED"


def test_a_draft_event_has_no_public_feed(make_event, client):
    draft = make_event(slug="draft-forum", status=EventStatus.DRAFT, **FORUM_DATES)
    add_session(draft)
    assert client.get("/events/draft-forum/programme.ics").status_code == 404
    assert client.get("/events/no-such-event/programme.ics").status_code == 404


def test_programme_calendar_lists_only_the_sessions_given(app, forum):
    add_session(forum, title="Parallel session A")
    chosen = add_session(forum, title="Training programme", day=6, start=(10, 0), end=(17, 0))

    [entry] = entries(programme_calendar(forum, [chosen], stamp=utcnow()))

    assert str(entry["SUMMARY"]) == "Daejeon Global Innovation Forum 2030: Training programme"
    assert entry.decoded("DTSTART").hour == 10 and str(entry.decoded("DTSTART").tzinfo) == SEOUL


def test_sessions_in_another_time_zone_carry_that_zone(make_event, app):
    nairobi = make_event(timezone="Africa/Nairobi", country="KE", city="Nairobi", venue="iHub", **FORUM_DATES)
    session = add_session(nairobi, title="Incubator clinic")  # 14:00 in Daejeon is 08:00 in Nairobi

    calendar = icalendar.Calendar.from_ical(programme_calendar(nairobi, [session], stamp=utcnow()))

    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]
    [entry] = calendar.walk("VEVENT")
    assert entry.decoded("DTSTART").hour == 8 and entry["DTSTART"].params["TZID"] == "Africa/Nairobi"
