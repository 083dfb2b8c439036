"""The email outbox: queue inside the caller's transaction, deliver later from a worker.

Delivery is at least once: a worker that dies between the SMTP reply and its commit sends
those emails (at most one claimed batch) again, with the same Message-ID so mail clients fold
the copies. One SMTP connection serves a whole run of the worker.
Whatever goes wrong with one email is recorded on it, and the worker goes on with the next.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
import smtplib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.generator import BytesGenerator
from email.utils import make_msgid
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_mail import BadHeaderError, Message, email_dispatched, sanitize_address, sanitize_addresses
from sqlalchemy.orm.attributes import set_committed_value

from app.database import Session, begin_write
from app.extensions import mail
from app.i18n import current_language
from app.models import OutboxEmail, OutboxStatus, utcnow
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
            "body_text": body_text if body_text is not None else render_template(f"email/{kind}.txt", **_with_language(context)),
            "body_html": body_html if body_html is not None else render_template(f"email/{kind}.html", **_with_language(context)),
            "attachments": attachments or [],
            "message_id": make_msgid(domain=site_domain()),
            "status": OutboxStatus.PENDING,
        },
    ).scalar_one()


def enqueue_draft(session: Session, *, kind: str, to: str, registration_id: int, reply_to: str | None,
                  draft: dict[str, Any]) -> int:
    """Store an email the worker writes before sending it, from `draft` (see drafts.py); returns its id."""
    return session.execute(_INSERT_EMAIL, {"registration_id": registration_id, "to_address": to,
                                           **draft_columns(kind, reply_to, draft)}).scalar_one()


def draft_columns(kind: str, reply_to: str | None, draft: dict[str, Any]) -> dict[str, Any]:
    """A draft email's columns but its registration_id and to_address."""
    now = utcnow()
    return {"kind": kind, "reply_to": reply_to, "subject": "", "body_text": "", "body_html": "", "attachments": [],
            "draft": draft, "message_id": make_msgid(domain=site_domain()), "status": OutboxStatus.PENDING,
            "attempts": 0, "next_attempt_at": now, "created_at": now}


class UnwritableDraft(Exception):
    """A draft email that can never be written (its registration is gone): given up at once."""


# Built once: the statement's compiled form is then reused from SQLAlchemy's cache.
_OUTBOX = cast(sa.Table, OutboxEmail.__table__)  # declared as a FromClause; a mapped class's table is a Table
_INSERT_EMAIL = sa.insert(_OUTBOX).returning(_OUTBOX.c.id)
_INSERT_EMAILS = sa.insert(_OUTBOX).returning(_OUTBOX.c.message_id, _OUTBOX.c.id)


@dataclass(frozen=True)
class RenderedEmail:
    """An email whose subject and bodies are already written, e.g. one person's copy of a group message."""

    kind: str
    to: str
    subject: str
    body_text: str
    body_html: str
    registration_id: int | None = None
    reply_to: str | None = None
    attachments: list[dict] = field(default_factory=list)


def enqueue_many(session: Session, rows: Iterable[RenderedEmail | Mapping[str, Any]]) -> list[int]:
    """Store many rendered emails for delivery in ONE bulk INSERT; returns their ids, in the order given.

    Rows are RenderedEmail or mappings with the same keys. 1,000 personalised emails take a few tens of
    milliseconds (bench/mail_throughput.py), so a request can queue a message to a whole event.
    """
    now = utcnow()
    domain = site_domain()
    values = []
    for row in rows:
        email = row if isinstance(row, RenderedEmail) else RenderedEmail(**row)
        values.append({
            "kind": email.kind,
            "registration_id": email.registration_id,
            "to_address": email.to,
            "reply_to": email.reply_to,
            "subject": _one_line(email.subject),
            "body_text": email.body_text,
            "body_html": email.body_html,
            "attachments": email.attachments or [],
            "message_id": make_msgid(domain=domain),
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        })
    if not values:
        return []
    # executemany: SQLAlchemy sends one INSERT ... VALUES (...), (...), ... RETURNING (per 1,000 rows).
    # Rows may come back in any order; the Message-ID, made here, tells which id is whose.
    ids = {message_id: email_id for message_id, email_id in session.execute(_INSERT_EMAILS, values)}
    return [ids[row["message_id"]] for row in values]


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


# Emails claimed per short transaction, and marked sent together after delivery. A worker that dies
# mid-batch sends at most this many emails twice (same Message-ID); fewer commits is what lets one
# worker deliver hundreds of emails a second.
CLAIM_BATCH = 20


def send_pending(session: Session, *, now: datetime, limit: int = 100) -> DeliveryReport:
    """Deliver due emails; returns what happened. Commits as it goes.

    Emails are claimed a batch at a time in a short transaction (PostgreSQL: FOR UPDATE SKIP LOCKED,
    so parallel workers take different rows; SQLite: writers take turns) that pushes their next
    attempt past a lease. SMTP is then spoken with no database lock held, over one connection for
    the whole run (reopened when the server drops it), and the outcome recorded in short
    transactions: a failure at once on its email, the successes of a batch together.
    """
    report = DeliveryReport()
    with SmtpConnection() as smtp:
        while (done := report.sent + report.retried + report.failed) < limit:
            batch = _claim_batch(session, now, min(CLAIM_BATCH, limit - done))
            delivered: list[int] = []
            try:
                for email in batch:
                    if _deliver(session, smtp, email, now, report):
                        delivered.append(email.id)
            finally:  # even when recording a failure fails: what went out is marked sent
                _record_successes(session, delivered, now)
                report.sent += len(delivered)
            if len(batch) < CLAIM_BATCH:
                break
    return report


def _deliver(session: Session, smtp: SmtpConnection, email: OutboxEmail, now: datetime,
             report: DeliveryReport) -> bool:
    try:
        # Built once the claim is committed: laying out a PDF attachment takes a few hundred
        # milliseconds, and on SQLite the claim holds the one write lock every registration needs.
        if email.draft is not None:
            _write_draft(session, email)
        message = _message(session, email)
        session.rollback()  # end any read transaction (generated attachments) before speaking SMTP
        smtp.send(message)
    # Any exception: a template, a PDF, an address or the SMTP server may fail for this one email,
    # and it must not hold up the ones behind it. (When the database itself fails, recording the
    # failure fails too, and the worker stops, as it should.)
    except Exception as error:  # noqa: BLE001
        session.rollback()
        _record_failure(session, email.id, error, now, report)
        return False
    return True


def _write_draft(session: Session, email: OutboxEmail) -> None:
    """Write the draft and store it on its row before sending: the log shows what was sent, and a worker
    that dies after sending sends the same words again."""
    from app.services.mail import drafts  # drafts writes through notifications, which queues through here

    written = drafts.written(session, email)
    session.rollback()
    begin_write(session)
    values = {"subject": _one_line(written.subject), "body_text": written.body_text, "body_html": written.body_html,
              "attachments": written.attachments, "draft": None}
    session.execute(sa.update(_OUTBOX).where(_OUTBOX.c.id == email.id).values(**values))
    session.commit()
    for name, value in values.items():  # the detached, claimed copy is what _message sends
        set_committed_value(email, name, value)


def _claim_batch(session: Session, now: datetime, size: int) -> list[OutboxEmail]:
    """The next due emails, claimed: attempts counted and leased; returned detached, fully loaded."""
    session.rollback()
    begin_write(session)
    emails = list(session.scalars(
        sa.select(OutboxEmail)
        .where(OutboxEmail.status == OutboxStatus.PENDING, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    ))
    if not emails:
        session.rollback()
        return []
    session.execute(
        sa.update(_OUTBOX)
        .where(_OUTBOX.c.id.in_([email.id for email in emails]))
        .values(attempts=_OUTBOX.c.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
    )
    for email in emails:  # kept as read, so that the commit neither expires nor reloads them
        session.expunge(email)
    session.commit()
    return emails


def _record_successes(session: Session, email_ids: list[int], now: datetime) -> None:
    if not email_ids:
        return
    session.rollback()
    begin_write(session)
    session.execute(
        sa.update(_OUTBOX)
        .where(_OUTBOX.c.id.in_(email_ids))
        .values(status=OutboxStatus.SENT, sent_at=now, last_error=None)
    )
    session.commit()


# The sender is the same on every email of a run.
_envelope_address = functools.lru_cache(maxsize=16)(sanitize_address)

# Flask-Mail writes its MIME tree with email.policy.SMTP, which re-parses every header of every part
# through the header registry: half of a worker's CPU per email. Flask-Mail has already encoded
# each header (RFC 2047 words, Header objects), so the compat32 writer gives a valid message in half
# the time.
_WIRE_POLICY = policy.compat32.clone(linesep="\r\n")


def _as_bytes(message: Message) -> bytes:
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=_WIRE_POLICY).flatten(message._message())
    return out.getvalue()


class SmtpConnection:
    """One SMTP connection for a whole worker run: opened at the first email, reopened when the
    server drops it, and never left in a bad state by one email's failure.

    A refused recipient or message is that email's error; smtplib has already reset the
    transaction (RSET), so the next email goes over the same connection. A connection the server
    closed (idle timeout, restart, 421) is opened again and the email sent once more on it: the
    server may at worst have the email twice, with the same Message-ID. Any other failure in the
    middle of a conversation drops the connection, so the next email starts a clean one.
    MAIL_MAX_EMAILS (Flask-Mail's setting) starts a new connection after that many emails.
    """

    def __init__(self) -> None:
        self._settings = mail.connect()  # the app's Flask-Mail settings; opens nothing
        self._host: smtplib.SMTP | None = None
        self._sent_on_host = 0

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, message: Message) -> None:
        if message.has_bad_headers():  # before any SMTP: this email's fault, not the connection's
            raise BadHeaderError
        if message.date is None:
            message.date = time.time()
        if not self._settings.mail.suppress:
            sender, recipients = _envelope_address(message.sender), list(sanitize_addresses(message.send_to))
            content = _as_bytes(message)  # a fault here is the email's, before any SMTP
            for attempt in (1, 2):
                host = self._open()
                try:
                    host.sendmail(sender, recipients, content, message.mail_options, message.rcpt_options)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
                    if host.sock is not None:
                        raise  # refused: reset by smtplib, the connection goes on
                    self._drop()  # 421 "closing connection": smtplib has closed it
                    if attempt == 2:
                        raise
                except smtplib.SMTPServerDisconnected:
                    self._drop()
                    if attempt == 2:
                        raise
                    log.info("the mail server closed the connection; opening a new one")
                except BaseException:
                    self._drop()  # unknown state mid-conversation
                    raise
                else:
                    self._sent_on_host += 1
                    if self._sent_on_host == self._settings.mail.max_emails:
                        self.close()
                    break
        email_dispatched.send(current_app._get_current_object(), message=message)  # type: ignore[attr-defined]

    def close(self) -> None:
        """QUIT politely; a server that is already gone is fine."""
        host, self._host = self._host, None
        if host is not None:
            try:
                host.quit()
            except (smtplib.SMTPException, OSError):
                host.close()

    def _open(self) -> smtplib.SMTP:
        if self._host is None:
            self._host = self._settings.configure_host()  # MAIL_USE_SSL / TLS / USERNAME as configured
            self._sent_on_host = 0
        return self._host

    def _drop(self) -> None:
        host, self._host = self._host, None
        if host is not None:
            host.close()


# Faults of the stored email itself: sending it again sends the same bytes and fails the same way,
# so it is given up at once instead of being retried for a day. Everything else (the mail server,
# a template or a PDF that a fix can mend) is retried.
PERMANENT_FAULTS = (UndeliverableAddress, BadHeaderError, UnwritableDraft)


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
    if isinstance(error, UnwritableDraft):
        return f"Not sent, and not retried: {error}"
    return f"{type(error).__name__}: {error}"


def _message(session: Session, email: OutboxEmail) -> Message:
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
        content = _attachment_bytes(session, email, attachment)
        if content is not None:
            message.attach(attachment["filename"], attachment["content_type"], content)
    return message


def _with_language(context: Mapping[str, Any] | None) -> dict[str, Any]:
    # The HTML says which language it is written in (screen readers, spell checkers).
    return {"lang": current_language(), **(context or {})}


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
            _("it has letters outside a–z before the @, which only servers speaking SMTPUTF8 accept. "
              "The person needs to register with another address."))
        raise UndeliverableAddress(_("%(address)s cannot be delivered to: %(reason)s", address=address,
                                     reason=reason)) from None


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


def _attachment_bytes(session: Session, email: OutboxEmail, attachment: dict) -> bytes | None:
    if "generated" in attachment:
        content = GENERATED_ATTACHMENTS[attachment["generated"]](session, attachment["id"])
        if content is None:
            log.warning("email %s: %s %s no longer exists; sent without it",
                        email.id, attachment["generated"], attachment["id"])
        return content
    # The outbox column is JSON, so other binary files are stored base64-encoded.
    if "content_base64" in attachment:
        return base64.b64decode(attachment["content_base64"])
    return attachment["content"].encode("utf-8")
