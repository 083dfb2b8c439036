"""Calendar files as a participant's calendar reads them: downloaded from the personal link or taken from
the email that arrived, parsed with icalendar. Sessions say which event they belong to; the personal
file gives a person's sessions rather than the whole event on top of them; every entry has a SEQUENCE
and a STATUS, so a cancelled event, a removed session or a seat given up disappears from the calendar."""

from __future__ import annotations

import time
from datetime import timedelta

import icalendar
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Event, ProgrammeSession, Registration, SessionChoice
from tests.conftest import csrf_token, link_in, start_writing
from tests.integration.organiser_support import post_form
from tests.integration.programme_support import session_form

TITLE = "Daejeon Global Innovation Forum 2026"


@pytest.fixture
def forum(make_event):
    """A forum with a plenary, two parallel sessions at the same time and a closing dinner."""
    event = make_event(title=TITLE, slug="dgif-2026", code="DGIF26", kind="forum", capacity=None)
    start = event.starts_at
    start_writing()
    sessions = {
        "plenary": ProgrammeSession(event_id=event.id, title="Plenary: science cities and AI", room="Grand Hall",
                                    starts_at=start, ends_at=start + timedelta(hours=2)),
        "parks": ProgrammeSession(event_id=event.id, title="Parallel A: science park governance", room="Room 201",
                                  starts_at=start + timedelta(hours=3), ends_at=start + timedelta(hours=5)),
        "funds": ProgrammeSession(event_id=event.id, title="Parallel B: start-up funding", room="Room 202",
                                  starts_at=start + timedelta(hours=3), ends_at=start + timedelta(hours=5)),
        "dinner": ProgrammeSession(event_id=event.id, title="Closing dinner", kind="social",
                                   starts_at=start + timedelta(hours=10), ends_at=start + timedelta(hours=12)),
    }
    db.session.add_all(sessions.values())
    db.session.commit()
    event.sessions = {name: s.id for name, s in sessions.items()}
    return event


def entries(data) -> dict[str, icalendar.Event]:
    """{UID: entry} of a calendar file."""
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def attached_calendar(email) -> dict[str, icalendar.Event]:
    [ics] = [part for part in email.iter_attachments() if part.get_filename().endswith(".ics")]
    return entries(ics.get_content())


def session_uid(event: Event, name: str) -> str:
    return f"programme-session-{event.sessions[name]}@localhost"


def state(entry: icalendar.Event) -> tuple[str, int]:
    return str(entry["STATUS"]), int(entry["SEQUENCE"])


def as_if_an_hour_ago() -> None:
    """Everything so far happened an hour ago: what changes now gets a later SEQUENCE than what was sent."""
    start_writing()
    hour = timedelta(hours=1)
    for table, columns in ((Event, ("updated_at",)), (ProgrammeSession, ("updated_at",)),
                           (Registration, ("updated_at", "created_at", "confirmed_at")),
                           (SessionChoice, ("chosen_at", "confirmed_at"))):
        for row in db.session.scalars(sa.select(table)):
            for column in columns:
                if getattr(row, column) is not None:
                    setattr(row, column, getattr(row, column) - hour)
    db.session.commit()


def personal_calendar(client, link: str) -> dict[str, icalendar.Event]:
    response = client.get(f"{link}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return entries(response.data)


# --- what the files hold ----------------------------------------------------------------------

def test_session_entries_say_which_event_they_belong_to(forum, client):
    found = entries(client.get("/events/dgif-2026/programme.ics").data)
    assert str(found[session_uid(forum, "dinner")]["SUMMARY"]) == f"{TITLE}: Closing dinner"
    assert {state(e)[0] for e in found.values()} == {"CONFIRMED"}
    assert all(int(e["SEQUENCE"]) > 0 for e in found.values())


def test_the_personal_file_and_the_email_give_the_sessions_not_the_whole_event_on_top(
        forum, client, register, mailbox, deliver_emails):
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["plenary"], forum.sessions["funds"]])
    deliver_emails()
    email = mailbox.to("amina.diallo@example.org")[-1]

    for found in (personal_calendar(client, link_in(email)), attached_calendar(email)):
        assert set(found) == {session_uid(forum, "plenary"), session_uid(forum, "funds")}
        assert f"event-{forum.id}@localhost" not in found
        assert [str(e["SUMMARY"]) for e in found.values()] == [
            f"{TITLE}: Plenary: science cities and AI", f"{TITLE}: Parallel B: start-up funding"]
        spans = sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in found.values())
        assert spans[0][1] <= spans[1][0]  # nothing overlaps
        assert all(end - start <= timedelta(hours=2) for start, end in spans)


def test_someone_without_sessions_gets_the_event(forum, client, register, mailbox, deliver_emails):
    register(forum, email="kofi@example.org")
    deliver_emails()
    email = mailbox.to("kofi@example.org")[-1]
    for found in (personal_calendar(client, link_in(email)), attached_calendar(email)):
        [entry] = found.values()
        assert str(entry["SUMMARY"]) == TITLE and state(entry)[0] == "CONFIRMED"


def test_someone_on_the_waiting_list_has_the_event_as_tentative(make_event, client, register, mailbox,
                                                                 deliver_emails):
    event = make_event(capacity=1)
    register(event, email="first@example.org")
    register(event, email="waiting@example.org")
    deliver_emails()
    [entry] = personal_calendar(client, link_in(mailbox.to("waiting@example.org")[-1])).values()
    assert state(entry)[0] == "TENTATIVE"
    [entry] = personal_calendar(client, link_in(mailbox.to("first@example.org")[-1])).values()
    assert state(entry)[0] == "CONFIRMED"


def test_an_event_without_a_programme_answers_its_feed_with_the_event(make_event, client):
    event = make_event(slug="workshop-without-programme")
    response = client.get("/events/workshop-without-programme/programme.ics")
    assert response.status_code == 200
    [entry] = entries(response.data).values()
    assert str(entry["SUMMARY"]) == event.title and entry.decoded("DTSTART") == event.starts_at.replace(microsecond=0)


# --- changes reach the calendar -----------------------------------------------------------------

def test_moving_a_session_raises_its_sequence(forum, make_user, auth, client):
    before = state(entries(client.get("/events/dgif-2026/programme.ics").data)[session_uid(forum, "dinner")])
    as_if_an_hour_ago()
    before_moved_back = state(entries(client.get("/events/dgif-2026/programme.ics").data)[session_uid(forum, "dinner")])
    assert before_moved_back[1] < before[1]
    make_user()
    auth.login()

    day = forum.local(forum.starts_at).date().isoformat()
    edit = f"/admin/events/{forum.id}/programme/{forum.sessions['dinner']}/edit"
    response = post_form(client, edit, session_form(title="Closing dinner", kind="social", day=day,
                                                    starts="20:00", ends="22:00"), follow_redirects=True)
    assert response.status_code == 200

    entry = entries(client.get("/events/dgif-2026/programme.ics").data)[session_uid(forum, "dinner")]
    assert entry.decoded("DTSTART").hour == 20
    assert state(entry)[0] == "CONFIRMED" and state(entry)[1] > before_moved_back[1]


def test_a_cancelled_event_is_cancelled_in_every_calendar_file(forum, make_user, auth, client, register, mailbox,
                                                               deliver_emails):
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["plenary"]])
    register(forum, email="kofi@example.org")
    deliver_emails()
    amina, kofi = (link_in(mailbox.to(address)[-1]) for address in ("amina.diallo@example.org", "kofi@example.org"))
    as_if_an_hour_ago()
    sent = {**personal_calendar(client, amina), **personal_calendar(client, kofi),
            **entries(client.get("/events/dgif-2026/programme.ics").data)}
    make_user()
    auth.login()

    confirm = client.get(f"/admin/events/{forum.id}/cancel")
    client.post(f"/admin/events/{forum.id}/cancel",
                data={"csrf_token": csrf_token(confirm), "reason": "The venue is closed."})

    for found in (personal_calendar(client, amina), personal_calendar(client, kofi),
                  entries(client.get("/events/dgif-2026/programme.ics").data),
                  entries(client.get("/events/dgif-2026/calendar.ics").data)):
        for uid, entry in found.items():
            status, sequence = state(entry)
            assert status == "CANCELLED", uid
            if uid in sent:
                assert sequence > state(sent[uid])[1], uid


def test_a_removed_session_is_cancelled_by_the_file_in_its_email(forum, make_user, auth, client, register, mailbox,
                                                                 deliver_emails):
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["plenary"], forum.sessions["dinner"]])
    register(forum, email="kofi@example.org", sessions=[forum.sessions["plenary"]])
    deliver_emails()
    as_if_an_hour_ago()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])
    sent = personal_calendar(client, link)
    make_user()
    auth.login()

    url = f"/admin/events/{forum.id}/programme/{forum.sessions['dinner']}/delete"
    client.post(url, data={"csrf_token": csrf_token(client.get(url)), "people_shown": "1"})
    deliver_emails()

    email = mailbox.to("amina.diallo@example.org")[-1]
    assert "A session you chose is cancelled" in email["Subject"]
    found = attached_calendar(email)
    dinner, plenary = session_uid(forum, "dinner"), session_uid(forum, "plenary")
    assert state(found[dinner])[0] == "CANCELLED" and state(found[dinner])[1] > state(sent[dinner])[1]
    assert state(found[plenary])[0] == "CONFIRMED"
    assert dinner not in personal_calendar(client, link)  # gone for good
    assert not mailbox.to("kofi@example.org")[1:]  # nobody else is written to


def test_a_dropped_seat_is_cancelled_and_taking_it_again_outranks_that(forum, client, register, mailbox,
                                                                       deliver_emails):
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["plenary"], forum.sessions["dinner"]])
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])
    as_if_an_hour_ago()
    sent = personal_calendar(client, link)
    dinner = session_uid(forum, "dinner")

    def choose(*names):
        client.post(f"{link}/sessions", data={"csrf_token": csrf_token(client.get(f"{link}/sessions")),
                                              "sessions": [forum.sessions[n] for n in names]})
        deliver_emails()
        email = mailbox.to("amina.diallo@example.org")[-1]
        assert "Your sessions are changed" in email["Subject"]
        return attached_calendar(email)

    dropped = choose("plenary")
    assert state(dropped[dinner])[0] == "CANCELLED" and state(dropped[dinner])[1] > state(sent[dinner])[1]
    assert state(dropped[session_uid(forum, "plenary")])[0] == "CONFIRMED"

    time.sleep(1.1)  # a SEQUENCE counts seconds: the seat is taken again after it was given up
    taken_again = choose("plenary", "dinner")
    assert state(taken_again[dinner])[0] == "CONFIRMED"
    assert state(taken_again[dinner])[1] > state(dropped[dinner])[1]  # the calendar takes the seat back


def test_cancelling_a_registration_cancels_its_sessions_in_the_calendar(forum, client, register, mailbox,
                                                                        deliver_emails):
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["plenary"]])
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])
    as_if_an_hour_ago()
    sent = personal_calendar(client, link)

    client.post(f"{link}/cancel", data={"csrf_token": csrf_token(client.get(f"{link}/cancel"))})
    deliver_emails()

    email = mailbox.to("amina.diallo@example.org")[-1]
    assert "Your registration is cancelled" in email["Subject"]
    plenary = session_uid(forum, "plenary")
    found = attached_calendar(email)
    assert list(found) == [plenary]  # what their calendar held, not an event they never had in it
    assert state(found[plenary])[0] == "CANCELLED" and state(found[plenary])[1] > state(sent[plenary])[1]
    [entry] = personal_calendar(client, link).values()
    assert state(entry)[0] == "CANCELLED"
