"""Series of events and their editions: the recurrence rule, edition numbers and titles.

The rule is python-dateutil's rrule (yearly, every `interval_years`, optionally only even or
odd years); an edition's number is the position of its year among the rule's years.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from dateutil.rrule import YEARLY, rrule
from sqlalchemy.orm import Session

from app.models import Event, Series, YearParity
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


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition_title(series: Series, series_year: int, held_in: int) -> str:
    """ "6th Daejeon Global Innovation Forum 2024"; the year shown is the year it is held."""
    number = edition_number(series, series_year)
    prefix = f"{ordinal(number)} " if number else ""
    return f"{prefix}{series.name} {held_in}"


# --- describing the rule ------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def describe_rule(series: Series) -> str:
    """'Every 2 years (even years) since 2014, usually in October'."""
    every = "Every year" if series.interval_years == 1 else f"Every {series.interval_years} years"
    parity = {YearParity.EVEN: " (even years)", YearParity.ODD: " (odd years)"}.get(series.year_parity, "")
    month = f", usually in {MONTHS[series.usual_month - 1]}" if series.usual_month else ""
    return f"{every}{parity} since {series.first_year}{month}"


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
        raise DomainError(f"The first edition of {series.name} was in {series.first_year}.", field="series_year")
    if is_rule_year(series, year):
        slot, reason = year, ""
    elif not off_rule_reason:
        following = next_rule_year(series, year)
        raise DomainError(
            f"{series.name} takes place {describe_rule(series)[0].lower()}{describe_rule(series)[1:]}: there is no "
            f"edition in {year}. The nearest edition year is {following}. If this edition is a deliberate "
            "exception (postponed, for example), give the reason.",
            field="off_rule_reason",
        )
    else:
        slot, reason = rule_years(series, year)[-1], off_rule_reason
    if slot in taken:
        number = edition_number(series, slot)
        raise DomainError(f"The edition of {slot} (number {number}) already exists in this series.",
                          field="series_year")
    return slot, reason
