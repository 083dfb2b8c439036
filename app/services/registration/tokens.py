"""The participant's personal link: a signed token, no password to remember."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from app.services.numbers import MAX_DB_INT

SALT = "participant-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def participant_token(registration_id: int) -> str:
    return _serializer().dumps(registration_id)


def registration_id_from_token(token: str) -> int | None:
    """The registration id the token was signed for, or None for a tampered or foreign token."""
    try:
        value = _serializer().loads(token)
    except BadData:  # a bad signature, or our signature over a payload of another kind (a timed token)
        return None
    # Signed by us but of another shape (another salt's payload, an id no table can hold): not a link of ours.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_DB_INT:
        return None
    return value
