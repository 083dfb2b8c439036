"""Absolute links for emails, built from APP_BASE_URL so they work outside a request."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    return external_url_builder()(endpoint, **values)


def external_url_builder() -> Callable[..., str]:
    """external_url bound once, for building many links in a row (one per person of a message)."""
    base = urlsplit(current_app.config["APP_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    return lambda endpoint, **values: adapter.build(endpoint, values, force_external=True)


def site_domain() -> str:
    """The site's host name, for Message-IDs and calendar UIDs."""
    return urlsplit(current_app.config["APP_BASE_URL"]).hostname or "localhost"
