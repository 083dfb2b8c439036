"""The same person applying twice with two addresses: the list flags it, the organiser marks one a duplicate
(nobody is emailed "not selected"), and can undo it."""

from __future__ import annotations

import pytest

from app.models import ApplicationStatus, RegistrationMode, RegistrationStatus
from tests.conftest import csrf_token
from tests.integration.applications_support import add_applications, confirm, decide, registration_of


@pytest.fixture
def workshop(make_event):
    return make_event(registration_mode=RegistrationMode.APPLICATION, capacity=10)


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(name="Ji-woo Park")
    auth.login()
    return user


def apply(register, event, email, given_name, family_name="Diallo", **fields):
    return register(event, email=email, given_name=given_name, family_name=family_name, **fields)


def flagged(client, event, **args) -> str:
    page = client.get(f"/admin/events/{event.id}/applications", query_string=args).get_data(as_text=True)
    return page


def test_the_list_flags_likely_duplicates_and_filters_them(workshop, organiser, register, client):
    apply(register, workshop, "amina@dakar.sn", "Amina", organisation="Dakar Technology Park")
    apply(register, workshop, "amina.diallo@gmail.com", " amina", family_name="DIALLO ",
          organisation="dakar technology park")
    apply(register, workshop, "bao@hanoi.vn", "Bao", family_name="Nguyen", phone="+84 (24) 555-0101")
    apply(register, workshop, "bao.work@hanoi.vn", "Nguyen Van", family_name="Bao", phone="+84 24 555 0101")
    apply(register, workshop, "chidi@lagos.ng", "Chidi", family_name="Okafor", phone="0")
    apply(register, workshop, "dara@lagos.ng", "Dara", family_name="Okafor", phone="0")  # too short to mean anything

    page = flagged(client, workshop)
    assert page.count("Likely duplicate</a>") == 4
    only = flagged(client, workshop, duplicates="y")
    for name in ("Amina", "Bao"):
        assert only.count(f"{name}") >= 2
    assert "Chidi" not in only and "Dara" not in only
    assert "Showing 1–4 of 4" in only


def test_marking_a_duplicate_takes_it_out_quietly_and_can_be_undone(
        workshop, organiser, register, client, deliver_emails, mailbox):
    apply(register, workshop, "amina@dakar.sn", "Amina")
    apply(register, workshop, "amina.diallo@gmail.com", "Amina")
    deliver_emails()
    mailbox.messages.clear()
    keep, extra = registration_of("amina@dakar.sn"), registration_of("amina.diallo@gmail.com")
    url = f"/admin/events/{workshop.id}/applications/{extra.id}"

    page = client.get(url)
    body = page.get_data(as_text=True)
    assert 'id="likely-duplicates"' in body and keep.reference in body

    refused = client.post(url + "/duplicate", data={"of_reference": "NOPE-0000", "csrf_token": csrf_token(page)})
    assert refused.status_code == 422
    assert 'id="of_reference-error">No application of this event has the reference NOPE-0000.</p>' in \
        refused.get_data(as_text=True)
    itself = client.post(url + "/duplicate", data={"of_reference": extra.reference, "csrf_token": csrf_token(page)})
    assert "An application cannot duplicate itself" in itself.get_data(as_text=True)
    assert registration_of("amina.diallo@gmail.com").application.status is ApplicationStatus.SUBMITTED

    done = client.post(url + "/duplicate", data={"of_reference": keep.reference.lower(), "csrf_token": csrf_token(page)},
                       follow_redirects=True)
    body = done.get_data(as_text=True)
    assert "marked as a duplicate. It has left the selection; nobody was emailed." in body
    assert f"{keep.full_name} ({keep.reference})" in body
    extra = registration_of("amina.diallo@gmail.com")
    assert extra.application.status is ApplicationStatus.DUPLICATE
    assert extra.application.duplicate_of_id == keep.id
    assert extra.status is RegistrationStatus.CANCELLED
    assert "Likely duplicate</a>" not in flagged(client, workshop)  # one of the pair is settled

    # Declining everyone else later does not reach the duplicate: it cannot be selected, and is refused if sent.
    refused = decide(client, workshop, ["amina.diallo@gmail.com"], "decline")
    assert refused.status_code == 302
    assert "marked as a duplicate" in client.get(refused.headers["Location"]).get_data(as_text=True)
    confirm(client, workshop, decide(client, workshop, ["amina@dakar.sn"], "accept"))
    deliver_emails()
    assert mailbox.to("amina.diallo@gmail.com") == []

    page = client.get(url)
    undone = client.post(url + "/duplicate/undo", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "back in the selection" in undone.get_data(as_text=True)
    extra = registration_of("amina.diallo@gmail.com")
    assert extra.application.status is ApplicationStatus.SUBMITTED and extra.status is RegistrationStatus.APPLIED
    assert extra.application.duplicate_of_id is None
    deliver_emails()
    assert mailbox.to("amina.diallo@gmail.com") == []


def test_an_accepted_application_is_not_marked_duplicate_behind_the_applicants_back(
        workshop, organiser, register, client):
    apply(register, workshop, "amina@dakar.sn", "Amina")
    apply(register, workshop, "amina.diallo@gmail.com", "Amina")
    confirm(client, workshop, decide(client, workshop, ["amina.diallo@gmail.com"], "accept"))
    extra, keep = registration_of("amina.diallo@gmail.com"), registration_of("amina@dakar.sn")
    url = f"/admin/events/{workshop.id}/applications/{extra.id}"
    page = client.get(url)

    refused = client.post(url + "/duplicate", data={"of_reference": keep.reference, "csrf_token": csrf_token(page)})
    assert "is accepted and was told so" in refused.get_data(as_text=True)
    assert registration_of("amina.diallo@gmail.com").application.status is ApplicationStatus.ACCEPTED


def test_the_duplicate_flags_cost_no_query_per_row(workshop, organiser, count_queries):
    add_applications(workshop, 3)
    few = count_queries(f"/admin/events/{workshop.id}/applications")
    add_applications(workshop, 40, organisation="Same Park", phone="+82 42 555 0000")
    assert count_queries(f"/admin/events/{workshop.id}/applications") == few
    assert count_queries(f"/admin/events/{workshop.id}/applications?duplicates=y") == few
