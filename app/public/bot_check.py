"""Two checks that stop naive bots on the public forms without a third-party CAPTCHA (issue 16).

- A honeypot: a text field people never see (hidden by CSS, skipped by the keyboard and screen readers) that a
  form-filling script fills like any other.
- A minimum fill time: nobody reads and fills the form within FORM_MIN_FILL_SECONDS of opening it. The time the
  form was shown is the one signed into its CSRF token (Flask-WTF signs a fresh one for each page), so nothing
  is stored and the form needs no field of its own: the event page can keep one rendered copy of the form for
  everyone and put each visitor's token in. The timing is off when RATELIMIT_ENABLED is (benchmarks).

Both refuse politely with the same words (a bot learns nothing about which check it failed), before anything is
saved; a person who was simply quick sends the form again.
"""

from __future__ import annotations

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import StringField
from wtforms.validators import Optional

REFUSAL = _l("We could not accept this form: it was sent quicker than a person usually fills it in, or with a "
             "hidden field filled. Please check your details and send the form again.")


def honeypot_field() -> StringField:
    # "website" is a name form-filling scripts cannot resist; the label tells the few people who meet it anyway.
    return StringField(_l("Leave this field empty"), validators=[Optional()])


def refusal(form) -> str | None:
    """The polite refusal when the form looks sent by a script, None when a person sent it."""
    if form.website.data:
        return str(REFUSAL)
    minimum = current_app.config["FORM_MIN_FILL_SECONDS"]
    if minimum and current_app.config["RATELIMIT_ENABLED"]:
        shown_at = _shown_at(form)
        if shown_at is not None and _now() - shown_at < minimum:
            return str(REFUSAL)
    return None


def _now() -> float:
    return time.time()  # a function, so a test can let a person take their time without waiting for it


def _shown_at(form) -> float | None:
    """When the form was shown: the time signed into its CSRF token (None without one; CSRF checks it)."""
    token = getattr(getattr(form, "csrf_token", None), "data", None)
    if not isinstance(token, str) or not token:
        return None
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key or ""
    try:
        _, signed_at = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(token, return_timestamp=True)
    except BadData:
        return None
    return signed_at.timestamp()
