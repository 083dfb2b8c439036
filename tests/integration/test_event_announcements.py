"""Cancelling an event, or moving it, emails everyone with a place or waiting for one: the organisers' reason
or the new dates, with a calendar file that removes or updates the entry (STATUS:CANCELLED, a higher
SEQUENCE). Driven through the organiser pages; read from what the SMTP server received."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import ApplicationStatus, Event, EventStatus, RegistrationMode, RegistrationStatus
from tests.conftest import csrf_token, statements_sent, text_of
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_registrations, edit_form, post_form
from tests.integration.test_calendars import attached_calendar

REASON = "The venue is closed for repairs after the typhoon.\nEveryone registered will be invited again in spring."


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def plain(email) -> str:
    return text_of(email).replace("\r\n", "\n")


def cancel_through_the_page(client, event: Event, reason: str = REASON):
    page = client.get(f"/admin/events/{event.id}/cancel")
    done = client.post(f"/admin/events/{event.id}/cancel", data={"reason": reason, "csrf_token": csrf_token(page)},
                       follow_redirects=True)
    return page.get_data(as_text=True), done.get_data(as_text=True)


def test_cancelling_emails_the_reason_and_a_cancelling_calendar_to_everyone_with_a_place_or_waiting(
        organiser, make_event, register, client, mailbox, deliver_emails):
    event = make_event(capacity=3)
    register(event, email="amina@example.org")  # through the form: her confirmation has the calendar entry
    confirmed = add_registrations(event, 2)
    waiting = add_registrations(event, 1, status=RegistrationStatus.WAITLISTED)
    gone = add_registrations(event, 2, status=RegistrationStatus.CANCELLED)
    deliver_emails()
    [confirmation] = mailbox.to("amina@example.org")
    [entry_before] = attached_calendar(confirmation).values()
    mailbox.messages.clear()
    time.sleep(1.1)  # a SEQUENCE counts seconds

    page, done = cancel_through_the_page(client, event)

    assert "4 emails will go out" in page
    assert "Your reason is being emailed to the 4 people who had a place or were waiting for one." in done
    deliver_emails()
    expected = ["amina@example.org", *(r.email for r in confirmed + waiting)]
    assert sorted(m["To"] for m in mailbox.messages) == sorted(expected)
    for address in expected:
        [email] = mailbox.to(address)
        assert email["Subject"] == f"The event is cancelled: {event.title}"
        assert email["Reply-To"] == "training@wtanet.org"
        assert REASON in plain(email)
        assert "is cancelled" in text_of(email) and "/r/" in text_of(email)  # with the personal link
        [entry] = attached_calendar(email).values()
        assert str(entry["STATUS"]) == "CANCELLED"
    [entry_after] = attached_calendar(mailbox.to("amina@example.org")[0]).values()
    assert entry_after["UID"] == entry_before["UID"] and entry_after["SEQUENCE"] > entry_before["SEQUENCE"]
    for registration in gone:
        assert mailbox.to(registration.email) == []
    assert db.session.get(Event, event.id).status is EventStatus.CANCELLED


def test_in_an_application_event_open_accepted_and_reserve_applicants_hear_not_declined_or_withdrawn(
        organiser, make_event, client, mailbox, deliver_emails):
    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    told = [*add_applications(event, 1), *add_applications(event, 1, status=ApplicationStatus.UNDER_REVIEW),
            *add_applications(event, 1, status=ApplicationStatus.ACCEPTED),
            *add_applications(event, 1, status=ApplicationStatus.WAITLISTED)]
    not_told = [*add_applications(event, 1, status=ApplicationStatus.DECLINED),
                *add_applications(event, 1, status=ApplicationStatus.WITHDRAWN)]

    page, _ = cancel_through_the_page(client, event)

    assert "4 emails will go out" in page
    deliver_emails()
    assert sorted(m["To"] for m in mailbox.messages) == sorted(r.email for r in told)
    assert all(REASON in plain(m) for m in mailbox.messages)
    assert all(mailbox.to(r.email) == [] for r in not_told)


def test_cancelling_an_event_nobody_registered_for_says_no_email_goes_out(organiser, make_event, client, mailbox,
                                                                           deliver_emails):
    event = make_event()
    add_registrations(event, 1, status=RegistrationStatus.CANCELLED)

    page, done = cancel_through_the_page(client, event)

    assert "No emails will go out" in page and "nobody is emailed" in done
    deliver_emails()
    assert mailbox.messages == []


def test_moving_the_dates_emails_the_new_dates_and_a_calendar_with_a_higher_sequence(
        organiser, make_event, register, client, mailbox, deliver_emails):
    event = make_event(capacity=2)
    register(event, email="amina@example.org")
    waiting = add_registrations(event, 1, status=RegistrationStatus.WAITLISTED)
    gone = add_registrations(event, 1, status=RegistrationStatus.CANCELLED)
    deliver_emails()
    [entry_before] = attached_calendar(mailbox.to("amina@example.org")[0]).values()
    mailbox.messages.clear()
    time.sleep(1.1)  # a SEQUENCE counts seconds
    form_page = client.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert "emails the\n      2 people with a place or waiting for one" in form_page

    local_start = (event.local(event.starts_at) + timedelta(days=7)).replace(second=0, microsecond=0)
    local_end = event.local(event.ends_at) + timedelta(days=7)
    saved = post_form(client, f"/admin/events/{event.id}/edit", edit_form(
        event, starts_at=local_start.strftime("%Y-%m-%dT%H:%M"), ends_at=local_end.strftime("%Y-%m-%dT%H:%M"),
        venue="Daejeon Convention Center"), follow_redirects=True)

    assert "The new dates or place are being emailed to the 2 people registered" in saved.get_data(as_text=True)
    deliver_emails()
    assert sorted(m["To"] for m in mailbox.messages) == sorted(["amina@example.org", waiting[0].email])
    assert mailbox.to(gone[0].email) == []
    [email] = mailbox.to("amina@example.org")
    assert email["Subject"] == f"New dates or place: {event.title}"
    text = plain(email)
    assert "changed the dates and the place" in text
    assert f"{local_start:%a} {local_start.day} {local_start:%b}" in text and "(before: " in text
    assert "Daejeon Convention Center, Daejeon" in text and "(before: WTA Secretariat, Daejeon)" in text
    [entry] = attached_calendar(email).values()
    assert entry["UID"] == entry_before["UID"] and entry["SEQUENCE"] > entry_before["SEQUENCE"]
    assert entry["DTSTART"].dt == local_start and str(entry["STATUS"]) == "CONFIRMED"
    assert str(attached_calendar(mailbox.to(waiting[0].email)[0]).popitem()[1]["STATUS"]) == "TENTATIVE"


def test_an_edit_that_keeps_dates_and_place_or_of_a_draft_emails_nobody(organiser, make_event, client, mailbox,
                                                                         deliver_emails):
    published = make_event()
    draft = make_event(status=EventStatus.DRAFT)
    add_registrations(published, 2)
    add_registrations(draft, 1)  # someone trying the form

    post_form(client, f"/admin/events/{published.id}/edit", edit_form(published, summary="A new summary."))
    later = (draft.local(draft.starts_at) + timedelta(days=1)).replace(second=0, microsecond=0)
    post_form(client, f"/admin/events/{draft.id}/edit", edit_form(draft, starts_at=later.strftime("%Y-%m-%dT%H:%M")))

    db.session.expire_all()
    assert db.session.get(Event, published.id).summary == "A new summary."
    assert db.session.get(Event, draft.id).starts_at == later
    deliver_emails()
    assert mailbox.messages == []


def test_cancelling_a_large_event_costs_the_same_statements_for_3_people_as_for_40(organiser, make_event, client):
    """One read of the text, one of everyone's sessions, one bulk INSERT: a forum of 1,000 is cancelled at once."""

    def statements_to_cancel(people: int) -> int:
        event = make_event(capacity=people)
        add_registrations(event, people)
        page = client.get(f"/admin/events/{event.id}/cancel")
        with statements_sent() as seen:
            client.post(f"/admin/events/{event.id}/cancel", data={"reason": REASON, "csrf_token": csrf_token(page)})
        assert db.session.get(Event, event.id).status is EventStatus.CANCELLED
        return len(seen)

    assert statements_to_cancel(3) == statements_to_cancel(40)
