"""The personal link: the participant corrects their own details until the event's deadline, and asks the
organisers for a correction they cannot make (a name already printed on their documents)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.actions import commit_or_show
from app.extensions import db
from app.forms import TrimmedForm
from app.models import utcnow
from app.participant import bp
from app.participant.routes import _registration_or_404
from app.public.forms import DetailsForm
from app.services.registration import corrections


class CorrectionRequestForm(TrimmedForm):
    message = TextAreaField(
        _l("What should be corrected?"),
        validators=[DataRequired(_l("Please say what should be corrected.")),
                    Length(max=corrections.REQUEST_MAX,
                           message=_l("Please keep the request under %(max)s characters.", max=corrections.REQUEST_MAX))],
        description=_l("For example: “My family name is Nguyễn, not Nguyen.” The organisers are emailed at once."),
    )


@bp.route("/<token>/details", methods=["GET", "POST"])
def edit_details(token: str):
    registration = _registration_or_404(token)
    event = registration.event
    now = utcnow()
    if not registration.can_edit_details(now):
        return render_template("participant/details_form.html", registration=registration, event=event, token=token,
                               form=None, closed=corrections.deadline_message(registration, now),
                               ), 403 if request.method == "POST" else 200
    locked = corrections.names_locked(db.session, registration)
    form = DetailsForm(data=DetailsForm.values_of(registration))
    # The address stays with the organisers (see corrections._check_participant_may); a locked name is shown as text.
    del form.email
    if locked:
        for name in corrections.NAME_FIELDS:
            del form[name]
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: corrections.correct(
            db.session, registration.id, form.details(registration), actor=None, now=now))
        if done:
            flash(_("Your details are saved.") if done.value.changed else _("Nothing was changed."), "success")
            return redirect(url_for("participant.show", token=token) + "#details")
    return render_template("participant/details_form.html", registration=registration, event=event, token=token,
                           form=form, locked=locked, closed=None), 422 if form.errors or form.form_errors else 200


@bp.route("/<token>/correction", methods=["GET", "POST"])
def request_correction(token: str):
    registration = _registration_or_404(token)
    form = CorrectionRequestForm()
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: corrections.request_correction(
            db.session, registration.id, form.message.data, now=utcnow()))
        if done:
            flash(_("Your request is sent to the organisers. They will correct your details and may write to you."),
                  "success")
            return redirect(url_for("participant.show", token=token) + "#details")
    return render_template("participant/correction_form.html", registration=registration, event=registration.event,
                           token=token, form=form), 422 if form.errors or form.form_errors else 200
