"""Input no page can use, refused before any view sees it: a 4xx with a clear message, never a 500.

A NUL byte is refused in the address, the query string and every form field (PostgreSQL cannot store it
in text, and no person types one). Ids in the address are ASCII digits up to the largest database integer
(2**31 - 1): a bigger number, or `٣`, names nothing and is a 404 like any unknown id. Numbers typed into
forms and query strings go through `small_int`, which refuses what `str.isdigit()` would let through
(`①`, `²`) and what the database cannot hold.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from app.services.numbers import MAX_DB_INT

NUL_MESSAGE = _l("What you sent contains a character that cannot be stored (a NUL byte, code 0). "
                 "Please go back, remove it (it often comes from copying text out of another program) "
                 "and send the form again.")


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in routes: ASCII digits only (`\\d` would take other scripts' digits) and no larger
    than a database integer, so a huge id is the same 404 as an unknown one, not an overflow."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(map, *args, **kwargs)


def _has_nul() -> bool:
    if "\x00" in request.path:
        return True
    fields = [*request.args.items(multi=True)]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        fields += request.form.items(multi=True)
        fields += ((key, file.filename or "") for key, file in request.files.items(multi=True))
    return any("\x00" in key or "\x00" in value for key, value in fields)


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered: their rules take the converter when they are added."""
    app.url_map.converters["int"] = DatabaseIdConverter

    def refuse_nul_bytes() -> None:
        if _has_nul():
            abort(400, description=str(NUL_MESSAGE))

    # Before every other check, CSRF included: a NUL byte is refused for what it is, whatever else is wrong
    # with the request (an expired form would otherwise hide the reason the person can act on).
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul_bytes)
