"""An organiser creates, edits, publishes and cancels events from the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Event, EventStatus, ProgrammeSession, RegistrationStatus, utcnow
from app.services.events.events import slug_from_title
from tests.conftest import csrf_token, start_writing
from tests.integration.organiser_support import (
    add_registrations,
    edit_form,
    event_form,
    event_titled,
    post_action,
    post_form,
    row_cells,
    status_of,
)


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def event_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def test_dashboard_without_events_shows_an_empty_state_and_the_new_event_button(organiser, client):
    page = client.get("/admin/")
    assert page.status_code == 200
    assert b"You have no events yet." in page.data
    assert b'href="/admin/events/new"' in page.data


def test_dashboard_shows_counts_and_fill_rate_per_event(organiser, make_event, client):
    workshop = make_event(title="Workshop with places", capacity=4)
    forum = make_event(title="Forum without limit", capacity=None)
    add_registrations(workshop, 3)
    add_registrations(workshop, 2, status=RegistrationStatus.WAITLISTED)
    add_registrations(workshop, 1, status=RegistrationStatus.CANCELLED)
    add_registrations(forum, 7)

    page = client.get("/admin/").data.decode()

    assert row_cells(page, "Workshop with places")[3:7] == ["4", "3", "Confirmed 3 Waiting 2 Cancelled 1", "75%"]
    assert row_cells(page, "Forum without limit")[3:7] == ["No limit", "7", "Confirmed 7 Waiting 0 Cancelled 0", "—"]


def test_creating_an_event_makes_a_draft_managed_by_its_creator_in_the_venue_time_zone(organiser, client):
    response = post_form(client, "/admin/events/new", event_form(), follow_redirects=True)

    assert response.status_code == 200
    assert b"is saved as a draft" in response.data
    event = event_titled("International Training Workshop on STP Development")
    assert event.status is EventStatus.DRAFT
    assert event.slug == "international-training-workshop-on-stp-development"
    assert event.code == "ITWSD30"  # initials of the capitalised words and the year
    assert [m.email for m in event.managers] == [organiser.email]
    # 09:00 in Daejeon (UTC+9) is midnight UTC.
    assert event.starts_at == datetime(2030, 11, 3, 0, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime(2030, 10, 15, 9, 0, tzinfo=UTC)
    assert event.capacity == 40 and event.waiting_list_enabled

    edit = client.get(f"/admin/events/{event.id}/edit").data.decode()
    assert 'value="2030-11-03 09:00"' in edit  # shown back on the venue's clock


def test_times_are_read_in_the_time_zone_chosen_for_the_event(organiser, client):
    post_form(client, "/admin/events/new", event_form(
        title="Regional Workshop Nairobi", timezone="Africa/Nairobi", country="KE", slug="nairobi-2030"))
    event = event_titled("Regional Workshop Nairobi")
    assert event.starts_at == datetime(2030, 11, 3, 6, 0, tzinfo=UTC)  # Nairobi is UTC+3
    edit = client.get(f"/admin/events/{event.id}/edit").data.decode()
    assert 'value="2030-11-03 09:00"' in edit


BAD_INPUT = [
    ({"title": ""}, "title", "Please give the event a title."),
    ({"ends_at": "2030-11-02T18:00"}, "ends_at", "The event cannot end before it starts."),
    ({"registration_closes_at": "2030-11-08T09:00"}, "registration_closes_at", "Registration must close before the event ends."),
    ({"registration_opens_at": "2030-10-16T09:00"}, "registration_opens_at", "Registration must open before it closes."),
    ({"capacity": "-1"}, "capacity", "The capacity cannot be negative."),
    ({"capacity": "many"}, "capacity", "Not a valid integer value."),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Please choose a time zone from the list"),
    ({"country": "XX"}, "country", "Please choose a country from the list."),
    ({"slug": "Forum 2030!"}, "slug", "Use lower-case letters, digits and single hyphens"),
    ({"slug": "taken"}, "slug", "Another event uses the address “taken” already."),
    ({"code": "dg-26"}, "code", "Use 2 to 12 capital letters or digits"),
    ({"starts_at": "next monday"}, "starts_at", "Write the date and time as YYYY-MM-DD HH:MM"),
    ({"contact_email": "secretariat"}, "contact_email", "This email address is not valid"),
    ({"starts_at": "2030-03-31T02:30", "timezone": "Europe/Paris", "registration_opens_at": "2030-01-01T09:00",
      "registration_closes_at": "2030-03-01T09:00"}, "starts_at", "31 Mar 2030 02:30 does not exist in Europe/Paris"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT, ids=[case[1] + "-" + str(i) for i, case in enumerate(BAD_INPUT)])
def test_bad_event_input_is_explained_next_to_the_field_and_saves_nothing(organiser, make_event, client, overrides, field, message):
    make_event(slug="taken")
    before = event_count()
    data = event_form(summary="Kept as typed", **overrides)

    response = post_form(client, "/admin/events/new", data)

    assert response.status_code == 422
    body = response.data.decode()
    assert f'id="{field}-error">{message}' in body
    assert "Kept as typed" in body
    assert event_count() == before


def test_a_blank_slug_that_is_taken_gets_a_number(organiser, make_event, client):
    make_event(slug="daejeon-global-innovation-forum-2030")
    post_form(client, "/admin/events/new", event_form(title="Daejeon Global Innovation Forum 2030", kind="forum"))
    assert event_titled("Daejeon Global Innovation Forum 2030").slug == "daejeon-global-innovation-forum-2030-2"


def test_a_created_event_is_published_and_appears_on_the_public_site(organiser, client):
    post_form(client, "/admin/events/new", event_form(
        registration_opens_at="2020-01-01T09:00", slug="stp-2030"))
    event = event_titled("International Training Workshop on STP Development")
    assert client.get("/events/stp-2030").status_code == 404  # a draft is not public
    assert b"stp-2030" not in client.get("/").data

    page = post_action(client, f"/admin/events/{event.id}/attendees", f"/admin/events/{event.id}/publish")

    assert b"is published" in page.data
    assert db.session.get(Event, event.id).status is EventStatus.PUBLISHED
    public = client.get("/events/stp-2030")
    assert public.status_code == 200 and b'name="given_name"' in public.data
    assert b"/events/stp-2030" in client.get("/").data


def test_publishing_needs_the_csrf_token(organiser, make_event, client):
    event = make_event(status=EventStatus.DRAFT)
    assert client.post(f"/admin/events/{event.id}/publish").status_code == 400
    assert db.session.get(Event, event.id).status is EventStatus.DRAFT


def test_editing_keeps_what_was_typed_and_saves_changes(organiser, make_event, client):
    event = make_event(title="Old title", capacity=30)
    page = client.get(f"/admin/events/{event.id}/edit")
    assert b'value="Old title"' in page.data

    form = event_form(title="New title", slug=event.slug, code=event.code, capacity="")
    response = client.post(f"/admin/events/{event.id}/edit", data={**form, "csrf_token": csrf_token(page)},
                           follow_redirects=True)

    assert b"Your changes are saved." in response.data
    saved = db.session.get(Event, event.id)
    assert saved.title == "New title" and saved.capacity is None  # empty capacity: no limit


def test_capacity_below_the_confirmed_count_is_refused(organiser, make_event, client):
    event = make_event(capacity=10)
    add_registrations(event, 6)

    response = post_form(client, f"/admin/events/{event.id}/edit",
                         event_form(slug=event.slug, capacity="5", title="Changed title"))

    assert response.status_code == 422
    assert "6 people are confirmed already, so the capacity cannot be lower than 6." in response.data.decode()
    assert b'value="Changed title"' in response.data
    saved = db.session.get(Event, event.id)
    assert saved.capacity == 10 and saved.title != "Changed title"


def test_raising_the_capacity_promotes_the_waiting_list_and_emails_them(organiser, make_event, register, client,
                                                                       deliver_emails, mailbox):
    event = make_event(capacity=1)
    register(event, email="first@example.org")
    register(event, email="second@example.org", given_name="Bola", family_name="Adeyemi")
    register(event, email="third@example.org", given_name="Chen", family_name="Wei")
    register(event, email="fourth@example.org")
    deliver_emails()
    mailbox.messages.clear()
    edit = client.get(f"/admin/events/{event.id}/edit")
    values = edit_form(event, capacity="3", csrf_token=csrf_token(edit))  # the same dates: nobody else is emailed

    response = client.post(f"/admin/events/{event.id}/edit", data=values, follow_redirects=True)

    assert "2 people moved up from the waiting list" in response.data.decode()
    assert "Bola Adeyemi, Chen Wei" in response.data.decode()
    assert status_of("second@example.org") is RegistrationStatus.CONFIRMED
    assert status_of("third@example.org") is RegistrationStatus.CONFIRMED
    assert status_of("fourth@example.org") is RegistrationStatus.WAITLISTED
    deliver_emails()
    assert mailbox.to("second@example.org")[0]["Subject"] == f"Good news, a place is yours: {event.title}"
    assert mailbox.to("third@example.org")[0]["Subject"].startswith("Good news")
    assert mailbox.to("fourth@example.org") == []


def test_cancelling_an_event_asks_first_and_keeps_registrations(organiser, make_event, register, client, mailbox,
                                                                deliver_emails):
    event = make_event()
    register(event)
    deliver_emails()
    mailbox.messages.clear()

    confirm = client.get(f"/admin/events/{event.id}/cancel")
    assert b"Cancel this event?" in confirm.data
    assert b"1 email will go out" in confirm.data
    assert db.session.get(Event, event.id).status is EventStatus.PUBLISHED  # the GET changes nothing

    done = client.post(f"/admin/events/{event.id}/cancel",
                       data={"reason": "The venue is closed for repairs.", "csrf_token": csrf_token(confirm)},
                       follow_redirects=True)

    assert b"is cancelled" in done.data
    assert db.session.get(Event, event.id).status is EventStatus.CANCELLED
    assert status_of("amina.diallo@example.org") is RegistrationStatus.CONFIRMED
    assert b"This event has been cancelled" in client.get(f"/events/{event.slug}").data
    deliver_emails()  # the reason reaches the one person registered (tests/integration/test_event_announcements.py)
    assert [m["Subject"] for m in mailbox.to("amina.diallo@example.org")] == [f"The event is cancelled: {event.title}"]


def test_an_event_that_is_over_cannot_be_published(organiser, make_event, client):
    past = utcnow() - timedelta(days=3)
    event = make_event(status=EventStatus.DRAFT, starts_at=past - timedelta(days=2), ends_at=past,
                       registration_opens_at=past - timedelta(days=30), registration_closes_at=past - timedelta(days=5))
    page = post_action(client, f"/admin/events/{event.id}/attendees", f"/admin/events/{event.id}/publish")
    assert b"This event is over; change its dates before publishing it." in page.data
    assert db.session.get(Event, event.id).status is EventStatus.DRAFT


@pytest.mark.parametrize(("title", "slug"), [
    ("Daejeon Global Innovation Forum 2026", "daejeon-global-innovation-forum-2026"),
    ("Forum 2026: Daejeon & Beyond!", "forum-2026-daejeon-beyond"),
    ("Atelier régional — Côte d'Ivoire", "atelier-regional-cote-d-ivoire"),
    ("대전 글로벌 혁신 포럼", "event"),
])
def test_slugs_made_from_titles_are_url_safe(title, slug):
    assert slug_from_title(title) == slug


def test_an_event_cannot_move_away_from_its_programme_sessions(organiser, client, make_event):
    event = make_event()
    start_writing()
    db.session.add(ProgrammeSession(event_id=event.id, title="Site visit", starts_at=event.ends_at - timedelta(hours=3),
                                    ends_at=event.ends_at - timedelta(hours=1)))
    db.session.commit()
    local_start = event.local(event.starts_at)

    page = post_form(client, f"/admin/events/{event.id}/edit", event_form(
        starts_at=f"{local_start:%Y-%m-%dT%H:%M}", ends_at=f"{local_start:%Y-%m-%d}T18:00",
        registration_opens_at="2020-01-01T09:00",
        registration_closes_at=f"{local_start - timedelta(days=1):%Y-%m-%dT%H:%M}"))

    assert page.status_code == 422
    assert "1 programme session would fall outside these dates (“Site visit” first)" in page.get_data(as_text=True)
