"""Inviting an organiser who has no account yet.

PLACEHOLDER for the `accounts` work of issue 13, which writes the real invitation (an email with a link to
set a password). Same signature; the integrator keeps the real one. This one only creates the account,
with a password nobody can use, and sends nothing.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.database import Session
from app.models import User
from app.services.errors import DomainError

UNUSABLE_PASSWORD = "!invited"  # not an argon2 hash: authenticate() never accepts it


def invite_organiser(session: Session, *, email: str, invited_by: User, name: str = "",
                     now: datetime | None = None) -> User:
    email = email.strip().lower()
    if not email or "@" not in email:
        raise DomainError("Please give a valid email address.", field="email")
    user = session.scalar(sa.select(User).where(User.email == email))
    if user is not None:
        return user
    user = User(email=email, name=name, password_hash=UNUSABLE_PASSWORD)
    session.add(user)
    session.flush()
    return user
