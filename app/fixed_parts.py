"""What every page repeats, made once per process rather than on every page.

- Templates' url_for keeps the addresses that never change: the static files' and the pages' without values.
  base.html alone asks for nine on every page, and building one is about 4 us. An address depends only on the
  endpoint and its values and, within one app, on the request's script root, host and scheme: those are in the
  key. Only addresses without values (or a static file's name) are kept, so no personal-link token ever sits in
  the cache; the rest are built as always.
- `{% call fixed_html(name, *more) %}...{% endcall %}` keeps the HTML of a part of a template that is the same on
  every page in one language (base.html's head links, site menu and footer): its texts and addresses, ten
  translations and nine addresses, are then made once per language. The key is the name, the page's language,
  what the addresses depend on (as above) and `more`, the other values the part shows (a setting).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, url_for
from flask.globals import request_ctx
from markupsafe import Markup

from app.i18n import current_language

ADDRESSES_KEPT = 1000  # static files and value-less pages: a few dozen in practice
PARTS_KEPT = 1000  # a few parts, per language and host


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

    parts: dict[tuple[Any, ...], Markup] = {}

    def fixed_html(name: str, *more: Any, caller: Callable[[], str]) -> Markup:
        try:
            environ = request_ctx.request.environ
        except RuntimeError:  # no request: made as always
            return Markup(caller())
        key = (name, current_language(), environ.get("SCRIPT_NAME"), environ.get("HTTP_HOST"),
               environ.get("SERVER_NAME"), environ.get("wsgi.url_scheme"), *more)
        html = parts.get(key)
        if html is None:
            html = Markup(caller())
            if len(parts) < PARTS_KEPT:
                parts[key] = html
        return html

    app.jinja_env.globals["fixed_html"] = fixed_html
