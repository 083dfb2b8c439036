"""The participant changes their programme sessions from their personal link."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.actions import commit_or_flash
from app.extensions import db
from app.models import utcnow
from app.participant import bp
from app.participant.routes import _registration_or_404
from app.services.numbers import small_int
from app.services.programme import programme


@bp.route("/<token>/sessions", methods=["GET", "POST"])
def sessions(token: str):
    registration = _registration_or_404(token)
    event = registration.event
    form = FlaskForm()
    chosen = {c.session_id for c in programme.choices_of(db.session, registration.id)}
    if form.validate_on_submit():
        wanted = {n for n in map(small_int, request.form.getlist("sessions")) if n is not None}
        done = commit_or_flash(lambda: programme.change_sessions(db.session, registration.id, wanted, now=utcnow()))
        if done:
            flash(_("Your sessions are saved."), "success")
            return redirect(url_for("participant.show", token=token) + "#sessions")
        chosen = wanted
    return render_template(
        "participant/sessions.html",
        registration=registration,
        event=event,
        token=token,
        form=form,
        seats=programme.seats(db.session, event.id),
        chosen=chosen,
        can_change=registration.can_change_sessions(utcnow()),
    ), 422 if form.is_submitted() and request.method == "POST" else 200
