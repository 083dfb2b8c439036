"""Countries (ISO 3166-1) and time zones, built once at import: never per request.

Country names follow the page's language (app/i18n.py): English as pycountry's common names, Korean as
the Unicode CLDR names Babel carries ("대한민국", "북한", "미국"), which read as Koreans write them, where
pycountry's Korean catalog gives the official long forms ("조선민주주의인민공화국"). Each language's list
is built once, the first time it is asked for.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import pycountry
from babel import Locale

from app.i18n import DEFAULT_LANGUAGE, current_language


def _common_name(country) -> str:
    # "Korea, Republic of" reads oddly in a list; pycountry's common_name is what people say.
    return getattr(country, "common_name", None) or country.name


COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    sorted(((c.alpha_2, _common_name(c)) for c in pycountry.countries), key=lambda pair: pair[1])
)
_NAMES = dict(COUNTRIES)
COUNTRY_CODES = frozenset(_NAMES)

TIMEZONES: tuple[str, ...] = tuple(sorted(tz for tz in available_timezones() if "/" in tz and not tz.startswith(("Etc/", "SystemV/", "posix/", "right/"))) + ["UTC"])
TIMEZONE_SET = frozenset(TIMEZONES)


@cache
def _names_in(language: str) -> dict[str, str]:
    if language == DEFAULT_LANGUAGE:
        return _NAMES
    territories = Locale.parse(language).territories
    return {code: territories.get(code, name) for code, name in COUNTRIES}


@cache
def countries_in(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, in alphabetical order of the names in `language`."""
    if language == DEFAULT_LANGUAGE:
        return COUNTRIES
    return tuple(sorted(_names_in(language).items(), key=lambda pair: pair[1]))


def countries() -> tuple[tuple[str, str], ...]:
    """Every country for a list to choose from, named and ordered in the current language."""
    return countries_in(current_language())


def country_names() -> dict[str, str]:
    """Code -> name in the current language: for a loop over many rows (an export), which then asks for the
    language once instead of once per row (country_name does, a few microseconds each)."""
    return _names_in(current_language())


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return country_names().get(code.upper(), code)
