"""Editable emails: an organiser changes an automatic email's subject and text on the Emails page, previews
it, and participants receive it filled in; series texts are used by their editions unless an edition has
its own."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from app.extensions import db
from app.models import EmailText, EventKind, Series
from tests.conftest import csrf_token, html_of, link_in, start_writing, text_of
from tests.integration.organiser_support import add_manager, post_form

EDITED_SUBJECT = "Welcome, {first_name}: {event_title}"
EDITED_BODY = """Dear {first_name} {family_name},

See you at {the_event}, {dates}. Your reference is {reference}.

Keep this link: {personal_link}

We do not allow <script>alert(1)</script> in emails."""


def editor(event_id: int, kind: str = "registration_confirmed") -> str:
    return f"/admin/events/{event_id}/email-texts/{kind}"


def save(client, url: str, subject: str, body: str, action: str = "save"):
    return post_form(client, url, {"subject": subject, "body": body, "action": action})


def email_reference(text: str) -> str:
    return re.search(r"[A-Z0-9]+-[A-Z0-9]{4}", text).group(0)


def saved_texts() -> list[EmailText]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(EmailText)))


def test_an_edited_confirmation_is_previewed_then_received_filled_in_and_escaped(
        make_user, auth, client, make_event, register, deliver_emails, mailbox):
    make_user()
    auth.login()
    event = make_event(title="Daejeon Global Innovation Forum 2026", kind=EventKind.FORUM)
    emails_page = client.get(f"/admin/events/{event.id}/email-texts").get_data(as_text=True)
    assert f'href="/admin/events/{event.id}/email-texts"' in emails_page  # the event's tab
    assert "Place confirmed" in emails_page and "Default" in emails_page

    preview = save(client, editor(event.id), EDITED_SUBJECT, EDITED_BODY, action="preview")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert saved_texts() == []  # a preview saves nothing
    assert 'id="preview-subject">Welcome, Nguyễn Thị: Daejeon Global Innovation Forum 2026<' in page  # sample person
    assert "See you at the Daejeon Global Innovation Forum 2026" in page
    assert 'sandbox=""' in page and "srcdoc=" in page
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in srcdoc and "<script>" not in srcdoc

    saved = save(client, editor(event.id), EDITED_SUBJECT, EDITED_BODY)
    assert saved.status_code == 302
    listing = html.unescape(client.get(f"/admin/events/{event.id}/email-texts").get_data(as_text=True))
    assert re.search(r'id="kind-registration_confirmed">.*?This event\'s own', listing, re.S)
    auth.logout()

    register(event, given_name="Amina", family_name="Diallo", email="amina@example.org")
    deliver_emails()

    [email] = mailbox.to("amina@example.org")
    assert email["Subject"] == "Welcome, Amina: Daejeon Global Innovation Forum 2026"
    text = text_of(email).replace("\r\n", "\n")
    assert text.startswith("Dear Amina Diallo,\n\nSee you at the Daejeon Global Innovation Forum 2026, ")
    assert f"Your reference is {email_reference(text)}." in text
    assert "<script>alert(1)</script>" in text  # the plain text says what the organiser typed
    body = html_of(email)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>" not in body
    assert "WTA Events" in body  # the frame is kept
    assert client.get(link_in(email)).status_code == 200  # the personal link works
    assert email["Reply-To"] == event.contact_email
    assert [p for p in email.iter_attachments() if p.get_content_type() == "text/calendar"]

    # The preview now uses the real registration.
    auth.login()
    page = client.get(editor(event.id)).get_data(as_text=True)
    assert 'id="preview-subject">Welcome, Amina: Daejeon' in page and "registered for this event" in page


def test_unknown_placeholder_and_dropped_link_are_refused_next_to_the_field(make_user, auth, client, make_event):
    make_user()
    auth.login()
    event = make_event()

    response = save(client, editor(event.id), "Hello {nickname}", EDITED_BODY.replace("{personal_link}", "(lost)"))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="subject-error"[^>]*>[^<]*Unknown placeholder \{nickname\}', page), page
    assert re.search(r'id="body-error"[^>]*>[^<]*Please keep \{personal_link\} in this text', page)
    assert saved_texts() == []


def test_reset_brings_the_default_back(make_user, auth, client, make_event, register, deliver_emails, mailbox):
    make_user()
    auth.login()
    event = make_event()
    save(client, editor(event.id), EDITED_SUBJECT, EDITED_BODY)
    assert len(saved_texts()) == 1
    confirm = client.get(editor(event.id) + "/reset")
    assert "Reset the “Place confirmed” email?" in confirm.get_data(as_text=True)

    response = client.post(editor(event.id) + "/reset", data={"csrf_token": csrf_token(confirm)},
                           follow_redirects=True)

    assert "back to the default text" in response.get_data(as_text=True)
    assert saved_texts() == []
    register(event, email="kim@example.org")
    deliver_emails()
    [email] = mailbox.to("kim@example.org")
    assert email["Subject"] == f"Your place is confirmed: {event.title}"
    assert f"Your place at {event.title_in_sentence} is confirmed." in text_of(email)


def test_a_series_text_is_used_by_its_editions_unless_one_has_its_own(
        make_user, auth, client, make_event, register, deliver_emails, mailbox):
    make_user()
    auth.login()
    start_writing()
    series = Series(name="Daejeon Global Innovation Forum", slug="dgif", code="DGIF", kind=EventKind.FORUM,
                    first_year=2014, interval_years=2)
    db.session.add(series)
    db.session.commit()
    no_edition_yet = client.get(f"/admin/series/{series.id}/email-texts/registration_confirmed").get_data(as_text=True)
    assert "a sample person" in no_edition_yet and "Daejeon Global Innovation Forum" in no_edition_yet
    inheriting = make_event(series_id=series.id, series_year=2030, title="", slug="dgif-2030", code="DGIF30")
    own = make_event(series_id=series.id, series_year=2032, title="", slug="dgif-2032", code="DGIF32")
    assert f'href="/admin/series/{series.id}/email-texts"' in client.get(f"/admin/series/{series.id}").get_data(
        as_text=True)
    assert save(client, f"/admin/series/{series.id}/email-texts/registration_confirmed",
                "Series: {event_title}", "Series text for {first_name}. {personal_link}").status_code == 302
    assert save(client, editor(own.id), "Edition: {event_title}",
                "Edition text for {first_name}. {personal_link}").status_code == 302
    listing = html.unescape(client.get(f"/admin/events/{inheriting.id}/email-texts").get_data(as_text=True))
    assert re.search(r'id="kind-registration_confirmed">.*?The series\' text', listing, re.S)

    register(inheriting, given_name="Lan", email="lan@example.org")
    register(own, given_name="Kofi", email="kofi@example.org")
    deliver_emails()

    [lan] = mailbox.to("lan@example.org")
    assert lan["Subject"] == f"Series: {inheriting.title}"
    assert text_of(lan).startswith("Series text for Lan. http://localhost/r/")
    [kofi] = mailbox.to("kofi@example.org")
    assert kofi["Subject"] == f"Edition: {own.title}"
    assert text_of(kofi).startswith("Edition text for Kofi.")


def test_another_organiser_gets_404_and_a_non_admin_cannot_edit_series_texts(make_user, auth, client, make_event):
    make_user("owner@wtanet.org", admin=False)
    other = make_user("other@wtanet.org", admin=False)
    event = make_event()
    start_writing()
    series = Series(name="Workshops", slug="itw", code="ITW", kind=EventKind.INTERNATIONAL_WORKSHOP,
                    first_year=2004, interval_years=1)
    db.session.add(series)
    db.session.commit()
    auth.login("other@wtanet.org")
    for url in (f"/admin/events/{event.id}/email-texts", editor(event.id), editor(event.id) + "/reset"):
        assert client.get(url).status_code == 404
    assert client.post(editor(event.id), data={"subject": "x", "body": "y"}).status_code in (400, 404)
    assert client.get(f"/admin/series/{series.id}/email-texts").status_code == 403
    add_manager(event, other)
    assert client.get(f"/admin/events/{event.id}/email-texts").status_code == 200
    assert client.get(f"/admin/events/{event.id}/email-texts/no_such_email").status_code == 404
