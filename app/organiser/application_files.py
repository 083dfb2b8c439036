"""Every uploaded file of the filtered applications as one ZIP: managers only (it holds everyone's documents)."""

from __future__ import annotations

from flask import current_app, request

from app.extensions import db
from app.file_responses import download_response
from app.models import utcnow
from app.organiser import bp
from app.organiser.application_forms import ApplicationFilterForm
from app.organiser.applications import _application_event_or_404
from app.services.applications import application_files
from app.services.people.permissions import Capability
from app.services.registration.attendees import countries_present


@bp.get("/events/<int:event_id>/applications/files.zip")
def application_files_zip(event_id: int):
    event = _application_event_or_404(event_id, Capability.EXPORT)
    filters = ApplicationFilterForm(request.args, countries_present(db.session, event.id))
    found = application_files.entries(db.session, event.id, filters.application_query(),
                                      current_app.config["UPLOAD_FOLDER"])
    response = download_response(application_files.zip_file(found), f"{event.slug}-application-files-"
                                 f"{event.local(utcnow()):%Y-%m-%d}.zip", "application/zip")
    response.headers["Cache-Control"] = "private, no-store"
    return response
