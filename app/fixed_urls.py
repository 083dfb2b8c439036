"""Templates' url_for, with the addresses that never change kept: the static files' and the pages without values.

base.html alone asks for nine such addresses on every page (the icons, the stylesheet, the script, the home and
past-events pages...), and building one is about 4 us. An address depends only on the endpoint and its values
and, within one app, on the request's script root, host and scheme: those are in the key. Only addresses without
values (or a static file's name) are kept, so no personal-link token ever sits in the cache; the rest are built
as always.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for
from flask.globals import request_ctx

ADDRESSES_KEPT = 1000  # static files and value-less pages: a few dozen in practice


def init_app(app: Flask) -> None:
    kept: dict[tuple[str | None, ...], str] = {}

    def template_url_for(endpoint: str, **values: Any) -> str:
        if (values and not (endpoint == "static" and len(values) == 1 and "filename" in values)) \
                or endpoint.startswith("."):  # relative to the request's blueprint
            return url_for(endpoint, **values)
        try:
            environ = request_ctx.request.environ
        except RuntimeError:  # no request (an email written by the worker): built as always
            return url_for(endpoint, **values)
        key = (endpoint, values.get("filename"), environ.get("SCRIPT_NAME"), environ.get("HTTP_HOST"),
               environ.get("SERVER_NAME"), environ.get("wsgi.url_scheme"))
        address = kept.get(key)
        if address is None:
            address = url_for(endpoint, **values)
            if len(kept) < ADDRESSES_KEPT:
                kept[key] = address
        return address

    app.jinja_env.globals["url_for"] = template_url_for
