from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.auth import bp
from app.auth.forms import LoginForm
from app.extensions import db, limiter
from app.redirects import safe_next_url
from app.services.people.users import authenticate


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("organiser.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.form_errors.append("The email or password is not right.")
        else:
            db.session.commit()  # a rehashed password is saved
            login_user(user, remember=form.remember.data)
            renew_csrf_secret()
            return redirect(safe_next_url(request.args.get("next"), fallback=url_for("organiser.dashboard")))
    return render_template("auth/login.html", form=form), 401 if form.form_errors else 200


@bp.post("/logout")
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("public.index"))


def renew_csrf_secret() -> None:
    """A new CSRF secret for the signed-in session: a token picked up before signing in (from a page left open
    on a shared computer, or planted by someone) does not work for the organiser's forms."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)
