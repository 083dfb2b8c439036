"""Series of events and their editions: the recurrence rule, edition numbers and titles.

The rule is python-dateutil's rrule (yearly, every `interval_years`, optionally only even or
odd years); an edition's number is the position of its year among the rule's years.
"""

from __future__ import annotations

from datetime import datetime

from dateutil.rrule import YEARLY, rrule

from app.models import Series, YearParity


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


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition_title(series: Series, series_year: int, held_in: int) -> str:
    """ "6th Daejeon Global Innovation Forum 2024"; the year shown is the year it is held."""
    number = edition_number(series, series_year)
    prefix = f"{ordinal(number)} " if number else ""
    return f"{prefix}{series.name} {held_in}"
