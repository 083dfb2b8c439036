"""A participant finds a workshop, registers, reads the email and follows its link."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxEmail, Registration, RegistrationStatus, utcnow
from tests.conftest import csrf_token, html_of, link_in, registration_form, text_of


def registrations(event) -> list[Registration]:
    return list(db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)))


def test_participant_registers_and_receives_confirmation_with_calendar(make_event, register, deliver_emails, mailbox, client):
    event = make_event(capacity=20)

    page = register(event)

    assert page.status_code == 200
    assert b"You are registered" in page.data
    [registration] = registrations(event)
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.reference.startswith(event.code + "-")
    assert registration.reference.encode() in page.data
    assert registration.email == "amina.diallo@example.org"
    assert registration.consent_at is not None

    deliver_emails()
    [email] = mailbox.to("amina.diallo@example.org")
    assert email["Subject"] == f"Your place is confirmed: {event.title}"
    assert registration.reference in text_of(email)
    assert link_in(email) in html_of(email)  # the HTML part carries the same personal link
    calendar = [part for part in email.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert calendar and "TZID=Asia/Seoul" in calendar[0].get_content()

    personal = client.get(link_in(email))
    assert personal.status_code == 200
    assert b"Confirmed" in personal.data and registration.reference.encode() in personal.data


def test_registration_is_queued_not_sent_during_the_request(make_event, register, mailbox):
    event = make_event()
    register(event)
    assert mailbox.messages == []  # the request never talks to SMTP
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 1


def test_registration_works_while_the_mail_server_is_down(make_event, register, deliver_emails, mailbox):
    event = make_event()
    mailbox.refuse = True
    try:
        assert b"You are registered" in register(event).data
        assert "will retry 1" in deliver_emails()
    finally:
        mailbox.refuse = False
    email = db.session.scalar(sa.select(OutboxEmail))
    assert email.attempts == 1 and "451" in email.last_error
    assert email.next_attempt_at > utcnow()


def test_full_event_puts_people_on_the_waiting_list(make_event, register, deliver_emails, mailbox):
    event = make_event(capacity=1)
    register(event, email="first@example.org")

    page = register(event, email="second@example.org")

    assert b"You are on the waiting list" in page.data
    assert b"number <strong>1</strong>" in page.data
    statuses = {r.email: r.status for r in registrations(event)}
    assert statuses == {"first@example.org": RegistrationStatus.CONFIRMED,
                        "second@example.org": RegistrationStatus.WAITLISTED}
    deliver_emails()
    assert mailbox.to("second@example.org")[0]["Subject"].startswith("You are on the waiting list")


def test_full_event_without_waiting_list_says_full(make_event, register):
    event = make_event(capacity=1, waiting_list_enabled=False)
    register(event, email="first@example.org")

    page = register(event, email="second@example.org")

    assert b"This event is full and has no waiting list." in page.data
    assert len(registrations(event)) == 1


def test_same_email_twice_registers_once_and_emails_the_link(make_event, register, deliver_emails, mailbox, client):
    event = make_event()
    register(event, email="Amina.Diallo@Example.org")

    page = register(event, email="amina.diallo@example.org", given_name="Someone", family_name="Else")

    assert b"Check your email" in page.data
    assert b"Amina" not in page.data and b"Confirmed" not in page.data  # nothing revealed on the page
    [registration] = registrations(event)
    assert registration.given_name == "Amina"
    deliver_emails()
    subjects = [m["Subject"] for m in mailbox.to("amina.diallo@example.org")]
    assert f"Your registration link: {event.title}" in subjects
    link_email = [m for m in mailbox.to("amina.diallo@example.org") if "link" in m["Subject"]][0]
    assert client.get(link_in(link_email)).status_code == 200


def test_repeating_the_form_cannot_flood_an_inbox(make_event, register, deliver_emails, mailbox):
    event = make_event()
    for _ in range(5):
        register(event)
    deliver_emails()
    subjects = [m["Subject"] for m in mailbox.to("amina.diallo@example.org")]
    assert len(subjects) == 2  # the confirmation, and one link email


def test_bad_input_is_explained_next_to_each_field_and_kept(make_event, client):
    event = make_event()
    page = client.get(f"/events/{event.slug}")
    data = registration_form(email="not-an-email", given_name="", country="XX", phone="call me", consent=None)
    data["family_name"] = "Diallo"

    response = client.post(f"/events/{event.slug}", data={**data, "csrf_token": csrf_token(page)})

    assert response.status_code == 422
    body = response.data.decode()
    assert "This email address is not valid" in body
    assert "Please enter your given name." in body
    assert "Please choose a country from the list." in body and "Not a valid choice" not in body
    assert "Use digits, spaces" in body
    assert "We can only register you with your consent." in body
    assert 'value="Diallo"' in body  # what was typed is kept
    assert registrations(event) == []


def test_post_without_csrf_token_is_refused(make_event, client):
    event = make_event()
    response = client.post(f"/events/{event.slug}", data=registration_form())
    assert response.status_code == 400
    assert b"This form has expired" in response.data
    assert registrations(event) == []


def test_form_is_not_offered_before_opening_and_posts_are_refused(make_event, client):
    now = utcnow()
    event = make_event(registration_opens_at=now + timedelta(days=3))
    page = client.get(f"/events/{event.slug}")
    assert b"Registration opens on" in page.data
    assert b'name="given_name"' not in page.data

    stale_tab_token = csrf_token(client.get("/login"))
    response = client.post(f"/events/{event.slug}", data={**registration_form(), "csrf_token": stale_tab_token})
    assert b"Registration opens on" in response.data
    assert registrations(event) == []


def test_closed_and_cancelled_events_refuse_registrations(make_event, client, auth):
    from app.models import EventStatus

    closed = make_event(registration_closes_at=utcnow() - timedelta(hours=1))
    cancelled = make_event(status=EventStatus.CANCELLED)
    for event, message in ((closed, b"Registration for this event is closed."),
                           (cancelled, b"This event has been cancelled")):
        page = client.get(f"/events/{event.slug}")
        assert message in page.data
        token = csrf_token(client.get("/login"))
        response = client.post(f"/events/{event.slug}", data={**registration_form(), "csrf_token": token})
        assert message in response.data
        assert registrations(event) == []


def test_draft_events_are_not_public(make_event, client):
    from app.models import EventStatus

    event = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}").status_code == 404
    assert event.title.encode() not in client.get("/").data


def test_home_page_tells_workshops_from_the_forum(make_event, client):
    from app.models import EventKind

    make_event(title="Regional Workshop Africa", capacity=30)
    make_event(title="Daejeon Global Innovation Forum 2026", kind=EventKind.FORUM, capacity=None, slug="dgif-2026")
    make_event(title="Opening Later Workshop", registration_opens_at=utcnow() + timedelta(days=10))
    make_event(title="Long Gone Workshop", starts_at=utcnow() - timedelta(days=400),
               ends_at=utcnow() - timedelta(days=395), registration_opens_at=utcnow() - timedelta(days=500),
               registration_closes_at=utcnow() - timedelta(days=401))

    home = client.get("/").data.decode()
    workshops, forum = home.split('id="forums"')
    assert "Regional Workshop Africa" in workshops and "30 places left" in workshops
    assert "Daejeon Global Innovation Forum 2026" in forum and "Registration open" in forum
    assert "Opens on" in workshops
    assert "Long Gone Workshop" not in home
    assert "Long Gone Workshop" in client.get("/past").data.decode()


def test_event_page_offers_the_event_for_any_calendar(make_event, client):
    import icalendar

    event = make_event(timezone="Africa/Nairobi", city="Nairobi", country="KE")
    page = client.get(f"/events/{event.slug}")
    assert f"/events/{event.slug}/calendar.ics".encode() in page.data

    response = client.get(f"/events/{event.slug}/calendar.ics")

    assert response.mimetype == "text/calendar"
    [entry] = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert entry.decoded("DTSTART") == event.starts_at.replace(microsecond=0)  # iCalendar has whole seconds
    assert entry.decoded("DTSTART").tzinfo.key == "Africa/Nairobi"
    assert "Nairobi" in str(entry["LOCATION"])
