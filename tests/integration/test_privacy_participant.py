"""A participant's own data: what they consented to is kept, they download everything held about them, ask
for its deletion (the organisers carry it out), their passport data goes when the registration ends, and their
personal link stops working some time after the event, with a way to get a new one."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, Registration, RegistrationMode, VisaRequest, utcnow
from tests.conftest import csrf_token, link_in, registration_form, start_writing
from tests.integration.applications_support import confirm, decide
from tests.integration.documents_support import registration_by_email, visa_fields
from tests.integration.organiser_support import post_form
from tests.integration.privacy_support import move_to_the_past, purge
from tests.integration.questions_support import add_question


def _passport_of(email: str) -> tuple:
    db.session.expire_all()
    visa = db.session.scalar(sa.select(VisaRequest).where(VisaRequest.registration_id == registration_by_email(email).id))
    return visa.passport_name, visa.nationality, visa.date_of_birth, visa.passport_number, visa.passport_expiry


def _my_link(register, deliver_emails, mailbox, event, email="amina.diallo@example.org", **fields) -> str:
    register(event, email=email, **fields)
    deliver_emails()
    return link_in(mailbox.to(email)[-1])


def test_the_consent_given_is_recorded_with_its_version_and_notice(make_event, register, app, client, monkeypatch,
                                                                  make_user, auth):
    event = make_event()
    form = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f'href="{app.config["PRIVACY_NOTICE_URL"]}"' in form  # beside the consent box
    register(event)
    monkeypatch.setitem(app.config, "CONSENT_VERSION", "2027-03")  # the text changes
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_URL", "https://www.wtanet.org/privacy-2027")
    register(event, email="kim@example.org")
    register(make_event(), email="amina.diallo@example.org")  # her next registration: a new record

    # Amina has two registrations now: the first is the one of the first event.
    first = db.session.scalars(sa.select(Registration).where(Registration.email == "amina.diallo@example.org",
                                                             Registration.event_id == event.id)).one()
    later = registration_by_email("kim@example.org")
    assert (first.consent_version, first.privacy_notice_url) == ("2026-12", "https://www.wtanet.org/privacy")
    assert (later.consent_version, later.privacy_notice_url) == ("2027-03", "https://www.wtanet.org/privacy-2027")
    make_user()
    auth.login()
    page = client.get(f"/admin/events/{event.id}/attendees/{first.id}").get_data(as_text=True)
    assert "text version <code>2026-12</code>" in page


def test_the_data_export_holds_the_persons_data_and_nobody_elses(make_event, register, deliver_emails, mailbox, client):
    event = make_event()
    motivation = add_question(event, "short_text", "Your park's name")
    link = _my_link(register, deliver_emails, mailbox, event, dietary_needs="Halal", **visa_fields(),
                    **{motivation.field_name: "Thiès Tech Park"})
    register(event, email="kim@example.org", given_name="Min-jun", family_name="Kim", phone="+82 42 000 0000")

    page = client.get(link + "/my-data")
    download = client.get(link + "/my-data.json")

    assert page.status_code == download.status_code == 200
    assert "no-store" in download.headers["Cache-Control"] and "no-store" in page.headers["Cache-Control"]
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.data)
    assert data["registration"]["email"] == "amina.diallo@example.org"
    assert data["registration"]["dietary_needs"] == "Halal"
    assert data["registration"]["consent_version"] == "2026-12"
    assert data["answers"] == [{"question": "Your park's name", "answer": "Thiès Tech Park"}]
    assert data["visa_request"]["passport_number"] == "A1234567"
    assert [e["to"] for e in data["emails"]] == ["amina.diallo@example.org"]
    assert "Kim" not in download.get_data(as_text=True) and "kim@example.org" not in download.get_data(as_text=True)
    text = page.get_data(as_text=True)
    assert "Thiès Tech Park" in text and "A1234567" in text and "Kim" not in text


def test_a_deletion_request_is_confirmed_seen_by_organisers_and_carried_out(
    make_event, register, deliver_emails, mailbox, client, make_user, auth
):
    event = make_event()
    link = _my_link(register, deliver_emails, mailbox, event)
    cancel_page = client.get(link + "/cancel")
    client.post(link + "/cancel", data={"csrf_token": csrf_token(cancel_page)})

    confirm_page = client.get(link + "/delete-my-data")
    assert "Delete your data?" in confirm_page.get_data(as_text=True)
    assert registration_by_email("amina.diallo@example.org").deletion_requested_at is None  # the GET changes nothing
    done = client.post(link + "/delete-my-data", data={"csrf_token": csrf_token(confirm_page)}, follow_redirects=True)
    assert "We have your request" in done.get_data(as_text=True)
    registration = registration_by_email("amina.diallo@example.org")
    assert registration.deletion_requested_at is not None

    make_user()
    auth.login()
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert f'href="/admin/events/{event.id}/privacy#requests">1 request</a>' in dashboard
    requests_page = client.get(f"/admin/events/{event.id}/privacy").get_data(as_text=True)
    assert "Amina Diallo" in requests_page and "Delete the data…" in requests_page
    person_page = client.get(f"/admin/events/{event.id}/attendees/{registration.id}").get_data(as_text=True)
    assert 'id="deletion-requested"' in person_page
    anonymise_url = f"/admin/events/{event.id}/attendees/{registration.id}/anonymise"
    assert "cannot be undone" in client.get(anonymise_url).get_data(as_text=True)
    assert registration_by_email("amina.diallo@example.org") is not None  # the confirmation page changes nothing
    done = post_form(client, anonymise_url, {}, follow_redirects=True).get_data(as_text=True)

    assert "The personal data of Amina Diallo is deleted" in done
    assert "Nobody has asked for their data to be deleted." in done
    assert registration_by_email("amina.diallo@example.org") is None
    assert client.get(link).status_code == 410
    person_page = client.get(f"/admin/events/{event.id}/attendees/{registration.id}").get_data(as_text=True)
    assert 'id="anonymised"' in person_page and "Email them their personal link" not in person_page
    assert "amina" not in person_page.lower()


def test_a_deletion_request_waits_while_the_person_still_has_a_place(
    make_event, register, deliver_emails, mailbox, client, runner
):
    event = make_event()
    link = _my_link(register, deliver_emails, mailbox, event)
    page = client.get(link + "/delete-my-data")
    assert 'id="still-registered"' in page.get_data(as_text=True)
    client.post(link + "/delete-my-data", data={"csrf_token": csrf_token(page)})

    assert "0 registrations anonymised" in purge(runner)  # a nameless person would hold a seat
    move_to_the_past(event, ended_days_ago=1)
    assert "1 registration anonymised" in purge(runner)  # the event is over: the purge carries the request out
    assert registration_by_email("amina.diallo@example.org") is None


def test_passport_data_goes_when_the_registration_is_cancelled(make_event, register, deliver_emails, mailbox, client):
    event = make_event()
    link = _my_link(register, deliver_emails, mailbox, event, **visa_fields())
    assert _passport_of("amina.diallo@example.org")[3] == "A1234567"

    cancel_page = client.get(link + "/cancel")
    client.post(link + "/cancel", data={"csrf_token": csrf_token(cancel_page)})

    assert _passport_of("amina.diallo@example.org") == (None, None, None, None, None)
    assert "Your passport details have been deleted" in client.get(link).get_data(as_text=True)


def test_passport_data_goes_when_the_application_is_declined(make_event, register, client, make_user, auth):
    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    register(event, **visa_fields())
    register(event, email="kim@example.org", **visa_fields(visa_passport_number="M7654321"))
    make_user()
    auth.login()

    confirm(client, event, decide(client, event, ["amina.diallo@example.org"], "decline"))

    assert _passport_of("amina.diallo@example.org") == (None, None, None, None, None)
    assert _passport_of("kim@example.org")[3] == "M7654321"  # the others' requests stay


def test_a_personal_link_expires_after_the_event_and_a_new_one_can_be_asked_for(
    make_event, register, deliver_emails, mailbox, client, app
):
    event = make_event()
    link = _my_link(register, deliver_emails, mailbox, event)
    days = app.config["PERSONAL_LINK_DAYS_AFTER_EVENT"]
    move_to_the_past(event, ended_days_ago=days - 1)
    assert client.get(link).status_code == 200

    move_to_the_past(event, ended_days_ago=days + 1)
    expired = client.get(link)
    text = expired.get_data(as_text=True)
    assert expired.status_code == 410 and "This link no longer works" in text
    assert client.get(link + "/my-data.json").status_code == 410  # every page of the link
    start_writing()  # the last link email is older than the resend interval
    db.session.execute(sa.text("UPDATE outbox_emails SET created_at = :at"), {"at": utcnow() - timedelta(days=days)})
    db.session.commit()

    form = client.get(f"/lost-link?event={event.slug}")
    assert f'/lost-link?event={event.slug}' in text
    client.post(f"/lost-link?event={event.slug}",
                data={"email": "amina.diallo@example.org", "csrf_token": csrf_token(form)})
    deliver_emails()
    new_link = link_in(mailbox.to("amina.diallo@example.org")[-1])

    assert new_link != link
    assert client.get(new_link).status_code == 200  # a link issued now works for PERSONAL_LINK_DAYS_AFTER_EVENT more


def test_deleting_a_persons_data_erases_it_from_the_audit_log_too(
    make_event, register, deliver_emails, mailbox, client, make_user, auth
):
    event = make_event()
    link = _my_link(register, deliver_emails, mailbox, event)
    details = client.get(link + "/details")
    fields = {k: v for k, v in registration_form(organisation="Oasis Science Park").items() if k != "consent"}
    client.post(link + "/details", data={**fields, "csrf_token": csrf_token(details)})
    registration = registration_by_email("amina.diallo@example.org")
    assert "Oasis Science Park" in json.dumps([e.changes for e in _log_of(registration.id)])  # before → after
    cancel_page = client.get(link + "/cancel")
    client.post(link + "/cancel", data={"csrf_token": csrf_token(cancel_page)})

    make_user()
    auth.login()
    post_form(client, f"/admin/events/{event.id}/attendees/{registration.id}/anonymise", {})

    log = _log_of(registration.id)
    kept = json.dumps([[e.changes, e.object_label, e.actor_label] for e in log]).lower()
    assert "oasis" not in kept and "amina" not in kept and "diallo" not in kept
    # Who did what, to which record and when, stays; the changed fields stay named, their values go.
    assert any(e.changes.get("organisation") == "(erased)" and e.actor_kind.value == "participant" for e in log)
    assert log[-1].action == "personal data deleted" and log[-1].object_label == registration.reference
    # The one change the database allows is that erasure, once.
    for statement in (f"UPDATE audit_entries SET changes = '{{}}' WHERE registration_id = {registration.id}",
                      f"UPDATE audit_entries SET action = 'x' WHERE registration_id = {registration.id}"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
            conn.exec_driver_sql(statement)


def _log_of(registration_id: int) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.registration_id == registration_id)
                                   .order_by(AuditEntry.id)))
