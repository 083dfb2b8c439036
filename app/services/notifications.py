"""The emails a participant receives, queued in the outbox with the change that caused them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import Registration, utcnow
from app.services import mailer
from app.services.calendar import event_calendar
from app.services.tokens import participant_token
from app.services.urls import external_url

SUBJECTS = {
    "registration_confirmed": "Your place is confirmed: {title}",
    "registration_waitlisted": "You are on the waiting list: {title}",
    "registration_promoted": "Good news, a place is yours: {title}",
    "registration_cancelled": "Your registration is cancelled: {title}",
    "registration_link": "Your registration link: {title}",
}
WITH_CALENDAR = {"registration_confirmed", "registration_promoted"}


def personal_link(registration: Registration) -> str:
    return external_url("participant.show", token=participant_token(registration.id))


def queue(session: Session, registration: Registration, kind: str, **extra) -> None:
    event = registration.event
    link = personal_link(registration)
    event_url = external_url("public.event", slug=event.slug)
    attachments = []
    if kind in WITH_CALENDAR:
        attachments.append({
            "filename": f"{event.slug}.ics",
            "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
            "content": event_calendar(event, stamp=utcnow()),
        })
    mailer.enqueue(
        session,
        kind=kind,
        to=registration.email,
        subject=SUBJECTS[kind].format(title=event.title),
        context={"registration": registration, "event": event, "link": link, "event_url": event_url, **extra},
        registration_id=registration.id,
        attachments=attachments,
    )
