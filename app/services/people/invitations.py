"""Invitations: an account made by someone else, which its owner opens by choosing a password.

`invite_organiser` is what every "add this person" form calls (an administrator's invitation, an event
team adding an address that has no account yet). Until the invitee follows the emailed link and sets a
password the account has none, so nobody can sign in as them; the link expires (INVITATION_MAX_AGE)
and stops working once used (account_links).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from app.database import Session
from app.models import User, utcnow
from app.services.errors import DomainError, Problems
from app.services.mail import mailer
from app.services.mail.email_addresses import deliverable_address
from app.services.people.account_links import LinkPurpose, make_link_token, user_from_link
from app.services.people.passwords import check_password, hash_password
from app.services.people.users import change_name, find_user
from app.services.urls import external_url


def invite_organiser(session: Session, *, email: str, invited_by: User, name: str = "",
                     now: datetime | None = None) -> User:
    """The account of `email`: the existing one (no email is sent then), or a new one without a password
    whose owner is emailed an invitation to set it. The caller commits."""
    now = now or utcnow()
    address = deliverable_address(email)  # UndeliverableAddress (a DomainError) for one no email reaches
    existing = find_user(session, address)
    if existing is not None:
        return existing
    user = User(email=address, name=" ".join(name.split()), password_hash=None, is_admin=False)
    session.add(user)
    session.flush()
    _send_invitation(session, user, invited_by=invited_by, now=now)
    return user


def invite_account(session: Session, *, email: str, name: str, is_admin: bool, invited_by: User,
                   now: datetime) -> User:
    """An administrator's invitation: a new account only (an existing address is said so)."""
    try:
        address = deliverable_address(email)
    except DomainError as error:
        raise DomainError(error.message, field="email") from None
    if find_user(session, address) is not None:
        raise DomainError(_("%(email)s has an account already.", email=address), field="email")
    user = invite_organiser(session, email=address, invited_by=invited_by, name=name, now=now)
    user.is_admin = is_admin
    return user


def resend_invitation(session: Session, user: User, *, invited_by: User, now: datetime) -> None:
    if not user.is_invited:
        raise DomainError(_("%(email)s has set a password already: they sign in, or use “Forgot your password?”.",
                            email=user.email))
    if not user.active:
        raise DomainError(_("%(email)s is deactivated. Reactivate the account first.", email=user.email))
    _send_invitation(session, user, invited_by=invited_by, now=now)


def accept_invitation(session: Session, token: str, *, name: str, password: str, now: datetime) -> User:
    """The invitee sets their name and password: the account can sign in from now on."""
    user = user_from_link(session, token, LinkPurpose.INVITATION, now=now)
    problems = Problems()
    with problems.collecting():
        change_name(user, name)
    with problems.collecting():
        check_password(password, email=user.email)
    problems.raise_if_any()
    user.password_hash = hash_password(password)
    user.end_sessions()
    return user


def _send_invitation(session: Session, user: User, *, invited_by: User, now: datetime) -> None:
    user.invited_at = now
    link = external_url("auth.accept_invitation", token=make_link_token(user, LinkPurpose.INVITATION, now=now))
    mailer.enqueue(
        session, kind="account_invitation", to=user.email,
        subject="You are invited to organise events on WTA Events",
        context={"user": user, "inviter": invited_by.name or invited_by.email, "link": link,
                 "valid_for": valid_for_in_emails(LinkPurpose.INVITATION)},
    )


def valid_for(purpose: LinkPurpose) -> str:
    """How long a link works, in the page's language: "7 days", "2 hours", "30 minutes"."""
    seconds = int(purpose.max_age.total_seconds())
    if seconds and seconds % 86400 == 0:
        return ngettext("%(num)d day", "%(num)d days", seconds // 86400)
    if seconds and seconds % 3600 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    if seconds and seconds % 60 == 0:
        return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60)
    return ngettext("%(num)d second", "%(num)d seconds", seconds)


def valid_for_in_emails(purpose: LinkPurpose) -> str:
    """The same for the account emails, which speak English to organisers whatever the page that sent them."""
    with force_locale("en"):
        return valid_for(purpose)
