"""An event's and a series' team pages (managers only): who works on it and as what, adding people by email,
changing their role, taking them off (with a confirmation). Rules in app/services/people/teams.py."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.models import Event, Series, TeamMember, utcnow
from app.organiser import bp
from app.organiser.access import managed_event_or_404, managed_series_or_404
from app.organiser.team_forms import AddMemberForm, ChangeRoleForm
from app.services.people import teams
from app.services.people.permissions import can_manage_series


@dataclass(frozen=True)
class Place:
    """The event or the series whose team a page shows, and the addresses of its team pages."""

    owner: Event | Series
    endpoint: str  # "event_team" or "series_team"
    args: dict

    @property
    def title(self) -> str:
        return self.owner.title if isinstance(self.owner, Event) else self.owner.name

    def url(self, suffix: str = "", **args) -> str:
        return url_for(f"organiser.{self.endpoint}{suffix}", **self.args, **args)


def _event_place(event_id: int) -> Place:
    return Place(managed_event_or_404(event_id), "event_team", {"event_id": event_id})


def _series_place(series_id: int) -> Place:
    return Place(managed_series_or_404(series_id), "series_team", {"series_id": series_id})


@bp.route("/events/<int:event_id>/team", methods=["GET", "POST"])
def event_team(event_id: int):
    return _team_page(_event_place(event_id))


@bp.route("/series/<int:series_id>/team", methods=["GET", "POST"])
def series_team(series_id: int):
    return _team_page(_series_place(series_id))


@bp.post("/events/<int:event_id>/team/<int:member_id>/role")
def event_team_role(event_id: int, member_id: int):
    return _change_role(_event_place(event_id), member_id)


@bp.post("/series/<int:series_id>/team/<int:member_id>/role")
def series_team_role(series_id: int, member_id: int):
    return _change_role(_series_place(series_id), member_id)


@bp.route("/events/<int:event_id>/team/<int:member_id>/remove", methods=["GET", "POST"])
def event_team_remove(event_id: int, member_id: int):
    return _remove(_event_place(event_id), member_id)


@bp.route("/series/<int:series_id>/team/<int:member_id>/remove", methods=["GET", "POST"])
def series_team_remove(series_id: int, member_id: int):
    return _remove(_series_place(series_id), member_id)


def _team_page(place: Place):
    form = AddMemberForm()
    if form.validate_on_submit():
        email, role = form.email.data, form.chosen_role()
        done = commit_or_show(form, lambda: teams.add_member(
            db.session, place.owner, email=email, role=role, actor=current_user._get_current_object(), now=utcnow()))
        if done:
            flash(_("%(email)s is on the team as %(role)s, and is told so by email.", email=email, role=role.label.lower()), "success")
            return redirect(place.url())
    owner = place.owner
    inherited = teams.inherited_team(db.session, owner) if isinstance(owner, Event) else []
    series = owner.series if isinstance(owner, Event) else None
    return render_template(
        "organiser/team.html", place=place, event=owner if isinstance(owner, Event) else None,
        members=teams.team_of(db.session, owner), inherited=inherited, series=series,
        may_manage_series=series is not None and can_manage_series(db.session, current_user, series),
        form=form, role_form=ChangeRoleForm(formdata=None),
    ), 422 if form.errors or form.form_errors else 200


def _change_role(place: Place, member_id: int):
    form = ChangeRoleForm()
    if not form.validate_on_submit():
        flash(_("Please choose one of the roles."), "error")
        return redirect(place.url())
    role = form.chosen_role()
    done = commit_or_flash(lambda: teams.change_role(
        db.session, place.owner, member_id, role, actor=current_user._get_current_object()).user.email)
    if done:
        flash(_("%(name)s is now %(role)s.", name=done.value, role=role.label.lower()), "success")
    return redirect(place.url())


def _remove(place: Place, member_id: int):
    member = _member_or_404(place, member_id)
    form = FlaskForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: teams.remove_member(
            db.session, place.owner, member_id, actor=current_user._get_current_object()).email)
        if done:
            flash(_("%(name)s is no longer on the team.", name=done.value), "success")
        return redirect(place.url())
    return render_template("organiser/team_remove.html", place=place, member=member, form=form,
                           event=place.owner if isinstance(place.owner, Event) else None)


def _member_or_404(place: Place, member_id: int) -> TeamMember:
    member = teams.member_of_place_or_none(db.session, place.owner, member_id)
    if member is None:
        abort(404)
    return member
