"""Accepted applicants confirm they are coming by a deadline; the organisers release the places nobody confirmed
to the reserve list, whose first applicants are accepted in their place."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import ApplicationStatus, RegistrationMode, RegistrationStatus, utcnow
from app.services.formatting import format_local
from tests.conftest import csrf_token, link_in, start_writing, text_of
from tests.integration.applications_support import confirm, decide, registration_of


@pytest.fixture
def workshop(make_event):
    return make_event(registration_mode=RegistrationMode.APPLICATION, capacity=2, confirm_within_days=7)


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(name="Ji-woo Park")
    auth.login()
    return user


def apply(register, event, email: str, given_name: str):
    return register(event, email=email, given_name=given_name, family_name="Tester")


def accept(client, event, emails):
    confirm(client, event, decide(client, event, emails, "accept"))


def reserve(client, event, emails):
    confirm(client, event, decide(client, event, emails, "waitlist"))


def deadline_passes(email: str):
    """As if the days to confirm had gone by: the deadline is moved into the past."""
    start_writing()
    application = registration_of(email).application
    application.confirm_by = utcnow() - timedelta(minutes=1)
    db.session.commit()


def acceptance_email(mailbox, email):
    [message] = [m for m in mailbox.to(email) if m["Subject"].startswith("Your application is accepted")]
    return message


def test_an_accepted_applicant_confirms_from_the_link_in_the_acceptance_email(
        workshop, organiser, register, client, deliver_emails, mailbox):
    apply(register, workshop, "amina@dakar.sn", "Amina")
    accept(client, workshop, ["amina@dakar.sn"])
    deliver_emails()

    email = acceptance_email(mailbox, "amina@dakar.sn")
    deadline = registration_of("amina@dakar.sn").application.confirm_by
    assert deadline is not None and abs(deadline - (utcnow() + timedelta(days=7))) < timedelta(minutes=5)
    assert f"Please confirm that you are coming by {format_local(deadline, workshop.timezone)}" in text_of(email)

    client.get("/logout")
    page = client.get(link_in(email))
    body = page.get_data(as_text=True)
    assert "I am coming" in body and "I can't come" in body
    assert format_local(deadline, workshop.timezone) in body

    done = client.post(link_in(email) + "/coming", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    body = done.get_data(as_text=True)
    assert "you have confirmed that you are coming" in body
    assert 'id="attendance-confirmed"' in body and "I am coming" not in body
    assert registration_of("amina@dakar.sn").application.attendance_confirmed_at is not None


def test_without_a_deadline_nobody_is_asked_to_confirm(make_event, organiser, register, client, deliver_emails,
                                                       mailbox):
    event = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=2)
    apply(register, event, "amina@dakar.sn", "Amina")
    accept(client, event, ["amina@dakar.sn"])
    deliver_emails()

    email = acceptance_email(mailbox, "amina@dakar.sn")
    assert "confirm that you are coming" not in text_of(email)
    assert "I am coming" not in client.get(link_in(email)).get_data(as_text=True)


def test_an_applicant_who_cannot_come_gives_up_the_place_after_confirming_it(
        workshop, organiser, register, client, deliver_emails, mailbox):
    apply(register, workshop, "amina@dakar.sn", "Amina")
    accept(client, workshop, ["amina@dakar.sn"])
    deliver_emails()
    link = link_in(acceptance_email(mailbox, "amina@dakar.sn"))

    withdraw_page = client.get(link + "/withdraw")
    assert "You have been accepted. If you withdraw, your place goes to someone else" in withdraw_page.get_data(
        as_text=True)
    client.post(link + "/withdraw", data={"csrf_token": csrf_token(withdraw_page)}, follow_redirects=True)

    registration = registration_of("amina@dakar.sn")
    assert registration.application.status is ApplicationStatus.WITHDRAWN
    assert registration.status is RegistrationStatus.CANCELLED


def test_the_organiser_releases_overdue_places_to_the_reserve_list_in_its_order(
        workshop, organiser, register, client, deliver_emails, mailbox):
    for email, name in (("amina@dakar.sn", "Amina"), ("bao@hanoi.vn", "Bao"), ("chidi@lagos.ng", "Chidi"),
                        ("dara@phnompenh.kh", "Dara")):
        apply(register, workshop, email, name)
    accept(client, workshop, ["amina@dakar.sn", "bao@hanoi.vn"])
    reserve(client, workshop, ["chidi@lagos.ng"])  # first on the reserve list
    reserve(client, workshop, ["dara@phnompenh.kh"])
    deliver_emails()
    amina = link_in(acceptance_email(mailbox, "amina@dakar.sn"))
    page = client.get(amina)
    client.post(amina + "/coming", data={"csrf_token": csrf_token(page)})
    client.get("/login")
    deadline_passes("bao@hanoi.vn")

    page = client.get(f"/admin/events/{workshop.id}/applications/confirmations").get_data(as_text=True)
    counts = page[page.index('id="confirmation-counts"'):page.index("</ul>", page.index('id="confirmation-counts"'))]
    assert "<strong>1</strong> confirmed" in counts and "<strong>0</strong> not confirmed yet" in counts
    assert "<strong>1</strong> not confirmed, past their deadline" in counts
    overdue = client.get(f"/admin/events/{workshop.id}/applications?confirmation=overdue").get_data(as_text=True)
    assert "Bao Tester" in overdue and "Amina Tester" not in overdue

    plan = client.get(f"/admin/events/{workshop.id}/applications/release")
    body = plan.get_data(as_text=True)
    assert "<strong>1</strong> acceptance will lapse" in body
    assert "<strong>1</strong> applicant will be accepted from the reserve list" in body
    assert "<strong>2 emails</strong> will go out" in body
    lapse = body[body.index('id="to-lapse"'):body.index("</ul>", body.index('id="to-lapse"'))]
    promote = body[body.index('id="to-promote"'):body.index("</ol>", body.index('id="to-promote"'))]
    assert "Bao Tester" in lapse and "Amina" not in lapse
    assert "Chidi Tester" in promote and "Dara" not in promote
    assert registration_of("bao@hanoi.vn").application.status is ApplicationStatus.ACCEPTED  # nothing changed yet

    done = client.post(f"/admin/events/{workshop.id}/applications/release", data={"csrf_token": csrf_token(plan)},
                       follow_redirects=True)
    assert "1 unconfirmed place released, 1 accepted from the reserve list, and 2 emails are on the way" in \
        done.get_data(as_text=True)

    bao, chidi, dara = (registration_of(e) for e in ("bao@hanoi.vn", "chidi@lagos.ng", "dara@phnompenh.kh"))
    assert bao.application.status is ApplicationStatus.LAPSED and bao.status is RegistrationStatus.CANCELLED
    assert chidi.application.status is ApplicationStatus.ACCEPTED and chidi.status is RegistrationStatus.CONFIRMED
    assert chidi.application.confirm_by > utcnow() + timedelta(days=6)  # their own seven days
    assert dara.application.status is ApplicationStatus.WAITLISTED

    deliver_emails()
    [lapsed] = [m for m in mailbox.to("bao@hanoi.vn") if m["Subject"].startswith("Your place has been released")]
    assert "we have offered your place to someone on our reserve list" in text_of(lapsed)
    bao_page = client.get(link_in(lapsed)).get_data(as_text=True)
    assert "Place released" in bao_page and "I am coming" not in bao_page

    chidi_email = acceptance_email(mailbox, "chidi@lagos.ng")
    assert "Please confirm that you are coming by" in text_of(chidi_email)
    assert "I am coming" in client.get(link_in(chidi_email)).get_data(as_text=True)
    assert not [m for m in mailbox.to("dara@phnompenh.kh") if "accepted" in m["Subject"]]
    assert not [m for m in mailbox.to("amina@dakar.sn") if "released" in m["Subject"]]


def test_a_late_confirmation_still_counts_until_the_place_is_released(
        workshop, organiser, register, client, deliver_emails, mailbox):
    apply(register, workshop, "bao@hanoi.vn", "Bao")
    accept(client, workshop, ["bao@hanoi.vn"])
    deliver_emails()
    deadline_passes("bao@hanoi.vn")
    link = link_in(acceptance_email(mailbox, "bao@hanoi.vn"))

    page = client.get(link)
    assert "the deadline was" in page.get_data(as_text=True)
    client.post(link + "/coming", data={"csrf_token": csrf_token(page)})

    plan = client.get(f"/admin/events/{workshop.id}/applications/release").get_data(as_text=True)
    assert "Nothing to release" in plan


def test_the_deadline_is_set_on_the_confirmations_page(make_event, organiser, client):
    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    url = f"/admin/events/{event.id}/applications/confirmations"
    page = client.get(url)

    for typed, message in (("seven", "Enter a whole number of days, e.g. 7."),
                           ("0", "Enter a number of days from 1 to 90, or leave it empty.")):
        refused = client.post(url, data={"confirm_within_days": typed, "csrf_token": csrf_token(page)})
        assert refused.status_code == 422
        assert f'id="confirm_within_days-error">{message}</p>' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert event.confirm_within_days is None

    saved = client.post(url, data={"confirm_within_days": "10", "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Accepted applicants now have 10 days to confirm." in saved.get_data(as_text=True)
    db.session.expire_all()
    assert event.confirm_within_days == 10


def test_the_confirmation_pages_are_for_the_event_managers_only(workshop, make_user, auth, client):
    make_user(email="other@wtanet.org", admin=False)
    auth.login("other@wtanet.org")
    assert client.get(f"/admin/events/{workshop.id}/applications/confirmations").status_code == 404
    assert client.get(f"/admin/events/{workshop.id}/applications/release").status_code == 404


def test_email_these_people_from_the_overdue_filter_reaches_only_the_overdue(
        workshop, organiser, register, client, deliver_emails, mailbox):
    for email, name in (("amina@dakar.sn", "Amina"), ("bao@hanoi.vn", "Bao")):
        apply(register, workshop, email, name)
    accept(client, workshop, ["amina@dakar.sn", "bao@hanoi.vn"])
    deadline_passes("bao@hanoi.vn")

    listing = client.get(f"/admin/events/{workshop.id}/applications?status=accepted&confirmation=overdue").text
    link = re.search(r'href="([^"]*/messages/new[^"]*confirmation=overdue[^"]*)"', listing).group(1)
    compose = client.get(html.unescape(link))
    assert "<strong>1</strong> people now" in compose.text or "<strong>1</strong> person now" in compose.text
    assert "not confirmed, past the deadline" in compose.text
