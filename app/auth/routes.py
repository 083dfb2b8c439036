from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from app.auth import bp, lockout
from app.auth.forms import LoginForm
from app.extensions import db, limiter
from app.redirects import safe_next_url
from app.services.people.users import authenticate


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
            form.form_errors.append("The email or password is not right.")
        else:
            lockout.forget(form.email.data)
            db.session.commit()  # a rehashed password is saved
            login_user(user, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next"), fallback=url_for("organiser.dashboard")))
    return render_template("auth/login.html", form=form), 401 if form.form_errors else 200


@bp.post("/logout")
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("public.index"))
