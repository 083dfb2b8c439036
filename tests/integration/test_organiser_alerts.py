"""What the organisers hear: an email per new registration, a daily digest or nothing, as chosen on the event
form; always an email when someone gives up a place. Sent to the event's managers through the outbox, read
from what the SMTP server received."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models import ApplicationStatus, Event, OrganiserAlerts, RegistrationMode, TravelDecision, utcnow
from app.services.mail.organiser_alerts import digest_time, send_due_digests
from app.services.registration.tokens import participant_token
from tests.conftest import csrf_token, link_in, start_writing, text_of
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_manager, add_registrations, edit_form, post_form

MANAGER = "mina.park@wtanet.org"


@pytest.fixture
def organiser(make_user, auth):
    """An administrator, signed in: manages every event, but is not one of its managers."""
    user = make_user()
    auth.login()
    return user


@pytest.fixture
def managed(make_event, make_user):
    """An event and its manager (plus a manager whose account is switched off: they hear nothing)."""
    manager = make_user(MANAGER, admin=False, name="Mina Park")
    retired = make_user("retired@wtanet.org", admin=False, name="Gone")
    start_writing()
    db.session.get(type(retired), retired.id).active = False
    db.session.commit()

    def make(**overrides) -> Event:
        event = make_event(**overrides)
        add_manager(event, manager)
        add_manager(event, retired)
        return event

    return make


def plain(email) -> str:
    return text_of(email).replace("\r\n", "\n")


def test_chosen_on_the_event_form_each_new_registration_emails_the_managers(organiser, managed, register, client,
                                                                            mailbox, deliver_emails):
    event = managed()
    form = client.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert "Emails to the organisers about new registrations" in form
    assert '<option selected value="daily">' in form  # the default: a digest
    post_form(client, f"/admin/events/{event.id}/edit", edit_form(event, organiser_alerts="each"))
    db.session.expire_all()
    assert db.session.get(Event, event.id).organiser_alerts is OrganiserAlerts.EACH

    register(event, email="amina@example.org")
    deliver_emails()

    [alert] = mailbox.to(MANAGER)
    assert alert["Subject"] == f"New registration from Amina Diallo: {event.title}"
    text = plain(alert)
    assert text.startswith("Hello Mina Park,")
    assert "Amina Diallo has registered for" in text and ": confirmed." in text
    assert "Dakar Technology Park (Director)" in text and "Senegal" in text
    assert f"/admin/events/{event.id}/attendees/" in text and "/r/" not in text  # no personal link
    assert "You asked for an email about each new registration." in text
    assert mailbox.to("retired@wtanet.org") == [] and mailbox.to("organiser@wtanet.org") == []


def test_an_application_alert_links_to_its_review_page(managed, register, mailbox, deliver_emails):
    event = managed(registration_mode=RegistrationMode.APPLICATION, organiser_alerts=OrganiserAlerts.EACH)
    register(event, email="amina@example.org")
    deliver_emails()
    [alert] = mailbox.to(MANAGER)
    assert alert["Subject"] == f"New application from Amina Diallo: {event.title}"
    assert f"/admin/events/{event.id}/applications/" in plain(alert)


def test_with_a_digest_or_none_a_registration_sends_no_alert(managed, register, mailbox, deliver_emails):
    for choice in (OrganiserAlerts.DAILY, OrganiserAlerts.NONE):
        register(managed(organiser_alerts=choice), email=f"{choice.value}@example.org")
    deliver_emails()
    assert mailbox.to(MANAGER) == []


def test_a_confirmed_participant_cancelling_is_reported_even_with_alerts_off(managed, register, client, mailbox,
                                                                             deliver_emails):
    event = managed(organiser_alerts=OrganiserAlerts.NONE, capacity=1)
    register(event, email="amina@example.org")
    register(event, email="bola@example.org", given_name="Bola", family_name="Adeyemi")  # waiting
    deliver_emails()
    link = link_in(mailbox.to("amina@example.org")[0])
    page = client.get(f"{link}/cancel")
    client.post(f"{link}/cancel", data={"csrf_token": csrf_token(page)})
    deliver_emails()

    [alert] = mailbox.to(MANAGER)
    assert alert["Subject"] == f"Amina Diallo cancelled, Bola Adeyemi moved up: {event.title}"
    text = plain(alert)
    assert "Amina Diallo has cancelled their registration" in text
    assert "It went to Bola Adeyemi from the waiting list" in text
    assert "a place given up is always reported" in text


def test_someone_waiting_who_cancels_is_not_reported(managed, register, client, mailbox, deliver_emails):
    event = managed(organiser_alerts=OrganiserAlerts.NONE, capacity=0)
    register(event, email="amina@example.org")  # on the waiting list
    deliver_emails()
    link = link_in(mailbox.to("amina@example.org")[0])
    client.post(f"{link}/cancel", data={"csrf_token": csrf_token(client.get(f"{link}/cancel"))})
    deliver_emails()
    assert mailbox.to(MANAGER) == []


def test_an_accepted_applicant_withdrawing_is_reported_with_the_travel_support_freed(managed, client, mailbox,
                                                                                      deliver_emails):
    event = managed(registration_mode=RegistrationMode.APPLICATION, organiser_alerts=OrganiserAlerts.NONE)
    [applicant] = add_applications(event, 1, status=ApplicationStatus.ACCEPTED, travel=dict(
        wants_flight=True, decision=TravelDecision.GRANTED, granted_amount=1200, granted_currency="USD"))
    link = f"/r/{participant_token(applicant.id)}"

    page = client.get(f"{link}/withdraw")
    client.post(f"{link}/withdraw", data={"csrf_token": csrf_token(page)})
    deliver_emails()

    [alert] = mailbox.to(MANAGER)
    assert alert["Subject"] == f"{applicant.full_name} withdrew, a place is free: {event.title}"
    text = plain(alert)
    assert "has withdrawn their accepted application" in text and "reserve list" in text
    assert "granted travel support (USD 1,200.00)" in text


# --- the daily digest ------------------------------------------------------------------------------

def test_the_digest_lists_the_new_registrations_once_a_day_even_with_two_workers(managed, app, runner, mailbox,
                                                                                 deliver_emails):
    event = managed()  # a digest is the default
    managed(slug="quiet-event")  # nothing new: no email
    event_id, title, timezone = event.id, event.title, event.timezone  # the commands below end the session
    now = utcnow()
    add_registrations(event, 2, consent_at=now - timedelta(hours=3))
    add_registrations(event, 1, consent_at=now - timedelta(days=3))  # before the day the digest covers

    first = runner.invoke(args=["mail", "digest"])
    second = runner.invoke(args=["mail", "digest"])

    assert "digests due for 2 events" in first.output and "digests due for 0 events" in second.output
    deliver_emails()
    [digest] = mailbox.to(MANAGER)
    assert digest["Subject"] == f"2 new registrations: {title}"
    text = plain(digest)
    assert "Given" in text and text.count("Test Science Park (Kenya): Confirmed") == 2
    assert "All registrations now: confirmed 3." in text
    assert f"/admin/events/{event_id}/attendees" in text and "/r/" not in text
    assert "You asked for a daily digest of new registrations." in text
    assert len(mailbox.messages) == 1  # none about the quiet event
    mailbox.messages.clear()

    # The next day, two workers at once: the registration since then is listed once.
    tomorrow = digest_time(timezone, now) + timedelta(days=1, minutes=1)
    [late] = add_registrations(db.session.get(Event, event_id), 1, consent_at=now + timedelta(minutes=1))
    late_name = late.full_name
    db.session.remove()
    counts: list[int] = []

    def worker():
        with app.app_context():
            counts.append(send_due_digests(db.session, now=tomorrow))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == 2  # each event's digest claimed once, by one of the two
    deliver_emails()
    [digest] = mailbox.to(MANAGER)
    assert digest["Subject"] == f"1 new registration: {title}"
    assert late_name in plain(digest) and "All registrations now: confirmed 4." in plain(digest)


def test_a_digest_is_due_once_per_day_from_eight_at_the_venue():
    seoul = "Asia/Seoul"  # UTC+9: 08:00 there is 23:00 UTC the day before
    assert digest_time(seoul, datetime(2026, 5, 1, 22, 59, tzinfo=UTC)) == datetime(2026, 4, 30, 23, tzinfo=UTC)
    assert digest_time(seoul, datetime(2026, 5, 1, 23, 0, tzinfo=UTC)) == datetime(2026, 5, 1, 23, tzinfo=UTC)


def test_events_with_alerts_off_get_no_digest(managed, runner, mailbox, deliver_emails):
    event = managed(organiser_alerts=OrganiserAlerts.NONE)
    add_registrations(event, 1)
    assert "digests due for 0 events" in runner.invoke(args=["mail", "digest"]).output
