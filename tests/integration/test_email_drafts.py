"""Registration emails queued as drafts (app/services/mail/drafts.py): the request stores what the email must say,
the mail worker writes it just before sending.

The rule: a draft says what was true when it was queued. Someone confirmed who cancels before the worker gets to
the email still receives the confirmation (its calendar entry CONFIRMED), then the cancellation, in that order.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import (
    Event,
    OrganisationType,
    OutboxEmail,
    OutboxStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from app.services.mail import notifications
from app.services.registration import registration as registration_service
from app.services.registration.registration import ParticipantDetails
from tests.conftest import csrf_token, start_writing, text_of


def outbox() -> list[OutboxEmail]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))


def registration_of(email: str) -> Registration:
    db.session.rollback()
    return db.session.scalars(sa.select(Registration).where(Registration.email == email)).one()


def test_a_registration_queues_a_draft_that_the_worker_writes_and_stores(make_event, register, deliver_emails,
                                                                       mailbox):
    event = make_event()
    register(event, email="amina.diallo@example.org")

    [draft] = outbox()
    assert draft.is_draft and draft.draft == {"status": "confirmed", "language": "en"}
    assert (draft.kind, draft.to_address, draft.subject, draft.body_text) == (
        "registration_confirmed", "amina.diallo@example.org", "", "")

    assert "sent 1" in deliver_emails()
    [sent] = outbox()
    assert not sent.is_draft and sent.status is OutboxStatus.SENT
    assert sent.subject == f"Your place is confirmed: {event.title}" == mailbox.messages[0]["Subject"]
    assert "Amina" in sent.body_text and "Amina" in text_of(mailbox.messages[0])
    assert [a["filename"] for a in sent.attachments] == [f"{event.slug}.ics"]


def test_a_draft_says_what_was_true_when_it_was_queued(make_event, register, deliver_emails, mailbox):
    event = make_event()
    register(event, email="amina.diallo@example.org")
    amina = registration_of("amina.diallo@example.org")
    start_writing()
    registration_service.cancel(db.session, amina.id, actor=None, now=utcnow())  # before the worker ran
    db.session.commit()

    assert "sent 3" in deliver_emails()  # and the organisers' alert: a place is free
    confirmation, cancellation = mailbox.to("amina.diallo@example.org")
    assert confirmation["Subject"] == f"Your place is confirmed: {event.title}"
    assert "cancel" in cancellation["Subject"].lower()
    calendar = next(part for part in confirmation.iter_attachments() if part.get_filename().endswith(".ics"))
    assert "STATUS:CONFIRMED" in calendar.get_content() and "STATUS:CANCELLED" not in calendar.get_content()
    assert registration_of("amina.diallo@example.org").status is RegistrationStatus.CANCELLED


def test_a_draft_is_written_in_the_language_of_the_registration(make_event, register, deliver_emails, mailbox):
    event = make_event()
    register(event, email="minjun@example.org", language="ko")

    [draft] = outbox()
    assert draft.draft == {"status": "confirmed", "language": "ko"}
    assert "sent 1" in deliver_emails()
    assert mailbox.messages[0]["Subject"] != f"Your place is confirmed: {event.title}"
    assert any("\uac00" <= ch <= "\ud7a3" for ch in mailbox.messages[0]["Subject"])  # Hangul


def test_a_draft_that_cannot_be_written_fails_alone_and_the_next_email_goes(make_event, register, deliver_emails,
                                                                            mailbox):
    event = make_event()
    register(event, email="amina.diallo@example.org")
    register(event, email="kofi.mensah@example.org", given_name="Kofi", family_name="Mensah")
    start_writing()
    first = outbox()[0]
    start_writing()
    db.session.execute(sa.update(OutboxEmail).where(OutboxEmail.id == first.id).values(registration_id=None))
    db.session.commit()

    assert "sent 1, will retry 0, gave up 1" in deliver_emails()
    failed, sent = outbox()
    assert failed.status is OutboxStatus.FAILED and failed.is_draft
    assert failed.last_error.startswith("Not sent, and not retried:") and "no longer exists" in failed.last_error
    assert sent.status is OutboxStatus.SENT and [m["To"] for m in mailbox.messages] == ["kofi.mensah@example.org"]


def test_a_draft_whose_writing_breaks_records_the_error_and_the_next_email_goes(app, make_event, register,
                                                                                deliver_emails, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)  # given up after the first failure
    event = make_event()
    register(event, email="amina.diallo@example.org")
    register(event, email="kofi.mensah@example.org", given_name="Kofi", family_name="Mensah")
    written_for = notifications.written_for

    def broken_for_amina(registration, *args, **kwargs):
        if registration.email == "amina.diallo@example.org":
            raise ValueError("a template bug")
        return written_for(registration, *args, **kwargs)

    monkeypatch.setattr(notifications, "written_for", broken_for_amina)
    assert "sent 1, will retry 0, gave up 1" in deliver_emails()
    failed, sent = outbox()
    assert (failed.status, failed.last_error, failed.is_draft) == (OutboxStatus.FAILED, "ValueError: a template bug", True)
    assert sent.status is OutboxStatus.SENT and [m["To"] for m in mailbox.messages] == ["kofi.mensah@example.org"]


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def test_the_email_log_shows_a_draft_before_the_worker_writes_it(organiser, make_event, register, client):
    event = make_event()
    register(event, email="amina.diallo@example.org")
    [draft] = outbox()

    listed = client.get(f"/admin/events/{event.id}/emails").data.decode()
    assert "(written when it is sent)" in listed
    page = client.get(f"/admin/events/{event.id}/emails/{draft.id}").data.decode()
    assert f"Your place is confirmed: {event.title}" in page and "Not written yet" in page
    html = client.get(f"/admin/events/{event.id}/emails/{draft.id}/body.html").data.decode()
    assert "Amina" in html
    assert outbox()[0].is_draft  # showing it stored nothing

    resent = client.post(f"/admin/events/{event.id}/emails/{draft.id}/resend", data={"csrf_token": _token(client, event)},
                         follow_redirects=True).data.decode()
    assert f"A copy of “Your place is confirmed: {event.title}”" in resent
    original, copy = outbox()
    assert copy.draft == original.draft and copy.message_id != original.message_id


def _token(client, event) -> str:
    return csrf_token(client.get(f"/admin/events/{event.id}/emails"))


def test_when_the_last_seat_went_meanwhile_the_draft_is_redone_under_the_lock(make_event, register):
    """PostgreSQL writes the registration and its draft in one statement before the lock, on the status the
    page's count suggested; under the lock the count says otherwise: one draft remains, saying waitlisted."""
    event = make_event(capacity=1)
    register(event, email="first@example.org")

    begin_write(db.session)
    assert db.session.get(Event, event.id).programme == []  # known, as the page's query makes it known
    outcome = registration_service.register(
        db.session, event.id,
        ParticipantDetails(given_name="Kofi", family_name="Mensah", email="kofi@example.org",
                           organisation="Accra Tech Hub", organisation_type=OrganisationType.SCIENCE_PARK,
                           country="GH"),
        now=utcnow(), confirmed_seen=0,  # what a page read a moment before the first registration
    )
    db.session.commit()

    assert outcome.registration.status is RegistrationStatus.WAITLISTED
    emails = [e for e in outbox() if e.to_address == "kofi@example.org"]
    assert [(e.kind, e.draft) for e in emails] == [
        ("registration_waitlisted", {"status": "waitlisted", "language": "en"})]
