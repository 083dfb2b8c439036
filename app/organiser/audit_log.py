"""The audit log pages: an event's log (managers only), and one registration's history."""

from __future__ import annotations

import re
from urllib.parse import unquote

from flask import Response, current_app, g, render_template, request

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
                           lines=display.lines, object_name=display.object_name, action_name=display.action_name,
                           actor_name=display.actor_name)


@bp.get("/events/<int:event_id>/attendees/<int:registration_id>/history")
def registration_history(event_id: int, registration_id: int):
    event, registration = managed_registration_or_404(event_id, registration_id)
    return render_template("organiser/registration_history.html", event=event, registration=registration,
                           entries=log.registration_history(db.session, registration.id),
                           lines=display.lines, object_name=display.object_name, action_name=display.action_name,
                           actor_name=display.actor_name)



def record_access(action: str, *, event_id: int, registration_id: int | None = None, object_id: int | None = None,
                  object_label: str = "", details: dict | None = None) -> None:
    """A page or download that shows passport data leaves a line in the log (and no other download line)."""
    recorder.record_apart(db.engine, action, event_id=event_id, registration_id=registration_id,
                          object_type="visa_requests", object_id=object_id, object_label=object_label,
                          details=details)
    g.audit_access_logged = True


@bp.after_request
def log_downloads(response: Response) -> Response:
    """Every file an organiser downloads (exports, uploaded files, ZIPs: whatever a page offers, today's and
    tomorrow's) is in the event's log; files shown in the browser (PDF previews) are not downloads."""
    disposition = response.headers.get("Content-Disposition", "")
    if response.status_code == 200 and disposition.startswith("attachment") and not g.get("audit_access_logged"):
        args = request.view_args or {}
        recorder.record_apart(db.engine, "file downloaded", event_id=args.get("event_id"),
                              registration_id=args.get("registration_id"),
                              details={"file": _filename(disposition)})
    return response


def _filename(disposition: str) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", disposition) or re.search(r'filename="([^"]*)"', disposition)
    return unquote(match.group(1)) if match else ""
