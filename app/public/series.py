"""The public page of a series: its upcoming and past editions, each still browsable."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template

from app.extensions import db
from app.models import Event, utcnow
from app.public import bp
from app.services.events import series_editions
from app.services.events.series import describe_rule


@bp.get("/series/<slug>")
def series(slug: str):
    found = series_editions.by_slug(db.session, slug)
    if found is None:
        abort(404)
    now = utcnow()
    public = db.session.scalars(
        sa.select(Event)
        .where(Event.series_id == found.id, Event.is_public)
        .order_by(Event.starts_at.desc())
    ).all()
    upcoming = [e for e in reversed(public) if e.ends_at >= now]
    past = [e for e in public if e.ends_at < now]
    return render_template(
        "public/series.html", series=found, rule=describe_rule(found), upcoming=upcoming, past=past,
    )
