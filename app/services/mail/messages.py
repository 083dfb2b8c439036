"""Messages organisers write to a chosen group: checked, saved as drafts, scheduled, and queued in one
transaction as one personalised outbox email per person (kind "message", Reply-To the event's contact).

Queueing reads everyone's registration, travel support and sessions in three queries, fills the text with
plain substitution (app.services.placeholders.fill) and writes the outbox rows with one bulk INSERT, so a
message to 1,000 people stays well under a second in the web request; the worker delivers them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy.orm import contains_eager, lazyload, selectinload

from app.database import Session
from app.models import (
    Event,
    Message,
    MessageStatus,
    ProgrammeSession,
    Registration,
    ReminderAnchor,
    SessionChoice,
    User,
)
from app.services.errors import DomainError, Problems
from app.services.mail import audiences, mailer
from app.services.mail.mailer import RenderedEmail
from app.services.mail.texts import EMAIL_PLACEHOLDERS, email_values, text_to_html
from app.services.placeholders import check_placeholders, fill
from app.services.questions.uploads import CheckedFile, check_pdf, delete_after_commit, write_file
from app.services.registration.tokens import participant_token
from app.services.urls import external_url_builder

KIND = "message"
ATTACHMENTS_FOLDER = "messages"  # under UPLOAD_FOLDER
SUBJECT_MAX = 300
BODY_MAX = 20_000


@dataclass(frozen=True)
class Draft:
    """What the organiser typed on the compose page."""

    subject: str
    body: str
    audience: dict
    anchor: ReminderAnchor | None = None
    offset_days: int | None = None


def check_pdf_attachment(filename: str, stream: BinaryIO) -> CheckedFile:
    """The chosen file if it is a PDF within MESSAGE_ATTACHMENT_MAX_BYTES (refused next to the field)."""
    try:
        return check_pdf(filename, stream, max_bytes=current_app.config["MESSAGE_ATTACHMENT_MAX_BYTES"])
    except DomainError as error:
        raise DomainError(error.message, field="attachment") from None


def check_draft(draft: Draft) -> None:
    problems = Problems()
    if not draft.subject.strip():
        problems.add(_("Please write a subject."), "subject")
    elif len(draft.subject) > SUBJECT_MAX:
        problems.add(_("Please keep the subject under %(max)d characters.", max=SUBJECT_MAX), "subject")
    with problems.collecting(field="subject"):
        check_placeholders(draft.subject, EMAIL_PLACEHOLDERS)
    if not draft.body.strip():
        problems.add(_("Please write the message."), "body")
    elif len(draft.body) > BODY_MAX:
        body_max = f"{BODY_MAX:,}"
        problems.add(_("Please keep the message under %(max)s characters.", max=body_max), "body")
    with problems.collecting(field="body"):
        check_placeholders(draft.body, EMAIL_PLACEHOLDERS)
    problems.raise_if_any()


def save(session: Session, event: Event, draft: Draft, *, message: Message | None = None,
         attachment: CheckedFile | None = None, remove_attachment: bool = False, status: MessageStatus,
         send_at: datetime | None, actor: User, now: datetime) -> Message:
    """Create or update a message that has not been sent. A scheduled one needs a time in the future."""
    check_draft(draft)
    if message is not None and message.is_sent:
        raise DomainError(_("This message has been sent already; it cannot be changed."))
    if draft.anchor is not None:
        send_at = _reminder_time(event, draft.anchor, draft.offset_days or 0)
        if status is MessageStatus.SCHEDULED and send_at <= now:
            raise DomainError(_("That time has passed already: choose fewer days before (or after) the date."),
                              field="days")
    elif status is MessageStatus.SCHEDULED:
        if send_at is None:
            raise DomainError(_("Please choose when to send it."), field="send_at")
        if send_at <= now:
            raise DomainError(_("Please choose a time in the future."), field="send_at")
    if message is None:
        message = Message(event_id=event.id, created_by_id=actor.id, created_at=now, subject="", body="", audience={})
        session.add(message)
    message.subject, message.body = draft.subject.strip(), draft.body.replace("\r\n", "\n")
    message.audience = audiences.clean(draft.audience)
    message.anchor, message.offset_days = draft.anchor, draft.offset_days if draft.anchor else None
    message.status, message.send_at = status, send_at if status is MessageStatus.SCHEDULED else None
    if attachment is not None or remove_attachment:
        _drop_attachment(session, message)
    if attachment is not None:
        message.attachment_stored_name = write_file(session, _folder(), attachment.data)
        message.attachment_name, message.attachment_size = attachment.filename, attachment.size
    session.flush()
    return message


def _reminder_time(event: Event, anchor: ReminderAnchor, offset_days: int) -> datetime:
    probe = Message(anchor=anchor, offset_days=offset_days)
    moment = probe.reminder_time(event)
    assert moment is not None
    return moment


def delete(session: Session, message: Message) -> None:
    if message.is_sent:
        raise DomainError(_("A sent message stays in the list, as a record of what people received."))
    _drop_attachment(session, message)
    session.delete(message)


def _drop_attachment(session: Session, message: Message) -> None:
    if message.attachment_stored_name:
        delete_after_commit(session, _folder() / message.attachment_stored_name)
    message.attachment_stored_name = message.attachment_name = message.attachment_size = None


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / ATTACHMENTS_FOLDER


def attachment_bytes(session: Session, message_id: int) -> bytes | None:
    message = session.get(Message, message_id)
    if message is None or not message.attachment_stored_name:
        return None
    try:
        return (_folder() / message.attachment_stored_name).read_bytes()
    except FileNotFoundError:
        return None


# Made when each email is sent: 1,000 emails share the one stored file instead of 1,000 copies in the outbox.
mailer.GENERATED_ATTACHMENTS["message_attachment"] = attachment_bytes


# --- filling and queueing ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Filled:
    to: str
    subject: str
    text: str
    html: str


def recipients(session: Session, event_id: int, audience: dict, *, limit: int | None = None) -> list[Registration]:
    """The audience's registrations with their travel support, in one query each."""
    ids = audiences.recipient_select(event_id, audience)
    if limit is not None:
        ids = ids.limit(limit)
    return list(session.scalars(
        sa.select(Registration).where(Registration.id.in_(ids.order_by(None).scalar_subquery()
                                                          if limit is None else ids.scalar_subquery()),
                                      Registration.anonymised_at.is_(None))  # nobody left to write to
        # the event is the message's, already in the session: not joined again into each of 1,000 rows
        .options(selectinload(Registration.travel_support), lazyload(Registration.event))
        .order_by(Registration.sort_name, Registration.id)
    ))


def _choices_by_person(session: Session, registration_ids: list[int]) -> dict[int, list[SessionChoice]]:
    """Everyone's sessions in one query (a message to 1,000 people is not 1,000 queries)."""
    by_person: dict[int, list[SessionChoice]] = defaultdict(list)
    if not registration_ids:
        return by_person
    rows = session.scalars(
        sa.select(SessionChoice).join(SessionChoice.session).options(contains_eager(SessionChoice.session))
        .where(SessionChoice.registration_id.in_(registration_ids))
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )
    for choice in rows:
        by_person[choice.registration_id].append(choice)
    return by_person


def fill_for(message: Message | Draft, registrations: list[Registration],
             choices: dict[int, list[SessionChoice]]) -> list[Filled]:
    """Each person's subject, text and HTML: plain substitution of that person's values only."""
    if not registrations:
        return []
    event = registrations[0].event
    url = external_url_builder()
    event_link = url("public.event", slug=event.slug)
    frames: dict[str, tuple[str, str, str, str]] = {}
    filled = []
    for registration in registrations:
        link = url("participant.show", token=participant_token(registration.id))
        with force_locale(registration.language):  # their dates, labels and event title, in their language
            values = email_values(registration, link=link, event_link=event_link, choices=choices.get(registration.id, ()))
            if registration.language not in frames:
                frames[registration.language] = _frame(event, registration.language)
        head, middle, tail, footer = frames[registration.language]
        subject = " ".join(fill(message.subject, values).split())
        text = fill(message.body, values)
        filled.append(Filled(
            to=registration.email,
            subject=subject,
            text=text + footer,
            html=f"{head}{escape(subject)}{middle}{text_to_html(text)}{tail}",
        ))
    return filled


def _frame(event: Event, language: str) -> tuple[str, str, str, str]:
    """The HTML around a message (split at its subject and body) and the text footer, in one language: made
    once per language of a mailing, not once per person."""
    frame = current_app.jinja_env.get_template("email/message.html").render(
        event=event, subject=_SUBJECT_SLOT, body=Markup(_BODY_SLOT), lang=language)
    head, _slot, rest = frame.partition(_SUBJECT_SLOT)
    middle, _slot, tail = rest.partition(_BODY_SLOT)
    footer = "\n\n--\n{title}\n{questions}\n".format(
        title=event.title, questions=_("Questions? Write to %(address)s.", address=event.contact_email))
    return head, middle, tail, footer


_SUBJECT_SLOT, _BODY_SLOT = "\x00subject\x00", "\x00body\x00"


def preview(session: Session, event: Event, message: Message | Draft) -> Filled | None:
    """The message as its first recipient will receive it (None when nobody matches)."""
    people = recipients(session, event.id, message.audience, limit=1)
    if not people:
        return None
    return fill_for(message, people, _choices_by_person(session, [people[0].id]))[0]


def queue(session: Session, message: Message, *, now: datetime) -> int:
    """One outbox email per person, personalised, in the caller's transaction; returns how many."""
    people = recipients(session, message.event_id, message.audience)
    filled = fill_for(message, people, _choices_by_person(session, [person.id for person in people]))
    attachments = ([{"filename": message.attachment_name, "content_type": "application/pdf",
                     "generated": "message_attachment", "id": message.id}] if message.attachment_stored_name else [])
    reply_to = message.event.contact_email
    rows = [
        RenderedEmail(kind=KIND, to=one.to, subject=one.subject[:300], body_text=one.text, body_html=one.html,
                      registration_id=person.id, reply_to=reply_to, attachments=attachments)
        for person, one in zip(people, filled, strict=True)
    ]
    mailer.enqueue_many(session, rows)
    message.status, message.sent_at, message.recipient_count = MessageStatus.SENT, now, len(rows)
    return len(rows)


def send_now(session: Session, message_id: int, *, now: datetime) -> int:
    """Queue a draft or scheduled message at once; exactly once even if the button is pressed twice
    (the atomic status change is the claim). Returns how many emails were queued."""
    claimed = session.execute(
        sa.update(Message).where(Message.id == message_id, Message.status != MessageStatus.SENT)
        .values(status=MessageStatus.SCHEDULED, send_at=now)
        .returning(Message.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    message = session.get_one(Message, message_id)
    session.refresh(message)
    if claimed is None or message.status is MessageStatus.SENT:
        raise DomainError(_("This message has been sent already."))
    return queue(session, message, now=now)


def copy_reminders(session: Session, latest: Event, copy: Event) -> None:
    """The next edition gets the latest one's reminders, at the same distance from its own dates; those that
    were on (or have gone out) are on, drafts stay drafts. Their PDF is copied too."""
    for reminder in session.scalars(
        sa.select(Message).where(Message.event_id == latest.id, Message.anchor.is_not(None)).order_by(Message.id)
    ):
        on = reminder.status is not MessageStatus.DRAFT
        clone = Message(
            event_id=copy.id, subject=reminder.subject, body=reminder.body, audience=dict(reminder.audience),
            anchor=reminder.anchor, offset_days=reminder.offset_days, created_by_id=reminder.created_by_id,
            status=MessageStatus.SCHEDULED if on else MessageStatus.DRAFT,
        )
        clone.send_at = clone.reminder_time(copy) if on else None
        data = attachment_bytes(session, reminder.id)
        if data is not None:
            clone.attachment_stored_name = write_file(session, _folder(), data)
            clone.attachment_name, clone.attachment_size = reminder.attachment_name, reminder.attachment_size
        session.add(clone)
    session.flush()
