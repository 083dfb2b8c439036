"""Files we send: generated documents, calendars, exports, and a participant's upload (after the caller has
checked who may see it). Every one is named by download_response's Content-Disposition."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import IO, cast
from urllib.parse import quote

from flask import Response, abort, current_app, send_file, stream_with_context

from app.models import Upload
from app.services import spreadsheets
from app.services.questions import uploads
from app.services.spreadsheets import Table


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266: a quoted ASCII `filename` every browser reads, and `filename*` (RFC 5987) with the real
    name when it has other characters ("Programme – 대전.pdf"), which current browsers prefer."""
    kind = "inline" if inline else "attachment"
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    # A quote, a backslash or a control character would end or break the quoted string.
    fallback = "".join("_" if char in '"\\' or ord(char) < 0x20 or ord(char) == 0x7F else char
                       for char in ascii_name).strip() or "download"
    if fallback == filename:
        return f'{kind}; filename="{filename}"'
    return f"""{kind}; filename="{fallback}"; filename*=UTF-8''{quote(filename, safe="!#$&+-.^_`|~")}"""


def download_response(content: bytes | str | Iterator[str] | Iterator[bytes] | IO[bytes], filename: str, mimetype: str, *,
                      inline: bool = False) -> Response:
    """A file for the browser to save (or, `inline`, to show) under `filename`.

    `content` is the whole file, chunks sent while later ones are still being made, or an open file
    (sent from where it is, then closed)."""
    if isinstance(content, bytes | str):
        response = Response(content, mimetype=mimetype)
    elif hasattr(content, "read"):
        response = send_file(cast(IO[bytes], content), mimetype=mimetype, max_age=0)
    else:
        response = Response(stream_with_context(content), mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def send_upload(upload: Upload) -> Response:
    """The file as a download, never shown inline: it comes from a participant, not from us."""
    path = uploads.path_of(current_app.config["UPLOAD_FOLDER"], upload)
    if not path.is_file():
        abort(404, description="This file is no longer on the server. Please ask the participant to send it again.")
    response = send_file(path, mimetype="application/pdf", max_age=0)
    response.headers["Content-Disposition"] = content_disposition(upload.original_filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def pdf_download(content: bytes, filename: str, *, inline: bool = False) -> Response:
    """A document we made (letter, badges, certificate, preview)."""
    return download_response(content, filename, "application/pdf", inline=inline)


def ics_response(text: str | bytes, filename: str, *, inline: bool = False) -> Response:
    """A calendar file: the event's or a participant's own to download, or the programme feed (inline)."""
    return download_response(text, filename, "text/calendar", inline=inline)


def csv_download(chunks: Iterator[str], filename: str) -> Response:
    """A CSV export, sent while later rows are still being read."""
    return download_response(chunks, filename, "text/csv")


def xlsx_download(tables: Iterable[Table], filename: str) -> Response:
    """An XLSX export, sent while later rows are still being read (see app/services/xlsx_stream.py)."""
    response = download_response(spreadsheets.xlsx_chunks(tables), filename, spreadsheets.XLSX_MIMETYPE)
    response.headers["Cache-Control"] = "private, no-store"
    return response
