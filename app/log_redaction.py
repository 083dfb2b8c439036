"""Personal-link tokens stay out of the logs: a logging filter that blanks them wherever they appear.

A personal link (/r/<token>) opens someone's registration, answers and passport data, and an access log
is kept longer and read by more people than the data itself. The filter rewrites the message and its
arguments (werkzeug passes the request line as an argument; gunicorn passes a dict of "atoms": request
line, path, query, referer...). create_app() puts it on the loggers that write request lines; the README
gives the same for gunicorn's access log (gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

# /r/ followed by the token, up to the next path separator, query or quote. Also the URL-encoded form
# (%2Fr%2F...), as a referer inside a query string would carry it.
_TOKEN = re.compile(r"(/r/|%2[Ff]r%2[Ff])[^/?#\s\"'&%]+")
REDACTED = "[token]"

# The loggers that write request lines: the development server, gunicorn's access log, Flask's errors.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    # Most texts hold neither marker: two substring tests are cheaper than the regex (an access line has ~20).
    if "/r/" not in text and "%2" not in text:
        return text
    return _TOKEN.sub(lambda found: found.group(1) + REDACTED, text)


class Redacted:
    """Marks a logging record's arguments (gunicorn's atoms, see gunicorn.conf.py) whose texts are blanked
    already: the filter passes them as they are instead of blanking them a second time."""


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactPersonalLinks(logging.Filter):
    """Replace personal-link tokens in a record's message and arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        args = record.args
        if isinstance(args, Redacted):
            return True
        if isinstance(args, MutableMapping):  # gunicorn's atoms
            for key in list(args):
                args[key] = _redacted(args[key])
        elif isinstance(args, tuple):
            record.args = tuple(_redacted(arg) for arg in args)
        return True


def install(*loggers: logging.Logger) -> None:
    """Put the filter on the request loggers and on `loggers` (once each)."""
    for logger in (*(logging.getLogger(name) for name in REQUEST_LOGGERS), *loggers):
        if not any(isinstance(f, RedactPersonalLinks) for f in logger.filters):
            logger.addFilter(RedactPersonalLinks())
