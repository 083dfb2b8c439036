"""Organiser dashboard (placeholder until the dashboard lands)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.extensions import db
from app.models import Event
from app.organiser import bp
from app.services.permissions import manageable_events_query


@bp.get("/")
def dashboard():
    events = db.session.scalars(manageable_events_query(current_user).order_by(Event.starts_at.desc())).all()
    return render_template("organiser/dashboard.html", events=events)
