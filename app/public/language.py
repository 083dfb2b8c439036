"""The language switcher's target: remember the visitor's choice in a cookie, then go back to the page."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for

from app.i18n import LANGUAGE_COOKIE, LANGUAGES
from app.public import bp
from app.redirects import safe_next_url

# A year: the choice is the visitor's, not the session's; it outlives a closed browser.
COOKIE_SECONDS = 365 * 24 * 3600


@bp.get("/language/<code>")
def language(code: str):
    if code not in LANGUAGES:
        abort(404)
    response = redirect(safe_next_url(request.args.get("next"), fallback=url_for("public.index")))
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
