"""My account: every organiser changes their own name and password here."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.actions import commit_or_show
from app.auth import bp
from app.auth.forms import AccountNameForm, ChangePasswordForm
from app.auth.routes import sign_in
from app.services.people.users import change_name, change_password


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    name_form = AccountNameForm(data={"name": current_user.name})
    if name_form.validate_on_submit() and commit_or_show(name_form, lambda: change_name(current_user, name_form.name.data)):
        flash(_("Your name is saved."), "success")
        return redirect(url_for("auth.account"))
    return _page(name_form, ChangePasswordForm(formdata=None))


@bp.post("/account/password")
@login_required
def change_own_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and commit_or_show(form, lambda: change_password(
            user, current=form.current_password.data, new=form.new_password.data)):
        # Every other browser signed in as this account (and every remember-me cookie) is now signed out;
        # this one signs in again with the new session token, remembered if it was before.
        sign_in(user, remember=current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies)
        flash(_("Your password is changed. Any other browser signed in as you is signed out."), "success")
        return redirect(url_for("auth.account"))
    return _page(AccountNameForm(formdata=None, data={"name": current_user.name}), form)


def _page(name_form: AccountNameForm, password_form: ChangePasswordForm):
    status = 422 if name_form.errors or password_form.errors else 200
    return render_template("auth/account.html", name_form=name_form, password_form=password_form), status
