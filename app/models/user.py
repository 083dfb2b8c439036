from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Base):
    """An organiser account. Participants never log in: they use their personal link."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    # None: invited, and the invitee has not chosen a password yet (nobody can sign in as them).
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the session and remember-me cookies carry instead of the id (get_id). A new one is drawn on
    # sign-out, a password change or reset, and deactivation: every cookie issued before stops working.
    session_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_token)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last invitation email

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in for inactive accounts
        return self.active

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def is_invited(self) -> bool:
        """Invited, and the invitation not taken up yet."""
        return self.password_hash is None

    def get_id(self) -> str:
        return self.session_token

    def end_sessions(self) -> None:
        """Every signed-in browser of this account (and its remember-me cookie) is signed out."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.email}>"
