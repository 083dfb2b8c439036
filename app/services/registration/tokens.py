"""The participant's personal link: a signed token, no password to remember.

A link sent on request ("Lost your link?", or registering again with the same address) also carries the
moment it was issued, so that it keeps working for a while even after the event's own links have expired
(app/services/privacy/links.py). A signature covers both; a payload of any other shape is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "participant-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def participant_token(registration_id: int, *, issued_at: datetime | None = None) -> str:
    if issued_at is None:
        return _serializer().dumps(registration_id)
    return _serializer().dumps([registration_id, int(issued_at.timestamp())])


def read_token(token: str) -> tuple[int, datetime | None] | None:
    """(registration id, when the link was issued or None) the token was signed for; None for a tampered
    or foreign token."""
    try:
        value = _serializer().loads(token)
    except (BadSignature, ValueError, UnicodeError):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    if (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)
            and 0 <= value[1] < 2**40):
        return value[0], datetime.fromtimestamp(value[1], UTC)
    return None


def registration_id_from_token(token: str) -> int | None:
    """The registration id the token was signed for, or None for a tampered or foreign token."""
    read = read_token(token)
    return read[0] if read else None
