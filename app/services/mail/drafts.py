"""Emails queued as drafts: the request stores what the email must say, the mail worker writes it.

A registration's confirmation (subject, text, HTML and its .ics file) took half of the registration
request's CPU, part of it under the event lock. So a registration of an event without a programme queues
its email as a draft: the outbox row has its address, kind and `draft`, the facts fixed at that moment
(the registration's status and language), and empty subject and bodies. The worker writes it just before
sending (mailer._deliver), stores what it wrote on the row and sends that.

What the email says is what was true when the person registered: its kind (confirmed or waitlisted), the
status its calendar entry carries and its language come from the draft, not from the registration as it
is when the worker gets to it (someone confirmed and cancelled a second later still receives the
confirmation, then the cancellation, in that order). The rest (name, event details, the event's email
text) is read when it is written, as for any email sent a few seconds after the change.

Pages that show an email (the email log, the organiser's registration page, the person's data export)
write a draft in memory when they need its words, and store nothing.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from sqlalchemy.orm.attributes import set_committed_value

from app.database import Session
from app.models import OutboxEmail, Registration, RegistrationStatus
from app.services.mail import mailer, notifications
from app.services.mail.email_texts import text_for

# The kinds queued as drafts (by registration.register): nothing in them but the registration and its status.
DRAFT_KINDS = frozenset({"registration_confirmed", "registration_waitlisted"})


def facts_of(status: RegistrationStatus, language: str) -> dict[str, Any]:
    """What a draft fixes: the registration's status and language at the moment it is queued."""
    return {"status": status.value, "language": language}


def queue(session: Session, registration: Registration, kind: str) -> None:
    """Queue `kind` to the participant as a draft (no session choices: the event has no programme)."""
    assert kind in DRAFT_KINDS, kind
    if registration.is_anonymised:
        return
    mailer.enqueue_draft(session, kind=kind, to=registration.email, registration_id=registration.id,
                         reply_to=registration.event.contact_email, draft=facts_of(registration.status, registration.language))


def written(session: Session, email: OutboxEmail) -> mailer.RenderedEmail:
    """The draft `email` written as it is sent, from its facts. Stores nothing; raises UnwritableDraft
    when its registration no longer exists (anonymised registrations lose their emails with it)."""
    assert email.draft is not None
    registration = session.get(Registration, email.registration_id) if email.registration_id else None
    if registration is None:
        raise mailer.UnwritableDraft(f"the registration of draft email {email.id} no longer exists")
    # The status as it was, for the words and the calendar file; expired afterwards, so that whoever
    # reads the registration next in this session reads it as stored.
    set_committed_value(registration, "status", RegistrationStatus(email.draft["status"]))
    try:
        with force_locale(email.draft["language"]):
            rendered = notifications.written_for(
                registration, email.kind, text_for(session, registration.event, email.kind), [])
    finally:
        session.expire(registration, ["status"])
    return rendered


def shown(session: Session, email: OutboxEmail) -> OutboxEmail | mailer.RenderedEmail:
    """What a page shows of the email: itself, or a draft written in memory (an unwritable one as it is)."""
    if email.draft is None:
        return email
    try:
        return written(session, email)
    except mailer.UnwritableDraft:
        return email
