"""The series rule: which years have an edition, and what each edition is called."""

from __future__ import annotations

import pytest

from app.models import EventKind, Series, YearParity
from app.services.events.series import (
    describe_rule,
    edition_number,
    edition_title,
    next_rule_year,
    ordinal,
    rule_years,
    theme_in_title,
    title_pattern_problem,
)


def series(first_year=2014, interval=2, parity=YearParity.ANY, month=None, name="Daejeon Global Innovation Forum"):
    return Series(name=name, code="DGIF", slug="dgif", kind=EventKind.FORUM, first_year=first_year,
                  interval_years=interval, year_parity=parity, usual_month=month)


def test_the_forum_is_every_even_year_from_2014():
    forum = series(parity=YearParity.EVEN, month=10)
    assert rule_years(forum, 2026) == [2014, 2016, 2018, 2020, 2022, 2024, 2026]
    assert edition_number(forum, 2014) == 1 and edition_number(forum, 2024) == 6
    assert edition_number(forum, 2025) is None
    assert edition_title(forum, 2024, 2024) == "6th Daejeon Global Innovation Forum 2024"
    assert describe_rule(forum) == "Every 2 years (even years) since 2014, usually in October"


def test_even_years_only_with_a_yearly_interval_is_every_other_year():
    assert rule_years(series(interval=1, parity=YearParity.EVEN), 2020) == [2014, 2016, 2018, 2020]


def test_a_workshop_every_year_since_2005():
    workshop = series(first_year=2005, interval=1, name="International Training Workshop on Science City Governance")
    assert edition_number(workshop, 2026) == 22
    assert edition_title(workshop, 2026, 2026).startswith("22nd International Training Workshop")
    assert next_rule_year(workshop, 2026) == 2027


def test_every_three_years():
    triennial = series(first_year=2010, interval=3)
    assert rule_years(triennial, 2025) == [2010, 2013, 2016, 2019, 2022, 2025]
    assert edition_number(triennial, 2024) is None
    assert next_rule_year(triennial, 2022) == 2025 and next_rule_year(triennial, 2000) == 2010


def test_odd_years_only():
    assert rule_years(series(first_year=2015, interval=1, parity=YearParity.ODD), 2021) == [2015, 2017, 2019, 2021]


def test_no_edition_before_the_first_year():
    assert rule_years(series(), 2013) == [] and edition_number(series(), 2012) is None


@pytest.mark.parametrize(("number", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                              (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st"),
                                              (111, "111th")])
def test_ordinals(number, text):
    assert ordinal(number) == text


def test_a_themed_title_takes_the_ordinal_from_the_rule_and_the_theme_from_the_edition():
    workshop = series(first_year=2005, interval=1, name="International Training Workshop")
    workshop.title_pattern = "{ordinal} International Training Workshop on {theme}"
    assert edition_title(workshop, 2027, 2027, "Science City Governance") == (
        "23rd International Training Workshop on Science City Governance")
    assert edition_title(workshop, 2028, 2028, "Science Park Management") == (
        "24th International Training Workshop on Science Park Management")
    assert edition_title(workshop, 2028, 2028) == "24th International Training Workshop on (theme to be given)"
    assert theme_in_title(workshop, "24th International Training Workshop on Science Park Management") == (
        "Science Park Management")
    assert theme_in_title(workshop, "International Training Workshop on Science Park Management") == (
        "Science Park Management")
    assert theme_in_title(workshop, "Daejeon Global Innovation Forum 2026") == ""


def test_the_default_pattern_keeps_the_forum_titles():
    forum = series(parity=YearParity.EVEN)
    forum.title_pattern = "{ordinal} {name} {year}"
    assert edition_title(forum, 2024, 2024, "Science cities in the age of AI") == (
        "6th Daejeon Global Innovation Forum 2024")
    assert edition_title(forum, 2020, 2021) == "4th Daejeon Global Innovation Forum 2021"  # postponed a year


@pytest.mark.parametrize(("pattern", "problem"), [
    ("{ordinal} {name} {year}", None),
    ("{ordinal} International Training Workshop on {theme}", None),
    ("{number}. Forum {year}", None),
    ("{ordinal} Workshop on {topic}", "Unknown placeholder {topic}"),
    ("{ordinal} Workshop on {}", "Unknown placeholder {}"),
    ("{ordinal} Workshop on {theme", "is not closed"),
    ("{ordinal:>5} Workshop", "Write placeholders plainly"),
    ("{name} on {theme}", "include {ordinal}, {number} or {year}"),
])
def test_title_patterns_are_checked(pattern, problem):
    found = title_pattern_problem(pattern)
    assert found is None if problem is None else problem in found
