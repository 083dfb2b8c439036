"""An event's privacy page for its organisers: how long its data is kept, the deletion requests, and deleting
one person's data now (after a confirmation step). Managers only, like every page with personal data."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.actions import commit_or_flash
from app.extensions import db
from app.models import utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404, managed_registration_or_404
from app.services.privacy import requests
from app.services.privacy.anonymise import anonymise, can_be_anonymised, retention_ends, retention_months


@bp.get("/events/<int:event_id>/privacy")
def privacy(event_id: int):
    event = managed_event_or_404(event_id)
    default = current_app.config["RETENTION_MONTHS"]
    now = utcnow()
    waiting = requests.open_requests(db.session, [event.id])
    return render_template("organiser/privacy.html", event=event, requests=waiting, now=now,
                           months=retention_months(event, default), uses_default=event.retention_months is None,
                           purge_on=retention_ends(event, default),
                           ready={r.id for r in waiting if can_be_anonymised(r, now)})


@bp.route("/events/<int:event_id>/attendees/<int:registration_id>/anonymise", methods=["GET", "POST"])
def anonymise_registration(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    form = FlaskForm()
    back = url_for("organiser.registration", event_id=event.id, registration_id=registration.id)
    if registration.is_anonymised:
        flash(_("The personal data of this registration has already been deleted."), "info")
        return redirect(back)
    if form.validate_on_submit():
        name = registration.full_name
        done = commit_or_flash(lambda: anonymise(db.session, registration, now=utcnow(),
                                                 upload_folder=current_app.config["UPLOAD_FOLDER"]))
        if done:
            flash(_("The personal data of %(name)s is deleted; the anonymous figures stay.", name=name), "success")
            return redirect(url_for("organiser.privacy", event_id=event.id))
        return redirect(back)
    return render_template("organiser/anonymise.html", event=event, registration=registration, form=form,
                           allowed=can_be_anonymised(registration, utcnow()), back=back)
