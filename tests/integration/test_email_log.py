"""The email log: an organiser sees every email of an event and what became of it, sends one again, sends the
personal link; a participant who lost their link asks for it; failed emails show on the dashboard."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Event, OutboxEmail, OutboxStatus, Registration, utcnow
from app.services.mail import notifications
from tests.conftest import BrowserLikeClient, csrf_token, link_in, make_app, start_writing, text_of
from tests.integration.organiser_support import add_registrations, post_action

GONE = "left.the.company@example.org"


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


@pytest.fixture
def one_failed(app, make_event, register, deliver_emails, mailbox, monkeypatch):
    """An event with two registrations: Amina's email delivered, the other's refused by the mail server."""
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)  # given up after the first refusal
    mailbox.unknown_recipients.add(GONE)
    event = make_event()
    register(event, email="amina.diallo@example.org")
    register(event, email=GONE, given_name="Kofi", family_name="Mensah")
    assert "sent 1, will retry 0, gave up 1" in deliver_emails()
    return event


def _email_to(address: str) -> OutboxEmail:
    db.session.rollback()
    return db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_address == address)
                              .order_by(OutboxEmail.id.desc()).limit(1)).one()


def _registration(address: str) -> Registration:
    db.session.rollback()
    return db.session.scalars(sa.select(Registration).where(Registration.email == address)).one()


def test_the_log_lists_each_email_with_its_delivery_and_the_error(organiser, one_failed, client):
    event = one_failed
    page = client.get(f"/admin/events/{event.id}/emails")
    body = page.data.decode()

    assert page.status_code == 200
    assert 'aria-current="page">Emails</a>' in body  # its tab in the event's pages
    assert "Showing 1–2 of 2." in body
    assert body.count(f">Your place is confirmed: {event.title}</a>") == 2
    for text in ("Place confirmed", "amina.diallo@example.org", GONE, "Dr Kofi Mensah", "Sent", "Failed",
                 "1 attempt", "SMTPRecipientsRefused", "5.1.1 No such user here"):
        assert text in body

    failed = client.get(f"/admin/events/{event.id}/emails?status=failed").data.decode()
    assert "Showing 1–1 of 1." in failed and GONE in failed and "amina.diallo@example.org" not in failed
    assert "Showing 1–2 of 2." in client.get(f"/admin/events/{event.id}/emails?kind=registration_confirmed").data.decode()
    assert "No email matches these filters." in client.get(
        f"/admin/events/{event.id}/emails?status=pending").data.decode()


def test_an_email_shows_its_text_and_its_html_is_served_with_no_scripts_allowed(organiser, one_failed, client):
    event = one_failed
    email = _email_to("amina.diallo@example.org")
    page = client.get(f"/admin/events/{event.id}/emails/{email.id}")
    body = page.data.decode()
    assert page.status_code == 200
    assert "Your place at" in body and email.message_id.replace("<", "&lt;").replace(">", "&gt;") in body
    assert f'<iframe class="email-preview" sandbox title="The HTML version of the email"\n        src="/admin/events/{event.id}/emails/{email.id}/body.html"' in body
    assert "<table role=\"presentation\"" not in body  # the stored HTML is never part of the page itself

    html = client.get(f"/admin/events/{event.id}/emails/{email.id}/body.html")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert html.data.decode() == email.body_html
    policy = html.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_registration_page_lists_its_emails_with_their_delivery(organiser, one_failed, client):
    event = one_failed
    kofi = _registration(GONE)
    body = client.get(f"/admin/events/{event.id}/attendees/{kofi.id}").data.decode()
    assert all(text in body for text in ("Failed", "SMTPRecipientsRefused", "5.1.1 No such user here", "Place confirmed"))
    assert f"/admin/events/{event.id}/emails/{_email_to(GONE).id}" in body


def test_sending_an_email_again_delivers_a_copy_with_a_new_message_id(organiser, one_failed, client, mailbox,
                                                                       deliver_emails):
    event = one_failed
    original = _email_to("amina.diallo@example.org")
    [first] = mailbox.to("amina.diallo@example.org")
    log_url = f"/admin/events/{event.id}/emails"

    page = post_action(client, log_url, f"{log_url}/{original.id}/resend", next=f"{log_url}?status=sent")

    assert f"A copy of “Your place is confirmed: {event.title}” is queued to amina.diallo@example.org" in page.data.decode()
    assert page.request.full_path == f"{log_url}?status=sent"
    copy = _email_to("amina.diallo@example.org")
    assert copy.id != original.id and copy.attempts == 0 and copy.status is OutboxStatus.PENDING
    assert copy.message_id != original.message_id
    assert (copy.body_text, copy.body_html, copy.attachments) == (original.body_text, original.body_html,
                                                                  original.attachments)
    deliver_emails()
    first_again, second = mailbox.to("amina.diallo@example.org")
    assert first_again is first
    assert second["Message-ID"] == copy.message_id != first["Message-ID"]
    assert second["Subject"] == first["Subject"] and text_of(second) == text_of(first)
    assert [part.get_filename() for part in second.iter_attachments()] == [f"{event.slug}.ics"]
    assert second["Reply-To"] == "training@wtanet.org"
    assert _email_to("amina.diallo@example.org").status is OutboxStatus.SENT


def test_the_organiser_emails_someone_their_personal_link(organiser, make_event, register, client, mailbox,
                                                        deliver_emails):
    event = make_event()
    register(event)
    deliver_emails()
    mailbox.messages.clear()
    amina = _registration("amina.diallo@example.org")
    page_url = f"/admin/events/{event.id}/attendees/{amina.id}"

    page = post_action(client, page_url, f"{page_url}/send-link")

    assert "Their personal link is being emailed to amina.diallo@example.org." in page.data.decode()
    deliver_emails()
    [message] = mailbox.messages
    assert message["Subject"] == f"Your registration link: {event.title}"
    assert "The organisers of" in text_of(message)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/admin/"))})
    assert "Amina" in client.get(link_in(message)).data.decode()


def test_another_organiser_finds_nothing(make_user, auth, one_failed, client, mailbox):
    event = one_failed
    make_user("other@wtanet.org", admin=False)
    auth.login("other@wtanet.org")
    email = _email_to("amina.diallo@example.org")
    amina = _registration("amina.diallo@example.org")
    token = csrf_token(client.get("/admin/"))
    base = f"/admin/events/{event.id}"

    for url in (f"{base}/emails", f"{base}/emails/{email.id}", f"{base}/emails/{email.id}/body.html"):
        assert client.get(url).status_code == 404, url
    for url in (f"{base}/emails/{email.id}/resend", f"{base}/attendees/{amina.id}/send-link"):
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url
    assert len(db.session.scalars(sa.select(OutboxEmail)).all()) == 2  # nothing queued
    assert "failed email" not in client.get("/admin/").data.decode()


def test_an_email_of_another_event_is_not_found_through_this_one(organiser, one_failed, make_event, client):
    other = make_event()
    email = _email_to("amina.diallo@example.org")
    assert client.get(f"/admin/events/{other.id}/emails/{email.id}").status_code == 404
    token = csrf_token(client.get("/admin/"))
    assert client.post(f"/admin/events/{other.id}/emails/{email.id}/resend",
                       data={"csrf_token": token}).status_code == 404


def test_a_resend_without_the_csrf_token_is_refused(organiser, one_failed, client):
    email = _email_to("amina.diallo@example.org")
    assert client.post(f"/admin/events/{one_failed.id}/emails/{email.id}/resend").status_code == 400


def test_the_dashboard_shows_the_failed_emails_with_a_link_to_them(organiser, one_failed, make_event, client):
    make_event()  # an event with no failure is not listed
    body = client.get("/admin/").data.decode()
    assert "Some emails could not be delivered." in body
    assert f'<a href="/admin/events/{one_failed.id}/emails?status=failed">1 failed email</a> · {one_failed.title}' in body


def test_the_dashboard_says_nothing_when_every_email_went(organiser, make_event, register, deliver_emails, client):
    register(make_event())
    deliver_emails()
    assert "could not be delivered" not in client.get("/admin/").data.decode()


def test_the_log_pages_and_queries_do_not_grow_with_the_emails(organiser, make_event, client, count_queries,
                                                              monkeypatch, app):
    monkeypatch.setitem(app.config, "EMAILS_PER_PAGE", 5)
    small, big = make_event(), make_event()
    _queue_history(small, 2)
    _queue_history(big, 12)
    client.get("/admin/")

    queries = count_queries(f"/admin/events/{small.id}/emails")
    assert count_queries(f"/admin/events/{big.id}/emails") == queries
    assert count_queries(f"/admin/events/{big.id}/emails?page=3&status=sent") == queries
    page = client.get(f"/admin/events/{big.id}/emails?page=2").data.decode()
    assert "Showing 6–10 of 12." in page and 'aria-label="Pages of emails"' in page


def _queue_history(event: Event, count: int) -> None:
    people = add_registrations(event, count)
    start_writing()
    for person in people:
        notifications.queue(db.session, db.session.get(Registration, person.id), "registration_confirmed")
    db.session.execute(sa.update(OutboxEmail).values(status=OutboxStatus.SENT, sent_at=utcnow(), attempts=1))
    db.session.commit()


# --- "Lost your link?" ---------------------------------------------------------------------------

def _ask_for_link(client, address: str, *, event: Event | None = None):
    url = "/lost-link" + (f"?event={event.slug}" if event else "")
    page = client.get(url)
    return client.post(url, data={"email": address, "csrf_token": csrf_token(page)})


def test_a_participant_gets_their_link_again_after_registration_closed(client, make_event, register, mailbox,
                                                                       deliver_emails):
    event = make_event()
    register(event, email="amina.diallo@example.org")
    deliver_emails()
    mailbox.messages.clear()
    start_writing()
    db.session.get(Event, event.id).registration_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert f"/lost-link?event={event.slug}" in client.get(f"/events/{event.slug}").data.decode()
    assert 'href="/lost-link"' in client.get("/").data.decode()

    page = _ask_for_link(client, " Amina.Diallo@Example.org ", event=event)

    assert page.status_code == 200
    assert "If <strong>amina.diallo@example.org</strong> is registered" in page.data.decode()
    deliver_emails()
    [message] = mailbox.messages
    assert message["To"] == "amina.diallo@example.org"
    assert message["Subject"] == f"Your registration link: {event.title}"
    assert message["Reply-To"] == "training@wtanet.org"
    assert "asked for your personal registration link" in text_of(message)
    personal = client.get(link_in(message))
    assert personal.status_code == 200 and "Amina" in personal.data.decode()


def test_one_request_sends_the_link_of_each_registration_of_the_address_only_to_it(client, make_event, register,
                                                                                   mailbox, deliver_emails):
    first, second, third = make_event(), make_event(), make_event()
    register(first, email="amina.diallo@example.org")
    register(second, email="amina.diallo@example.org")
    register(third, email="someone.else@example.org")
    deliver_emails()
    mailbox.messages.clear()

    _ask_for_link(client, "amina.diallo@example.org")
    deliver_emails()

    assert sorted(m["Subject"] for m in mailbox.messages) == sorted(
        f"Your registration link: {e.title}" for e in (first, second))
    assert {m["To"] for m in mailbox.messages} == {"amina.diallo@example.org"}


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, make_event, register, mailbox, deliver_emails):
    event = make_event()
    register(event, email="amina.diallo@example.org")
    deliver_emails()
    mailbox.messages.clear()

    known = _ask_for_link(client, "amina.diallo@example.org", event=event)
    unknown = _ask_for_link(client, "nobody@example.org", event=event)

    assert unknown.status_code == known.status_code == 200
    assert unknown.data.decode().replace("nobody@example.org", "X") == known.data.decode().replace(
        "amina.diallo@example.org", "X")
    deliver_emails()
    assert [m["To"] for m in mailbox.messages] == ["amina.diallo@example.org"]


def test_asking_again_soon_sends_nothing_more(client, make_event, register, mailbox, deliver_emails):
    event = make_event()
    register(event, email="amina.diallo@example.org")
    for _ in range(3):
        assert _ask_for_link(client, "amina.diallo@example.org").status_code == 200
    deliver_emails()
    assert [m["Subject"] for m in mailbox.messages].count(f"Your registration link: {event.title}") == 1


def test_the_form_says_what_is_wrong_with_the_address(client):
    page = _ask_for_link(client, "")
    assert page.status_code == 422
    assert "Please give the email address you registered with." in page.data.decode()


def test_the_lost_link_form_is_rate_limited(database_url, smtp_server, app):
    from app.extensions import limiter

    limited = make_app(database_url, smtp_server.port, RATELIMIT_ENABLED=True, LOST_LINK_RATE_LIMIT="2 per minute")
    limited.test_client_class = BrowserLikeClient
    client = limited.test_client()
    # Counts are kept per client address: each run comes from an address of its own.
    client.environ_base["REMOTE_ADDR"] = "10." + ".".join(str(secrets.randbelow(254) + 1) for _ in range(3))
    try:
        statuses = [_ask_for_link(client, "nobody@example.org").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert client.get("/lost-link").status_code == 200  # reading the form is not counted
    finally:
        limiter.enabled = False  # one Limiter serves every app in this process; the others run unlimited


def test_links_in_the_log_point_at_the_registration(organiser, one_failed, client):
    kofi = _registration(GONE)
    body = client.get(f"/admin/events/{one_failed.id}/emails").data.decode()
    assert re.search(rf'href="/admin/events/{one_failed.id}/attendees/{kofi.id}">Dr Kofi Mensah</a>', body)
