"""The emails a participant receives, queued in the outbox with the change that caused them."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from app.database import Session
from app.models import ProgrammeSession, Registration, SessionChoice, utcnow
from app.services.events.calendar import registration_calendar
from app.services.mail import mailer
from app.services.registration.tokens import participant_token
from app.services.urls import external_url

SUBJECTS = {
    "registration_confirmed": "Your place is confirmed: {title}",
    "registration_waitlisted": "You are on the waiting list: {title}",
    "registration_promoted": "Good news, a place is yours: {title}",
    "registration_cancelled": "Your registration is cancelled: {title}",
    "registration_link": "Your registration link: {title}",
    "application_received": "We have received your application: {title}",
    "application_accepted": "Your application is accepted: {title}",
    "travel_support_decided": "Your travel support: {title}",
    "application_waitlisted": "Your application is on our reserve list: {title}",
    "application_declined": "About your application: {title}",
    "application_withdrawn": "Your application is withdrawn: {title}",
    "session_seat_confirmed": "A seat is yours in a session: {title}",
    "session_removed": "A session you chose is cancelled: {title}",
    "sessions_changed": "Your sessions are changed: {title}",
    "visa_letter_ready": "Your visa invitation letter is ready: {title}",
    "certificate_issued": "Your certificate of attendance: {title}",
    "event_cancelled": "The event is cancelled: {title}",
    "event_changed": "New dates or place: {title}",
}
# The cancellations carry one too: its entries say CANCELLED, so the person's calendar removes them.
WITH_CALENDAR = {"registration_confirmed", "registration_promoted", "application_accepted", "sessions_changed",
                 "registration_cancelled", "session_removed", "event_cancelled", "event_changed"}


def personal_link(registration: Registration) -> str:
    return external_url("participant.show", token=participant_token(registration.id))


def queue(
    session: Session, registration: Registration, kind: str, *, attachments: list[dict] | None = None,
    given_up: Iterable[ProgrammeSession] = (), **extra
) -> None:
    """Queue the email `kind` to the participant; `attachments` are added to any calendar file.

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
    mailer.enqueue(
        session,
        kind=kind,
        to=registration.email,
        subject=SUBJECTS[kind].format(title=event.title),
        context={
            "registration": registration, "event": event, "link": link, "event_url": event_url, "choices": choices,
            **extra,
        },
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
