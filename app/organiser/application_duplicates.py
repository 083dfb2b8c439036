"""Marking an application a duplicate of another (same person, other email), and undoing it. No email either way."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.models import utcnow
from app.organiser import application_review as review
from app.organiser import bp
from app.organiser.access import managed_registration_or_404
from app.organiser.application_forms import ReviewForm
from app.organiser.applications import _review_page
from app.organiser.selection_forms import DuplicateForm
from app.services.applications import duplicates


@bp.post("/events/<int:event_id>/applications/<int:registration_id>/duplicate")
def mark_duplicate(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    if registration.application is None or not event.takes_applications:
        abort(404)
    form = DuplicateForm()
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: duplicates.mark_duplicate(
            db.session, event.id, registration.id, of_reference=form.of_reference.data or "",
            actor=current_user._get_current_object(), now=utcnow()))
        if done:
            flash(_("%(name)s's application is marked as a duplicate. It has left the selection; nobody was emailed.",
                    name=registration.full_name), "success")
            return redirect(url_for("organiser.review_application", event_id=event.id, registration_id=registration.id))
    return _review_page(event, registration, form=ReviewForm(formdata=None), travel_form=None, duplicate_form=form,
                        walk=review.walk(event, registration.id))


@bp.post("/events/<int:event_id>/applications/<int:registration_id>/duplicate/undo")
def undo_duplicate(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    if registration.application is None or not event.takes_applications:
        abort(404)
    if FlaskForm().validate_on_submit() and commit_or_flash(
            lambda: duplicates.undo_duplicate(db.session, event.id, registration.id, now=utcnow())):
        flash(_("%(name)s's application is back in the selection.", name=registration.full_name), "success")
    return redirect(url_for("organiser.review_application", event_id=event.id, registration_id=registration.id))
