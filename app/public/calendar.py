from __future__ import annotations

from flask import Response


def ics_response(text: str, filename: str) -> Response:
    """A calendar file to download: the event's, or a participant's own."""
    return Response(text, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
