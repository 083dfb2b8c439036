"""The applicant's side of an application: its status, travel support, confirming they are coming, withdrawing it.

Withdrawing is allowed until the event starts, whatever the decision so far: an accepted
person who can no longer come should free the place early, so that the organisers can offer
it to someone on the reserve list (nobody moves up automatically).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.actions import commit_or_flash
from app.extensions import db
from app.models import utcnow
from app.participant import bp
from app.participant.routes import _registration_or_404
from app.services.applications import applications as application_service
from app.services.applications import confirmations


@bp.post("/<token>/coming")
def confirm_attendance(token: str):
    """The "I am coming" button of an accepted applicant (those who cannot come withdraw instead)."""
    registration = _registration_or_404(token)
    if FlaskForm().validate_on_submit():
        done = commit_or_flash(lambda: confirmations.confirm_attendance(db.session, registration.id, now=utcnow()))
        if done:
            flash(_("Thank you: you have confirmed that you are coming. We look forward to welcoming you."), "success")
    return redirect(url_for("participant.show", token=token))


@bp.route("/<token>/withdraw", methods=["GET", "POST"])
def withdraw_application(token: str):
    registration = _registration_or_404(token)
    if registration.application is None:
        return redirect(url_for("participant.show", token=token))
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: application_service.withdraw(db.session, registration.id, now=utcnow()))
        if done:
            flash(_("Your application is withdrawn. We have sent you an email to confirm it."), "success")
        return redirect(url_for("participant.show", token=token))
    if not registration.can_withdraw_application(utcnow()):
        return redirect(url_for("participant.show", token=token))
    return render_template("participant/withdraw.html", registration=registration, event=registration.event,
                           application=registration.application, token=token, form=form)
