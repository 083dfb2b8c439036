"""The headers every response carries (docs/security-headers.md says why each, and which test proves it).

- Content-Security-Policy: scripts and styles only from our own static files; no inline script, no inline
  handler, no inline style (all moved to static/js and static/css). The one exception is for styles: the
  pages that preview an email show it in an `<iframe srcdoc>`, which inherits this page's policy, and an
  email's HTML must style itself inline (email clients ignore stylesheets); those two pages call
  `allow_inline_styles()`. Scripts stay 'self' there too, so an injected tag still cannot run.
- Permissions-Policy: no page may use the camera, microphone, location or payment, except the check-in
  page, which reads QR codes with the camera.
- Cache-Control: no-store on everything the app renders or sends (lists, exports, visa data, personal-link
  pages, documents, forms with their CSRF token), so neither a shared computer's browser nor a proxy keeps
  personal data; only static files and the public calendar feeds may be cached (PUBLIC_CACHEABLE).
- Strict-Transport-Security when HSTS_SECONDS is set (production: a year), so a browser that has been here
  once never sends the session cookie over plain HTTP.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from werkzeug.datastructures import Headers

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; media-src 'self' blob: mediastream:; frame-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CSP_INLINE_STYLES = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

# Features no page uses, refused so that an injected script or a framed page cannot ask for them either.
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CAMERA_PAGES = {"organiser.checkin_page"}  # the check-in page's QR reader

# Responses with nothing personal in them that a browser may keep: our own files and public calendars.
PUBLIC_CACHEABLE = {"static", "public.favicon", "public.programme_feed", "public.event_calendar"}
NO_STORE = "private, no-store"


def allow_inline_styles() -> None:
    """For a page that previews an email in an `<iframe srcdoc>`: the email's own inline styles may apply."""
    g.csp_inline_styles = True


# Set unless the response has its own, in this order.
_DEFAULTS = (("Referrer-Policy", "same-origin"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"))
_PERMISSIONS_WITH_CAMERA = PERMISSIONS.replace("camera=()", "camera=(self)")


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        # Every response goes through here: the names it has are read once (each Headers look-up reads the whole
        # list), and the values are made at import.
        headers = response.headers
        present = {key.lower() for key, _value in headers.items()}
        # Personal links carry their token in the path: never hand it to another site as a Referer.
        for name, value in _DEFAULTS:
            if name.lower() not in present:
                headers.add(name, value)
        # A response with a policy of its own (an email's HTML) keeps it.
        if "content-security-policy" not in present:
            headers.add("Content-Security-Policy", CSP_INLINE_STYLES if g.get("csp_inline_styles") else CSP)
        endpoint = request.endpoint
        _put(headers, present, "Permissions-Policy",
             _PERMISSIONS_WITH_CAMERA if endpoint in CAMERA_PAGES else PERMISSIONS)
        if endpoint not in PUBLIC_CACHEABLE:
            _put(headers, present, "Cache-Control", NO_STORE)
            if "expires" in present:
                headers.pop("Expires", None)
        hsts = app.config.get("HSTS_SECONDS") or 0
        if hsts:
            _put(headers, present, "Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
        return response


def _put(headers: Headers, present: set[str], name: str, value: str) -> None:
    """headers[name] = value (replacing any), without looking through the list when the name is not there."""
    if name.lower() in present:
        headers.set(name, value)
    else:
        headers.add(name, value)
