"""On-site check-in for organiser staff: scan or type a badge code (or a name), see who it is, next.

The page works as a plain form; its script posts the same form with fetch and asks for JSON,
so a phone at the door stays on the page, ready for the next badge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.actions import commit_or_flash, commit_unless_refused
from app.extensions import db
from app.forms import TrimmedForm
from app.models import CheckIn, Event, Registration, utcnow
from app.organiser import bp
from app.organiser.access import event_or_404
from app.services.attendance import attendance as attendance_service
from app.services.attendance.attendance_reports import live_counts
from app.services.errors import DomainError
from app.services.numbers import small_int
from app.services.people.permissions import Capability


class CheckInForm(TrimmedForm):
    code = StringField(_l("Badge code or name"), validators=[Optional(), Length(max=300)])
    session_id = SelectField(_l("Checking in for"), coerce=str, validators=[Optional()], validate_choice=False)
    registration_id = HiddenField()  # set by the "Check in" button next to a name found by search

    def __init__(self, sessions, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_id.choices = [("", _("The day (at the entrance)"))] + [
            (str(s.id), f"{s.title}{f' · {s.room}' if s.room else ''}") for s in sessions
        ]

    def chosen_session_id(self) -> int | None:
        return small_int(self.session_id.data)

    def chosen_registration_id(self) -> int | None:
        return small_int(self.registration_id.data)


@dataclass
class Outcome:
    """What the result panel shows after one scan or search."""

    kind: str  # checked_in | already | refused | not_found | choose | error
    message: str
    registration: Registration | None = None
    check_in: CheckIn | None = None
    matches: list[Registration] = field(default_factory=list)


@bp.route("/events/<int:event_id>/check-in", methods=["GET", "POST"])
def checkin_page(event_id: int):
    event = event_or_404(event_id, Capability.CHECK_IN)
    now = utcnow()
    sessions = attendance_service.todays_sessions(db.session, event, now)
    form = CheckInForm(sessions)
    outcome = None
    if form.validate_on_submit():
        outcome = _scan(event, form, now)
        if outcome.kind in ("checked_in", "already"):
            form.code.data = ""  # ready for the next badge
    elif request.method == "POST":
        outcome = Outcome("error", _("Please try again:") + " " + " ".join(map(str, sum(form.errors.values(), []))))
    counts = live_counts(db.session, event, now)
    if request.method == "POST" and _wants_json() and outcome is not None:  # a POST always has one
        return jsonify(
            outcome=outcome.kind,
            message=outcome.message,
            html=render_template("organiser/_checkin_result.html", event=event, outcome=outcome, form=form),
            counts=counts.as_json(),
        )
    return render_template("organiser/checkin.html", event=event, form=form, outcome=outcome, counts=counts,
                           has_programme=bool(event.programme))


def _scan(event: Event, form: CheckInForm, now) -> Outcome:
    registration_id = form.chosen_registration_id()
    typed = form.code.data or ""
    if registration_id is None:
        if not typed:
            return Outcome("error", _("Scan a badge, or type a reference code or a name."))
        found = attendance_service.look_up(db.session, event, typed)
        if found.registration is None:
            if not found.matches:
                return Outcome("not_found", _("Nobody matches “%(typed)s”. Check the code, or type part of the name.",
                                               typed=typed))
            return Outcome("choose", _("Who is it? People matching “%(typed)s”:", typed=typed), matches=found.matches)
        registration_id = found.registration.id

    def check_in() -> Outcome:
        result = attendance_service.check_in(
            db.session, event, registration_id, now=now, by=current_user._get_current_object(),
            session_id=form.chosen_session_id(),
        )
        message = result.message(event)  # read before the commit, which expires every object
        return Outcome("checked_in" if result.created else "already", message,
                       registration=result.registration, check_in=result.check_in)

    done = commit_unless_refused(check_in)
    if isinstance(done, attendance_service.CheckInRefused):
        return Outcome("refused", done.message, registration=db.session.get(Registration, registration_id))
    if isinstance(done, DomainError):
        if done.field == "session_id":
            form.session_id.errors = [done.message]
        return Outcome("error", done.message)
    return done.value


def _wants_json() -> bool:
    accepted = request.accept_mimetypes
    return accepted.best == "application/json"


@bp.get("/events/<int:event_id>/check-in/counts.json")
def checkin_counts(event_id: int):
    event = event_or_404(event_id, Capability.CHECK_IN, Capability.SEE_ATTENDANCE)
    return jsonify(live_counts(db.session, event, utcnow()).as_json())


@bp.route("/events/<int:event_id>/check-ins/<int:check_in_id>/undo", methods=["GET", "POST"])
def undo_check_in(event_id: int, check_in_id: int):
    event = event_or_404(event_id, Capability.CHECK_IN)
    row = attendance_service.check_in_of_event(db.session, event, check_in_id)
    back = url_for("organiser.checkin_page", event_id=event.id)
    if row is None:
        flash(_("This check-in no longer exists; it may have been undone already."), "error")
        return redirect(back)
    form = FlaskForm()
    if form.validate_on_submit():
        name = row.registration.full_name
        done = commit_or_flash(lambda: attendance_service.undo_check_in(db.session, event, check_in_id))
        if done:
            flash(_("The check-in of %(name)s is undone.", name=name), "success")
        return redirect(back)
    return render_template("organiser/checkin_undo.html", event=event, row=row, form=form,
                           day=attendance_service.format_day(row.day))


from app.organiser import attendance as attendance_views  # noqa: E402,F401
