"""Creating and editing events, publishing and cancelling them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.models import EventStatus, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404
from app.organiser.forms import CancelEventForm, EventForm
from app.services.events import events as event_service
from app.services.events.announcements import count_expected
from app.services.people.permissions import can_create_events
from app.services.registration.availability import event_figures


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    if not can_create_events(db.session, current_user):
        abort(403, _("Only administrators and the managers of an event create events. Ask an administrator "
                     "if you need to."))
    form = EventForm()
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: event_service.create_event(
            db.session, form.event_details(), actor=current_user._get_current_object()))
        if done:
            event = done.value
            flash(_("“%(title)s” is saved as a draft. Publish it when it is ready to take registrations.",
                    title=event.title), "success")
            return redirect(url_for("organiser.attendees", event_id=event.id))
    return _event_form_page(form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    event = managed_event_or_404(event_id)
    form = EventForm(data=EventForm.values_of(event) if request.method == "GET" else None)
    if event.series is not None:  # an edition's title is derived: the field holds its theme
        form.for_edition_of(event.series)
        form.korean_for_edition_of(event.series)
    if form.validate_on_submit():
        done = commit_or_show(
            form, lambda: event_service.update_event(db.session, event.id, form.event_details(), now=utcnow()))
        if done:
            update = done.value
            flash(_("Your changes are saved."), "success")
            if update.moved:
                flash(ngettext("The new dates or place are being emailed to the %(num)d person registered, "
                               "with an updated calendar file.",
                               "The new dates or place are being emailed to the %(num)d people registered, "
                               "with an updated calendar file.", update.moved), "success")
            if update.promoted:
                count = len(update.promoted)
                flash(ngettext("%(num)d person moved up from the waiting list and is being emailed: %(names)s.",
                               "%(num)d people moved up from the waiting list and are being emailed: %(names)s.",
                               count, names=", ".join(r.full_name for r in update.promoted)), "success")
            return redirect(url_for("organiser.attendees", event_id=event.id))
    return _event_form_page(form, event=event)


@bp.post("/events/<int:event_id>/publish")
def publish_event(event_id: int):
    event = managed_event_or_404(event_id)
    done = commit_or_flash(lambda: event_service.publish(db.session, event.id, now=utcnow()))
    if done:
        flash(_("“%(title)s” is published: it is on the public list of events.", title=event.title), "success")
    return redirect(url_for("organiser.attendees", event_id=event_id))


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel_event(event_id: int):
    event = managed_event_or_404(event_id)
    if event.is_draft:  # nobody has seen it: there is nothing to announce, only to delete
        flash(_("This event was never published, so nobody has seen it: delete the draft instead."), "info")
        return redirect(url_for("organiser.delete_event", event_id=event_id))
    if event.status is not EventStatus.PUBLISHED:
        flash(_("This event is %(status)s already.", status=event.status.label.lower()), "info")
        return redirect(url_for("organiser.attendees", event_id=event_id))
    form = CancelEventForm()
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: event_service.cancel_event(db.session, event.id,
                                                                       reason=form.reason.data))
        if done:
            emailed = done.value.emailed
            flash(_("“%(title)s” is cancelled; its public page gives your reason. Its registrations are kept.",
                    title=event.title) + " "
                  + (ngettext("Your reason is being emailed to the %(num)d person who had a place or was waiting "
                              "for one.",
                              "Your reason is being emailed to the %(num)d people who had a place or were waiting "
                              "for one.", emailed)
                     if emailed else _("Nobody had a place or was waiting for one, so nobody is emailed.")),
                  "success")
            return redirect(url_for("organiser.attendees", event_id=event_id))
    figures = event_figures(db.session, [event])[event.id]
    return render_template("organiser/cancel_event.html", event=event, form=form, figures=figures,
                           to_email=count_expected(db.session, event.id)), (
        422 if form.errors or form.form_errors else 200)


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
def delete_event(event_id: int):
    event = managed_event_or_404(event_id)
    if not event.is_draft:
        flash(_("Only a draft can be deleted. A published event is cancelled instead, so the people who saw it "
                "learn why."), "error")
        return redirect(url_for("organiser.attendees", event_id=event_id))
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: event_service.delete_draft(db.session, event.id))
        if done:
            flash(_("The draft “%(title)s” is deleted.", title=done.value), "success")
            return redirect(url_for("organiser.dashboard"))
        return redirect(url_for("organiser.attendees", event_id=event_id))
    return render_template("organiser/delete_event.html", event=event, form=form,
                           contents=event_service.draft_contents(db.session, event))


def _event_form_page(form: EventForm, *, event):
    expected = count_expected(db.session, event.id) if event is not None and event.is_published else 0
    return render_template("organiser/event_form.html", form=form, event=event, expected=expected), (
        422 if form.errors or form.form_errors else 200)

