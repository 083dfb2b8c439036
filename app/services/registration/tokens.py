"""The participant's personal link: a signed token, no password to remember.

A link sent on request ("Lost your link?", or registering again with the same address) also carries the
moment it was issued, so that it keeps working for a while even after the event's own links have expired
(app/services/privacy/links.py). A signature covers both; a payload of any other shape is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

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
    except (BadData, ValueError, UnicodeError):  # BadData: a bad signature, or ours over a payload of another kind
        return None
    if _an_id(value):
        return value, None
    if isinstance(value, list) and len(value) == 2 and _an_id(value[0]) and type(value[1]) is int \
            and 0 <= value[1] < _LATEST_TIMESTAMP:
        return value[0], datetime.fromtimestamp(value[1], UTC)
    return None


# Anything a database id column holds (PostgreSQL's integer), and moments datetime can represent.
_LARGEST_ID = 2**31 - 1
_LATEST_TIMESTAMP = 2**37  # in the year 6325


def _an_id(value: object) -> bool:
    return type(value) is int and 0 < value <= _LARGEST_ID


def registration_id_from_token(token: str) -> int | None:
    """The registration id the token was signed for, or None for a tampered or foreign token."""
    read = read_token(token)
    return read[0] if read else None
