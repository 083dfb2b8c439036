"""An event's email log: every email written to its participants, each one's text as sent, sending one again."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.actions import commit_or_flash
from app.extensions import db
from app.models import Registration, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404, managed_registration_or_404
from app.organiser.email_forms import STATUS_LABELS, EmailFilterForm
from app.redirects import safe_next_url
from app.services.mail import drafts, email_log, notifications
from app.services.mail.email_log import kind_label

# The stored HTML of an email is shown in a sandboxed frame, and served with nothing allowed but its own
# inline styles and embedded images: no script runs, nothing is fetched from elsewhere, no form is sent.
EMAIL_HTML_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                     "frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox")


@bp.get("/events/<int:event_id>/emails")
def emails(event_id: int):
    event = managed_event_or_404(event_id)
    filters = EmailFilterForm(request.args, email_log.kinds_sent(db.session, event.id))
    page = email_log.email_page(db.session, event.id, filters.email_query(), page=filters.page,
                                per_page=current_app.config["EMAILS_PER_PAGE"])
    return render_template("organiser/emails.html", event=event, filters=filters, page=page,
                           status_labels=STATUS_LABELS, kind_label=kind_label, action_form=FlaskForm())


@bp.get("/events/<int:event_id>/emails/<int:email_id>")
def email(event_id: int, email_id: int):
    event = managed_event_or_404(event_id)
    email = email_log.email_of_event(db.session, event.id, email_id) or abort(404)
    registration = db.session.get(Registration, email.registration_id)
    return render_template("organiser/email.html", event=event, email=email, content=drafts.shown(db.session, email),
                           registration=registration,
                           status_labels=STATUS_LABELS, kind_label=kind_label, action_form=FlaskForm())


@bp.get("/events/<int:event_id>/emails/<int:email_id>/body.html")
def email_html(event_id: int, email_id: int):
    event = managed_event_or_404(event_id)
    email = email_log.email_of_event(db.session, event.id, email_id) or abort(404)
    response = make_response(drafts.shown(db.session, email).body_html)
    response.mimetype = "text/html"
    response.headers["Content-Security-Policy"] = EMAIL_HTML_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # shown framed on the email's page, nowhere else
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/events/<int:event_id>/emails/<int:email_id>/resend")
def resend_email(event_id: int, email_id: int):
    event = managed_event_or_404(event_id)
    email_log.email_of_event(db.session, event.id, email_id) or abort(404)
    done = commit_or_flash(lambda: _resend(event.id, email_id))
    if done:
        subject, address = done.value
        flash(_("A copy of “%(subject)s” is queued to %(address)s: it is sent as a new email.", subject=subject,
                address=address), "success")
    log_url = url_for("organiser.emails", event_id=event.id)
    # Back where the button was: the log (with its filters), the email's page or the registration's.
    return redirect(safe_next_url(request.form.get("next"), fallback=log_url, under=log_url.rsplit("/", 1)[0] + "/"))


def _resend(event_id: int, email_id: int) -> tuple[str, str]:
    copy = email_log.resend(db.session, event_id, email_id, now=utcnow())
    return drafts.shown(db.session, copy).subject, copy.to_address  # read before the commit expires them


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/send-link")
def send_personal_link(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    address = registration.email
    done = commit_or_flash(lambda: notifications.queue(db.session, registration, "link_resent"))
    if done:
        flash(_("Their personal link is being emailed to %(address)s.", address=address), "success")
    return redirect(url_for("organiser.registration", event_id=event.id, registration_id=registration.id) + "#emails")
