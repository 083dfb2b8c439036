"""Where to send someone back to after an action: only to a page of this site, never to a URL an attacker chose."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Browsers read "\" as "/" and drop tabs and newlines, so "/\evil.example" and "/<tab>/evil.example"
# would become "//evil.example": another site.
_BENT = re.compile(r"[\\\x00-\x1f\x7f]")


def safe_next_url(target: str | None, *, fallback: str, under: str = "/") -> str:
    """`target` when it is a path on this site starting with `under` (itself a path), else `fallback`.

    Refused: "//host", "https://host", "javascript:…", and anything a browser would bend into one of them."""
    if not target or target.startswith("//") or _BENT.search(target):
        return fallback
    parts = urlsplit(target)
    return target if target.startswith(under) and not (parts.scheme or parts.netloc) else fallback
