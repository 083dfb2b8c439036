"""Countries (ISO 3166-1) and time zones, built once at import: never per request."""

from __future__ import annotations

from zoneinfo import available_timezones

import pycountry


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


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _NAMES.get(code.upper(), code)
