"""Organiser accounts and their passwords (argon2)."""

from __future__ import annotations

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from app.database import Session
from app.models import User
from app.services.errors import DomainError


def _hasher() -> PasswordHasher:
    if current_app.config.get("PASSWORD_HASH_FAST"):
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


MIN_PASSWORD_LENGTH = 10


def create_user(session: Session, email: str, password: str, *, name: str = "", is_admin: bool = False) -> User:
    email = email.strip().lower()
    if not email or "@" not in email:
        raise DomainError("Please give a valid email address.", field="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.", field="password")
    if session.scalar(sa.select(User.id).where(User.email == email)):
        raise DomainError(f"An account for {email} exists already.", field="email")
    user = User(email=email, name=name, password_hash=_hasher().hash(password), is_admin=is_admin)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    hasher = _hasher()
    if user is None or not user.active:
        hasher.hash(password or "x")  # same work either way: no timing hint that the account exists
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user
