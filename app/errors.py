"""Friendly error pages: a participant on a slow connection should never see a traceback."""

from __future__ import annotations

from flask import Flask, current_app, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.limits import readable_wait, retry_after_seconds
from app.redirects import safe_next_url

# Said instead of Werkzeug's own descriptions, which only repeat the page's title in other words
# ("You don't have the permission to access the requested resource...").
_MESSAGES = {
    403: _l("Your account cannot open this page. If you need it, ask an administrator or the event's organisers "
            "to give you access."),
    404: _l("The page you asked for does not exist. Check the address, or start again from the list of events."),
    405: _l("Please go back and use the buttons and links on the page."),
}


def _message(error: HTTPException) -> str:
    if error.code == 413:
        return _("Your form could not be sent because the files in it are too large together. "
                 "Please go back, choose smaller PDF files and send the form again.")
    if error.description and error.description != type(error).description:
        return error.description  # the view's own words, e.g. "This link is not valid..."
    return str(_MESSAGES.get(error.code or 500, ""))


EXPIRED = "The CSRF token has expired."  # Flask-WTF's description of a token past WTF_CSRF_TIME_LIMIT
FORM_EXPIRED = _l("The form had been open for a long time, so for your security it was not sent. "
                  "Please check it and send it again.")


def _page_to_fill_in_again() -> str | None:
    """Where the expired form is shown again: its own address when it is a page (GET), else the page the
    button was on (a same-site Referer); None when neither is known (the error page says what to do)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(request.path, method="GET")
    except HTTPException:
        referrer = request.referrer or ""
        host = request.host_url.rstrip("/")
        return safe_next_url(referrer.removeprefix(host), fallback="") or None if referrer.startswith(host) else None
    return request.full_path.rstrip("?")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        # A script's request (the check-in page's fetch, asking for JSON) gets the 400 it explains itself.
        wants_page = request.accept_mimetypes.best != "application/json"
        again = _page_to_fill_in_again() if error.description == EXPIRED and wants_page else None
        if again:
            flash(str(FORM_EXPIRED), "error")
            return redirect(again, code=303)
        return render_template(
            "errors/error.html",
            code=400,
            title=_("This form has expired"),
            message=_("For your security the form could not be sent. Please go back, reload the page and try again."),
        ), 400

    @app.errorhandler(429)
    def too_many(error: HTTPException):
        # Says what happened and when to try again (Flask-Limiter knows when the broken limit resets).
        seconds = retry_after_seconds() or 60
        response = make_response(render_template("errors/too_many.html", wait=readable_wait(seconds)), 429)
        response.headers["Retry-After"] = str(seconds)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        titles = {
            400: _("What you sent cannot be used"),
            403: _("You do not have access to this page"),
            404: _("Page not found"),
            405: _("This action is not allowed here"),
            413: _("What you sent is too large"),
        }
        return render_template(
            "errors/error.html",
            code=error.code,
            title=titles.get(error.code or 500, error.name),
            message=_message(error),
        ), error.code

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template(
            "errors/error.html",
            code=500,
            title=_("Something went wrong on our side"),
            message=_("Nothing was saved. Please try again in a moment; if it keeps happening, write to the organisers."),
        ), 500
