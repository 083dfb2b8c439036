"""Passwords: hashed with argon2, long enough (PASSWORD_MIN_LENGTH), and not one of the common ones.

The common passwords are Django's list of 20,000 (lowercased), vendored unchanged in data/ with its
licence: a list kept up by others, not typed in here.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from app.services.errors import DomainError

COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"
DEFAULT_MIN_LENGTH = 10


def hasher() -> PasswordHasher:
    if current_app.config.get("PASSWORD_HASH_FAST"):
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def min_length() -> int:
    return int(current_app.config.get("PASSWORD_MIN_LENGTH", DEFAULT_MIN_LENGTH))


@functools.cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines)


def check_password(password: str, *, email: str = "", field: str = "password") -> None:
    """Refuse a password that is too short, common, or the account's own address (next to `field`)."""
    length = min_length()
    if len(password) < length:
        raise DomainError(_("The password needs at least %(length)s characters.", length=length), field=field)
    lowered = password.strip().lower()
    if lowered in common_passwords():
        raise DomainError(_("This password is one of the most common ones, which are tried first. "
                            "Please choose another."), field=field)
    if email and lowered in {email.lower(), email.lower().partition("@")[0]}:
        raise DomainError(_("The password cannot be your email address."), field=field)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed; an account without a password (an invitation) has none."""
    if password_hash is None:
        hasher().hash(password or "x")  # the same work either way: no timing hint
        return False
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
