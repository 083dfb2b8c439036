"""The participant's personal link: a signed token, no password to remember."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "participant-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def participant_token(registration_id: int) -> str:
    return _serializer().dumps(registration_id)


def registration_id_from_token(token: str) -> int | None:
    """The registration id the token was signed for, or None for a tampered or foreign token."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
