"""The emails a participant receives, queued in the outbox with the change that caused them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm.base import NO_VALUE

from app.database import Session
from app.models import Event, ProgrammeSession, Registration, SessionChoice, utcnow
from app.services.events.calendar import registration_calendar
from app.services.mail import mailer
from app.services.mail.email_kinds import KINDS, LINK_KINDS
from app.services.mail.email_texts import Text, render, text_for, values_for
from app.services.registration.tokens import participant_token
from app.services.urls import external_url

# Every automatic email's default subject (its body and the rest: email_kinds.KINDS).
SUBJECTS = {kind: k.subject for kind, k in KINDS.items()}
# The cancellations carry one too: its entries say CANCELLED, so the person's calendar removes them.
WITH_CALENDAR = {kind for kind, k in KINDS.items() if k.calendar}


# Links sent because someone asked for theirs (or an organiser sent it again): they carry their issue
# time, so they work for a while even once the event's own links have expired (app/services/privacy/links.py).
FRESH_LINK_KINDS = frozenset(LINK_KINDS)


def personal_link(registration: Registration, *, issued_at: datetime | None = None) -> str:
    return external_url("participant.show", token=participant_token(registration.id, issued_at=issued_at))


def queue(
    session: Session, registration: Registration, kind: str, *, attachments: list[dict] | None = None,
    given_up: Iterable[ProgrammeSession] = (), to: str | None = None, **extra
) -> None:
    """Queue the email `kind` to the participant, in the event's text for it (its own, its series' or the
    default, see email_texts); `attachments` are added to any calendar file; `extra` is what the change knows
    that the kind's own placeholders say (email_kinds.KINDS).

    `given_up`: sessions the person just lost their seat in, cancelled in that calendar file.
    `to`: another address than the registration's (the old one, when it was changed).
    Nothing is written to an anonymised registration: its address is a placeholder."""
    if registration.is_anonymised:
        return
    event = registration.event
    email = _in_their_language(registration, kind, text_for(session, event, kind), _choices_of(session, registration),
                               attachments=attachments, given_up=given_up, extra=extra)
    mailer.enqueue(
        session, kind=email.kind, to=to or email.to, subject=email.subject, body_text=email.body_text,
        body_html=email.body_html, registration_id=email.registration_id, attachments=email.attachments,
        reply_to=email.reply_to,
    )


def queue_many(session: Session, event: Event, registrations: Sequence[Registration], kind: str, **extra) -> int:
    """The same kind of email to many people of one event (cancelling a forum of 1,000): the event's text read
    once, everyone's sessions in one query, one bulk INSERT. Returns how many were queued."""
    registrations = [r for r in registrations if not r.is_anonymised]
    if not registrations:
        return 0
    text = text_for(session, event, kind)
    choices: dict[int, list[SessionChoice]] = defaultdict(list)
    for choice in session.scalars(_choices_query([r.id for r in registrations])):
        choices[choice.registration_id].append(choice)
    mailer.enqueue_many(session, [_in_their_language(r, kind, text, choices[r.id], extra=extra) for r in registrations])
    return len(registrations)


def _in_their_language(registration: Registration, *args: Any, **kwargs: Any) -> mailer.RenderedEmail:
    """The email written in the person's language (their registration's), wherever it is queued from: a page in
    another language, the mail worker or a command outside any request."""
    with force_locale(registration.language):
        return written_for(registration, *args, **kwargs)


def written_for(registration: Registration, kind: str, text: Text, choices: list[SessionChoice], *,
                attachments: list[dict] | None = None, given_up: Iterable[ProgrammeSession] = (),
                extra: Mapping[str, Any] | None = None) -> mailer.RenderedEmail:
    """The email `kind` to the registration, written in the current language (see _in_their_language)."""
    event = registration.event
    link = personal_link(registration, issued_at=utcnow() if kind in FRESH_LINK_KINDS else None)
    event_url = external_url("public.event", slug=event.slug)
    attachments = list(attachments or [])
    if kind in WITH_CALENDAR:
        attachments.append({
            "filename": f"{event.slug}.ics",
            "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
            "content": registration_calendar(registration, choices, stamp=utcnow(), given_up=given_up),
        })
    values = values_for(registration, kind, link=link, event_link=event_url, choices=choices, extra=extra or {})
    email = render(event, text, values)
    return mailer.RenderedEmail(
        kind=kind, to=registration.email, subject=email.subject, body_text=email.text, body_html=email.html,
        registration_id=registration.id, attachments=attachments,
        reply_to=event.contact_email,  # the emails say "reply to this email" / "write to" that address
    )


def session_choices(session: Session, registration_id: int) -> list[SessionChoice]:
    """The programme sessions the person chose, listed in every email about their registration."""
    return list(session.scalars(_choices_query([registration_id])))


def _choices_of(session: Session, registration: Registration) -> list[SessionChoice]:
    # An event whose programme is loaded and empty has no choices to read: the registration path
    # knows it from the page's own query (no statement here, under the event lock).
    programme = sa.inspect(registration.event).attrs.programme.loaded_value
    if programme is not NO_VALUE and not programme:
        return []
    return session_choices(session, registration.id)


def _choices_query(registration_ids: list[int]) -> sa.Select:
    return (sa.select(SessionChoice)
            .join(SessionChoice.session)
            .where(SessionChoice.registration_id.in_(registration_ids))
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id))
