"""Series of events and their editions: the recurrence rule, edition numbers and titles.

The rule is python-dateutil's rrule (yearly, every `interval_years`, optionally only even or
odd years); an edition's number is the position of its year among the rule's years.
"""

from __future__ import annotations

import re
from datetime import datetime
from string import Formatter

import sqlalchemy as sa
from dateutil.rrule import YEARLY, rrule
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.database import Session
from app.models import Event, Series, YearParity
from app.models.series import DEFAULT_TITLE_PATTERN
from app.services.errors import DomainError


def rule_years(series: Series, until: int) -> list[int]:
    """Every year the rule allows, from the first edition up to `until` (inclusive)."""
    if until < series.first_year:
        return []
    occurrences = rrule(
        YEARLY,
        interval=series.interval_years,
        dtstart=datetime(series.first_year, series.usual_month or 1, 1),
        until=datetime(until, 12, 31),
    )
    return [moment.year for moment in occurrences if _parity_allows(series.year_parity, moment.year)]


def _parity_allows(parity: YearParity, year: int) -> bool:
    return parity is YearParity.ANY or (year % 2 == 0) == (parity is YearParity.EVEN)


def is_rule_year(series: Series, year: int) -> bool:
    return year in rule_years(series, year)[-1:]


def edition_number(series: Series, year: int) -> int | None:
    """1 for the first edition; None when the rule has no edition that year."""
    years = rule_years(series, year)
    return len(years) if years and years[-1] == year else None


def ordinal(number: int, language: str = "en") -> str:
    if language == "ko":
        return f"제{number}회"  # how Korean numbers an event's editions
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# --- edition titles -----------------------------------------------------------------------

# What a series' title pattern may say. The number always comes from the rule, never typed.
TITLE_PLACEHOLDERS = {
    "ordinal": "the edition's number as a word-ending ordinal, e.g. 24th",
    "number": "the edition's number alone, e.g. 24",
    "name": "the series' name",
    "year": "the year the edition is held",
    "theme": "the edition's own theme, given with each edition",
}
MISSING_THEME = "(theme to be given)"


def title_pattern_problem(pattern: str) -> str | None:
    """Why a title pattern cannot be used, in words for the series form; None when it can."""
    try:
        names = [(name, spec, conversion) for _literal, name, spec, conversion in Formatter().parse(pattern)
                 if name is not None]
    except ValueError:
        return _("A { or } is not closed. Write placeholders like {ordinal}; for a brace itself write {{ or }}.")
    unknown = sorted({name or "{}" for name, _spec, _conversion in names if name not in TITLE_PLACEHOLDERS})
    if unknown:
        return ngettext("Unknown placeholder %(unknown)s. Use %(known)s.", "Unknown placeholders %(unknown)s. Use %(known)s.",
                        len(unknown), unknown=", ".join("{" + n.strip("{}") + "}" for n in unknown),
                        known=", ".join("{" + n + "}" for n in TITLE_PLACEHOLDERS))
    if any(spec or conversion for _name, spec, conversion in names):
        return _("Write placeholders plainly, e.g. {ordinal}, without “:” or “!” after the name.")
    if not {name for name, _spec, _conversion in names} & {"ordinal", "number", "year"}:
        return _("Each edition needs its own title: include {ordinal}, {number} or {year}.")
    return None


def edition_title(series: Series, series_year: int, held_in: int, theme: str = "", *, language: str = "en",
                  theme_ko: str = "") -> str:
    """ "6th Daejeon Global Innovation Forum 2024", or, with a themed pattern, "24th International
    Training Workshop on Science Park Management"; the year shown is the year it is held. In Korean
    ("제6회 대전 글로벌 혁신 포럼 2024") when the series has a Korean pattern or name (see korean_pattern)."""
    number = edition_number(series, series_year)
    pattern = series.title_pattern or DEFAULT_TITLE_PATTERN
    values = {
        "ordinal": ordinal(number) if number else "", "number": str(number) if number else "",
        "name": series.name, "year": str(held_in), "theme": theme.strip() or MISSING_THEME,
    }
    korean = korean_pattern(series) if language == "ko" else None
    if korean is not None:
        pattern = korean
        values.update(ordinal=ordinal(number, "ko") if number else "", name=series.name_ko.strip() or series.name,
                      theme=theme_ko.strip() or values["theme"])
    # A pattern is checked when the series is saved; an old or hand-edited one falls back to the default.
    try:
        title = pattern.format_map(values)
    except (KeyError, ValueError, IndexError):
        title = DEFAULT_TITLE_PATTERN.format_map(values)
    return " ".join(title.split())


def korean_pattern(series: Series) -> str | None:
    """How the series' editions are called in Korean: its own Korean pattern, else its pattern when that has no
    English words of its own (the default "{ordinal} {name} {year}") and the series has a Korean name; None:
    the English title is shown (a half-translated title reads worse than an English one)."""
    if series.title_pattern_ko.strip():
        return series.title_pattern_ko
    pattern = series.title_pattern or DEFAULT_TITLE_PATTERN
    literal = "".join(text for text, *_ in Formatter().parse(pattern))
    if series.name_ko.strip() and not re.search(r"[A-Za-z]", literal):
        return pattern
    return None


def theme_in_title(series: Series, title: str) -> str:
    """The theme an event's own title gives under the series' pattern ("24th International Training
    Workshop on Science Park Management" -> "Science Park Management"), or "" when it does not fit.
    The ordinal, number and year in the typed title are not trusted: the series numbers its editions."""
    pieces = []
    theme_seen = False
    for literal, name, _spec, _conversion in Formatter().parse(series.title_pattern or DEFAULT_TITLE_PATTERN):
        pieces.append(r"\s*".join(re.escape(word) for word in literal.split(" ")))
        if name == "theme":
            pieces.append("(?P=theme)" if theme_seen else "(?P<theme>.+?)")
            theme_seen = True
        elif name == "name":
            pieces.append(r"\s*".join(re.escape(word) for word in series.name.split()))
        elif name in ("ordinal", "number", "year"):
            pieces.append({"ordinal": r"(?:\d+(?:st|nd|rd|th))?", "number": r"(?:\d+)?",
                           "year": r"(?:\d{4})?"}[name])
    if not theme_seen:
        return ""
    found = re.fullmatch(r"\s*" + "".join(pieces) + r"\s*", title, flags=re.IGNORECASE)
    return found["theme"].strip() if found else ""


# --- describing the rule ------------------------------------------------------------------

MONTHS = [_l("January"), _l("February"), _l("March"), _l("April"), _l("May"), _l("June"), _l("July"), _l("August"),
          _l("September"), _l("October"), _l("November"), _l("December")]


def describe_rule(series: Series) -> str:
    """'Every 2 years (even years) since 2014, usually in October'."""
    # Whole phrases: the order of interval, parity and first year differs between languages.
    n, first = series.interval_years, series.first_year
    if series.year_parity is YearParity.EVEN:
        rule = ngettext("Every year (even years) since %(first)s", "Every %(num)d years (even years) since %(first)s",
                        n, first=first)
    elif series.year_parity is YearParity.ODD:
        rule = ngettext("Every year (odd years) since %(first)s", "Every %(num)d years (odd years) since %(first)s",
                        n, first=first)
    else:
        rule = ngettext("Every year since %(first)s", "Every %(num)d years since %(first)s", n, first=first)
    if series.usual_month:
        return rule + _(", usually in %(month)s", month=MONTHS[series.usual_month - 1])
    return rule


def next_rule_year(series: Series, after: int) -> int | None:
    """The first year the rule allows that is later than `after` (None if the rule allows none)."""
    # An impossible rule (odd interval restricted to the other parity...) is refused when the
    # series is saved; looking a few intervals ahead is then always enough.
    horizon = max(after, series.first_year) + 4 * series.interval_years + 2
    return next((year for year in rule_years(series, horizon) if year > after), None)


def stands_for(session: Session, series: Series, year: int, off_rule_reason: str,
               *, exclude_event_id: int | None = None) -> tuple[int, str]:
    """The rule year an edition held in `year` stands for, and its exception reason; or a DomainError.

    A year the rule allows stands for itself. Another year needs a reason (e.g. "postponed
    because of the pandemic") and stands for the latest rule year before it - the edition
    that was postponed - so the numbering of all later editions stays as the rule says.
    """
    taken = {
        row for row in session.scalars(
            sa.select(Event.series_year).where(Event.series_id == series.id, Event.id != (exclude_event_id or 0)))
    }
    if year < series.first_year:
        raise DomainError(_("The first edition of %(series)s was in %(year)s.", series=series.name,
                            year=series.first_year), field="series_year")
    if is_rule_year(series, year):
        slot, reason = year, ""
    elif not off_rule_reason:
        following = next_rule_year(series, year)
        raise DomainError(
            _("%(series)s takes place %(rule)s: there is no edition in %(year)s. The nearest edition year is "
              "%(following)s. If this edition is a deliberate exception (postponed, for example), give the reason.",
              series=series.name, rule=describe_rule(series)[0].lower() + describe_rule(series)[1:], year=year,
              following=following),
            field="off_rule_reason",
        )
    else:
        slot, reason = rule_years(series, year)[-1], off_rule_reason
    if slot in taken:
        number = edition_number(series, slot)
        raise DomainError(_("The edition of %(year)s (number %(number)s) already exists in this series.",
                            year=slot, number=number), field="series_year")
    return slot, reason
