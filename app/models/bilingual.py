"""Organisers' own words in both working languages: the English is always given, the Korean may be.

Each translatable column `x` has a sibling `x_ko` ("" when not given). Columns beside each other, rather
than a translations table or a JSON {lang: text} map, because there are exactly two languages, every text
is read with its row (no extra query or join on every list page), and each stays a typed, plainly named
attribute that forms and mypy understand.
"""

from __future__ import annotations

from typing import Any

DEFAULT = "en"
# The languages content may be given in besides English (each has `<field>_<lang>` columns).
TRANSLATED = ("ko",)


def content_language() -> str:
    """The language the page, email or document being made speaks: the current Babel locale (a request's
    choice, or `force_locale(registration.language)` in the worker); English outside any app context."""
    from flask import has_app_context

    if not has_app_context():
        return DEFAULT
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """`obj.<field>` in the given (default: current) language, falling back to the English."""
    language = language or content_language()
    if language in TRANSLATED:
        translated = getattr(obj, f"{field}_{language}", "")
        if translated and translated.strip():
            return str(translated)
    return str(getattr(obj, field) or "")


def localized_list(english: list[str], translated: list[str] | None, language: str | None = None) -> list[str]:
    """Options shown in the language: the translated label where one is given at the same position, else the
    English. The English stays the stored value: answers never depend on the language they were given in."""
    language = language or content_language()
    if language not in TRANSLATED or not translated:
        return list(english)
    return [(translated[i].strip() if i < len(translated) and translated[i].strip() else option)
            for i, option in enumerate(english)]
