"""The participant's personal link: see the registration, add it to a calendar, cancel it."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.actions import commit_or_flash
from app.extensions import db
from app.file_responses import ics_response
from app.i18n import use_language
from app.models import Registration, RegistrationStatus, utcnow
from app.participant import bp
from app.services.documents.participant_documents import documents_of
from app.services.events import calendar as calendars
from app.services.privacy.links import link_works
from app.services.programme import programme
from app.services.questions import questions as question_service
from app.services.questions.answers import answers_of
from app.services.registration import registration as registration_service
from app.services.registration.availability import status_counts
from app.services.registration.tokens import read_token


def _registration_or_404(token: str) -> Registration:
    """The link's registration; a page saying so (410) when the link has expired or the data was deleted."""
    read = read_token(token)
    registration = db.session.get(Registration, read[0]) if read else None
    if registration is None or read is None:
        abort(404, description=_("This link is not valid. Please use the link from your latest email, "
                                 "or write to the organisers."))
    use_language(registration.language)  # the person's pages speak their language, unless they switch
    if not link_works(registration, read[1], now=utcnow(),
                      days_after_event=current_app.config["PERSONAL_LINK_DAYS_AFTER_EVENT"]):
        abort(make_response(render_template("participant/link_expired.html", event=registration.event,
                                            anonymised=registration.is_anonymised), 410))
    return registration


@bp.get("/<token>")
def show(token: str):
    registration = _registration_or_404(token)
    now = utcnow()
    return render_template(
        "participant/show.html",
        registration=registration,
        event=registration.event,
        token=token,
        position=registration_service.waiting_list_position(db.session, registration),
        can_cancel=registration.can_be_cancelled_by_participant(now),
        can_change_sessions=registration.can_change_sessions(now),
        choices=programme.choices_of(db.session, registration.id),
        can_withdraw_application=registration.can_withdraw_application(now),
        can_confirm_attendance=registration.application is not None
        and registration.application.can_confirm_attendance(now),
        coming_form=FlaskForm(),
        now=now,
        shown_answers=answers_of(db.session, registration.id),
        # The link is offered only where the form has questions to change.
        answers_editable=registration.can_edit_answers(now)
        and bool(question_service.active_questions(db.session, registration.event_id)),
        docs=documents_of(db.session, registration.id),
        details_editable=registration.can_edit_details(now),
    )


@bp.route("/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    registration = _registration_or_404(token)
    if registration.event.takes_applications:  # an application is withdrawn instead (participant/application.py)
        return redirect(url_for("participant.withdraw_application", token=token))
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: registration_service.cancel(db.session, registration.id, actor=None, now=utcnow()))
        if done:
            flash(_("Your registration is cancelled. We have sent you an email to confirm it."), "success")
        return redirect(url_for("participant.show", token=token))
    if not registration.can_be_cancelled or utcnow() >= registration.event.ends_at:  # as show() offers it
        return redirect(url_for("participant.show", token=token))
    waiting = status_counts(db.session, [registration.event_id])[registration.event_id][RegistrationStatus.WAITLISTED]
    return render_template("participant/cancel.html", registration=registration, event=registration.event,
                           token=token, form=form, someone_waiting=waiting > 0)


@bp.get("/<token>/calendar.ics")
def calendar(token: str):
    registration = _registration_or_404(token)
    text = calendars.registration_calendar(registration, programme.choices_of(db.session, registration.id), stamp=utcnow())
    return ics_response(text, f"{registration.event.slug}.ics")
