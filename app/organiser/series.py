"""Series on the dashboard: their editions side by side, the next due one, and creating it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show
from app.extensions import db
from app.models import Event, Series, utcnow
from app.organiser import bp
from app.organiser.series_forms import AddEditionForm, SeriesForm
from app.services.events import series_editions
from app.services.events.series import describe_rule, edition_number
from app.services.people.permissions import can_manage, can_manage_series, capabilities, manageable_events_query
from app.services.statistics.series_trends import series_trends, trends_chart


def _admin_only() -> None:
    """Series are shared by every edition's organisers: only administrators define them."""
    if not current_user.is_admin:
        abort(403)


def _series_or_404(series_id: int) -> Series:
    series = db.session.get(Series, series_id)
    if series is None:
        abort(404)
    return series


@bp.get("/series")
def series_list():
    everything = series_editions.all_series(db.session)
    now = utcnow()
    rows = [(s, describe_rule(s), series_editions.next_due_year(db.session, s, now=now)) for s in everything]
    return render_template("organiser/series_list.html", rows=rows)


@bp.route("/series/new", methods=["GET", "POST"])
def new_series():
    _admin_only()
    form = SeriesForm()
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: series_editions.create_series(db.session, form.details()))
        if done:
            series = done.value
            flash(_("The series “%(name)s” is created. Add its editions below.", name=series.name), "success")
            return redirect(url_for("organiser.series", series_id=series.id))
    return render_template("organiser/series_form.html", form=form, series=None), 422 if form.errors else 200


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
def edit_series(series_id: int):
    _admin_only()
    series = _series_or_404(series_id)
    form = SeriesForm(data=SeriesForm.values_of(series) if request.method == "GET" else None)
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: series_editions.update_series(db.session, series.id, form.details()))
        if done:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("organiser.series", series_id=series.id))
    return render_template("organiser/series_form.html", form=form, series=series), 422 if form.errors else 200


@bp.get("/series/<int:series_id>")
def series(series_id: int):
    series = _series_or_404(series_id)
    # The editions the user has a role on (through the series' team: all of them).
    editions = [e for e in series_editions.editions(db.session, series.id)
                if capabilities(db.session, current_user, e.event)]
    add_form = _add_edition_form()
    return _series_page(series, editions, add_form)


@bp.post("/series/<int:series_id>/editions")
def add_edition(series_id: int):
    _admin_only()
    series = _series_or_404(series_id)
    form = _add_edition_form()
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: series_editions.add_edition(
            db.session, series.id, form.event_id.data, off_rule_reason=form.off_rule_reason.data or "",
            theme=form.theme.data or ""))
        if done:
            flash(_("“%(title)s” is now an edition of the series.", title=done.value.title), "success")
            return redirect(url_for("organiser.series", series_id=series.id))
    editions = series_editions.editions(db.session, series.id)
    return _series_page(series, editions, form), 422


@bp.post("/series/<int:series_id>/next-edition")
def create_next_edition(series_id: int):
    series = _series_or_404(series_id)
    latest = db.session.scalar(sa.select(Event).where(Event.series_id == series.id)
                               .order_by(Event.series_year.desc()).limit(1))
    # Copying an edition shows its settings: only its organisers (or an administrator) may.
    if latest is not None and not can_manage(current_user, latest):
        abort(403)
    done = commit_or_flash(lambda: series_editions.create_next_edition(
        db.session, series.id, actor=current_user._get_current_object(), now=utcnow()))
    if done is None:
        return redirect(url_for("organiser.series", series_id=series.id))
    event = done.value
    assert latest is not None  # create_next_edition refuses a series without an edition to copy
    created = ngettext("“%(title)s” is created as a draft from the %(year)s edition, with %(num)d programme session.",
                       "“%(title)s” is created as a draft from the %(year)s edition, with %(num)d programme sessions.",
                       len(event.programme), title=event.title, year=latest.series_year)
    next_step = (_("Give it its theme, check its dates and texts, then publish it.") if series.asks_theme
                 else _("Check its dates and texts, then publish it."))
    flash(f"{created} {next_step}", "success")
    return redirect(url_for("organiser.edit_event", event_id=event.id))


def _add_edition_form() -> AddEditionForm:
    form = AddEditionForm()
    candidates = db.session.scalars(
        manageable_events_query(current_user).where(Event.series_id.is_(None)).order_by(Event.starts_at.desc()))
    form.event_id.choices = [("", _("Choose an event…"))] + [
        (e.id, f"{e.title} ({e.local(e.starts_at):%d %b %Y})") for e in candidates]
    return form


def _series_page(series: Series, editions, add_form: AddEditionForm):
    now = utcnow()
    next_year = series_editions.next_due_year(db.session, series, now=now)
    # The trends of the editions this organiser may see; "returning" still looks at every earlier edition.
    trends = series_trends(db.session, series, event_ids={edition.event.id for edition in editions})
    return render_template(
        "organiser/series.html", series=series, editions=editions, rule=describe_rule(series),
        may_manage_team=can_manage_series(db.session, current_user, series),
        trends_chart=trends_chart(series, trends) if trends else None,
        next_year=next_year, next_number=edition_number(series, next_year) if next_year else None,
        add_form=add_form, action_form=FlaskForm(),
    )
