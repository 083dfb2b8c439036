"""Absolute links for emails, built from APP_BASE_URL so they work outside a request."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["APP_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def site_domain() -> str:
    """The site's host name, for Message-IDs and calendar UIDs."""
    return urlsplit(current_app.config["APP_BASE_URL"]).hostname or "localhost"
