"""Files sent to organisers: a participant's upload (after the caller has checked who may see it), and exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask import Response, abort, current_app, send_file, stream_with_context

from app.models import Upload
from app.services import spreadsheets
from app.services.questions import uploads
from app.services.spreadsheets import Table


def send_upload(upload: Upload):
    """The file as a download, never shown inline: it comes from a participant, not from us."""
    path = uploads.path_of(current_app.config["UPLOAD_FOLDER"], upload)
    if not path.is_file():
        abort(404, description="This file is no longer on the server. Please ask the participant to send it again.")
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=upload.original_filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def csv_download(chunks: Iterator[str], filename: str) -> Response:
    """A CSV export, sent while later rows are still being read."""
    return Response(stream_with_context(chunks), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def xlsx_download(tables: Iterable[Table], filename: str) -> Response:
    """An XLSX export: written to a temporary file first (a zip needs its end), then sent from there."""
    response = send_file(spreadsheets.xlsx_file(tables), mimetype=spreadsheets.XLSX_MIMETYPE, as_attachment=True,
                         download_name=filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
