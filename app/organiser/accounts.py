"""Accounts (administrators only): the list, invitations, and deactivating or promoting an account,
each after a confirmation page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.actions import commit_or_flash, commit_or_show, commit_unless_refused
from app.extensions import db
from app.models import User, utcnow
from app.organiser import bp
from app.organiser.account_forms import InviteForm
from app.services.errors import DomainError
from app.services.people import accounts
from app.services.people.account_links import LinkPurpose
from app.services.people.invitations import invite_account, resend_invitation, valid_for


def _admin_only() -> None:
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(403)


def _account_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.get("/users")
def users():
    _admin_only()
    page = accounts.accounts_page(db.session, page=request.args.get("page", 1, type=int),
                                  per_page=current_app.config["ACCOUNTS_PER_PAGE"])
    return render_template("organiser/users.html", page=page, action_form=FlaskForm())


@bp.route("/users/invite", methods=["GET", "POST"])
def invite_user():
    _admin_only()
    form = InviteForm()
    if form.validate_on_submit():
        done = commit_or_show(form, lambda: invite_account(
            db.session, email=form.email.data, name=form.name.data or "", is_admin=form.is_admin.data,
            invited_by=current_user, now=utcnow()).email)
        if done:
            flash(_("%(email)s is invited: the email with their link is on its way.", email=done.value), "success")
            return redirect(url_for("organiser.users"))
    return render_template("organiser/user_invite.html", form=form,
                           valid_for=valid_for(LinkPurpose.INVITATION)), 422 if form.errors else 200


@bp.post("/users/<int:user_id>/resend-invitation")
def resend_user_invitation(user_id: int):
    _admin_only()
    user = _account_or_404(user_id)
    email = user.email
    if FlaskForm().validate_on_submit() and commit_or_flash(
            lambda: resend_invitation(db.session, user, invited_by=current_user, now=utcnow())):
        flash(_("The invitation is sent to %(email)s again, with a new link.", email=email), "success")
    return redirect(url_for("organiser.users"))


@bp.route("/users/<int:user_id>/<action>", methods=["GET", "POST"])
def user_action(user_id: int, action: str):
    """The confirmation page of an action on an account (GET), and the action itself (POST)."""
    _admin_only()
    if action not in accounts.ACTIONS:
        abort(404)
    user = _account_or_404(user_id)
    email = user.email
    form = FlaskForm()
    if form.validate_on_submit():
        outcome = commit_unless_refused(lambda: accounts.apply_account_action(db.session, action, user,
                                                                              actor=current_user))
        if not isinstance(outcome, DomainError):
            flash(outcome.value.done.format(email=email), "success")
            return redirect(url_for("organiser.users"))
        refusal: str | None = outcome.message
    else:
        refusal = _refusal(action, user)
    return render_template("organiser/user_action.html", user=user, action=accounts.ACTIONS[action],
                           refusal=refusal, form=form), 409 if refusal and request.method == "POST" else 200


def _refusal(action: str, user: User) -> str | None:
    """Why the action cannot be done now, said on the confirmation page instead of its button."""
    try:
        accounts.check_account_action(db.session, action, user, actor=current_user)
    except DomainError as error:
        return error.message
    finally:
        db.session.rollback()  # the check may have locked rows; a page that only shows holds nothing
    return None
