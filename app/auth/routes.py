"""Signing in and out; the emailed links that set a password (an invitation, "Forgot your password?")."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.actions import commit_unless_refused, show_problems
from app.auth import bp, lockout
from app.auth.forms import AcceptInvitationForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from app.extensions import db, limiter
from app.models import User, utcnow
from app.redirects import safe_next_url
from app.services.errors import DomainError
from app.services.people.account_links import LinkPurpose, LinkRefused, user_from_link
from app.services.people.invitations import accept_invitation, valid_for
from app.services.people.password_reset import request_password_reset, reset_password
from app.services.people.users import authenticate


def sign_in(user: User, *, remember: bool = False) -> None:
    """A fresh session for the signed-in user: nothing of the signed-out one is carried over, not even
    its CSRF token (Flask-WTF makes a new one), so a session or token planted before sign-in is worthless."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # Flask-WTF's copy for this request
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
# A backstop per address, counting wrong passwords only; each account has its own lock-out (app/auth/lockout.py).
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"],
               deduct_when=lambda response: response.status_code == 401)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("organiser.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        wait = lockout.seconds_to_wait(form.email.data)
        if wait:  # the password is not even checked: waiting is the point
            form.form_errors.append(lockout.message(wait))
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            lockout.record_failure(form.email.data)
            form.form_errors.append(_("The email or password is not right."))
        else:
            lockout.forget(form.email.data)
            db.session.commit()  # a rehashed password is saved
            sign_in(user, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next"), fallback=url_for("organiser.dashboard")))
    return render_template("auth/login.html", form=form), 401 if form.form_errors else 200


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # A new session token: this cookie, any copy of it and the remember-me cookie all stop working.
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["FORGOT_PASSWORD_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(db.session, form.email.data, now=utcnow())
        db.session.commit()
        # The same page whatever the address: it tells nobody who has an account.
        return render_template("auth/forgot_password.html", form=form, sent_to=form.email.data,
                               valid_for=valid_for(LinkPurpose.PASSWORD_RESET))
    return render_template("auth/forgot_password.html", form=form, sent_to=None)


@bp.route("/reset-password/<token>", methods=["GET", "POST"], endpoint="reset_password")
def reset_password_page(token: str):
    return _password_link_page(
        token, LinkPurpose.PASSWORD_RESET, NewPasswordForm(),
        lambda form: reset_password(db.session, token, form.password.data, now=utcnow()),
        template="auth/reset_password.html", done=_("Your new password is set, and you are signed in."))


@bp.route("/invitation/<token>", methods=["GET", "POST"], endpoint="accept_invitation")
def accept_invitation_page(token: str):
    return _password_link_page(
        token, LinkPurpose.INVITATION, AcceptInvitationForm(),
        lambda form: accept_invitation(db.session, token, name=form.name.data, password=form.password.data,
                                       now=utcnow()),
        template="auth/accept_invitation.html", done=_("Welcome! Your password is set, and you are signed in."))


def _password_link_page(token, purpose, form, action, *, template: str, done: str):
    try:
        user = user_from_link(db.session, token, purpose, now=utcnow())
    except LinkRefused as refused:
        return _refused(refused, purpose)
    if form.validate_on_submit():
        outcome = commit_unless_refused(lambda: action(form))
        if isinstance(outcome, LinkRefused):
            return _refused(outcome, purpose)
        if isinstance(outcome, DomainError):
            show_problems(form, outcome)
        else:
            sign_in(outcome.value)
            flash(done, "success")
            return redirect(url_for("organiser.dashboard"))
    return render_template(template, form=form, user=user)


def _refused(refused: LinkRefused, purpose: LinkPurpose):
    return render_template("auth/link_refused.html", message=refused.message, purpose=purpose), 410
