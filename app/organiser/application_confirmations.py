"""Accepted applicants confirming they are coming: the deadline, who is overdue, releasing their places."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.models import utcnow
from app.organiser import bp
from app.organiser.applications import _application_event_or_404
from app.organiser.selection_forms import ConfirmDeadlineForm
from app.services.applications import confirmations, selection
from app.services.people.permissions import Capability


@bp.route("/events/<int:event_id>/applications/confirmations", methods=["GET", "POST"])
def application_confirmations(event_id: int):
    event = _application_event_or_404(event_id, Capability.MANAGE)
    form = ConfirmDeadlineForm(data={"confirm_within_days": event.confirm_within_days})
    if form.validate_on_submit():
        days = form.confirm_within_days.data
        if commit_or_show(form, lambda: confirmations.set_deadline(db.session, event.id, days)):
            flash(ngettext("Accepted applicants now have %(num)d day to confirm.",
                           "Accepted applicants now have %(num)d days to confirm.", days)
                  if days else _("Accepted applicants are no longer asked to confirm."), "success")
            return redirect(url_for("organiser.application_confirmations", event_id=event.id))
    now = utcnow()
    return render_template("organiser/application_confirmations.html", event=event, form=form,
                           overview=selection.overview(db.session, event),
                           counts=confirmations.counts(db.session, event.id, now=now)), 422 if form.errors else 200


@bp.route("/events/<int:event_id>/applications/release", methods=["GET", "POST"])
def release_unconfirmed(event_id: int):
    """Step one shows who lapses and who moves up, with the counts; step two, confirmed, does it."""
    event = _application_event_or_404(event_id, Capability.MANAGE)
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: confirmations.release_overdue(
            db.session, event.id, actor=current_user._get_current_object(), now=utcnow()))
        if done:
            plan = done.value
            # Three counts, each with its own plural: one sentence per count, joined.
            flash(" ".join([
                ngettext("Done: %(num)d unconfirmed place released,", "Done: %(num)d unconfirmed places released,",
                         len(plan.to_lapse)),
                _("%(count)s accepted from the reserve list,", count=len(plan.to_promote)),
                ngettext("and %(num)d email is on the way.", "and %(num)d emails are on the way.", plan.emails),
            ]), "success")
        return redirect(url_for("organiser.application_confirmations", event_id=event.id))
    plan = confirmations.plan_release(db.session, event, now=utcnow())
    return render_template("organiser/application_release.html", event=event, plan=plan, form=form,
                           overview=selection.overview(db.session, event))
