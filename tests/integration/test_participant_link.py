"""The personal link: see, cancel (with a confirmation step), and the waiting list moves up."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from app.extensions import db
from app.models import Event, Registration, RegistrationStatus, utcnow
from tests.conftest import csrf_token, link_in, start_writing


def status_of(email: str) -> RegistrationStatus:
    return db.session.scalar(sa.select(Registration.status).where(Registration.email == email))


def test_cancelling_a_confirmed_place_promotes_the_first_waitlisted(make_event, register, deliver_emails, mailbox, client):
    event = make_event(capacity=1)
    register(event, email="kim@example.org", given_name="Min-jun", family_name="Kim")
    register(event, email="second@example.org")
    register(event, email="third@example.org")
    deliver_emails()
    link = link_in(mailbox.to("kim@example.org")[0])

    confirm_page = client.get(link + "/cancel")
    assert b"Cancel your registration?" in confirm_page.data
    assert status_of("kim@example.org") is RegistrationStatus.CONFIRMED  # the GET changes nothing

    done = client.post(link + "/cancel", data={"csrf_token": csrf_token(confirm_page)}, follow_redirects=True)

    assert b"Your registration is cancelled" in done.data
    assert status_of("kim@example.org") is RegistrationStatus.CANCELLED
    assert status_of("second@example.org") is RegistrationStatus.CONFIRMED
    assert status_of("third@example.org") is RegistrationStatus.WAITLISTED
    deliver_emails()
    assert mailbox.to("kim@example.org")[-1]["Subject"].startswith("Your registration is cancelled")
    promoted = mailbox.to("second@example.org")[-1]
    assert promoted["Subject"].startswith("Good news, a place is yours")
    assert any(p.get_content_type() == "text/calendar" for p in promoted.iter_attachments())
    assert len(mailbox.to("third@example.org")) == 1  # only the waiting-list email


def test_cancel_without_csrf_is_refused(make_event, register, deliver_emails, mailbox, client):
    event = make_event()
    register(event)
    deliver_emails()
    link = link_in(mailbox.messages[0])
    assert client.post(link + "/cancel").status_code == 400
    assert status_of("amina.diallo@example.org") is RegistrationStatus.CONFIRMED


def test_tampered_or_unknown_link_gets_a_friendly_page(make_event, register, deliver_emails, mailbox, client):
    event = make_event()
    register(event)
    deliver_emails()
    link = link_in(mailbox.messages[0])

    for bad in (link[:-2] + "xx", "/r/garbage", "/r/MTIzNDU.abc"):
        response = client.get(bad)
        assert response.status_code == 404
        assert b"This link is not valid" in response.data


def test_registering_again_after_cancelling_brings_the_registration_back(make_event, register, deliver_emails, mailbox, client):
    event = make_event()
    register(event)
    deliver_emails()
    link = link_in(mailbox.messages[0])
    page = client.get(link + "/cancel")
    client.post(link + "/cancel", data={"csrf_token": csrf_token(page)})

    again = register(event, organisation="Kigali Innovation City")

    assert b"You are registered" in again.data
    [registration] = db.session.scalars(sa.select(Registration)).all()
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.organisation == "Kigali Innovation City"


def test_participant_can_download_the_calendar(make_event, register, deliver_emails, mailbox, client):
    import icalendar

    event = make_event()
    register(event)
    deliver_emails()
    response = client.get(link_in(mailbox.messages[0]) + "/calendar.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    assert entry.decoded("DTSTART").tzinfo.key == "Asia/Seoul"


def test_personal_pages_do_not_leak_the_link(make_event, register, deliver_emails, mailbox, client):
    event = make_event()
    register(event)
    deliver_emails()
    page = client.get(link_in(mailbox.messages[0]))
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert b'name="robots" content="noindex"' in page.data


def test_the_cancel_page_promises_the_place_to_the_waiting_list_only_when_someone_waits(
        make_event, register, deliver_emails, mailbox, client):
    event = make_event(capacity=1)
    register(event, email="kim@example.org")
    deliver_emails()
    link = link_in(mailbox.to("kim@example.org")[0])

    nobody_waits = client.get(link + "/cancel").get_data(as_text=True)
    assert "waiting list" not in nobody_waits
    assert "Your place will be free for someone else to take." in nobody_waits

    register(event, email="second@example.org")
    assert status_of("second@example.org") is RegistrationStatus.WAITLISTED
    someone_waits = client.get(link + "/cancel").get_data(as_text=True)
    assert "Your place will go to the next person on the waiting list." in someone_waits


def test_once_the_event_is_over_the_participant_can_no_longer_cancel(make_event, register, deliver_emails, mailbox,
                                                                     client):
    event = make_event(capacity=1)
    register(event, email="kim@example.org")
    register(event, email="second@example.org")  # waiting: cancelling now would give them nothing
    deliver_emails()
    link = link_in(mailbox.to("kim@example.org")[0])
    confirm_page = client.get(link + "/cancel")  # opened while the event was still ahead
    start_writing()
    over = db.session.get(Event, event.id)
    over.starts_at, over.ends_at = utcnow() - timedelta(days=3), utcnow() - timedelta(hours=1)
    over.registration_opens_at = utcnow() - timedelta(days=60)
    over.registration_closes_at = utcnow() - timedelta(days=5)
    db.session.commit()

    personal = client.get(link).get_data(as_text=True)
    assert "Cancel my registration" not in personal
    assert client.get(link + "/cancel").headers["Location"] == urlsplit(link).path  # no page offering it either
    refused = client.post(link + "/cancel", data={"csrf_token": csrf_token(confirm_page)}, follow_redirects=True)

    assert refused.request.path == urlsplit(link).path  # back on the personal page
    assert ('<p class="flash flash-error" role="status">This event is over, so the registration can no longer be '
            "cancelled.</p>") in refused.get_data(as_text=True)
    assert status_of("kim@example.org") is RegistrationStatus.CONFIRMED
    assert status_of("second@example.org") is RegistrationStatus.WAITLISTED
    deliver_emails()
    assert len(mailbox.to("kim@example.org")) == 1  # no cancellation email
