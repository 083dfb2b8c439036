"""What administrators do to accounts: deactivate, reactivate, make or unmake administrator.

Nobody does these to their own account (a slip would lock them out), and there is always one active
administrator who can sign in: the last one can be neither deactivated nor demoted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.database import Session
from app.models import User
from app.services.errors import DomainError
from app.services.paging import Page, paginate


def accounts_page(session: Session, *, page: int, per_page: int) -> Page[User]:
    """Every account, active ones first, then by address."""
    total = session.scalar(sa.select(sa.func.count(User.id))) or 0
    query = sa.select(User).order_by(User.active.desc(), User.email)
    return paginate(total, page, per_page, lambda limit, offset: session.scalars(query.limit(limit).offset(offset)))


def _not_yourself(user: User, actor: User, refusal: str) -> None:
    if user.id == actor.id:
        raise DomainError(refusal)


def _keeps_an_administrator(session: Session, user: User) -> None:
    """Refuse when `user` is the last active administrator who can sign in."""
    if not (user.is_admin and user.active):
        return
    # Locks the administrators' rows (PostgreSQL), so two administrators demoting each other at the same
    # moment cannot both succeed; SQLite writes one transaction at a time anyway.
    others = session.scalars(
        sa.select(User.id).where(User.is_admin, User.active, User.password_hash.is_not(None), User.id != user.id)
        .with_for_update()
    ).all()
    if not others:
        raise DomainError(_("%(email)s is the last active administrator: make someone else an administrator first.",
                            email=user.email))


def _check_deactivate(session: Session, user: User, actor: User) -> None:
    _not_yourself(user, actor, _("You cannot deactivate your own account. Ask another administrator."))
    if not user.active:
        raise DomainError(_("%(email)s is deactivated already.", email=user.email))
    _keeps_an_administrator(session, user)


def _deactivate(user: User) -> None:
    user.active = False
    user.end_sessions()  # signed out everywhere, at once


def _check_reactivate(session: Session, user: User, actor: User) -> None:
    if user.active:
        raise DomainError(_("%(email)s is active already.", email=user.email))


def _reactivate(user: User) -> None:
    user.active = True


def _check_make_admin(session: Session, user: User, actor: User) -> None:
    if user.is_admin:
        raise DomainError(_("%(email)s is an administrator already.", email=user.email))
    if not user.active:
        raise DomainError(_("%(email)s is deactivated. Reactivate the account first.", email=user.email))


def _make_admin(user: User) -> None:
    user.is_admin = True


def _check_remove_admin(session: Session, user: User, actor: User) -> None:
    _not_yourself(user, actor, _("You cannot remove administrator rights from your own account. "
                                   "Ask another administrator."))
    if not user.is_admin:
        raise DomainError(_("%(email)s is not an administrator.", email=user.email))
    _keeps_an_administrator(session, user)


def _remove_admin(user: User) -> None:
    user.is_admin = False


@dataclass(frozen=True)
class AccountAction:
    button: str  # the confirmation button, e.g. "Deactivate the account"
    question: str  # the confirmation page's heading, with {email}
    consequence: str  # what follows, said on the confirmation page
    done: str  # the message afterwards, with {email}
    check: Callable[[Session, User, User], None]
    apply: Callable[[User], None]
    danger: bool = False


ACTIONS: dict[str, AccountAction] = {
    "deactivate": AccountAction(
        _l("Deactivate the account"), _l("Deactivate {email}?"),
        _l("They are signed out at once, everywhere, and cannot sign in or reset their password until an "
           "administrator reactivates the account. Nothing they did is deleted, and they keep their place on event "
           "teams for when they come back."),
        _l("{email} is deactivated and signed out everywhere."), _check_deactivate, _deactivate, danger=True),
    "reactivate": AccountAction(
        _l("Reactivate the account"), _l("Reactivate {email}?"),
        _l("They can sign in again with their password (or set a new one with “Forgot your password?”)."),
        _l("{email} is active again."), _check_reactivate, _reactivate),
    "make-admin": AccountAction(
        _l("Make administrator"), _l("Make {email} an administrator?"),
        _l("Administrators manage every event and every account, including other administrators."),
        _l("{email} is an administrator now."), _check_make_admin, _make_admin),
    "remove-admin": AccountAction(
        _l("Remove administrator rights"), _l("Remove administrator rights from {email}?"),
        _l("They keep the events they are on the team of, but no longer see the others or manage accounts."),
        _l("{email} is no longer an administrator."), _check_remove_admin, _remove_admin, danger=True),
}


def check_account_action(session: Session, name: str, user: User, *, actor: User) -> AccountAction:
    """The action, if `actor` may do it to `user` now; else the DomainError that says why not."""
    action = ACTIONS[name]
    action.check(session, user, actor)
    return action


def apply_account_action(session: Session, name: str, user: User, *, actor: User) -> AccountAction:
    action = check_account_action(session, name, user, actor=actor)
    action.apply(user)
    session.flush()
    return action
