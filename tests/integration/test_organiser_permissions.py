"""Organisers see and manage only their own events; admins manage all; strangers are sent to sign in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, User
from tests.conftest import csrf_token
from tests.integration.organiser_support import add_manager, add_registrations, event_form, status_of

PASSWORD = "correct horse battery"


@pytest.fixture
def two_events(make_event, make_user):
    """Two organisers (not admins), each the manager of one event with one waitlisted person."""
    mine, theirs = make_event(title="My workshop", capacity=1), make_event(title="Their forum", capacity=1)
    me = make_user("me@wtanet.org", admin=False)
    other = make_user("other@wtanet.org", admin=False)
    add_manager(mine, me)
    add_manager(theirs, other)
    for event in (mine, theirs):
        add_registrations(event, 1, email=f"confirmed-{event.id}@example.org")
        add_registrations(event, 1, email=f"waiting-{event.id}@example.org", status=RegistrationStatus.WAITLISTED)
    return mine, theirs


def event_urls(event: Event) -> list[str]:
    reg = _first_registration_id(event)
    base = f"/admin/events/{event.id}"
    return [f"{base}/edit", f"{base}/attendees", f"{base}/attendees.csv", f"{base}/attendees.xlsx",
            f"{base}/attendees/{reg}", f"{base}/cancel"]


def post_urls(event: Event) -> list[str]:
    reg = _first_registration_id(event)
    base = f"/admin/events/{event.id}"
    return [f"{base}/edit", f"{base}/publish", f"{base}/cancel", f"{base}/attendees/{reg}/confirm",
            f"{base}/attendees/{reg}/cancel"]


def _first_registration_id(event: Event) -> int:
    return db.session.scalar(sa.select(Registration.id).where(Registration.event_id == event.id)
                             .order_by(Registration.id))


def test_an_organiser_sees_only_the_events_they_manage(two_events, auth, client):
    auth.login("me@wtanet.org", PASSWORD)
    page = client.get("/admin/")
    assert b"My workshop" in page.data
    assert b"Their forum" not in page.data


def test_every_page_of_another_organisers_event_is_not_found(two_events, auth, client):
    mine, theirs = two_events
    auth.login("me@wtanet.org", PASSWORD)
    for url in event_urls(theirs):
        assert client.get(url).status_code == 404, url
    for url in event_urls(mine):
        assert client.get(url).status_code == 200, url


def test_every_action_on_another_organisers_event_is_refused_and_changes_nothing(two_events, auth, client):
    _, theirs = two_events
    auth.login("me@wtanet.org", PASSWORD)
    token = csrf_token(client.get("/admin/"))
    for url in post_urls(theirs):
        response = client.post(url, data={**event_form(capacity="5"), "csrf_token": token})
        assert response.status_code == 404, url
    saved = db.session.get(Event, theirs.id)
    assert saved.status is EventStatus.PUBLISHED and saved.capacity == 1
    assert status_of(f"waiting-{theirs.id}@example.org") is RegistrationStatus.WAITLISTED
    assert status_of(f"confirmed-{theirs.id}@example.org") is RegistrationStatus.CONFIRMED


def test_a_registration_of_another_event_cannot_be_reached_through_my_event(two_events, auth, client):
    mine, theirs = two_events
    auth.login("me@wtanet.org", PASSWORD)
    their_reg = _first_registration_id(theirs)
    token = csrf_token(client.get("/admin/"))
    assert client.get(f"/admin/events/{mine.id}/attendees/{their_reg}").status_code == 404
    assert client.post(f"/admin/events/{mine.id}/attendees/{their_reg}/cancel",
                       data={"csrf_token": token}).status_code == 404
    assert status_of(f"confirmed-{theirs.id}@example.org") is RegistrationStatus.CONFIRMED


def test_an_admin_manages_every_event(two_events, make_user, auth, client):
    mine, theirs = two_events
    make_user("admin@wtanet.org", admin=True)
    auth.login("admin@wtanet.org", PASSWORD)
    page = client.get("/admin/")
    assert b"My workshop" in page.data and b"Their forum" in page.data
    for event in two_events:
        for url in event_urls(event):
            assert client.get(url).status_code == 200, url


def test_a_manager_added_later_gets_access(two_events, auth, client, make_user):
    _, theirs = two_events
    auth.login("me@wtanet.org", PASSWORD)
    assert client.get(f"/admin/events/{theirs.id}/attendees").status_code == 404
    add_manager(theirs, _user("me@wtanet.org"))
    assert client.get(f"/admin/events/{theirs.id}/attendees").status_code == 200


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


@pytest.mark.parametrize("path", ["/admin/", "/admin/events/new", "/admin/events/1/edit", "/admin/events/1/attendees",
                                  "/admin/events/1/attendees.csv", "/admin/events/1/attendees.xlsx",
                                  "/admin/events/1/attendees/1"])
def test_anonymous_visitors_are_sent_to_sign_in(make_event, client, path):
    make_event()
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_anonymous_posts_change_nothing(make_event, client):
    event = make_event(status=EventStatus.DRAFT)
    token = csrf_token(client.get("/login"))
    response = client.post(f"/admin/events/{event.id}/publish", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert db.session.get(Event, event.id).status is EventStatus.DRAFT


def test_the_no_access_page_says_its_message_once_and_what_to_do(make_user, auth, client):
    from werkzeug.exceptions import Forbidden

    make_user("me@wtanet.org", admin=False)
    auth.login("me@wtanet.org")

    page = client.get("/admin/series/new")  # only administrators define series

    assert page.status_code == 403
    body = page.get_data(as_text=True)
    content = body[body.index('<div class="error-page">'):]
    assert content.count("access") == 2  # the heading, and who can give it
    assert "<h1>You do not have access to this page</h1>" in content
    assert "ask an administrator or the event&#39;s organisers to give you access" in content
    assert Forbidden.description not in body and "permission" not in content
