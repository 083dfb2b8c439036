"""An organiser builds an event's programme on the dashboard: sessions by day, their seats, who sits and who waits."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ChoiceStatus, OutboxEmail, ProgrammeSession, RegistrationStatus, SessionChoice
from tests.conftest import csrf_token
from tests.integration.organiser_support import add_manager, add_registrations, post_form
from tests.integration.programme_support import (
    FORUM_DATES,
    add_session,
    choice_count,
    choose,
    session_count,
    session_form,
)


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


@pytest.fixture
def forum(make_event):
    return make_event(title="Daejeon Global Innovation Forum 2030", slug="dgif-2030", code="DGIF30", kind="forum",
                      venue="Daejeon Convention Center", **FORUM_DATES)


def test_an_event_without_sessions_says_so_and_offers_to_add_one(organiser, forum, client):
    page = client.get(f"/admin/events/{forum.id}/programme")
    assert page.status_code == 200
    assert b"This event has no programme yet." in page.data
    assert f'href="/admin/events/{forum.id}/programme/new"'.encode() in page.data
    attendees = client.get(f"/admin/events/{forum.id}/attendees")
    assert f'href="/admin/events/{forum.id}/programme"'.encode() in attendees.data  # the event's nav links here


def test_organiser_adds_a_session_on_the_venue_clock_and_sees_it_under_its_day(organiser, forum, client):
    new = client.get(f"/admin/events/{forum.id}/programme/new").data.decode()
    assert "The event runs from 2030-11-03 (3 Nov) to 2030-11-07 (7 Nov 2030)." in new
    response = post_form(client, f"/admin/events/{forum.id}/programme/new", session_form(seat_limit="120"),
                         follow_redirects=True)

    assert response.status_code == 200
    assert "“Plenary 1: Science cities and the green transition” is added to the programme." in response.data.decode()
    [stored] = db.session.scalars(db.select(ProgrammeSession)).all()
    # 10:00 in Daejeon (UTC+9) is 01:00 UTC.
    assert stored.starts_at == datetime(2030, 11, 4, 1, 0, tzinfo=UTC)
    assert stored.ends_at == datetime(2030, 11, 4, 2, 30, tzinfo=UTC)
    assert (stored.seat_limit, stored.room, stored.kind.value) == (120, "Grand Ballroom", "plenary")

    page = response.data.decode()
    assert "Monday 4 November 2030" in page
    assert "10:00–11:30" in page
    assert "0 / 120" in page
    assert "Asia/Seoul (KST)" in page

    edit = client.get(f"/admin/events/{forum.id}/programme/{stored.id}/edit").data.decode()
    assert 'value="2030-11-04"' in edit and 'value="10:00"' in edit and 'value="11:30"' in edit


def test_sessions_are_grouped_by_day_in_time_order(organiser, forum, client):
    add_session(forum, title="Site visit: Daedeok Innopolis", day=5, start=(9, 0), end=(12, 0))
    add_session(forum, title="Opening ceremony", day=4, start=(9, 0), end=(9, 45))
    add_session(forum, title="Welcome reception", day=3, start=(18, 0), end=(20, 0))

    page = client.get(f"/admin/events/{forum.id}/programme").data.decode()

    order = [page.index(text) for text in ("Sunday 3 November 2030", "Welcome reception", "Monday 4 November 2030",
                                           "Opening ceremony", "Tuesday 5 November 2030", "Site visit")]
    assert order == sorted(order)


BAD_INPUT = [
    ({"title": ""}, "title", "Please give the session a title."),
    ({"day": "2030-11-08"}, "day", "Choose a day of the event: Sun 3 Nov 2030 to Thu 7 Nov 2030."),
    ({"day": "2030-11-02"}, "day", "Choose a day of the event"),
    ({"day": "next monday"}, "day", "Write the day as YYYY-MM-DD, e.g. 2026-11-03."),
    ({"day": ""}, "day", "Please give the day."),
    ({"starts": "ten"}, "starts", "Enter a time, e.g. 09:30."),
    ({"ends": ""}, "ends", "Please give the end time."),
    ({"ends": "09:00"}, "ends", "The session must end after it starts (on the same day)."),
    ({"ends": "10:00"}, "ends", "The session must end after it starts"),
    ({"seat_limit": "-1"}, "seat_limit", "The seat limit cannot be negative."),
    ({"seat_limit": "lots"}, "seat_limit", "Not a valid integer value."),
    ({"kind": "party"}, "kind", "Please choose a kind of session from the list."),
    ({"room": "R" * 121}, "room", "Field cannot be longer than 120 characters."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT,
                         ids=[f"{case[1]}-{i}" for i, case in enumerate(BAD_INPUT)])
def test_bad_session_input_is_explained_next_to_the_field_and_saves_nothing(organiser, forum, client,
                                                                           overrides, field, message):
    response = post_form(client, f"/admin/events/{forum.id}/programme/new",
                         session_form(description="Kept as typed", **overrides))

    assert response.status_code == 422
    body = response.data.decode()
    assert f'id="{field}-error">{message}' in body
    assert "Kept as typed" in body
    assert session_count() == 0


def test_a_time_that_the_clocks_skip_is_refused(organiser, make_event, client):
    paris = make_event(timezone="Europe/Paris", country="FR", starts_at=datetime(2030, 3, 30, 8, 0, tzinfo=UTC),
                       ends_at=datetime(2030, 4, 1, 16, 0, tzinfo=UTC))
    response = post_form(client, f"/admin/events/{paris.id}/programme/new",
                         session_form(day="2030-03-31", starts="02:30", ends="04:00"))
    assert response.status_code == 422
    assert 'id="starts-error">02:30 on Sun 31 Mar 2030 does not exist in Europe/Paris' in response.data.decode()
    assert session_count() == 0


def test_organiser_changes_a_session(organiser, forum, client):
    session = add_session(forum, title="Parallel session A", seat_limit=30)
    url = f"/admin/events/{forum.id}/programme/{session.id}/edit"

    response = post_form(client, url, session_form(title="Parallel session A: Incubators", day="2030-11-05",
                                                   starts="15:00", ends="16:15", room="Room 203", seat_limit="",
                                                   kind="parallel"), follow_redirects=True)

    assert "Your changes to the session are saved." in response.data.decode()
    db.session.refresh(session)
    assert session.title == "Parallel session A: Incubators"
    assert session.starts_at == datetime(2030, 11, 5, 6, 0, tzinfo=UTC)
    assert session.ends_at == datetime(2030, 11, 5, 7, 15, tzinfo=UTC)
    assert (session.room, session.seat_limit) == ("Room 203", None)


def test_a_seat_limit_below_the_seats_taken_is_refused_and_says_how_many(organiser, forum, client):
    session = add_session(forum, seat_limit=5)
    choose(add_registrations(forum, 3), session)
    choose(add_registrations(forum, 2, status=RegistrationStatus.WAITLISTED), session,
           status=ChoiceStatus.WAITLISTED)  # waiting: no seat
    url = f"/admin/events/{forum.id}/programme/{session.id}/edit"

    response = post_form(client, url, session_form(title="Parallel session A", seat_limit="2"))

    assert response.status_code == 422
    assert ('id="seat_limit-error">3 people hold seats in this session already, so the seat limit cannot be '
            'lower than 3.') in response.data.decode()
    db.session.refresh(session)
    assert (session.seat_limit, session.title) == (5, "Parallel session A")  # nothing changed, the title neither

    response = post_form(client, url, session_form(title="Parallel session A", seat_limit="3"), follow_redirects=True)
    assert "Your changes to the session are saved." in response.data.decode()
    db.session.refresh(session)
    assert session.seat_limit == 3


def test_moving_a_session_onto_another_that_its_people_chose_is_refused(organiser, forum, client):
    morning = add_session(forum, title="Training programme", start=(9, 30), end=(12, 0))
    visit = add_session(forum, title="Site visit", start=(14, 0), end=(17, 0))
    choose(add_registrations(forum, 2), morning)
    both = add_registrations(forum, 1)
    choose(both, morning)
    choose(both, visit)
    url = f"/admin/events/{forum.id}/programme/{visit.id}/edit"

    response = post_form(client, url, session_form(title="Site visit", day="2030-11-04", starts="11:00", ends="13:00"))

    assert response.status_code == 422
    assert ("At that time 1 person who chose this session also chose “Training programme”, so they could not "
            "attend both.") in response.data.decode()
    db.session.refresh(visit)
    assert visit.title == "Site visit" and forum.local(visit.starts_at).hour == 14  # nothing changed

    response = post_form(client, url, session_form(title="Site visit", day="2030-11-04", starts="13:00",
                                                   ends="16:00"), follow_redirects=True)
    assert "Your changes to the session are saved." in response.data.decode()


def test_raising_the_seat_limit_gives_the_new_seats_to_the_waiting_list_in_order(organiser, forum, client,
                                                                                  deliver_emails, mailbox):
    session = add_session(forum, title="Parallel session A", seat_limit=1)
    choose(add_registrations(forum, 1), session)
    first, second, third = (add_registrations(forum, 1, email=f"{n}@example.org", given_name=n.capitalize())[0]
                            for n in ("first", "second", "third"))
    choose([first, second, third], session, status=ChoiceStatus.WAITLISTED)

    response = post_form(client, f"/admin/events/{forum.id}/programme/{session.id}/edit",
                         session_form(title="Parallel session A", seat_limit="3"), follow_redirects=True)

    assert "2 people moved up from the session&#39;s waiting list and are being emailed" in response.data.decode()
    statuses = {c.registration.email: c.status for c in db.session.scalars(db.select(SessionChoice))}
    assert statuses["first@example.org"] is statuses["second@example.org"] is ChoiceStatus.CONFIRMED
    assert statuses["third@example.org"] is ChoiceStatus.WAITLISTED
    deliver_emails()
    assert mailbox.to("first@example.org") and mailbox.to("second@example.org")
    assert not mailbox.to("third@example.org")


def test_removing_a_session_nobody_chose_asks_once_then_removes_it(organiser, forum, client):
    session = add_session(forum, title="Closing dinner")
    url = f"/admin/events/{forum.id}/programme/{session.id}/delete"

    page = client.get(url)
    assert b"Remove this session?" in page.data and b"Nobody has chosen this session yet." in page.data
    assert session_count() == 1  # looking at the question removes nothing

    response = client.post(url, data={"csrf_token": csrf_token(page), "people_shown": "0"}, follow_redirects=True)
    assert "“Closing dinner” is removed from the programme." in response.data.decode()
    assert session_count() == 0


def test_removing_a_chosen_session_says_who_loses_what_and_keeps_the_registrations(organiser, forum, client):
    session = add_session(forum, seat_limit=2)
    other = add_session(forum, title="Parallel session B")
    seated = add_registrations(forum, 2)
    choose(seated, session)
    choose(seated, other)
    choose(add_registrations(forum, 1), session, status=ChoiceStatus.WAITLISTED)
    url = f"/admin/events/{forum.id}/programme/{session.id}/delete"

    page = client.get(url)
    text = page.data.decode()
    assert "2 people hold seats" in text and "1 is on its waiting list." in text
    assert "Each of them is emailed" in text

    client.post(url, data={"csrf_token": csrf_token(page), "people_shown": "3"})

    assert session_count() == 1
    assert choice_count() == 2  # only the choices of the other session are left
    assert all(r.status is RegistrationStatus.CONFIRMED for r in seated)
    emails = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.kind == "session_removed")).all()
    assert len(emails) == 3  # the two seat holders and the one waiting
    assert all("Parallel session B" in e.body_text for e in emails if e.to_address in {r.email for r in seated})


def test_a_session_chosen_while_the_organiser_was_deciding_is_not_removed(organiser, forum, client):
    session = add_session(forum)
    url = f"/admin/events/{forum.id}/programme/{session.id}/delete"
    page = client.get(url)  # shows: nobody has chosen it
    choose(add_registrations(forum, 1), session)  # meanwhile, someone does

    response = client.post(url, data={"csrf_token": csrf_token(page), "people_shown": "0"})

    assert "Someone chose this session while you were deciding." in response.data.decode()
    assert "1 person holds a seat" in response.data.decode()
    assert session_count() == 1 and choice_count() == 1


def test_a_post_without_csrf_token_changes_nothing(organiser, forum, client):
    session = add_session(forum)
    response = client.post(f"/admin/events/{forum.id}/programme/{session.id}/delete", data={"people_shown": "0"})
    assert response.status_code == 400
    assert session_count() == 1


def test_the_session_page_lists_seat_holders_by_name_and_the_waiting_list_in_order(organiser, forum, client):
    session = add_session(forum, title="Training programme for innovation leaders", seat_limit=2)
    choose([*add_registrations(forum, 1, family_name="Zulu", given_name="Ama"),
            *add_registrations(forum, 1, family_name="Abebe", given_name="Kebede")], session)
    choose([*add_registrations(forum, 1, family_name="Yilmaz", email="first@example.org"),
            *add_registrations(forum, 1, family_name="Bui", email="second@example.org")],
           session, status=ChoiceStatus.WAITLISTED)

    page = client.get(f"/admin/events/{forum.id}/programme/{session.id}").data.decode()

    assert "2 taken of 2" in page and "2 on the waiting list" in page
    seats, waiting = page.split('id="waiting"')
    assert seats.index("Abebe") < seats.index("Zulu")
    assert waiting.index("first@example.org") < waiting.index("second@example.org")  # the order they joined


def test_the_session_csv_has_seats_then_the_waiting_list_neutralised_for_spreadsheets(organiser, forum, client):
    session = add_session(forum, title="Parallel session A", seat_limit=1)
    choose(add_registrations(forum, 1, given_name="민준", family_name="김", organisation="=HYPERLINK(1)"), session)
    choose(add_registrations(forum, 1, family_name="Waiting", given_name="Wanjiru"), session,
           status=ChoiceStatus.WAITLISTED)

    response = client.get(f"/admin/events/{forum.id}/programme/{session.id}/people.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv" and response.is_streamed
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="dgif-2030-session-{session.id}-2030-11-04-1400.csv"')
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["Seat"], r["Waiting list position"], r["Family name"]) for r in rows] == [
        ("Confirmed", "", "김"), ("Waiting", "1", "Waiting")]
    assert rows[0]["Given name"] == "민준"
    assert rows[0]["Organisation"] == "'=HYPERLINK(1)"
    assert rows[0]["Chose the session (Asia/Seoul time)"] == "2030-06-01T09:00:00+09:00"  # on the venue's clock


def test_the_public_event_page_shows_the_programme_with_seats_left(forum, client):
    add_session(forum, title="Opening ceremony", day=4, start=(9, 0), end=(9, 45), kind="ceremony")
    nearly = add_session(forum, title="Parallel session A", seat_limit=3)
    full = add_session(forum, title="Parallel session B", seat_limit=1)
    choose(add_registrations(forum, 2), nearly)
    choose(add_registrations(forum, 1), full)

    page = client.get("/events/dgif-2030").data.decode()

    assert "All times are local time at the venue: Asia/Seoul (KST)." in page
    assert "09:00–09:45 KST" in page
    assert "1 seat left" in page
    assert "Full — waiting list" in page
    assert 'href="/events/dgif-2030/programme.ics"' in page


def test_an_event_without_programme_shows_no_programme_section(forum, client):
    page = client.get("/events/dgif-2030").data.decode()
    assert 'id="programme"' not in page


# --- permissions ------------------------------------------------------------------------

def session_urls(event_id: int, session_id: int) -> list[str]:
    base = f"/admin/events/{event_id}/programme"
    return [base, f"{base}/new", f"{base}/{session_id}", f"{base}/{session_id}/edit", f"{base}/{session_id}/delete",
            f"{base}/{session_id}/people.csv", f"{base}/{session_id}/people.xlsx"]


def test_another_organiser_gets_not_found_for_every_programme_page_and_action(forum, make_event, make_user, auth,
                                                                              client):
    session = add_session(forum)
    mine = make_event(title="My workshop")
    me = make_user("me@wtanet.org", admin=False)
    add_manager(mine, me)
    auth.login("me@wtanet.org")
    token = csrf_token(client.get(f"/admin/events/{mine.id}/programme/new"))

    for url in session_urls(forum.id, session.id):
        assert client.get(url).status_code == 404, url
    for url in session_urls(forum.id, session.id)[1:]:
        if not url.endswith((".csv", ".xlsx")) and url != session_urls(forum.id, session.id)[2]:
            response = client.post(url, data={**session_form(), "csrf_token": token, "people_shown": "0"})
            assert response.status_code == 404, url
    assert session_count() == 1
    db.session.refresh(session)
    assert session.title == "Parallel session A"


def test_a_session_of_another_event_is_not_found_under_this_event(organiser, forum, make_event, client):
    other_event = make_event(title="Another workshop")
    session = add_session(other_event)
    for url in session_urls(forum.id, session.id)[2:]:
        assert client.get(url).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(forum, client):
    session = add_session(forum)
    response = client.get(f"/admin/events/{forum.id}/programme/{session.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_programme_pages_need_no_more_queries_for_more_sessions_or_people(organiser, forum, make_event, client,
                                                                          count_queries):
    small = make_event(title="Small workshop", **FORUM_DATES)
    small_session = add_session(small)
    choose(add_registrations(small, 1), small_session)
    for n in range(4):
        session = add_session(forum, title=f"Session {n}", day=3 + n, seat_limit=10)
        choose(add_registrations(forum, 3), session)
        choose(add_registrations(forum, 2), session, status=ChoiceStatus.WAITLISTED)
    big_session = session
    client.get("/admin/")  # the first request warms caches that later ones do not need

    assert count_queries(f"/admin/events/{small.id}/programme") == count_queries(
        f"/admin/events/{forum.id}/programme")
    assert count_queries(f"/admin/events/{small.id}/programme/{small_session.id}") == count_queries(
        f"/admin/events/{forum.id}/programme/{big_session.id}")
    assert count_queries(f"/events/{small.slug}") == count_queries(f"/events/{forum.slug}")


def test_a_long_waiting_list_is_paged_and_keeps_counting_positions(organiser, forum, client):
    session = add_session(forum, seat_limit=0)
    choose(add_registrations(forum, 52), session, status=ChoiceStatus.WAITLISTED)  # 50 a page
    url = f"/admin/events/{forum.id}/programme/{session.id}"

    first = client.get(url).data.decode()
    assert "Page 1 of 2" in first and f'href="{url}?seats_page=1&amp;waiting_page=2#waiting"' in first

    second = client.get(url, query_string={"waiting_page": 2}).data.decode()
    positions = re.findall(r'<td class="num">(\d+)</td>', second)
    assert positions == ["51", "52"]
