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
from flask_babel import Babel, LazyString, get_locale, get_translations, refresh
from jinja2 import pass_context
from jinja2.runtime import Context
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
    # In place of flask-babel's: the same translations, found with one look-up instead of about ten (see
    # _translations), and a text without variables translated and escaped once per language.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["gettext"] = app.jinja_env.globals["_"] = _template_gettext


def current_language() -> str:
    """The language this page, email or document speaks ("en", "ko"): its <html lang>, the switcher's mark."""
    locale = _known_locale() or get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def _known_locale():
    """The locale flask-babel has already worked out in this context (what get_locale() then returns), or None."""
    try:
        return g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):  # not worked out yet; outside any app context
        return None


# A page translates 20 to 40 texts, and flask-babel finds the translations anew for each: the context, the domain,
# the locale and its name, each through Flask's context proxies. Here they are kept in the same context for the
# locale they were found for: the same object as long as that locale is, so refresh() and force_locale(), which
# put another locale in its place, are followed.
def _translations():
    try:
        context = g._flask_babel
        locale, domain, translations = context.jinja_translations
        if locale is context.babel_locale and domain is context.babel_domain:
            return translations
    except (AttributeError, RuntimeError):  # nothing kept yet; outside any app context
        pass
    translations = get_translations()
    try:
        context = g._flask_babel
        context.jinja_translations = (context.babel_locale, context.babel_domain, translations)
    except (AttributeError, RuntimeError):
        pass
    return translations


TEMPLATE_TEXTS_KEPT = 4000  # per language; templates' own texts are far fewer


@pass_context
def _template_gettext(context: Context, string: str, **variables) -> str:
    """Jinja's newstyle gettext (jinja2.ext._make_new_gettext), the same result: translated, marked safe when the
    template autoescapes, then formatted with its variables (even none, so "%%" is "%" everywhere). A text
    without variables gives the same result every time in one language: kept with the translations."""
    translations = _translations()
    autoescape = context.eval_ctx.autoescape
    if variables:
        text = translations.ugettext(string)
        return (Markup(text) if autoescape else text) % variables
    try:
        kept = translations.jinja_texts
    except AttributeError:
        kept = translations.jinja_texts = {}
    key = (string, autoescape)
    text = kept.get(key)
    if text is None:
        text = translations.ugettext(string)
        text = (Markup(text) if autoescape else text) % variables
        if len(kept) < TEMPLATE_TEXTS_KEPT:
            kept[key] = text
    return text


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
