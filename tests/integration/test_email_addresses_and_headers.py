"""Every address we accept can be delivered to, and every email says where replies go."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import EventKind, OutboxEmail, Registration, RegistrationMode
from tests.conftest import text_of
from tests.integration.organiser_support import event_form, event_titled, post_form


def registration_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration))


def outbox_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail))


# --- addresses ---------------------------------------------------------------------------

def test_an_address_with_accents_before_the_at_is_refused_next_to_the_field(make_event, register):
    event = make_event()

    page = register(event, email="jöhn@example.org", organisation="Kept as typed")

    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert ('id="email-error">Please use an address written with Latin letters only (a–z, 0–9, . _ -) before the @: '
            "our emails cannot be delivered to one with “ö” there.") in html
    assert re.search(r'aria-describedby="[^"]*\bemail-error\b[^"]*"', html) and 'aria-invalid="true"' in html
    assert 'value="Kept as typed"' in html
    assert registration_count() == 0 and outbox_count() == 0


def test_an_application_form_refuses_it_the_same_way(make_event, register):
    workshop = make_event(registration_mode=RegistrationMode.APPLICATION)

    page = register(workshop, email="JOSÉ@example.org")

    assert page.status_code == 422
    assert "“É” there" in page.get_data(as_text=True)
    assert registration_count() == 0


def test_an_internationalised_domain_is_kept_in_the_form_that_reaches_it(make_event, register, deliver_emails, mailbox):
    event = make_event()

    assert b"You are registered" in register(event, email="Amina@Bücher.example").data

    [registration] = db.session.scalars(sa.select(Registration))
    assert registration.email == "amina@xn--bcher-kva.example"  # the same mailbox, written in ASCII
    assert "sent 1" in deliver_emails()
    assert mailbox.messages[0]["To"] == "amina@xn--bcher-kva.example"


def test_an_organiser_cannot_give_an_event_an_undeliverable_contact_address(make_user, auth, client):
    make_user()
    auth.login()

    page = post_form(client, "/admin/events/new", event_form(contact_email="sécretariat@wtanet.org"))

    assert page.status_code == 422
    assert 'id="contact_email-error">Please use an address written with Latin letters only' in page.get_data(as_text=True)


# --- headers -----------------------------------------------------------------------------

def test_a_title_typed_with_a_line_break_is_saved_on_one_line(make_user, auth, client):
    make_user()
    auth.login()

    # A browser's text box cannot send a line break; a crafted request can.
    post_form(client, "/admin/events/new", event_form(title="Daejeon Forum\r\nBcc: everyone@example.org",
                                                      slug="forum-2030"))

    event = event_titled("Daejeon Forum Bcc: everyone@example.org")
    assert "\n" not in event.title and "\r" not in event.title


def test_an_event_saved_with_a_line_break_in_its_title_still_gets_its_emails_out(make_event, register,
                                                                                   deliver_emails, mailbox):
    event = make_event(title="Daejeon Global\r\nInnovation Forum")  # written before forms kept titles on one line

    register(event, email="amina@example.org")
    register(event, email="kofi@example.org")

    assert "sent 2" in deliver_emails()
    db.session.rollback()
    # Stored as the worker wrote them (drafts until then), on one line.
    assert db.session.scalars(sa.select(OutboxEmail.subject)).all() == [
        "Your place is confirmed: Daejeon Global Innovation Forum"] * 2
    assert {m["Subject"] for m in mailbox.messages} == {"Your place is confirmed: Daejeon Global Innovation Forum"}


def test_every_participant_email_says_where_replies_go_and_that_it_is_automatic(make_event, register,
                                                                                deliver_emails, mailbox):
    forum = make_event(kind=EventKind.FORUM, contact_email="forum@wtanet.org")
    workshop = make_event(registration_mode=RegistrationMode.APPLICATION, contact_email="training@wtanet.org")

    register(forum, email="amina@example.org")      # a registration confirmation
    register(workshop, email="kofi@example.org")    # an application received
    deliver_emails()

    [confirmation] = mailbox.to("amina@example.org")
    [received] = mailbox.to("kofi@example.org")
    assert confirmation["Subject"].startswith("Your place is confirmed")
    assert received["Subject"].startswith("We have received your application")
    for email, contact in ((confirmation, "forum@wtanet.org"), (received, "training@wtanet.org")):
        assert email["Reply-To"] == contact
        assert email["Auto-Submitted"] == "auto-generated"
        assert email["From"] == "WTA Events <events@example.org>"
        assert f"Questions? Write to {contact}." in text_of(email)  # what the text promises, the reply does
