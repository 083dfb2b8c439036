"""The audit log pages: an event's log (managers only), and one registration's history."""

from __future__ import annotations

from flask import current_app, render_template, request

from app.database import begin_write
from app.extensions import db
from app.organiser import bp
from app.organiser.access import managed_event_or_404, managed_registration_or_404
from app.organiser.audit_forms import LogFilterForm
from app.services.audit import display, log, recorder


@bp.get("/events/<int:event_id>/log")
def event_log(event_id: int):
    event = managed_event_or_404(event_id)
    filters = LogFilterForm(request.args, log.actors_in_log(db.session, event.id),
                            log.object_types_in_log(db.session, event.id))
    page = log.event_log(db.session, event.id, filters.log_query(), tz=event.timezone, page=filters.page,
                         per_page=current_app.config.get("AUDIT_ENTRIES_PER_PAGE", 50))
    return render_template("organiser/audit_log.html", event=event, filters=filters, page=page,
                           lines=display.lines, object_name=display.object_name)


@bp.get("/events/<int:event_id>/attendees/<int:registration_id>/history")
def registration_history(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    return render_template("organiser/registration_history.html", event=event, registration=registration,
                           entries=log.registration_history(db.session, registration.id),
                           lines=display.lines, object_name=display.object_name)


def record_access(action: str, *, event_id: int, registration_id: int | None = None, object_id: int | None = None,
                  object_label: str = "", details: dict | None = None) -> None:
    """A page or download that shows passport data leaves a line in the log. In a short write transaction of
    its own: a GET reads without the write lock (app/database.py), so what it read is let go first; call it
    after the page is rendered, or before the export is built."""
    db.session.rollback()
    begin_write(db.session)
    recorder.record(db.session, action, event_id=event_id, registration_id=registration_id,
                    object_type="visa_requests", object_id=object_id, object_label=object_label, details=details)
    db.session.commit()
