"""The email outbox: queue inside the caller's transaction, deliver later from a worker.

Delivery is at least once: a worker that dies between the SMTP reply and its commit
sends that one email again, with the same Message-ID so mail clients fold the copies.
Whatever goes wrong with one email is recorded on it, and the worker goes on with the next.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import cast

import sqlalchemy as sa
from flask import current_app, render_template
from flask_mail import BadHeaderError, Message
from sqlalchemy.orm import object_session

from app.database import Session, begin_write
from app.extensions import mail
from app.models import OutboxEmail, OutboxStatus
from app.services.mail.email_addresses import UndeliverableAddress, deliverable_address
from app.services.urls import site_domain

log = logging.getLogger(__name__)


def enqueue(
    session: Session,
    *,
    kind: str,
    to: str,
    subject: str,
    body_text: str | None = None,
    body_html: str | None = None,
    context: dict | None = None,
    registration_id: int | None = None,
    attachments: list[dict] | None = None,
    reply_to: str | None = None,
) -> int:
    """Store the email for delivery; returns its id. Its bodies are `body_text` and `body_html`, or else
    `email/<kind>.txt` and `.html` rendered with `context`.

    `reply_to` is where the person's replies go (the event's contact address); the subject is
    kept on one line, as it is sent.
    """
    # A plain INSERT, not session.add() + flush(): this runs while the caller holds the event's
    # lock, and the unit of work costs twice as much for a row nobody reads back in the request.
    return session.execute(
        _INSERT_EMAIL,
        {
            "kind": kind,
            "registration_id": registration_id,
            "to_address": to,
            "reply_to": reply_to,
            "subject": _one_line(subject),
            "body_text": body_text if body_text is not None else render_template(f"email/{kind}.txt", **(context or {})),
            "body_html": body_html if body_html is not None else render_template(f"email/{kind}.html", **(context or {})),
            "attachments": attachments or [],
            "message_id": make_msgid(domain=site_domain()),
            "status": OutboxStatus.PENDING,
        },
    ).scalar_one()


# Built once: the statement's compiled form is then reused from SQLAlchemy's cache.
_OUTBOX = cast(sa.Table, OutboxEmail.__table__)  # declared as a FromClause; a mapped class's table is a Table
_INSERT_EMAIL = sa.insert(_OUTBOX).returning(_OUTBOX.c.id)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff(attempts: int, max_seconds: int) -> timedelta:
    """1 min, 2, 4, 8 ... capped: a mail server that is down for an hour is not hammered."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), max_seconds))


# How long a worker may hold a claimed email before another worker may try it again.
CLAIM_LEASE = timedelta(minutes=10)


def send_pending(session: Session, *, now: datetime, limit: int = 100) -> DeliveryReport:
    """Deliver due emails; returns what happened. Commits as it goes.

    Each email is first claimed in a short transaction (PostgreSQL: FOR UPDATE SKIP LOCKED,
    so parallel workers take different rows; SQLite: writers take turns) that pushes its
    next attempt past a lease. SMTP is then spoken with no database lock held, and the
    outcome recorded in a second short transaction.
    """
    report = DeliveryReport()
    for _ in range(limit):
        email_id = _claim_next(session, now)
        if email_id is None:
            break
        try:
            # Built once the claim is committed: laying out a PDF attachment takes a few hundred
            # milliseconds, and on SQLite the claim holds the one write lock every registration needs.
            message = _message(session.get_one(OutboxEmail, email_id))
            session.rollback()  # end the read transaction before speaking SMTP
            mail.send(message)
        # Any exception: a template, a PDF, an address or the SMTP server may fail for this one email,
        # and it must not hold up the ones behind it. (When the database itself fails, recording the
        # failure fails too, and the worker stops, as it should.)
        except Exception as error:  # noqa: BLE001
            session.rollback()
            _record_failure(session, email_id, error, now, report)
        else:
            _record_success(session, email_id, now)
            report.sent += 1
    return report


def _claim_next(session: Session, now: datetime) -> int | None:
    session.rollback()
    begin_write(session)
    email = session.scalar(
        sa.select(OutboxEmail)
        .where(OutboxEmail.status == OutboxStatus.PENDING, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if email is None:
        session.rollback()
        return None
    email.attempts += 1
    email.next_attempt_at = now + CLAIM_LEASE
    email_id = email.id
    session.commit()
    return email_id


def _record_success(session: Session, email_id: int, now: datetime) -> None:
    begin_write(session)
    email = session.get_one(OutboxEmail, email_id)
    email.status = OutboxStatus.SENT
    email.sent_at = now
    email.last_error = None
    session.commit()


# Faults of the stored email itself: sending it again sends the same bytes and fails the same way,
# so it is given up at once instead of being retried for a day. Everything else (the mail server,
# a template or a PDF that a fix can mend) is retried.
PERMANENT_FAULTS = (UndeliverableAddress, BadHeaderError)


def _record_failure(session: Session, email_id: int, error: Exception, now: datetime, report: DeliveryReport) -> None:
    config = current_app.config
    if not isinstance(error, (smtplib.SMTPException, OSError, *PERMANENT_FAULTS)):
        log.exception("email %s could not be built or sent", email_id)  # a bug: keep the traceback
    begin_write(session)
    email = session.get_one(OutboxEmail, email_id)
    email.last_error = _describe(error)[:2000]
    if isinstance(error, PERMANENT_FAULTS) or email.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        email.status = OutboxStatus.FAILED
        report.failed += 1
        log.error("giving up on email %s to %s: %s", email.id, email.to_address, email.last_error)
    else:
        email.next_attempt_at = now + backoff(email.attempts, config["MAIL_MAX_BACKOFF_SECONDS"])
        report.retried += 1
        log.warning("email %s to %s failed, next try at %s: %s",
                    email.id, email.to_address, email.next_attempt_at, email.last_error)
    session.commit()


def _describe(error: Exception) -> str:
    if isinstance(error, UndeliverableAddress):
        return f"Not sent, and not retried: {error.message}"
    if isinstance(error, BadHeaderError):
        return "Not sent, and not retried: the address or the sender contains a line break (BadHeaderError)."
    return f"{type(error).__name__}: {error}"


def _message(email: OutboxEmail) -> Message:
    message = Message(
        subject=_one_line(email.subject),  # emails queued before subjects were kept on one line
        recipients=[_recipient(email.to_address)],
        body=email.body_text,
        html=email.body_html,
        reply_to=_reply_to(email),
        # Tells autoresponders (out of office, vacation) not to answer, RFC 3834.
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    message.msgId = email.message_id
    for attachment in email.attachments:
        content = _attachment_bytes(email, attachment)
        if content is not None:
            message.attach(attachment["filename"], attachment["content_type"], content)
    return message


def _one_line(text: str) -> str:
    # A line break in a header value would end the header (and Flask-Mail refuses to send it).
    return " ".join(text.split())


def _recipient(address: str) -> str:
    if address.isascii():
        return address
    # Stored before the forms refused such addresses: jöhn@example.org cannot be delivered (raises),
    # user@bücher.example can, in its ASCII form.
    try:
        return deliverable_address(address)
    except UndeliverableAddress as error:
        reason = error.message if address.rpartition("@")[0].isascii() else (
            "it has letters outside a–z before the @, which only servers speaking SMTPUTF8 accept. "
            "The person needs to register with another address.")
        raise UndeliverableAddress(f"{address} cannot be delivered to: {reason}") from None


def _reply_to(email: OutboxEmail) -> str:
    """The event's contact address; else MAIL_REPLY_TO; else the sender, so the header is always there."""
    config = current_app.config
    fallback = config["MAIL_REPLY_TO"] or config["MAIL_DEFAULT_SENDER"]
    if not email.reply_to:
        return fallback
    try:
        return _recipient(email.reply_to)
    except UndeliverableAddress:  # an old contact address: the participant's email still goes out
        return fallback


# Attachments made when the email is sent, not when it is queued: {"filename", "content_type",
# "generated": name, "id": n}. A PDF takes a few hundred milliseconds to lay out, and a bulk action
# (certificates for a whole forum) queues hundreds of emails in one request. The feature that owns
# the document registers name -> function(session, id) returning the bytes, or None when the
# document no longer exists (the email then goes without it).
GENERATED_ATTACHMENTS: dict[str, Callable[[Session, int], bytes | None]] = {}


def _attachment_bytes(email: OutboxEmail, attachment: dict) -> bytes | None:
    if "generated" in attachment:
        session = object_session(email)
        assert session is not None, "attachments are made for an email loaded from the outbox"
        content = GENERATED_ATTACHMENTS[attachment["generated"]](session, attachment["id"])
        if content is None:
            log.warning("email %s: %s %s no longer exists; sent without it",
                        email.id, attachment["generated"], attachment["id"])
        return content
    # The outbox column is JSON, so other binary files are stored base64-encoded.
    if "content_base64" in attachment:
        return base64.b64decode(attachment["content_base64"])
    return attachment["content"].encode("utf-8")
