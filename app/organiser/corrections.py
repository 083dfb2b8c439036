"""Correcting a registration from its organiser page: its details, and the correction requests participants leave."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.models import ParticipantRole, utcnow
from app.organiser import bp
from app.organiser.access import managed_registration_or_404
from app.organiser.correction_forms import RegistrationEditForm
from app.services.registration import corrections


@bp.route("/events/<int:event_id>/attendees/<int:registration_id>/edit", methods=["GET", "POST"])
def edit_registration(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    form = RegistrationEditForm(data=RegistrationEditForm.values_of(registration))
    back = url_for("organiser.registration", event_id=event.id, registration_id=registration.id)
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: corrections.correct(
            db.session, registration.id, form.details(registration), role=ParticipantRole(form.role.data),
            actor=current_user._get_current_object(), now=utcnow()))
        if done:
            flash(_saved_message(done.value), "success")
            return redirect(back)
    return render_template(
        "organiser/registration_edit.html", event=event, registration=registration, form=form, back=back,
        open_requests=[r for r in corrections.requests_of(db.session, registration.id) if r.is_open],
    ), 422 if form.errors or form.form_errors else 200


def _saved_message(correction: corrections.Correction) -> str:
    if not correction.changed:
        return _("Nothing was changed.")
    message = _("The registration is corrected.")
    if correction.old_email:
        message += " " + _("We are emailing the personal link to the new address, and telling %(old_email)s "
                           "that the emails go elsewhere now.", old_email=correction.old_email)
    if correction.reissued:
        message += " " + _("The name on their documents changed, so we issued them again with new verification "
                           "codes and are emailing them; the old codes now say “replaced”.")
    return message


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/corrections/<int:request_id>/done")
def resolve_correction(event_id: int, registration_id: int, request_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    try:
        done = commit_or_flash(lambda: corrections.resolve_request(
            db.session, request_id, registration_id=registration.id, actor=current_user._get_current_object(),
            now=utcnow()))
    except LookupError:
        abort(404)
    if done:
        flash(_("The correction request is marked done."), "success")
    return redirect(url_for("organiser.registration", event_id=event.id, registration_id=registration.id)
                    + "#corrections")
