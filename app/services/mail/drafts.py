"""Emails queued as drafts: the request stores what the email must say, the mail worker writes it.

A registration's confirmation (subject, text, HTML and its .ics file) took half of the registration
request's CPU, part of it under the event lock. So a registration queues its email as a draft: the
outbox row has its address, kind and `draft`, the facts fixed at that moment (the registration's status
and language, and the programme sessions it chose with their outcome, seat or waiting list), and empty
subject and bodies. The worker writes it just before sending (mailer._deliver), stores what it wrote on
the row and sends that.

What the email says is what was true when the person registered: its kind (confirmed or waitlisted), the
status its calendar entry carries, its language and the sessions it lists (each with its seat or waiting
list, and a calendar entry for each seat) come from the draft, not from the registration as it is when
the worker gets to it (someone confirmed and cancelled a second later still receives the confirmation,
then the cancellation, in that order; someone who changes sessions a second later receives the
confirmation of the sessions first chosen, then the email about the change). The rest (name, event
details, the sessions' titles and times, the event's email text) is read when it is written, as for any
email sent a few seconds after the change; a session removed from the programme meanwhile is left out
(its removal has its own email).

Pages that show an email (the email log, the organiser's registration page, the person's data export)
write a draft in memory when they need its words, and store nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm.attributes import set_committed_value

from app.database import Session
from app.models import ChoiceStatus, OutboxEmail, ProgrammeSession, Registration, RegistrationStatus, SessionChoice
from app.services.mail import mailer, notifications
from app.services.mail.email_texts import text_for

# The kinds queued as drafts (by registration.register): nothing in them but the registration, its status and
# its session choices.
DRAFT_KINDS = frozenset({"registration_confirmed", "registration_waitlisted"})


def facts_of(status: RegistrationStatus, language: str, choices: Sequence[SessionChoice] = ()) -> dict[str, Any]:
    """What a draft fixes: the registration's status and language at the moment it is queued, and its
    session choices (programme order) with their status, as [session id, "confirmed" | "waitlisted"]."""
    facts: dict[str, Any] = {"status": status.value, "language": language}
    if choices:
        facts["sessions"] = [[choice.session_id, choice.status.value] for choice in choices]
    return facts


def queue(session: Session, registration: Registration, kind: str,
          choices: Sequence[SessionChoice] = ()) -> int | None:
    """Queue `kind` to the participant as a draft saying `choices` (its sessions, in programme order);
    returns the email's id (None: an anonymised registration gets no email)."""
    assert kind in DRAFT_KINDS, kind
    if registration.is_anonymised:
        return None
    return mailer.enqueue_draft(
        session, kind=kind, to=registration.email, registration_id=registration.id,
        reply_to=registration.event.contact_email,
        draft=facts_of(registration.status, registration.language, choices))


def redo(session: Session, email_id: int, kind: str, registration: Registration,
         choices: Sequence[SessionChoice]) -> None:
    """The draft `email_id`, queued a moment ago on a guess, says what was decided after all (under the
    event lock: the last place or seat went meanwhile)."""
    assert kind in DRAFT_KINDS, kind
    session.execute(sa.update(OutboxEmail).where(OutboxEmail.id == email_id).values(
        kind=kind, draft=facts_of(registration.status, registration.language, choices)))


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
                registration, email.kind, text_for(session, registration.event, email.kind),
                _choices_said(session, email))
    finally:
        session.expire(registration, ["status"])
    return rendered


def _choices_said(session: Session, email: OutboxEmail) -> list[SessionChoice]:
    """The session choices the draft fixed, as unsaved SessionChoice objects (programme order) for the email's
    words and calendar file: the sessions as they are now, the status each had when it was queued."""
    assert email.draft is not None
    said = {session_id: ChoiceStatus(status) for session_id, status in email.draft.get("sessions", ())}
    if not said:
        return []
    choices = []
    for programme_session in session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.id.in_(said))
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ):
        status = said[programme_session.id]
        # Chosen (and seated) when the draft was queued: the calendar entry's SEQUENCE counts from then.
        choice = SessionChoice(registration_id=email.registration_id, session_id=programme_session.id, status=status,
                               chosen_at=email.created_at,
                               confirmed_at=email.created_at if status is ChoiceStatus.CONFIRMED else None)
        set_committed_value(choice, "session", programme_session)  # not added to the session: nothing is saved
        choices.append(choice)
    return choices


def shown(session: Session, email: OutboxEmail) -> OutboxEmail | mailer.RenderedEmail:
    """What a page shows of the email: itself, or a draft written in memory (an unwritable one as it is)."""
    if email.draft is None:
        return email
    try:
        return written(session, email)
    except mailer.UnwritableDraft:
        return email
