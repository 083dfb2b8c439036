"""“Forgot your password?”: a single-use, expiring link to set a new one, emailed to the account's address.

The form says the same whatever the address, so it tells nobody who has an account; only the inbox
learns more. One link per account per RESET_EMAIL_INTERVAL, however often it is asked for (the form is
also rate-limited per client), so nobody can flood an organiser's inbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.database import Session
from app.models import OutboxEmail, User
from app.services.mail import mailer
from app.services.people.account_links import LinkPurpose, make_link_token, user_from_link
from app.services.people.invitations import valid_for_in_emails
from app.services.people.users import find_user, set_password
from app.services.urls import external_url

RESET_EMAIL_INTERVAL = timedelta(minutes=2)


def request_password_reset(session: Session, email: str, *, now: datetime) -> bool:
    """Email a reset link to the account of `email`, if there is an active one; whether one was queued."""
    user = find_user(session, email)
    if user is None or not user.active:
        return False
    recently = session.scalar(
        sa.select(OutboxEmail.id).where(OutboxEmail.kind == "password_reset", OutboxEmail.to_address == user.email,
                                        OutboxEmail.created_at >= now - RESET_EMAIL_INTERVAL).limit(1)
    )
    if recently is not None:
        return False
    link = external_url("auth.reset_password", token=make_link_token(user, LinkPurpose.PASSWORD_RESET, now=now))
    mailer.enqueue(session, kind="password_reset", to=user.email, subject="Set a new password for WTA Events",
                   context={"user": user, "link": link, "valid_for": valid_for_in_emails(LinkPurpose.PASSWORD_RESET)})
    return True


def reset_password(session: Session, token: str, password: str, *, now: datetime) -> User:
    """Set the new password from a reset link; the link (and every session) stops working."""
    user = user_from_link(session, token, LinkPurpose.PASSWORD_RESET, now=now)
    set_password(user, password)
    return user
