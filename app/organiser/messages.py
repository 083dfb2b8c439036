"""Messages to a chosen group of an event's people, scheduled messages and reminders."""

from __future__ import annotations

import json
from datetime import datetime
from typing import BinaryIO, cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.actions import commit_or_flash, commit_or_show, show_problems
from app.extensions import db
from app.models import Event, Message, MessageStatus, ReminderAnchor, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404
from app.organiser.message_forms import ConfirmForm, MessageForm, ReminderForm
from app.security_headers import allow_inline_styles
from app.services.errors import DomainError
from app.services.mail import audiences, messages
from app.services.mail.texts import EMAIL_PLACEHOLDERS
from app.services.questions.uploads import CheckedFile


def _message_or_404(event: Event, message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or message.event_id != event.id:
        abort(404)
    return message


@bp.get("/events/<int:event_id>/messages")
def messages_list(event_id: int):
    event = managed_event_or_404(event_id)
    rows = db.session.scalars(sa.select(Message).where(Message.event_id == event.id)
                              .order_by(Message.sent_at.desc().nulls_first(), Message.send_at, Message.id.desc())).all()
    counts = {m.id: audiences.count(db.session, event.id, m.audience) for m in rows if not m.is_sent}
    return render_template("organiser/messages.html", event=event, rows=rows, counts=counts, now=utcnow(),
                           describe=lambda m: audiences.describe(db.session, event, m.audience))


@bp.route("/events/<int:event_id>/messages/new", methods=["GET", "POST"])
def message_new(event_id: int):
    event = managed_event_or_404(event_id)
    form = MessageForm()
    if request.method == "GET":
        form.audience.data = json.dumps(audiences.from_args(request.args))
    return _compose(event, form, None)


@bp.route("/events/<int:event_id>/reminders/new", methods=["GET", "POST"])
def reminder_new(event_id: int):
    event = managed_event_or_404(event_id)
    return _compose(event, _reminder_form(event), None)


@bp.route("/events/<int:event_id>/messages/<int:message_id>", methods=["GET", "POST"])
def message_edit(event_id: int, message_id: int):
    event = managed_event_or_404(event_id)
    message = _message_or_404(event, message_id)
    if message.is_sent:
        return render_template("organiser/message_sent.html", event=event, message=message,
                               audience=audiences.describe(db.session, event, message.audience))
    form = _reminder_form(event, message) if message.is_reminder else MessageForm(obj=message if request.method == "GET" else None)
    if request.method == "GET":
        form.audience.data = json.dumps(message.audience)
        if message.send_at and not message.is_reminder:
            form.send_at.data = event.local(message.send_at).replace(tzinfo=None)
    return _compose(event, form, message)


def _reminder_form(event: Event, message: Message | None = None) -> ReminderForm:
    form = ReminderForm(obj=None)
    options = audiences.reminder_audiences(event)
    form.who.choices = [("", _("Choose…")), *((key, label) for key, label, _audience in options)]
    if request.method == "GET" and message is not None:
        form.subject.data, form.body.data = message.subject, message.body
        form.who.data = next((key for key, _label, audience in options if audience == message.audience), "")
        form.anchor.data = (message.anchor or ReminderAnchor.START).value
        form.days.data = abs(message.offset_days or 0)
        form.direction.data = "before" if (message.offset_days or 0) < 0 else "after"
    return form


def _compose(event: Event, form: MessageForm, message: Message | None):
    reminder = isinstance(form, ReminderForm)
    if request.method == "POST" and form.validate():
        saved = _save(event, form, message, reminder)
        if saved is not None:
            action = form.action.data or request.form.get("do", "")
            if action == "send":
                return redirect(url_for("organiser.message_send", event_id=event.id, message_id=saved))
            if action == "preview":
                return redirect(url_for("organiser.message_edit", event_id=event.id, message_id=saved) + "#preview")
            flash(_("The reminder is saved.") if reminder else _("The message is saved."), "success")
            return redirect(url_for("organiser.messages_list", event_id=event.id))
    audience = _audience(form, event) if not reminder else None
    shown = message if message is not None and request.method == "GET" else None
    allow_inline_styles()  # the preview's <iframe srcdoc> shows the email's own inline styles
    return render_template(
        "organiser/message_form.html", event=event, form=form, message=message, reminder=reminder,
        audience_text=audiences.describe(db.session, event, audience) if audience is not None else None,
        count=audiences.count(db.session, event.id, audience) if audience is not None else None,
        placeholders=EMAIL_PLACEHOLDERS, preview=messages.preview(db.session, event, shown) if shown else None,
        zone=event.timezone,
    )


def _audience(form: MessageForm, event: Event) -> dict:
    if isinstance(form, ReminderForm):
        chosen = {key: audience for key, _label, audience in audiences.reminder_audiences(event)}
        return chosen.get(form.who.data or "", {"source": audiences.ATTENDEES, "status": "confirmed"})
    try:
        return audiences.clean(json.loads(form.audience.data or "{}"))
    except ValueError:
        return audiences.clean({})


def _save(event: Event, form: MessageForm, message: Message | None, reminder: bool) -> int | None:
    action = request.form.get("do", "draft")
    attachment: CheckedFile | None = None
    upload = request.files.get("attachment")
    if upload and upload.filename:
        try:
            attachment = messages.check_pdf_attachment(upload.filename, cast(BinaryIO, upload.stream))
        except DomainError as error:
            show_problems(form, error)
            # the other fields are checked too, so every problem shows at once
            try:
                messages.check_draft(_draft(form, event, reminder))
            except DomainError as more:
                show_problems(form, more)
            return None
    status = MessageStatus.SCHEDULED if action == "schedule" else MessageStatus.DRAFT
    send_at = _utc(form.send_at.data, event.tz) if form.send_at.data else None
    done = commit_or_show(form, lambda: messages.save(
        db.session, event, _draft(form, event, reminder), message=message, attachment=attachment,
        remove_attachment=bool(form.remove_attachment.data), status=status, send_at=send_at,
        actor=current_user._get_current_object(), now=utcnow(),
    ).id)
    return done.value if done else None


def _draft(form: MessageForm, event: Event, reminder: bool) -> messages.Draft:
    if isinstance(form, ReminderForm):
        return messages.Draft(subject=form.subject.data or "", body=form.body.data or "",
                              audience=_audience(form, event), anchor=ReminderAnchor(form.anchor.data),
                              offset_days=form.offset_days)
    return messages.Draft(subject=form.subject.data or "", body=form.body.data or "", audience=_audience(form, event))


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone)


@bp.route("/events/<int:event_id>/messages/<int:message_id>/send", methods=["GET", "POST"])
def message_send(event_id: int, message_id: int):
    event = managed_event_or_404(event_id)
    message = _message_or_404(event, message_id)
    if message.is_sent:
        return redirect(url_for("organiser.message_edit", event_id=event.id, message_id=message.id))
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        done = commit_or_flash(lambda: messages.send_now(db.session, message.id, now=utcnow()))
        if done:
            queued = f"{done.value:,}"
            flash(ngettext("%(count)s email is queued: it goes out in the next minutes.",
                           "%(count)s emails are queued: they go out in the next minutes.", done.value,
                           count=queued), "success")
        return redirect(url_for("organiser.messages_list", event_id=event.id))
    return render_template("organiser/message_send.html", event=event, message=message, form=form,
                           count=audiences.count(db.session, event.id, message.audience),
                           audience=audiences.describe(db.session, event, message.audience))


@bp.post("/events/<int:event_id>/messages/<int:message_id>/delete")
def message_delete(event_id: int, message_id: int):
    event = managed_event_or_404(event_id)
    message = _message_or_404(event, message_id)
    if ConfirmForm().validate() and commit_or_flash(lambda: messages.delete(db.session, message)):
        flash(_("The message is deleted."), "success")
    return redirect(url_for("organiser.messages_list", event_id=event.id))
