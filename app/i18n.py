"""Two languages, English and Korean (the forum's working languages): which one a page, an email or a
document speaks, and the catalogs that say it.

The language comes from, in order: the person's explicit choice (the switcher, kept in a cookie), the
registration being looked at or written to (each stores its language; views set it with `use_language`),
then the browser's Accept-Language. Outside a request (the mail worker, the CLI) callers wrap the work in
`flask_babel.force_locale(registration.language)`; emails and documents about a person are always written in
their registration's language that way (mail/notifications.py, documents/), organisers' alerts in English.
The switcher (base.html) links to /language/<code> (app/public/language.py), which sets the cookie.

Enum labels (`RegistrationStatus.label` ...) are translated when read; a select list built at import takes
`lazy_label(member)` so that each page shows them in its own language.

Catalogs: translations/<lang>/LC_MESSAGES/messages.po, compiled to messages.mo by `compile_catalogs`
(`make translations`; the test suite compiles them too). Parts under LC_MESSAGES/parts/*.po are merged in
first, so work on separate areas of the app never edits the same file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, LazyString, get_locale, refresh
from markupsafe import Markup, escape

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
DEFAULT_LANGUAGE = "en"
# What the switcher offers, each named in its own language.
LANGUAGES: dict[str, str] = {"en": "English", "ko": "한국어"}
LANGUAGE_COOKIE = "lang"

babel = Babel()


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_language)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language


def current_language() -> str:
    """The language this page, email or document speaks ("en", "ko"): its <html lang>, the switcher's mark."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


def lazy_label(member: _Labelled) -> LazyString:
    """An enum member's `label`, read when shown rather than now: for choices built at import (form select
    lists), which would otherwise keep the English of the moment the module was loaded."""
    return LazyString(lambda: member.label)


def select_language() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    registration_language = g.get("registration_language")
    if registration_language in LANGUAGES:
        return registration_language
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def use_language(language: str | None) -> None:
    """The page is about a registration: it speaks that registration's language unless the visitor chose."""
    g.registration_language = language
    refresh()  # a language worked out earlier in this request (a before-request hook, a flash) is forgotten


def compile_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every language's messages.po (with its parts merged in) to messages.mo; returns what it wrote.
    Entries marked fuzzy are left out, as gettext does: they are guesses, not translations."""
    written = []
    for messages_dir in sorted(directory.glob("*/LC_MESSAGES")):
        catalog = Catalog(locale=messages_dir.parent.name)
        # parts/merged.po after the other parts: it settles what two of them translated differently.
        parts = sorted((messages_dir / "parts").glob("*.po"), key=lambda po: (po.name == "merged.po", po.name))
        for po in [*parts, messages_dir / "messages.po"]:
            if not po.exists():
                continue
            with po.open("rb") as source:
                for message in read_po(source, locale=messages_dir.parent.name):
                    if message.id and message.string and not message.fuzzy:
                        # The later file wins (Babel's catalog would keep the first translation it was given).
                        catalog.delete(message.id, context=message.context)
                        catalog[message.id] = message
        target = messages_dir / "messages.mo"
        with target.open("wb") as out:
            write_mo(out, catalog)
        written.append(target)
    return written


def _escaped_html(self: LazyString) -> Markup:
    return escape(str(self))


# flask-babel's lazy strings say they are HTML already (__html__ returns the text as it is), so a template
# printed a lazy label or validator message unescaped: "person's" came out with a bare apostrophe, and a
# lazy text with a value typed by someone in it would be markup. Escaped like any other string instead.
LazyString.__html__ = _escaped_html
