"""The email log: what the outbox wrote to an event's participants, what became of it, and sending one again.

An email belongs to an event through its registration (outbox_emails.registration_id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import defer

from app.database import Session
from app.models import OutboxEmail, OutboxStatus, Registration
from app.models.names import written_name
from app.services.errors import DomainError
from app.services.mail.email_kinds import KINDS
from app.services.paging import Page, paginate
from app.services.urls import site_domain


@dataclass(frozen=True)
class EmailQuery:
    status: OutboxStatus | None = None
    kind: str | None = None


@dataclass(frozen=True)
class EmailRow:
    email: OutboxEmail
    registration_id: int
    person: str  # the registration's name, as the organiser knows them


def kind_label(kind: str) -> str:
    """The name the Email texts page gives the kind; `some_kind` -> "Some kind" for one it does not know."""
    known = KINDS.get(kind)
    return known.label if known is not None else kind.replace("_", " ").capitalize()


def _of_event(event_id: int) -> sa.Select:
    return (sa.select(OutboxEmail)
            .join(Registration, Registration.id == OutboxEmail.registration_id)
            .where(Registration.event_id == event_id))


def _filtered(statement: sa.Select, query: EmailQuery) -> sa.Select:
    if query.status is not None:
        statement = statement.where(OutboxEmail.status == query.status)
    if query.kind:
        statement = statement.where(OutboxEmail.kind == query.kind)
    return statement


def email_page(session: Session, event_id: int, query: EmailQuery, *, page: int, per_page: int) -> Page[EmailRow]:
    """The event's emails, newest first: two queries whatever the page size. The bodies are not read."""
    filtered = _filtered(_of_event(event_id), query)
    total = session.scalar(filtered.with_only_columns(sa.func.count(OutboxEmail.id))) or 0

    def rows(limit: int, offset: int) -> list[EmailRow]:
        statement = (
            filtered.add_columns(Registration.id, Registration.title, Registration.given_name, Registration.family_name,
                                 Registration.name_order, Registration.single_name)
            .options(defer(OutboxEmail.body_text), defer(OutboxEmail.body_html), defer(OutboxEmail.attachments))
            .order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
            .limit(limit).offset(offset)
        )
        return [EmailRow(email, registration_id,
                         " ".join(filter(None, (title, written_name(given, family, order, single=single)))))
                for email, registration_id, title, given, family, order, single in session.execute(statement)]

    return paginate(total, page, per_page, rows)


def kinds_sent(session: Session, event_id: int) -> list[str]:
    """The kinds of email the event has written, for the filter."""
    return list(session.scalars(
        _of_event(event_id).with_only_columns(OutboxEmail.kind).distinct().order_by(OutboxEmail.kind)))


def emails_of_registration(session: Session, registration_id: int) -> list[OutboxEmail]:
    return list(session.scalars(
        sa.select(OutboxEmail).where(OutboxEmail.registration_id == registration_id)
        .options(defer(OutboxEmail.body_text), defer(OutboxEmail.body_html), defer(OutboxEmail.attachments))
        .order_by(OutboxEmail.created_at, OutboxEmail.id)
    ))


def email_of_event(session: Session, event_id: int, email_id: int) -> OutboxEmail | None:
    """The email, if it was written to one of the event's registrations."""
    return session.scalar(_of_event(event_id).where(OutboxEmail.id == email_id))


def failed_counts(session: Session, event_ids: Iterable[int]) -> dict[int, int]:
    """Emails given up on, per event (events with none are left out): one query."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Registration.event_id, sa.func.count(OutboxEmail.id))
        .join(Registration, Registration.id == OutboxEmail.registration_id)
        .where(OutboxEmail.status == OutboxStatus.FAILED, Registration.event_id.in_(ids))
        .group_by(Registration.event_id)
    )
    return {event_id: count for event_id, count in rows}


def resend(session: Session, event_id: int, email_id: int, *, now: datetime) -> OutboxEmail:
    """Queue a copy of the email: the same words and attachments, to the same address, as a new email
    (its own Message-ID, no attempts yet). The original stays in the log as it was.

    A draft not yet written is copied as the draft: the worker writes both from the same facts."""
    original = email_of_event(session, event_id, email_id)
    if original is None:
        raise DomainError(_("That email is not one of this event's."))
    copy = OutboxEmail(
        kind=original.kind,
        registration_id=original.registration_id,
        to_address=original.to_address,
        reply_to=original.reply_to,
        subject=original.subject,
        body_text=original.body_text,
        body_html=original.body_html,
        attachments=list(original.attachments),
        draft=original.draft,
        message_id=make_msgid(domain=site_domain()),
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(copy)
    session.flush()
    return copy
