"""The emails a participant receives, queued in the outbox with the change that caused them."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from app.database import Session
from app.models import ProgrammeSession, Registration, SessionChoice, utcnow
from app.services.events.calendar import registration_calendar
from app.services.mail import mailer
from app.services.mail.email_kinds import KINDS
from app.services.mail.email_texts import render, text_for, values_for
from app.services.registration.tokens import participant_token
from app.services.urls import external_url

# Every automatic email's default subject (its body and the rest: email_kinds.KINDS).
SUBJECTS = {kind: k.subject for kind, k in KINDS.items()}
# The cancellations carry one too: its entries say CANCELLED, so the person's calendar removes them.
WITH_CALENDAR = {kind for kind, k in KINDS.items() if k.calendar}


def personal_link(registration: Registration) -> str:
    return external_url("participant.show", token=participant_token(registration.id))


def queue(
    session: Session, registration: Registration, kind: str, *, attachments: list[dict] | None = None,
    given_up: Iterable[ProgrammeSession] = (), **extra
) -> None:
    """Queue the email `kind` to the participant, in the event's text for it (its own, its series' or the
    default, see email_texts); `attachments` are added to any calendar file; `extra` is what the change knows
    that the kind's own placeholders say (email_kinds.KINDS).

    `given_up`: sessions the person just lost their seat in, cancelled in that calendar file."""
    event = registration.event
    link = personal_link(registration)
    event_url = external_url("public.event", slug=event.slug)
    choices = _session_choices(session, registration.id)
    attachments = list(attachments or [])
    if kind in WITH_CALENDAR:
        attachments.append({
            "filename": f"{event.slug}.ics",
            "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
            "content": registration_calendar(registration, choices, stamp=utcnow(), given_up=given_up),
        })
    values = values_for(registration, kind, link=link, event_link=event_url, choices=choices, extra=extra)
    email = render(event, text_for(session, event, kind), values)
    mailer.enqueue(
        session,
        kind=kind,
        to=registration.email,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        registration_id=registration.id,
        attachments=attachments,
        reply_to=event.contact_email,  # the emails say "reply to this email" / "write to" that address
    )


def _session_choices(session: Session, registration_id: int) -> list[SessionChoice]:
    """The programme sessions the person chose, listed in every email about their registration."""
    return list(session.scalars(
        sa.select(SessionChoice)
        .join(SessionChoice.session)
        .where(SessionChoice.registration_id == registration_id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ))
