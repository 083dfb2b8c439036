"""Where to send someone back to after an action: only to a page of this site, never to a URL an attacker chose."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(target: str | None, *, fallback: str, under: str = "/") -> str:
    """`target` when it is a path on this site starting with `under`, else `fallback`.

    Browsers read `\\` as `/` and drop tabs and newlines, so "/\\evil.example" and "/\\t/evil.example"
    would become "//evil.example", another site: anything carrying them is refused, as are
    "//host", "https://host" and "javascript:" targets."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(under):
        return fallback
    return target
