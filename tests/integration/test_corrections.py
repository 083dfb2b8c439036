"""Correcting people's data: managers correct a registration (documents and both email addresses follow),
participants correct their own details from the personal link until the event's deadline, and ask for a
correction when their name is locked."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import CorrectionRequest, Registration, utcnow
from tests.conftest import csrf_token, link_in, registration_form, text_of
from tests.integration.documents_support import (
    attend,
    pdf_text,
    registration_by_email,
    verification_code_in,
    visa_fields,
)
from tests.integration.organiser_support import add_manager, add_registrations, edit_form, post_action, post_form


def _registration_page(registration: Registration) -> str:
    return f"/admin/events/{registration.event_id}/attendees/{registration.id}"


def _details(registration: Registration, **changes) -> dict:
    """The edit form as it comes filled in, with `changes` typed over it (the organisers' form adds the role)."""
    data = {name: getattr(registration, name) for name in (
        "given_name", "family_name", "email", "organisation", "position", "country", "phone", "dietary_needs",
        "accessibility_needs")}
    data |= {"title": registration.title.value if registration.title else "",
             "organisation_type": registration.organisation_type.value, "role": registration.role.value}
    data.update(changes)
    return data


def _correct(client, registration: Registration, **changes):
    """A manager opens "Edit details" on the registration's page, types the changes and saves."""
    page = client.get(_registration_page(registration))
    assert b'id="edit-details"' in page.data
    url = _registration_page(registration) + "/edit"
    return post_form(client, url, _details(registration, **changes), follow_redirects=True)


def _reload(registration: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def _past_workshop(make_event):
    now = utcnow()
    return make_event(registration_opens_at=now - timedelta(days=60), registration_closes_at=now - timedelta(days=30),
                      starts_at=now - timedelta(days=5, hours=12), ends_at=now - timedelta(days=1, hours=12))


def test_a_manager_fixes_a_misspelt_name_and_the_certificate_is_issued_again(
    make_event, make_user, auth, client, deliver_emails, mailbox
):
    event = _past_workshop(make_event)
    [registration] = add_registrations(event, 1, given_name="Amina", family_name="Dialo", email="amina@example.org")
    attend(event, registration, 5)
    make_user()
    auth.login()
    post_action(client, _registration_page(registration), _registration_page(registration) + "/certificate")
    deliver_emails()
    [first] = mailbox.to("amina@example.org")
    old_text = pdf_text(next(first.iter_attachments()).get_content())
    assert "Amina Dialo" in old_text
    old_code = verification_code_in(old_text)

    done = _correct(client, registration, family_name="Diallo")
    assert "The registration is corrected." in done.data.decode()
    assert "issued them again with new verification codes" in done.data.decode()
    assert b"<dd>Diallo</dd>" in done.data
    deliver_emails()

    second = mailbox.to("amina@example.org")[-1]
    assert second["Subject"] == f"Your certificate of attendance: {event.title}"
    new_text = pdf_text(next(second.iter_attachments()).get_content())
    assert "Amina Diallo" in new_text and "Dialo" not in new_text
    new_code = verification_code_in(new_text)
    assert new_code != old_code and new_code in text_of(second)
    downloaded = client.get(link_in(second) + "/certificate.pdf")
    assert "Amina Diallo" in pdf_text(downloaded.data) and new_code in pdf_text(downloaded.data)

    current = client.get(f"/verify/{new_code}")
    assert b"Genuine" in current.data and b"Amina Diallo" in current.data
    replaced = client.get(f"/verify/{old_code}")
    assert replaced.status_code == 200 and b"Genuine" not in replaced.data
    text = replaced.data.decode()
    assert "Replaced by a newer document." in text and "Amina Dialo" in text and "Amina Diallo" in text


def test_the_visa_letter_and_the_badge_carry_the_corrected_name(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    event = make_event()
    register(event, family_name="Dialo", **visa_fields())
    registration = registration_by_email("amina.diallo@example.org")
    make_user()
    auth.login()
    documents = f"/admin/events/{event.id}/documents"
    request_id = db.session.scalar(sa.text("SELECT id FROM visa_requests"))
    post_action(client, documents, f"{documents}/visa/{request_id}/approve")
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])
    old_letter = pdf_text(client.get(link + "/visa-letter.pdf").data)
    assert "Amina Dialo of Dakar Technology Park" in old_letter
    old_code = verification_code_in(old_letter)

    _correct(client, registration, family_name="Diallo")
    deliver_emails()
    ready_again = mailbox.to("amina.diallo@example.org")[-1]
    assert ready_again["Subject"] == f"Your visa invitation letter is ready: {event.title}"
    letter = pdf_text(client.get(link_in(ready_again) + "/visa-letter.pdf").data)
    assert "Amina Diallo of Dakar Technology Park" in letter
    new_code = verification_code_in(letter)
    assert new_code != old_code
    assert b"Replaced by a newer document" in client.get(f"/verify/{old_code}").data
    assert b"Genuine" in client.get(f"/verify/{new_code}").data

    badge = client.get(f"{documents}/badges.pdf?layout=a6")
    assert "Diallo" in pdf_text(badge.data) and "Dialo " not in pdf_text(badge.data) + " "


def test_changing_the_email_sends_the_link_to_the_new_address_and_tells_the_old_one(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    event = make_event()
    register(event)
    deliver_emails()
    old_link = link_in(mailbox.to("amina.diallo@example.org")[0])
    registration = registration_by_email("amina.diallo@example.org")
    make_user()
    auth.login()

    done = _correct(client, registration, email="  Amina.Diallo@NewMail.org ")
    assert "We are emailing the personal link to the new address, and telling amina.diallo@example.org" in (
        done.data.decode())
    assert _reload(registration).email == "amina.diallo@newmail.org"
    deliver_emails()

    [to_new] = mailbox.to("amina.diallo@newmail.org")
    assert to_new["Subject"] == f"Your registration now uses this address: {event.title}"
    assert "instead of amina.diallo@example.org" in text_of(to_new)
    page = client.get(link_in(to_new))
    assert page.status_code == 200 and registration.reference.encode() in page.data
    to_old = mailbox.to("amina.diallo@example.org")[-1]
    assert to_old["Subject"] == f"Your registration moved to another address: {event.title}"
    assert "to amina.diallo@newmail.org" in text_of(to_old)
    assert "/r/" not in text_of(to_old)  # the old address may be someone else's: no link to the registration
    # The personal link stays the same: the token names the registration, not the address.
    assert client.get(old_link).status_code == 200


def test_an_address_another_registration_uses_is_refused_next_to_the_field(make_event, make_user, auth, client):
    event = make_event()
    [first] = add_registrations(event, 1, email="first@example.org")
    add_registrations(event, 1, email="second@example.org")
    make_user()
    auth.login()

    refused = post_form(client, _registration_page(first) + "/edit",
                        _details(first, email="second@example.org", organisation="Changed Park"))
    assert refused.status_code == 422
    assert re.search(r'id="email-error">Another registration for this event already uses second@example.org',
                     refused.data.decode())
    assert (_reload(first).email, _reload(first).organisation) == ("first@example.org", "Test Science Park")


def test_bad_input_is_refused_next_to_the_field_and_nothing_changes(make_event, make_user, auth, client):
    event = make_event()
    [registration] = add_registrations(event, 1, given_name="Amina", email="amina@example.org")
    make_user()
    auth.login()

    refused = post_form(client, _registration_page(registration) + "/edit",
                        _details(registration, given_name="  ", phone="call me", country="XX", role="boss"))
    assert refused.status_code == 422
    html = refused.data.decode()
    assert 'id="given_name-error">Please enter your given name.' in html
    assert 'id="phone-error">Use digits, spaces' in html
    assert 'id="country-error">Please choose a country from the list.' in html
    assert 'id="role-error">' in html
    assert _reload(registration).given_name == "Amina" and _reload(registration).phone == ""


def test_another_organiser_cannot_edit_a_registration(make_event, make_user, auth, client):
    event = make_event()
    [registration] = add_registrations(event, 1)
    make_user(admin=False)
    auth.login()
    assert client.get(_registration_page(registration) + "/edit").status_code == 404


def test_a_participant_corrects_their_organisation_from_the_personal_link(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    event = make_event()
    register(event)
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    page = client.get(link)
    assert b"Correct my details" in page.data

    form = client.get(link + "/details")
    assert form.status_code == 200 and b'value="Dakar Technology Park"' in form.data
    data = {k: v for k, v in registration_form(organisation="Senegal Digital Park", email="thief@example.org").items()
            if k != "consent"}
    saved = client.post(link + "/details", data={**data, "csrf_token": csrf_token(form)}, follow_redirects=True)
    assert b"Your details are saved." in saved.data and b"Senegal Digital Park" in saved.data
    registration = registration_by_email("amina.diallo@example.org")  # the address is not theirs to change here
    assert registration.organisation == "Senegal Digital Park"

    make_user()
    auth.login()
    assert b"Senegal Digital Park" in client.get(_registration_page(registration)).data


def test_a_participant_bad_input_is_shown_next_to_the_field(make_event, register, client, deliver_emails, mailbox):
    event = make_event()
    register(event)
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    form = client.get(link + "/details")
    data = {k: v for k, v in registration_form(organisation="", phone="abc").items() if k != "consent"}
    refused = client.post(link + "/details", data={**data, "csrf_token": csrf_token(form)})
    assert refused.status_code == 422
    assert b'id="organisation-error">Please enter your organisation.' in refused.data
    assert b'id="phone-error">' in refused.data
    assert registration_by_email("amina.diallo@example.org").organisation == "Dakar Technology Park"


def test_after_the_deadline_the_page_says_so_and_a_change_is_refused(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    event = make_event()
    register(event)
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    assert client.get(link + "/details").status_code == 200

    # The organisers set the deadline on the event form: a moment after the event ends is refused.
    make_user()
    auth.login()
    edit = f"/admin/events/{event.id}/edit"
    late = post_form(client, edit, edit_form(event, details_editable_until="2099-01-01 10:00"))
    assert late.status_code == 422 and b'id="details_editable_until-error">Corrections must end before' in late.data
    yesterday = event.local(utcnow() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    saved = post_form(client, edit, edit_form(event, details_editable_until=yesterday), follow_redirects=True)
    assert saved.status_code == 200
    auth.logout()

    page = client.get(link)
    assert b"Correct my details" not in page.data and b"can no longer be changed here" in page.data
    closed = client.get(link + "/details")
    assert b"Your details could be changed until" in closed.data and b"<form" not in closed.data.split(b"<main")[-1]
    data = {k: v for k, v in registration_form(organisation="Too Late Park").items() if k != "consent"}
    token = csrf_token(client.get("/lost-link"))  # signing in and out began a new session: the old token is void
    refused = client.post(link + "/details", data={**data, "csrf_token": token})
    assert refused.status_code == 403 and b"Your details could be changed until" in refused.data
    assert registration_by_email("amina.diallo@example.org").organisation == "Dakar Technology Park"


def test_a_locked_name_is_corrected_on_request_and_the_managers_are_told(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    event = make_event()
    register(event, given_name="Amna")
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    manager = make_user(email="manager@wtanet.org", admin=False, name="Lee Hana")
    add_manager(event, manager)
    make_user()  # an administrator, who reads the settings
    auth.login()
    edit = f"/admin/events/{event.id}/edit"
    post_form(client, edit, edit_form(event, names_locked="y"), follow_redirects=True)
    auth.logout()

    form = client.get(link + "/details")
    assert b'id="name-locked"' in form.data and b'name="given_name"' not in form.data
    data = {k: v for k, v in registration_form(given_name="Someone Else", position="Head").items() if k != "consent"}
    client.post(link + "/details", data={**data, "csrf_token": csrf_token(form)}, follow_redirects=True)
    registration = registration_by_email("amina.diallo@example.org")
    assert (registration.given_name, registration.position) == ("Amna", "Head")  # the name field was not there

    ask = client.get(link + "/correction")
    empty = client.post(link + "/correction", data={"message": " ", "csrf_token": csrf_token(ask)})
    assert empty.status_code == 422 and b'id="message-error">Please say what should be corrected.' in empty.data
    sent = client.post(link + "/correction", data={"message": "My given name is Amina, not Amna.",
                                                    "csrf_token": csrf_token(ask)}, follow_redirects=True)
    assert b"Your request is sent to the organisers." in sent.data
    deliver_emails()
    [alert] = mailbox.to("manager@wtanet.org")
    assert alert["Subject"] == f"Amna Diallo asks for a correction: {event.title}"
    assert "My given name is Amina, not Amna." in text_of(alert)

    auth.login()
    assert b"1 open correction request</a>" in client.get("/admin/").data
    listing = client.get(f"/admin/events/{event.id}/attendees")
    assert b"Open correction requests (1)" in listing.data and b"My given name is Amina, not Amna." in listing.data
    page = client.get(_registration_page(registration))
    assert b'id="open-corrections"' in page.data
    _correct(client, registration, given_name="Amina")
    request = db.session.scalar(sa.select(CorrectionRequest))
    done = post_action(client, _registration_page(registration),
                       f"{_registration_page(registration)}/corrections/{request.id}/done")
    assert b"The correction request is marked done." in done.data and b'id="open-corrections"' not in done.data
    assert b"Open correction requests" not in client.get(f"/admin/events/{event.id}/attendees").data
    assert b"open correction request" not in client.get("/admin/").data
    assert _reload(registration).given_name == "Amina"


def test_a_viewer_reads_a_correction_request_without_the_managers_buttons(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    from app.models import TeamRole
    from tests.integration.organiser_support import add_to_team

    event = make_event()
    register(event)
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    ask = client.get(link + "/correction")
    client.post(link + "/correction", data={"message": "My given name is Aminata.", "csrf_token": csrf_token(ask)})
    viewer = make_user("viewer@wtanet.org", admin=False, name="Vic Viewer")
    add_to_team(event, viewer, TeamRole.VIEWER)
    registration = registration_by_email("amina.diallo@example.org")

    auth.login("viewer@wtanet.org")
    page = client.get(_registration_page(registration)).get_data(as_text=True)
    assert "My given name is Aminata." in page
    # Editing, resolving and the history answer 403 to a viewer: the page does not offer them.
    for manager_only in ("Edit details", "Mark done", "History of changes"):
        assert manager_only not in page, manager_only
    assert client.get(f"{_registration_page(registration)}/edit").status_code == 403
    assert client.get(f"{_registration_page(registration)}/history").status_code == 403
