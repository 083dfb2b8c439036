"""Sending a participant's uploaded file, after the caller has checked who may see it."""

from __future__ import annotations

from flask import abort, current_app, send_file

from app.models import Upload
from app.services import uploads


def send_upload(upload: Upload):
    """The file as a download, never shown inline: it comes from a participant, not from us."""
    path = uploads.path_of(current_app.config["UPLOAD_FOLDER"], upload)
    if not path.is_file():
        abort(404, description="This file is no longer on the server. Please ask the participant to send it again.")
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=upload.original_filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
