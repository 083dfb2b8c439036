"""Organiser accounts: creating them, signing in, changing one's name and password."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import User
from app.services.errors import DomainError, Problems
from app.services.people.passwords import check_password, hash_password, hasher, verify_password


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(session: Session, email: str, password: str, *, name: str = "", is_admin: bool = False) -> User:
    email = normalise_email(email)
    if not email or "@" not in email:
        raise DomainError(_("Please give a valid email address."), field="email")
    check_password(password, email=email)
    if session.scalar(sa.select(User.id).where(User.email == email)):
        raise DomainError(_("An account for %(email)s exists already.", email=email), field="email")
    user = User(email=email, name=name, password_hash=hash_password(password), is_admin=is_admin)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    if user is None or not user.active:
        hasher().hash(password or "x")  # same work either way: no timing hint that the account exists
        return None
    if not verify_password(user.password_hash, password):
        return None
    assert user.password_hash is not None  # verify_password is False without one
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str, *, field: str = "password") -> None:
    """A new password (checked against the policy); every session signed in before ends."""
    check_password(password, email=user.email, field=field)
    user.password_hash = hash_password(password)
    user.end_sessions()


def change_password(user: User, *, current: str, new: str) -> None:
    """From "My account": the current password first, so an unattended signed-in browser cannot change it."""
    if not verify_password(user.password_hash, current):
        raise DomainError(_("This is not your current password."), field="current_password")
    set_password(user, new, field="new_password")


def change_name(user: User, name: str) -> None:
    problems = Problems()
    name = " ".join((name or "").split())
    if not name:
        problems.add(_("Please give your name."), "name")
    elif len(name) > 200:
        problems.add(_("Please keep the name under 200 characters."), "name")
    problems.raise_if_any()
    user.name = name
