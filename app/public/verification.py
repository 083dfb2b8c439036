"""Public check of a letter's or certificate's verification code: genuine or not, and nothing more."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.extensions import db, limiter
from app.forms import TrimmedForm
from app.public import bp
from app.services.documents import verification as verification_service


class VerifyForm(TrimmedForm):
    """A GET form: checking a code changes nothing, and the result page can be bookmarked."""

    class Meta:
        csrf = False

    code = StringField(_l("Verification code"), validators=[
        DataRequired(_l("Please type the code printed on the document.")), Length(max=40)])


@bp.get("/verify")
def verify_form():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("public.verify", code=verification_service.normalise_code(form.code.data) or form.code.data))
    return render_template("public/verify.html", form=form, checked=False, document=None), 422 if form.errors else 200


@bp.get("/verify/<code>")
# Codes are long; this only stops a script from trying them in bulk.
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
def verify(code: str):
    document = verification_service.verify(db.session, code)
    form = VerifyForm(data={"code": code})
    return render_template("public/verify.html", form=form, checked=True, document=document,
                           code=code), 200 if document else 404
