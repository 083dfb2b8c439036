"""The links emailed to organisers: an invitation, a password reset. Signed, expiring, single-use.

A link carries the account's id, when it was made, and a fingerprint of the account's password hash
(none yet for an invitation). Setting a password changes the hash, so the link that set it stops
working, and so does every other link made before. The time is ours (`now`), not the signer's clock,
so the service takes the clock as an argument like every other.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from app.database import Session
from app.models import User
from app.services.errors import DomainError


class LinkPurpose(StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password-reset"

    @property
    def max_age(self) -> timedelta:
        key = "INVITATION_MAX_AGE" if self is LinkPurpose.INVITATION else "PASSWORD_RESET_MAX_AGE"
        return timedelta(seconds=int(current_app.config[key]))


class LinkRefused(DomainError):
    """The link cannot be used; the message says why and what to do instead."""


_REFUSALS = {
    (LinkPurpose.INVITATION, "used"): _l("This invitation has been used already: the account has its password. "
                                         "Sign in, or use “Forgot your password?” on the sign-in page."),
    (LinkPurpose.INVITATION, "expired"): _l("This invitation has expired. Please ask the administrator who "
                                            "invited you to send it again."),
    (LinkPurpose.PASSWORD_RESET, "used"): _l("This link has been used already (or the password was changed "
                                             "since it was sent). Ask for a new one if you need it."),
    (LinkPurpose.PASSWORD_RESET, "expired"): _l("This link has expired. Ask for a new one below."),
}
INVALID = _l("This link is not valid. Please open it from the email again, or copy the whole address.")
DEACTIVATED = _l("This account is deactivated. Please ask an administrator.")


def _serializer(purpose: LinkPurpose) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"account-{purpose.value}")


def _fingerprint(user: User) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, (user.password_hash or "no password").encode(), hashlib.sha256).hexdigest()[:20]


def make_link_token(user: User, purpose: LinkPurpose, *, now: datetime) -> str:
    return _serializer(purpose).dumps({"u": user.id, "t": int(now.timestamp()), "f": _fingerprint(user)})


def user_from_link(session: Session, token: str, purpose: LinkPurpose, *, now: datetime) -> User:
    """The account the link is for, if it may still be used; else LinkRefused with the reason."""
    try:
        payload = _serializer(purpose).loads(token)
        user_id, issued, fingerprint = int(payload["u"]), int(payload["t"]), str(payload["f"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused(str(INVALID)) from None
    user = session.get(User, user_id)
    if user is None:
        raise LinkRefused(str(INVALID))
    if not user.active:
        raise LinkRefused(str(DEACTIVATED))
    used = not hmac.compare_digest(fingerprint, _fingerprint(user))
    if used or (purpose is LinkPurpose.INVITATION and not user.is_invited):
        raise LinkRefused(str(_REFUSALS[purpose, "used"]))
    if now.timestamp() - issued > purpose.max_age.total_seconds():
        raise LinkRefused(str(_REFUSALS[purpose, "expired"]))
    return user
