"""An event's programme on the dashboard: its sessions by day, adding, changing and removing them,
and who holds a seat or waits in each session (on the page, as CSV and as XLSX)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.file_responses import csv_download, xlsx_download
from app.models import ChoiceStatus, Event, ProgrammeSession, utcnow
from app.organiser import bp
from app.organiser.access import event_or_404, managed_event_or_404
from app.organiser.programme_forms import ProgrammeSessionForm
from app.services import spreadsheets
from app.services.numbers import small_int
from app.services.people.permissions import Capability
from app.services.programme import programme_editing, programme_listing
from app.services.programme.programme import SessionSeats


def managed_session_or_404(event_id: int, session_id: int,
                           capability: Capability = Capability.MANAGE) -> tuple[Event, ProgrammeSession]:
    """The session, if it belongs to an event where the user may (by default: manage); a session of another
    event is a 404."""
    event = event_or_404(event_id, capability)
    programme_session = db.session.get(ProgrammeSession, session_id)
    if programme_session is None or programme_session.event_id != event.id:
        abort(404)
    return event, programme_session


@bp.get("/events/<int:event_id>/programme")
def programme(event_id: int):
    event = event_or_404(event_id, Capability.VIEW_LISTS)
    return render_template("organiser/programme.html", event=event,
                           days=programme_listing.programme_by_day(db.session, event))


@bp.route("/events/<int:event_id>/programme/new", methods=["GET", "POST"])
def new_session(event_id: int):
    event = managed_event_or_404(event_id)
    form = ProgrammeSessionForm(data=_first_day(event) if request.method == "GET" else None)
    if form.validate_on_submit():
        # The title is read before the commit, which expires every object.
        done = commit_or_show(
            form, lambda: programme_editing.add_session(db.session, event.id, form.session_details()).title)
        if done:
            flash(_("“%(title)s” is added to the programme.", title=done.value), "success")
            return redirect(url_for("organiser.programme", event_id=event.id))
    return _session_form_page(form, event=event, programme_session=None)


@bp.route("/events/<int:event_id>/programme/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(event_id: int, session_id: int):
    event, programme_session = managed_session_or_404(event_id, session_id)
    form = ProgrammeSessionForm(
        data=ProgrammeSessionForm.values_of(programme_session) if request.method == "GET" else None)
    if form.validate_on_submit():
        def save() -> list[str]:  # the names are read before the commit, which expires every object
            update = programme_editing.update_session(
                db.session, event.id, programme_session.id, form.session_details(), now=utcnow())
            return [choice.registration.full_name for choice in update.promoted]

        done = commit_or_show(form, save)
        if done:
            promoted = done.value
            flash(_("Your changes to the session are saved."), "success")
            if promoted:
                flash(ngettext("%(num)d person moved up from the session's waiting list and is being emailed: %(names)s.",
                               "%(num)d people moved up from the session's waiting list and are being emailed: %(names)s.",
                               len(promoted), names=", ".join(promoted)), "success")
            return redirect(url_for("organiser.programme", event_id=event.id))
    return _session_form_page(form, event=event, programme_session=programme_session)


@bp.route("/events/<int:event_id>/programme/<int:session_id>/delete", methods=["GET", "POST"])
def delete_session(event_id: int, session_id: int):
    event, programme_session = managed_session_or_404(event_id, session_id)
    form = FlaskForm()
    if form.validate_on_submit():
        title = programme_session.title
        if commit_or_flash(lambda: programme_editing.delete_session(
                db.session, event.id, programme_session.id,
                people_shown=small_int(request.form.get("people_shown"), default=-1))):
            flash(_("“%(title)s” is removed from the programme.", title=title), "success")
            return redirect(url_for("organiser.programme", event_id=event.id))
    count = programme_listing.seats_of(db.session, programme_session)
    return render_template("organiser/programme_delete.html", event=event, programme_session=programme_session,
                           count=count, form=form)


@bp.get("/events/<int:event_id>/programme/<int:session_id>")
def session_people(event_id: int, session_id: int):
    event, programme_session = managed_session_or_404(event_id, session_id, Capability.VIEW_LISTS)
    per_page = current_app.config["ATTENDEES_PER_PAGE"]
    seats = programme_listing.people_page(db.session, programme_session.id, ChoiceStatus.CONFIRMED,
                                          page=small_int(request.args.get("seats_page"), default=1), per_page=per_page)
    waiting = programme_listing.people_page(db.session, programme_session.id, ChoiceStatus.WAITLISTED,
                                            page=small_int(request.args.get("waiting_page"), default=1), per_page=per_page)
    return render_template("organiser/programme_session.html", event=event, programme_session=programme_session,
                           seats=seats, waiting=waiting,
                           entry=SessionSeats(programme_session, seats.total, waiting.total))


@bp.get("/events/<int:event_id>/programme/<int:session_id>/people.csv")
def session_people_csv(event_id: int, session_id: int):
    event, programme_session = managed_session_or_404(event_id, session_id, Capability.EXPORT)
    table = programme_listing.session_people_table(db.session, event, programme_session)
    return csv_download(spreadsheets.csv_chunks(table), f"{_people_export_name(event, programme_session)}.csv")


@bp.get("/events/<int:event_id>/programme/<int:session_id>/people.xlsx")
def session_people_xlsx(event_id: int, session_id: int):
    event, programme_session = managed_session_or_404(event_id, session_id, Capability.EXPORT)
    table = programme_listing.session_people_table(db.session, event, programme_session)
    return xlsx_download([table], f"{_people_export_name(event, programme_session)}.xlsx")


def _people_export_name(event: Event, programme_session: ProgrammeSession) -> str:
    return f"{event.slug}-session-{programme_session.id}-{event.local(programme_session.starts_at):%Y-%m-%d-%H%M}"


def _first_day(event: Event) -> dict:
    """A new session starts on the event's first day, so the date picker opens there."""
    return {"day": event.local(event.starts_at).date()}


def _session_form_page(form: ProgrammeSessionForm, *, event: Event, programme_session: ProgrammeSession | None):
    first_day, last_day = event.local(event.starts_at).date(), event.local(event.ends_at).date()
    return render_template("organiser/programme_form.html", form=form, event=event,
                           programme_session=programme_session, first_day=first_day, last_day=last_day), (
        422 if form.errors or form.form_errors else 200)
